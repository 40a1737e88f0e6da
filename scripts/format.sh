#!/usr/bin/env bash
# The tree's C++ sources under .clang-format: `scripts/format.sh` rewrites them in place,
# `scripts/format.sh --check` lists the files that differ and exits 1 (make check runs it).
# Exits 77 (skipped) when clang-format-14 is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
formatter="${CLANG_FORMAT:-clang-format-14}"
command -v "$formatter" >/dev/null || { echo "format: $formatter is not installed" >&2; exit 77; }
mapfile -d '' files < <(cd "$root" && find common reference harness conformance fuzz vectors bench \
                          \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z)
cd "$root"
if [[ "${1:-}" == --check ]]; then
  differing=()
  for file in "${files[@]}"; do
    "$formatter" --style=file "$file" | cmp -s - "$file" || differing+=("$file")
  done
  if ((${#differing[@]})); then
    printf 'not formatted (run scripts/format.sh): %s\n' "${differing[@]}" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files match .clang-format"
else
  "$formatter" --style=file -i "${files[@]}"
fi
