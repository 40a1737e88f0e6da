#!/usr/bin/env bash
# fuzz/smoke.sh BINDIR [SECONDS]: runs every fuzz target in BINDIR for SECONDS (default 60) on a
# scratch copy of its committed corpus (the repository's corpus is never modified), with its
# dictionary and options, and prints one row per target: exec/s, cov, ft, corpus growth, status.
# Exits non-zero when any target crashed; its log and reproducer stay in the scratch directory.
set -u
bindir=${1:?usage: smoke.sh BINDIR [SECONDS]}
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d /tmp/tigress-fuzz-smoke.XXXXXX)
failed=0

printf '%-10s %8s %10s %7s %7s %8s  %s\n' target runs exec/s cov ft corpus status
for bin in "$bindir"/fuzz_*; do
  [[ $bin == */fuzz_replay_* ]] && continue  # replay drivers of a normal tree are no fuzzers
  name=${bin##*/fuzz_}
  work=$scratch/$name
  mkdir -p "$work/corpus"
  cp "$here/corpus/$name/"* "$work/corpus/" 2>/dev/null
  args=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/")
  [[ -f $here/dict/$name.dict ]] && args+=(-dict="$here/dict/$name.dict")
  if [[ -f $here/options/$name.options ]]; then
    max_len=$(sed -n 's/^max_len *= *//p' "$here/options/$name.options")
    [[ -n $max_len ]] && args+=(-max_len="$max_len")
  fi
  "$bin" "${args[@]}" "$work/corpus" >"$work/log" 2>&1
  rc=$?
  # Coverage is on libFuzzer's last status line ("#N ... cov: C ft: F corp: ..."), the
  # throughput in the final stats.
  status_line=$(grep -E '^#[0-9]+.*cov: ' "$work/log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$status_line")
  runs=$(sed -n 's/^stat::number_of_executed_units: //p' "$work/log")
  eps=$(sed -n 's/^stat::average_exec_per_sec: //p' "$work/log")
  status=ok
  if [[ $rc -ne 0 ]]; then
    status="CRASH (rc $rc, see $work/log)"
    failed=1
  fi
  printf '%-10s %8s %10s %7s %7s %8s  %s\n' "$name" "${runs:--}" "${eps:--}" "${cov:--}" "${ft:--}" \
    "${corp:--}" "$status"
done
[[ $failed -eq 0 ]] && rm -rf "$scratch"
exit $failed
