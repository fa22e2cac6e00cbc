# cmake -DMODE=find_package|add_subdirectory -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -P run_consumer.cmake
# Builds tests/consumer against twinrisk and runs it: the find_package mode first installs
# twinrisk into a private prefix. Debug builds: what is checked is that the package is found and
# its headers compile and link in another project; optimising adds CPU time, not coverage.
file(REMOVE_RECURSE "${WORK_DIR}")
set(_consumer_src "${SOURCE_DIR}/tests/consumer")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message("${out}")
endfunction()

if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/twinrisk-build" -G "${GENERATOR}"
      -DTWINRISK_BUILD_TESTS=OFF -DTWINRISK_BUILD_EXAMPLES=OFF -DTWINRISK_BUILD_CLI=OFF -DTWINRISK_BUILD_BENCH=OFF
      -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix)
  run(${CMAKE_COMMAND} --install "${WORK_DIR}/twinrisk-build")
  run(${CMAKE_COMMAND} -S "${_consumer_src}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
      -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Debug)
else()
  run(${CMAKE_COMMAND} -S "${_consumer_src}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
      -DTWINRISK_SOURCE_DIR=${SOURCE_DIR} -DCMAKE_BUILD_TYPE=Debug)
endif()
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/consumer")
