# The tests that need several MPI ranks: mpirun starts them (as root it must be allowed to, and
# --oversubscribe lets more ranks than cores share them). Included from tests/CMakeLists.txt.
set(XKERAS_MPIRUN ${MPIEXEC_EXECUTABLE} --oversubscribe)
set(XKERAS_MPI_ENV OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1)
if(XKERAS_SANITIZE)
  # scripts/check.sh's ASan options, plus whole stacks for allocations: OpenMPI's unloaded plugins leave
  # frames LeakSanitizer cannot name, and only a whole stack reaches the libmpi frames sanitizers/lsan.supp names.
  list(APPEND XKERAS_MPI_ENV
       "ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:fast_unwind_on_malloc=0")
endif()
set(XKERAS_RUN_JOB ${CMAKE_CURRENT_LIST_DIR}/run_job.cmake)

add_executable(test_dp_worker ${CMAKE_CURRENT_LIST_DIR}/dp_worker.cpp)
target_link_libraries(test_dp_worker PRIVATE xkeras Catch2::Catch2)
add_executable(test_dp_failure ${CMAKE_CURRENT_LIST_DIR}/dp_failure.cpp)
target_link_libraries(test_dp_failure PRIVATE xkeras)

# Equivalence, broadcast, metrics, callbacks; 3 ranks split batches of 128 unevenly (43, 43, 42).
foreach(np 2 3)
  add_test(NAME distributed_mpi.${np}_ranks_train_like_one COMMAND ${XKERAS_MPIRUN} -np ${np} $<TARGET_FILE:test_dp_worker>)
  set_tests_properties(distributed_mpi.${np}_ranks_train_like_one PROPERTIES TIMEOUT 600 ENVIRONMENT "${XKERAS_MPI_ENV}")
endforeach()

# A failing rank ends the job with a message naming it, well before the 60 s this allows.
foreach(mode throw uncaught hang model)
  if(mode STREQUAL "model")
    set(pattern "rank 1 of 2: fit\\(\\) failed: data-parallel fit: model \"[a-z_0-9]+\" has 4 weights with 19 values on rank 1, but 4 weights with 7 values on rank 0")
  elseif(mode STREQUAL "hang")
    set(pattern "rank 0 of 2: timed out after 3 s waiting for the other ranks")
  elseif(mode STREQUAL "throw")
    set(pattern "rank 1 of 2: fit\\(\\) failed: a callback failed at batch 2")
  else()
    set(pattern "rank 1 of 2: uncaught exception: rank 1 gives up before fit")
  endif()
  add_test(NAME distributed_mpi.failing_rank_${mode}_ends_the_job
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${XKERAS_MPIRUN};-np;2;$<TARGET_FILE:test_dp_failure>;${mode}"
                   -DEXPECT=fail "-DPATTERN=${pattern}" -DLIMIT=60 -P ${XKERAS_RUN_JOB})
  set_tests_properties(distributed_mpi.failing_rank_${mode}_ends_the_job PROPERTIES TIMEOUT 120 ENVIRONMENT "${XKERAS_MPI_ENV}")
endforeach()

# The README's command: the autoencoder example over 2 ranks (on 2000 images); rank 0 alone reports and saves.
if(TARGET autoencoder)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/autoencoder_distributed_out)
  add_test(NAME distributed_mpi.autoencoder_example_on_2_ranks
           COMMAND ${CMAKE_COMMAND}
                   "-DCOMMAND=${XKERAS_MPIRUN};-np;2;$<TARGET_FILE:autoencoder>;--distributed;--limit;2000;--epochs;2;--verbose;2;--out;${out}"
                   -DEXPECT=pass "-DPATTERN=Data-parallel over 2 process\\(es\\): 64 images per process and batch"
                   "-DONCE=Test MSE: 0\\.0[0-9]+" "-DFILES=${out}/autoencoder.json;${out}/curves.png" -DCLEAN=${out} -DLIMIT=600 -P ${XKERAS_RUN_JOB})
  set_tests_properties(distributed_mpi.autoencoder_example_on_2_ranks PROPERTIES TIMEOUT 900 ENVIRONMENT "${XKERAS_MPI_ENV}")
endif()
