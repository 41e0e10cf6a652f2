# cmake --install: the public headers, libxkeras.so (versioned, with a SONAME), xkeras-convert, the CMake package
# (find_package(xkeras) -> xkeras::xkeras) and xkeras.pc for pkg-config. Included from the top CMakeLists.txt after
# the targets exist; GNUInstallDirs is included there (the include directories name CMAKE_INSTALL_INCLUDEDIR).
include(CMakePackageConfigHelpers)

# Before 1.0 every minor version may break the ABI, so the SONAME carries major.minor (libxkeras.so.0.1).
set_target_properties(xkeras PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
  EXPORT_NAME xkeras)
target_compile_features(xkeras PUBLIC cxx_std_17)
add_library(xkeras::xkeras ALIAS xkeras)

install(TARGETS xkeras EXPORT xkerasTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/xkeras DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

if(TARGET xkeras-convert)
  # The installed CLI finds the installed library wherever the prefix is.
  set_target_properties(xkeras-convert PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
  install(TARGETS xkeras-convert RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(XKERAS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/xkeras)
install(EXPORT xkerasTargets NAMESPACE xkeras:: DESTINATION ${XKERAS_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/xkerasConfig.cmake.in
  ${PROJECT_BINARY_DIR}/xkerasConfig.cmake INSTALL_DESTINATION ${XKERAS_CMAKE_DIR})
# Before 1.0 only the same minor version is compatible (as the SONAME says).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/xkerasConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/xkerasConfig.cmake ${PROJECT_BINARY_DIR}/xkerasConfigVersion.cmake
  DESTINATION ${XKERAS_CMAKE_DIR})

# pkg-config: the prefix is written relative to the .pc file's own folder (${pcfiledir}), so the file stays
# right when `cmake --install --prefix` puts it somewhere other than CMAKE_INSTALL_PREFIX.
set(XKERAS_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")  # an absolute libdir: nothing to be relative to, the prefix is fixed
  set(XKERAS_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH up /prefix/${XKERAS_PC_DIR} /prefix)
  string(REGEX REPLACE "/$" "" up "${up}")
  set(XKERAS_PC_PREFIX "\${pcfiledir}/${up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(XKERAS_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(XKERAS_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/xkeras.pc.in ${PROJECT_BINARY_DIR}/xkeras.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/xkeras.pc DESTINATION ${XKERAS_PC_DIR})
