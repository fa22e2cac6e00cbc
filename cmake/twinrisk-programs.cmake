# Settings shared by twinrisk's own programs (tests, examples, CLI, benchmarks); consumers of
# the library never see them.
add_library(twinrisk_program_options INTERFACE)
target_link_libraries(twinrisk_program_options INTERFACE twinrisk::twinrisk)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(twinrisk_program_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion $<$<BOOL:${TWINRISK_WARNINGS_AS_ERRORS}>:-Werror>)
endif()

# The bundled sample data, compiled into the CLI and the examples so they run from any folder:
# the twin, its slice of the CISA KEV catalog, illustrative EPSS scores and a pentest report.
set(_sample_headers "")
foreach(_pair IN ITEMS "sample_twin=acme.twin.json" "sample_kev=acme.kev.json" "sample_epss=acme.epss.csv"
                       "sample_pentest=acme.pentest-2026-q4.evidence.json")
  string(REPLACE "=" ";" _pair "${_pair}")
  list(GET _pair 0 _id)
  list(GET _pair 1 _file)
  set(_input "${PROJECT_SOURCE_DIR}/examples/data/${_file}")
  set(_header "${PROJECT_BINARY_DIR}/generated/twinrisk_sample/${_id}.hpp")
  add_custom_command(OUTPUT "${_header}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${_input} -DOUTPUT=${_header} -DNAME=${_id}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed-text.cmake"
    DEPENDS "${_input}" "${PROJECT_SOURCE_DIR}/cmake/embed-text.cmake"
    COMMENT "Embedding ${_file}")
  list(APPEND _sample_headers "${_header}")
endforeach()
add_custom_target(twinrisk_sample_header DEPENDS ${_sample_headers})
add_library(twinrisk_sample INTERFACE)
add_dependencies(twinrisk_sample twinrisk_sample_header)
target_include_directories(twinrisk_sample INTERFACE "${PROJECT_BINARY_DIR}/generated")
