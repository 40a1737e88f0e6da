#!/usr/bin/env bash
# The network fuzzer's throughput next to a bare load generator (wrk, valid Creates over TLS
# keep-alive), both against one reference relay started here, in alternating rounds of the same
# run (wrk, fuzzer, wrk, fuzzer, ...): the best round of each counts, so a burst of other load on
# the machine does not decide the ratio. Writes every round, the best figures and their ratio as
# JSON.
#   usage: bench/netfuzz_bench.sh BIN_DIR OUT.json [SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
usage="usage: netfuzz_bench.sh BIN_DIR OUT.json [SECONDS] [CONNECTIONS] [ROUNDS]"
bin=${1:?$usage}
out=${2:?$usage}
seconds=${3:-5}
connections=${4:-16}
rounds=${5:-3}
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
# The fuzzer: findings do not stop the measurement (exit status 1).
threads=$(nproc)
for round in $(seq 1 "$rounds"); do
  wrk -t"$threads" -c"$connections" -d"${seconds}s" -s "$here/wrk_create.lua" "$url/v1/m" >"$work/wrk-$round.txt"
  status=0
  "$bin/tigress-netfuzz" --target "$url" --ca "$work/ca.pem" --connections "$connections" --duration "$seconds" \
    --seed "$round" --progress 0 --out "$work/reproducers" --report-json "$work/fuzz-$round.json" \
    >"$work/fuzz-$round.txt" 2>&1 || status=$?
  echo "$status" >"$work/fuzz-$round.status"
  [ -s "$work/fuzz-$round.json" ] || {
    echo "netfuzz_bench: the fuzzer wrote no report" >&2
    cat "$work/fuzz-$round.txt" >&2
    exit 1
  }
done

mkdir -p "$(dirname "$out")"
python3 - "$work" "$out" "$rounds" "$threads" "$connections" "$seconds" <<'PY'
import datetime, json, os, re, sys
work, out, rounds, threads, connections, seconds = sys.argv[1:]

def wrk_round(path):
    text = open(path).read()
    rate = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
    total = re.search(r"^\s*([0-9]+) requests in", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+([0-9]+)", text)
    return {"requests": int(total.group(1)) if total else 0, "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "requests_per_second": float(rate.group(1)) if rate else 0.0}

def fuzz_round(path, status_path):
    fuzz = json.load(open(path))
    return {"connections": fuzz.get("connections"), "connections_opened": fuzz.get("connections_opened"),
            "sequences": fuzz["sequences"], "requests": fuzz["requests"],
            "requests_per_second": float(fuzz["requests_per_s"]), "findings": fuzz["findings"]["distinct"],
            "exit_status": int(open(status_path).read())}

n = int(rounds)
wrk_rounds = [wrk_round(f"{work}/wrk-{i}.txt") for i in range(1, n + 1)]
fuzz_rounds = [fuzz_round(f"{work}/fuzz-{i}.json", f"{work}/fuzz-{i}.status") for i in range(1, n + 1)]
best_wrk = max(wrk_rounds, key=lambda r: r["requests_per_second"])
best_fuzz = max(fuzz_rounds, key=lambda r: r["requests_per_second"])
load = best_wrk["requests_per_second"]
rate = best_fuzz["requests_per_second"]
report = {
    "schema": "tigress-bench-netfuzz/2",
    "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "transport": "TLS over loopback, keep-alive; one reference relay (tigress-relay) for both",
    "hardware_threads": os.cpu_count(),
    "seconds_each": float(seconds),
    "rounds": n,
    "figure": "best round of each; rounds alternate wrk and fuzzer; fuzzer round k uses seed k",
    "note": "load generator and fuzzer share this machine's cores with the relay; compare the ratio",
    "load_generator": dict(best_wrk, tool="wrk", request="valid Create (bench/wrk_create.lua)",
                           threads=int(threads), connections=int(connections)),
    "netfuzz": best_fuzz,
    "rounds_load_generator": wrk_rounds,
    "rounds_netfuzz": fuzz_rounds,
    "ratio": rate / load if load > 0 else 0.0,
    "goals": {"netfuzz_requests_per_second": 10000, "ratio": 0.5},
}
report["goals_met"] = rate >= 10000 and report["ratio"] >= 0.5
with open(out, "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")
print("netfuzz bench, best of %d rounds: load generator %.0f requests/s, netfuzz %.0f requests/s "
      "(%s connections, %s opened), ratio %.2f; rounds: wrk %s, netfuzz %s; report: %s" % (
          n, load, rate, connections, best_fuzz["connections_opened"], report["ratio"],
          "/".join("%.0f" % r["requests_per_second"] for r in wrk_rounds),
          "/".join("%.0f" % r["requests_per_second"] for r in fuzz_rounds), out))
PY
