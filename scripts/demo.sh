#!/usr/bin/env bash
# Two-device TIGRESS exchange against the reference relay, end to end over HTTPS with
# certificate verification on (the relay's self-signed certificate is passed with --ca).
#   initiator: share -> recipient: receive -> recipient: send reply -> initiator: read
#   -> initiator: delete -> recipient: sees the mailbox gone
# Usage: scripts/demo.sh [BIN_DIR]   (default build/bin; needs tigress-relay and tigress-client)
set -euo pipefail

bin_dir=${1:-build/bin}
relay_bin="$bin_dir/tigress-relay"
client_bin="$bin_dir/tigress-client"
conform_bin="$bin_dir/tigress-conform"
report_dir="$(cd "$(dirname "$0")/.." && pwd)/reports/demo"

fail() {
  echo "demo: FAILED — $*" >&2
  exit 1
}

[[ -x "$relay_bin" ]] || fail "no executable $relay_bin (build first, e.g. make build)"
[[ -x "$client_bin" ]] || fail "no executable $client_bin (build first, e.g. make build)"
[[ -x "$conform_bin" ]] || fail "no executable $conform_bin (build first, e.g. make build)"

work=$(mktemp -d "${TMPDIR:-/tmp}/tigress-demo.XXXXXX")
relay_pid=""
cleanup() {
  if [[ -n "$relay_pid" ]] && kill -0 "$relay_pid" 2>/dev/null; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step=0
say() {
  step=$((step + 1))
  echo "$step. $*"
}

# Runs tigress-client; on failure reports its one-line error (never a secret: the client
# prints none on stderr). Progress lines are kept in the log only.
client() {
  local what=$1
  shift
  if ! "$client_bin" "$@" --ca "$work/ca.pem" 2>"$work/client.err"; then
    fail "$what: $(grep '^tigress-client:' "$work/client.err" | tail -n 1 || true)"
  fi
}

# --- the relay ---------------------------------------------------------------------------
"$relay_bin" --listen 127.0.0.1:0 --self-signed --cert-out "$work/ca.pem" \
  >"$work/relay.out" 2>"$work/relay.err" &
relay_pid=$!

relay_url=""
deadline=$((SECONDS + 10))
while ((SECONDS < deadline)); do
  if line=$(grep -m 1 '^listening on https://' "$work/relay.out" 2>/dev/null); then
    relay_url=${line#listening on }
    break
  fi
  kill -0 "$relay_pid" 2>/dev/null || fail "tigress-relay exited early: $(tail -n 1 "$work/relay.err")"
  sleep 0.1
done
[[ -n "$relay_url" ]] || fail "tigress-relay did not report 'listening on https://...' within 10 s"
[[ -s "$work/ca.pem" ]] || fail "tigress-relay wrote no certificate to --cert-out"
say "reference relay listening on $relay_url (self-signed certificate, trusted via --ca)"

# --- the credential the initiator shares, and the recipient's answer --------------------
cat >"$work/carkey.json" <<'JSON'
{"format":"digitalwallet.carkey.ccc","content":{"vehicleIdentifier":"DEMO-VIN-0000001","keyRole":"friend","validity":{"notBefore":"2024-01-01T00:00:00Z","notAfter":"2024-01-08T00:00:00Z"},"entitlements":["unlock","lock","drive"]}}
JSON
cat >"$work/reply.json" <<'JSON'
{"format":"digitalwallet.carkey.ccc","content":{"status":"accepted","devicePublicKey":"BDemoOnlyNotARealKey0000000000000000000000000000000000000000000000000000000000000000000000"}}
JSON

# --- 1. initiator shares -------------------------------------------------------------------
client "share (initiator)" share --relay "$relay_url" --in "$work/carkey.json" \
  --state "$work/initiator.state.json" --vertical c --title "Car key from a friend" \
  >"$work/share-url.txt"
share_url=$(head -n 1 "$work/share-url.txt")
[[ "$share_url" == https://*"#"* ]] || fail "share printed no share URL with a #secret"
# The fragment is the payload key (draft 7.3, 8.2.1): never shown.
say "initiator created the mailbox and got the share URL ${share_url%%#*}#<secret redacted>"

# --- 2. recipient receives -----------------------------------------------------------------
client "receive (recipient)" receive --url "$share_url" \
  --state "$work/recipient.state.json" --out "$work/received.json"
cmp -s "$work/carkey.json" "$work/received.json" ||
  fail "the recipient decrypted something other than what the initiator sent"
say "recipient read the mailbox (now bound to its device claim) and decrypted the car key: identical to what was sent"

# --- 3. recipient replies -----------------------------------------------------------------
client "send (recipient)" send --state "$work/recipient.state.json" --in "$work/reply.json"
say "recipient sent its reply, encrypted with the same secret"

# --- 4. initiator reads the reply ----------------------------------------------------------
client "read (initiator)" read --state "$work/initiator.state.json" --out "$work/reply-received.json"
cmp -s "$work/reply.json" "$work/reply-received.json" ||
  fail "the initiator decrypted something other than the recipient's reply"
say "initiator read and decrypted the reply: identical to what the recipient sent"

# --- 5. initiator closes the mailbox ---------------------------------------------------------
client "delete (initiator)" delete --state "$work/initiator.state.json"
say "initiator deleted the mailbox"

# --- 6. the mailbox is gone for the recipient too --------------------------------------------
if "$client_bin" read --state "$work/recipient.state.json" --ca "$work/ca.pem" \
  >/dev/null 2>"$work/gone.err"; then
  fail "the recipient could still read the deleted mailbox"
fi
grep -q '404' "$work/gone.err" || fail "reading the deleted mailbox failed, but not with 404: $(tail -n 1 "$work/gone.err")"
say "recipient's read of the deleted mailbox is refused (404)"

# --- 7. the relay conformance suite against the same relay ---------------------------------
mkdir -p "$report_dir"
say "running the relay conformance suite (tigress-conform relay) against $relay_url"
conform_status=0
"$conform_bin" relay --target "$relay_url" --ca "$work/ca.pem" --quiet \
  --report-json "$report_dir/relay.json" --report-junit "$report_dir/relay.xml" \
  --report-html "$report_dir/relay.html" >"$work/conform.out" 2>"$work/conform.err" || conform_status=$?
sed 's/^/   /' "$work/conform.out"
((conform_status == 0)) || fail "the conformance suite reported failures against the reference relay (exit $conform_status): $(tail -n 1 "$work/conform.err")"

# --- stop the relay --------------------------------------------------------------------------
kill "$relay_pid"
wait "$relay_pid" || fail "tigress-relay did not stop cleanly: $(tail -n 1 "$work/relay.err")"
relay_pid=""
say "relay stopped"

echo "demo: OK — two-device exchange completed and the relay conformance suite passed against the reference relay at $relay_url"
