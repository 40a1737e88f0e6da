# ctest vectors_verify_detects_tampering: `verify` must fail when the vectors disagree with the
# reference implementation. Copies the vectors, declares every invalid AEAD vector valid (the
# reference AEAD must refuse to open them), and expects a non-zero exit status.
file(REMOVE_RECURSE ${SCRATCH})
file(COPY ${COMMITTED}/ DESTINATION ${SCRATCH} FILES_MATCHING PATTERN "*.json")
file(READ ${SCRATCH}/aead_payload_test.json text)
string(REPLACE "\"result\": \"invalid\"" "\"result\": \"valid\"" tampered "${text}")
if(tampered STREQUAL text)
  message(FATAL_ERROR "nothing to tamper with")
endif()
file(WRITE ${SCRATCH}/aead_payload_test.json "${tampered}")
execute_process(COMMAND ${TOOL} verify ${SCRATCH} RESULT_VARIABLE status OUTPUT_QUIET)
if(status EQUAL 0)
  message(FATAL_ERROR "verify accepted tampered vectors")
endif()
message(STATUS "verify refused the tampered vectors (${status})")
