# Start-up time: list the shared libraries that most dynamic symbol lookups resolve to first in
# qledsim's DT_NEEDED, keeping every pair that defines a common C symbol in its original order
# (see scripts/loader-order; tests/cli/test_loader_order checks that no binding changes).
# Sets QLEDSIM_LOADER_ORDER_LIBS (empty when skipped).
set(QLEDSIM_LOADER_ORDER_LIBS "")
if(NOT QLEDSIM_LOADER_ORDER)
  return()
endif()
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR QLEDSIM_SANITIZE OR QLEDSIM_FUZZ)
  message(STATUS "Loader order: skipped (Linux release builds only; ASan must load first)")
  return()
endif()
find_program(QLEDSIM_PYTHON3 python3)
find_program(QLEDSIM_NM nm)
if(NOT QLEDSIM_PYTHON3 OR NOT QLEDSIM_NM)
  message(STATUS "Loader order: skipped (needs python3 and nm)")
  return()
endif()
set(_probe_libs PkgConfig::PETSC PkgConfig::HDF5 PkgConfig::YAML MPI::MPI_C m)
if(QLEDSIM_OPENMP)
  list(APPEND _probe_libs OpenMP::OpenMP_C)
endif()
set(_probe ${CMAKE_BINARY_DIR}/loader_probe)
try_compile(_probe_ok ${CMAKE_BINARY_DIR}/loader_probe_build
  SOURCES ${CMAKE_SOURCE_DIR}/cmake/loader_probe.c
  LINK_LIBRARIES ${_probe_libs}
  OUTPUT_VARIABLE _probe_log
  COPY_FILE ${_probe})
if(NOT _probe_ok)
  message(STATUS "Loader order: skipped (the probe did not build)")
  return()
endif()
execute_process(COMMAND ${QLEDSIM_PYTHON3} ${CMAKE_SOURCE_DIR}/scripts/loader-order ${_probe}
  OUTPUT_VARIABLE _order ERROR_VARIABLE _order_msg RESULT_VARIABLE _order_rc
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_STRIP_TRAILING_WHITESPACE)
if(NOT _order_rc EQUAL 0 OR _order STREQUAL "")
  message(STATUS "Loader order: skipped (${_order_msg})")
  return()
endif()
string(REPLACE "\n" ";" QLEDSIM_LOADER_ORDER_LIBS "${_order}")
message(STATUS "Loader order: ${_order_msg}")
