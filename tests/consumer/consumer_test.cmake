# CTest consumer_example_against_install: installs the current build into a fresh prefix, builds
# examples/consumer against that prefix only, once with find_package(xkeras) and once with pkg-config, runs both
# and checks what they print. Run with
#   cmake -DXKERAS_SOURCE_DIR=<src> -DXKERAS_BUILD_DIR=<build> -DWORK_DIR=<scratch> -DCXX=<compiler> -P consumer_test.cmake
foreach(v XKERAS_SOURCE_DIR XKERAS_BUILD_DIR WORK_DIR CXX)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "consumer_test.cmake: -D${v}=... is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
# Nothing from the caller's environment may point find_package or the loader elsewhere.
foreach(e xkeras_DIR CMAKE_PREFIX_PATH PKG_CONFIG_PATH LD_LIBRARY_PATH CPATH CPLUS_INCLUDE_PATH LIBRARY_PATH)
  unset(ENV{${e}})
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

# The program prints "xkeras consumer: predict(10) = <v>"; it fits y = 2x - 1, so v must be 19.
function(check_prediction what text)
  if(NOT text MATCHES "xkeras consumer: predict\\(10\\) = (-?[0-9]+\\.[0-9]+)")
    message(FATAL_ERROR "${what}: unexpected output: ${text}")
  endif()
  set(v ${CMAKE_MATCH_1})
  if(v LESS 18.95 OR v GREATER 19.05)
    message(FATAL_ERROR "${what}: predict(10) = ${v}, expected 19 +- 0.05 (y = 2x - 1)")
  endif()
  message(STATUS "${what}: predict(10) = ${v}")
endfunction()

# Fails when `text` names the xkeras source or build tree outside WORK_DIR (which may lie inside the build tree).
function(check_no_tree_paths_in what text)
  string(REPLACE "${WORK_DIR}" "<work>" text "${text}")
  foreach(tree ${XKERAS_SOURCE_DIR} ${XKERAS_BUILD_DIR})
    string(FIND "${text}" "${tree}/" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${what} names ${tree}: the build found the xkeras tree, not the installed copy:\n${text}")
    endif()
  endforeach()
endfunction()

function(check_no_tree_paths what file)
  file(READ ${file} text)
  check_no_tree_paths_in("${what} (${file})" "${text}")
endfunction()

# 1. Install.
run("cmake --install" ${CMAKE_COMMAND} --install ${XKERAS_BUILD_DIR} --prefix ${prefix})
file(GLOB_RECURSE installed_cmake ${prefix}/*.cmake)
if(NOT installed_cmake)
  message(FATAL_ERROR "cmake --install wrote no CMake package files under ${prefix}")
endif()
foreach(f ${installed_cmake})
  check_no_tree_paths("installed package" ${f})
endforeach()

# 2. find_package(xkeras) against the prefix only.
set(cb ${WORK_DIR}/cmake_build)
run("configuring examples/consumer" ${CMAKE_COMMAND} -S ${XKERAS_SOURCE_DIR}/examples/consumer -B ${cb}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
file(STRINGS ${cb}/CMakeCache.txt found REGEX "^xkeras_DIR:")
string(FIND "${found}" "${prefix}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "find_package(xkeras) found ${found}, not the package under ${prefix}")
endif()
run("building examples/consumer" ${CMAKE_COMMAND} --build ${cb})
check_no_tree_paths("consumer compile flags" ${cb}/CMakeFiles/consumer.dir/flags.make)
check_no_tree_paths("consumer link line" ${cb}/CMakeFiles/consumer.dir/link.txt)
run("running the CMake-built consumer" ${cb}/consumer)
check_prediction("find_package consumer" "${run_out}")

# 3. pkg-config against the prefix only.
find_program(PKG_CONFIG pkg-config REQUIRED)
file(GLOB_RECURSE pc_files ${prefix}/*/xkeras.pc)
list(LENGTH pc_files n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one installed xkeras.pc under ${prefix}, found: ${pc_files}")
endif()
get_filename_component(pc_dir ${pc_files} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
run("pkg-config --cflags --libs xkeras" ${PKG_CONFIG} --cflags --libs xkeras)
string(FIND "${run_out}" "${prefix}/" at)
if(at EQUAL -1 OR NOT run_out MATCHES "-lxkeras")
  message(FATAL_ERROR "pkg-config gave '${run_out}', expected -I/-L under ${prefix} and -lxkeras")
endif()
check_no_tree_paths_in("pkg-config --cflags --libs xkeras" "${run_out}")
set(ENV{CXX} ${CXX})
run("build_with_pkg_config.sh" sh ${XKERAS_SOURCE_DIR}/examples/consumer/build_with_pkg_config.sh ${WORK_DIR}/consumer_pc)
run("running the pkg-config-built consumer" ${WORK_DIR}/consumer_pc)
check_prediction("pkg-config consumer" "${run_out}")

file(REMOVE_RECURSE ${WORK_DIR})
