#!/usr/bin/env bash
# fuzz/smoke.sh BINDIR [SECONDS [JSON]]: runs every fuzz target in BINDIR for SECONDS (default 60)
# on a scratch copy of its committed corpus (the repository's corpus is never modified), with its
# dictionary and options, and prints one row per target: exec/s, cov, ft, corpus growth, status.
# With JSON, the same rows (plus the machine and the commit they were measured on) are written
# there as a tigress-fuzz-report/1 document (`make fuzz-report` writes reports/fuzz.json).
# Exits non-zero when any target crashed; its log and reproducer stay in the scratch directory.
set -u
bindir=${1:?usage: smoke.sh BINDIR [SECONDS [JSON]]}
seconds=${2:-60}
json_out=${3:-}
rows=()
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
  seeds=$(find "$here/corpus/$name" -type f 2>/dev/null | wc -l)
  rows+=("$(printf '{"target":"fuzz_%s","runs":%s,"exec_per_sec":%s,"cov":%s,"ft":%s,"seed_files":%s,"corpus_files_at_end":%s,"crashed":%s}' \
    "$name" "${runs:-null}" "${eps:-null}" "${cov:-null}" "${ft:-null}" "$seeds" "${corp:-null}" \
    "$([[ $rc -ne 0 ]] && echo true || echo false)")")
done

if [[ -n $json_out ]]; then
  mkdir -p "$(dirname "$json_out")"
  commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
  compiler=$(clang++-14 --version 2>/dev/null | head -1 || echo unknown)
  {
    printf '{\n  "schema": "tigress-fuzz-report/1",\n'
    printf '  "measured_at": "%s",\n  "commit": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit"
    printf '  "seconds_per_target": %s,\n  "cores": %s,\n  "compiler": "%s",\n' "$seconds" "$(nproc)" "$compiler"
    printf '  "instrumentation": "-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined",\n'
    printf '  "notes": "cov and ft are libFuzzer counters from the last status line; runs and exec_per_sec from -print_final_stats; one target at a time, other work may have shared the machine",\n'
    printf '  "targets": [\n'
    for i in "${!rows[@]}"; do
      printf '    %s%s\n' "${rows[$i]}" "$([[ $i -lt $((${#rows[@]} - 1)) ]] && echo , )"
    done
    printf '  ]\n}\n'
  } >"$json_out"
  echo "wrote $json_out"
fi
[[ $failed -eq 0 ]] && rm -rf "$scratch"
exit $failed
