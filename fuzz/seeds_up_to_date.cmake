# ctest fuzz_seeds_up_to_date: regenerates the seed corpora into SCRATCH and requires every
# generated file (seed-*, vec-*) to be byte-identical to the committed one under COMMITTED, and
# no committed seed-*/vec-* file to be left over. Other committed files (regression inputs of
# fixed crashes) are not the generator's and are left alone.
file(REMOVE_RECURSE ${SCRATCH})
execute_process(COMMAND ${TOOL} ${SCRATCH} ${VECTORS} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "tigress-fuzz-seeds failed (${status})")
endif()
file(GLOB_RECURSE generated RELATIVE ${SCRATCH} ${SCRATCH}/*)
file(GLOB_RECURSE committed RELATIVE ${COMMITTED} ${COMMITTED}/*/seed-* ${COMMITTED}/*/vec-*)
list(SORT generated)
list(SORT committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "seed sets differ (run tigress-fuzz-seeds fuzz/corpus vectors):\n"
                      " generated: ${generated}\n committed: ${committed}")
endif()
foreach(name ${generated})
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${SCRATCH}/${name} ${COMMITTED}/${name}
                  RESULT_VARIABLE differs)
  if(NOT differs EQUAL 0)
    message(FATAL_ERROR "${name}: differs from the generator's output (run tigress-fuzz-seeds fuzz/corpus vectors)")
  endif()
endforeach()
list(LENGTH generated count)
message(STATUS "${count} seed files are up to date")
