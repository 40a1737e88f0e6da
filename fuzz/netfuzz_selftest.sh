#!/usr/bin/env bash
# netfuzz_selftest.sh BINDIR: proves the network fuzzer both ways against the reference relay:
# no findings on the clean relay, findings on each listed deliberate defect.
set -u
bindir=${1:?usage: netfuzz_selftest.sh BINDIR}
scratch=$(mktemp -d /tmp/tigress-netfuzz.XXXXXX)
relay_pid=
runs=0

stop_relay() {
  if [[ -n $relay_pid ]]; then
    kill "$relay_pid" 2>/dev/null
    wait "$relay_pid" 2>/dev/null
    relay_pid=
  fi
}
trap 'stop_relay; rm -rf "$scratch"' EXIT

# run_against [--defect NAME]: starts a relay on a free port, fuzzes it, prints netfuzz's status.
run_against() {
  # A fresh log per run: polling the previous run's log would race with the truncation.
  runs=$((runs + 1))
  local log=$scratch/relay-$runs.log
  "$bindir/tigress-relay" --listen 127.0.0.1:0 --self-signed --cert-out "$scratch/ca.pem" "$@" \
    >"$log" 2>&1 &
  relay_pid=$!
  for _ in $(seq 100); do grep -q '^listening on ' "$log" && break; sleep 0.1; done
  local url
  url=$(sed -n 's/^listening on //p' "$log")
  if [[ -z $url ]]; then
    echo "relay did not start: $(cat "$log")"
    stop_relay
    return 99
  fi
  "$bindir/tigress-netfuzz" --target "$url" --ca "$scratch/ca.pem" --sequences 80 --seed 7 \
    >"$scratch/netfuzz.log"
  local rc=$?
  stop_relay
  tail -1 "$scratch/netfuzz.log"
  return $rc
}

failed=0
run_against || { echo "FAIL: findings on the clean relay:"; cat "$scratch/netfuzz.log"; failed=1; }
for defect in omit-request-id-echo bind-every-reader preview-leaks-payload server-error-on-unknown-method; do
  run_against --defect "$defect"
  rc=$?
  if [[ $rc -ne 1 ]]; then
    echo "FAIL: defect $defect not found (rc $rc)"
    failed=1
  fi
done
exit $failed
