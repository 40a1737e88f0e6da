# ctest vectors_generate_diff: regenerates every vector file into SCRATCH and requires each to
# be byte-identical to the committed file under COMMITTED, with no file missing on either side.
set(GENERATE ${TOOL} generate --out ${SCRATCH})
set(WHAT "tigress-vectors generate")
set(HINT "tigress-vectors generate")
set(GENERATED_GLOBS "*.json")
set(COMMITTED_GLOBS "*.json")
set(COMMITTED_EXCLUDE "^schemas/")
include(${CMAKE_CURRENT_LIST_DIR}/../scripts/regenerated_matches_committed.cmake)
