# Settings shared by twinrisk's own programs (tests, examples, CLI, benchmarks); consumers of
# the library never see them.
add_library(twinrisk_program_options INTERFACE)
target_link_libraries(twinrisk_program_options INTERFACE twinrisk::twinrisk)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(twinrisk_program_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion $<$<BOOL:${TWINRISK_WARNINGS_AS_ERRORS}>:-Werror>)
endif()

# The bundled sample twin, compiled into the CLI and the examples so they run from any folder.
set(TWINRISK_SAMPLE_TWIN "${PROJECT_SOURCE_DIR}/examples/data/acme.twin.json")
set(_sample_header "${PROJECT_BINARY_DIR}/generated/twinrisk_sample/sample_twin.hpp")
add_custom_command(OUTPUT "${_sample_header}"
  COMMAND ${CMAKE_COMMAND} -DINPUT=${TWINRISK_SAMPLE_TWIN} -DOUTPUT=${_sample_header}
          -P "${PROJECT_SOURCE_DIR}/cmake/embed-text.cmake"
  DEPENDS "${TWINRISK_SAMPLE_TWIN}" "${PROJECT_SOURCE_DIR}/cmake/embed-text.cmake"
  COMMENT "Embedding the sample twin")
add_custom_target(twinrisk_sample_header DEPENDS "${_sample_header}")
add_library(twinrisk_sample INTERFACE)
add_dependencies(twinrisk_sample twinrisk_sample_header)
target_include_directories(twinrisk_sample INTERFACE "${PROJECT_BINARY_DIR}/generated")
