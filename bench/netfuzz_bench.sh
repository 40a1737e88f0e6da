#!/usr/bin/env bash
# The network fuzzer's throughput next to a bare load generator (wrk, valid Creates over TLS
# keep-alive), both against one reference relay started here, one after the other in the same
# run; writes both figures and their ratio as JSON.
#   usage: bench/netfuzz_bench.sh BIN_DIR OUT.json [SECONDS] [CONNECTIONS]
set -euo pipefail
bin=${1:?usage: netfuzz_bench.sh BIN_DIR OUT.json [SECONDS] [CONNECTIONS]}
out=${2:?usage: netfuzz_bench.sh BIN_DIR OUT.json [SECONDS] [CONNECTIONS]}
seconds=${3:-10}
connections=${4:-16}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
relay_pid=
cleanup() {
  if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/tigress-relay" --listen 127.0.0.1:0 --self-signed --cert-out "$work/ca.pem" >"$work/relay.out" 2>"$work/relay.err" &
relay_pid=$!
url=
for _ in $(seq 1 200); do
  url=$(sed -n 's/^listening on //p' "$work/relay.out" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "netfuzz_bench: the relay did not start" >&2; cat "$work/relay.err" >&2; exit 1; }

# The load generator: as many threads as cores, the same number of connections as the fuzzer.
threads=$(nproc)
wrk -t"$threads" -c"$connections" -d"${seconds}s" -s "$here/wrk_create.lua" "$url/v1/m" >"$work/wrk.txt"
wrk_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
wrk_requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
wrk_non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$work/wrk.txt")

# The fuzzer, against the same relay: findings do not stop the measurement (exit status 1).
fuzz_status=0
"$bin/tigress-netfuzz" --target "$url" --ca "$work/ca.pem" --connections "$connections" --duration "$seconds" \
  --seed 1 --progress 0 --out "$work/reproducers" --report-json "$work/fuzz.json" >"$work/fuzz.txt" 2>&1 ||
  fuzz_status=$?
[ -s "$work/fuzz.json" ] || { echo "netfuzz_bench: the fuzzer wrote no report" >&2; cat "$work/fuzz.txt" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
python3 - "$work/fuzz.json" "$out" "$wrk_rps" "${wrk_requests:-0}" "${wrk_non2xx:-0}" "$threads" "$connections" \
  "$seconds" "$fuzz_status" <<'PY'
import datetime, json, os, sys
fuzz_path, out, wrk_rps, wrk_requests, wrk_non2xx, threads, connections, seconds, fuzz_status = sys.argv[1:]
fuzz = json.load(open(fuzz_path))
load = float(wrk_rps)
rate = float(fuzz["requests_per_s"])
report = {
    "schema": "tigress-bench-netfuzz/1",
    "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "transport": "TLS over loopback, keep-alive; one reference relay (tigress-relay) for both",
    "hardware_threads": os.cpu_count(),
    "seconds_each": float(seconds),
    "note": "load generator and fuzzer share this machine's cores with the relay; compare the ratio",
    "load_generator": {"tool": "wrk", "request": "valid Create (bench/wrk_create.lua)", "threads": int(threads),
                       "connections": int(connections), "requests": int(wrk_requests),
                       "non_2xx": int(wrk_non2xx), "requests_per_second": load},
    "netfuzz": {"connections": fuzz.get("connections"), "connections_opened": fuzz.get("connections_opened"),
                "sequences": fuzz["sequences"], "requests": fuzz["requests"], "requests_per_second": rate,
                "findings": fuzz["findings"]["distinct"], "exit_status": int(fuzz_status)},
    "ratio": rate / load if load > 0 else 0.0,
    "goals": {"netfuzz_requests_per_second": 10000, "ratio": 0.5},
}
report["goals_met"] = rate >= 10000 and report["ratio"] >= 0.5
with open(out, "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")
print("netfuzz bench: load generator %.0f requests/s, netfuzz %.0f requests/s (%s connections, %s opened), "
      "ratio %.2f; report: %s" % (load, rate, connections, fuzz.get("connections_opened"), report["ratio"], out))
PY
