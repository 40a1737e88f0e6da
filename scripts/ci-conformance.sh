#!/usr/bin/env bash
# The relay suite for a CI job: runs `tigress-conform relay` against TARGET and writes every report
# a CI system shows (JUnit for the test tab, HTML and the bundle as artifacts, Markdown for the job
# summary or a pull-request comment). Exits with the suite's own status: 0 passed, 1 failed,
# 2 usage error. CI templates call it with environment variables:
#
#   TARGET           the relay under test, https://host[:port][/prefix]          (required)
#   CA               PEM bundle the relay's certificate chains to, or INSECURE=1 to skip verification
#   EXPECT           expectations file (tigress-conform expect writes one); optional
#   OUT              folder for the reports (default: tigress-conformance)
#   TIGRESS_CONFORM  the tigress-conform program (default: the one on PATH)
#   CONFORM_ARGS     further options, split on whitespace (e.g. "--jobs 4 --header X-Key:abc")
#   GITHUB_STEP_SUMMARY  when set (GitHub Actions sets it), the Markdown is appended to it
set -uo pipefail

fail() { echo "ci-conformance: $*" >&2; exit 2; }

[[ -n "${TARGET:-}" ]] || fail "set TARGET to the relay's URL (https://host[:port][/prefix])"
conform="${TIGRESS_CONFORM:-tigress-conform}"
command -v "$conform" >/dev/null 2>&1 || fail "$conform not found (install the tigress-suite package or set TIGRESS_CONFORM)"
out="${OUT:-tigress-conformance}"
mkdir -p "$out" || fail "cannot create $out"

args=(relay --target "$TARGET" --quiet
      --report-json "$out/report.json" --report-junit "$out/report.xml"
      --report-html "$out/report.html" --report-markdown "$out/report.md" --bundle "$out/bundle")
if [[ -n "${CA:-}" ]]; then
  [[ -r "$CA" ]] || fail "CA=$CA is not a readable file"
  args+=(--ca "$CA")
elif [[ "${INSECURE:-}" == 1 ]]; then
  args+=(--insecure)
else
  fail "set CA to the PEM file the relay's certificate chains to (or INSECURE=1)"
fi
if [[ -n "${EXPECT:-}" ]]; then
  [[ -r "$EXPECT" ]] || fail "EXPECT=$EXPECT is not a readable file"
  args+=(--expect "$EXPECT")
fi
# Word splitting is what CONFORM_ARGS is for.
# shellcheck disable=SC2206
[[ -n "${CONFORM_ARGS:-}" ]] && args+=(${CONFORM_ARGS})

"$conform" "${args[@]}"
status=$?

if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -f "$out/report.md" ]]; then
  { cat "$out/report.md"; echo; } >>"$GITHUB_STEP_SUMMARY" || echo "ci-conformance: cannot append to GITHUB_STEP_SUMMARY" >&2
fi
exit "$status"
