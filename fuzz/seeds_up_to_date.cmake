# ctest fuzz_seeds_up_to_date: regenerates the seed corpora into SCRATCH and requires every
# generated file (seed-*, vec-*) to be byte-identical to the committed one under COMMITTED, and
# no committed seed-*/vec-* file to be left over. Other committed files (regression inputs of
# fixed crashes) are not the generator's and are left alone.
set(GENERATE ${TOOL} ${SCRATCH} ${VECTORS})
set(WHAT "tigress-fuzz-seeds")
set(HINT "tigress-fuzz-seeds fuzz/corpus vectors")
set(GENERATED_GLOBS "*")
set(COMMITTED_GLOBS "*/seed-*" "*/vec-*")
include(${CMAKE_CURRENT_LIST_DIR}/../scripts/regenerated_matches_committed.cmake)
