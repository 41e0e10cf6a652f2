# tools/h5py_check.py reads, with h5py and numpy only, every Keras file the writer test saves and
# compares structure and values with the sidecars (issue 12). Included from tests/CMakeLists.txt
# after the per-folder binaries exist. The writer runs as its own CTest test (FIXTURES_SETUP), the
# check requires it. A missing h5py makes the script fail: it is never skipped (the README's test
# command installs python3-h5py). Another format's writer adds its folder to XKERAS_H5PY_CHECK_DIRS.
set(XKERAS_H5PY_CHECK_ROOT ${PROJECT_BINARY_DIR}/tests/h5py_check)
add_test(NAME keras3_write_h5py_files
         COMMAND test_saving_keras3 "keras3 h5py files: write models for tools/h5py_check.py")
set_tests_properties(keras3_write_h5py_files PROPERTIES FIXTURES_SETUP keras3_h5py_files)
list(APPEND XKERAS_H5PY_CHECK_DIRS ${XKERAS_H5PY_CHECK_ROOT}/keras3)
add_test(NAME h5py_check_keras_files
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tools/h5py_check.py ${XKERAS_H5PY_CHECK_DIRS})
set_tests_properties(h5py_check_keras_files
                     PROPERTIES FIXTURES_REQUIRED keras3_h5py_files TIMEOUT 300)
