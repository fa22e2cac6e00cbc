# Install rules: headers, the exported target and a package config, so that
# find_package(twinrisk 0.1 CONFIG REQUIRED) works from an install prefix.
include(CMakePackageConfigHelpers)

set(TWINRISK_CMAKE_DIR "${CMAKE_INSTALL_DATADIR}/cmake/twinrisk")  # header-only: arch-independent

install(DIRECTORY include/twinrisk DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS twinrisk EXPORT twinrisk-targets)
install(EXPORT twinrisk-targets NAMESPACE twinrisk:: DESTINATION ${TWINRISK_CMAKE_DIR})

configure_package_config_file(cmake/twinrisk-config.cmake.in
  "${PROJECT_BINARY_DIR}/twinrisk-config.cmake"
  INSTALL_DESTINATION ${TWINRISK_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/twinrisk-config-version.cmake"
  COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/twinrisk-config.cmake"
  "${PROJECT_BINARY_DIR}/twinrisk-config-version.cmake"
  DESTINATION ${TWINRISK_CMAKE_DIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/twinrisk)
