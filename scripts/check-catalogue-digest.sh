#!/usr/bin/env bash
# Developer check, not part of `make check`: every MBX-/TM- row of the requirements digest the
# catalogue is derived from is in conformance/requirements.json, and the catalogue invents no
# MBX-/TM- row the digest lacks. The digest is a maintainers' document outside the repository.
# Usage: scripts/check-catalogue-digest.sh DIGEST.md [CATALOGUE.json]
set -euo pipefail

digest=${1:?usage: check-catalogue-digest.sh DIGEST.md [CATALOGUE.json]}
catalogue=${2:-$(cd "$(dirname "$0")/.." && pwd)/conformance/requirements.json}
[[ -r "$digest" ]] || { echo "check-catalogue-digest: cannot read $digest" >&2; exit 2; }
[[ -r "$catalogue" ]] || { echo "check-catalogue-digest: cannot read $catalogue" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Digest table rows start with "| <id> |"; catalogue entries carry "id": "<id>".
grep -oE '^\| (MBX-[A-Z0-9-]*[0-9]|TM-[0-9]+) \|' "$digest" | sed -E 's/^\| ([^ ]+) \|$/\1/' | sort -u >"$work/digest"
grep -oE '"id": *"(MBX-[A-Z0-9-]*[0-9]|TM-[0-9]+)"' "$catalogue" | sed -E 's/.*"([^"]+)"$/\1/' | sort -u >"$work/catalogue"

status=0
if (($(wc -l <"$work/digest") < 160)); then
  echo "check-catalogue-digest: only $(wc -l <"$work/digest") rows found in $digest; its tables changed shape" >&2
  status=1
fi
missing=$(comm -23 "$work/digest" "$work/catalogue")
invented=$(comm -13 "$work/digest" "$work/catalogue")
[[ -z "$missing" ]] || { echo "in the digest, missing from the catalogue:" $missing; status=1; }
[[ -z "$invented" ]] || { echo "in the catalogue, not in the digest:" $invented; status=1; }
((status == 0)) && echo "catalogue matches the digest: $(wc -l <"$work/digest") MBX/TM rows"
exit $status
