#!/usr/bin/env bash
# Builds the fuzz targets the way ClusterFuzzLite calls .clusterfuzzlite/build.sh (OSS-Fuzz
# variables, clang with libFuzzer, ASan+UBSan, OUT and SRC scratch directories, called from
# another directory) and checks that OUT holds, for every target named on the command line, a
# libFuzzer binary that replays its corpus, the seed corpus zip with every corpus file, and the
# dictionary and options files the repository has for it.
# Usage: clusterfuzzlite_build_test.sh SCRATCH TARGET...   Exit 77 (ctest SKIP) without clang-14
# and libFuzzer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$1
shift
[[ $# -gt 0 ]] || { echo "no targets given" >&2; exit 2; }

if ! command -v clang++-14 >/dev/null; then
  echo "SKIP: clang++-14 not installed"
  exit 77
fi
rm -rf "$scratch"
mkdir -p "$scratch/probe" "$scratch/out" "$scratch/src" "$scratch/work"
printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
  'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }' \
  >"$scratch/probe/probe.cpp"
if ! clang++-14 -fsanitize=fuzzer,address "$scratch/probe/probe.cpp" -o "$scratch/probe/probe" 2>"$scratch/probe/log"; then
  echo "SKIP: clang++-14 cannot link libFuzzer (libclang-rt-14-dev missing?)"
  cat "$scratch/probe/log"
  exit 77
fi

fail=0
bad() { echo "FAIL: $*"; fail=1; }

# As the farm does: its own flags, SRC and OUT elsewhere, the script run from SRC. ccache (when
# installed) only spares repeated runs the compile time; the farm's CXX is the bare compiler.
cxx=clang++-14
command -v ccache >/dev/null && cxx="ccache clang++-14"
(cd "$scratch/src" &&
  CXX=$cxx \
  CXXFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link" \
  LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC="$scratch/src" OUT="$scratch/out" WORK="$scratch/work" \
  "$root/.clusterfuzzlite/build.sh") || { echo "FAIL: .clusterfuzzlite/build.sh exited $?"; exit 1; }

zip_names() {  # the file names inside a zip, one a line, sorted
  python3 -c 'import sys, zipfile; print("\n".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))' "$1"
}

for target in "$@"; do
  binary=$scratch/out/fuzz_$target
  corpus=$root/fuzz/corpus/$target
  if [[ ! -x $binary ]]; then bad "no executable $binary"; continue; fi
  # A libFuzzer binary runs every input of a directory once with -runs=0 and says "Done".
  if ! "$binary" -runs=0 "$corpus" >"$scratch/run-$target.log" 2>&1 || ! grep -q "Done" "$scratch/run-$target.log"; then
    bad "fuzz_$target did not replay its corpus"; tail -5 "$scratch/run-$target.log"
  fi
  zip=$scratch/out/fuzz_${target}_seed_corpus.zip
  if [[ ! -f $zip ]]; then
    bad "no seed corpus $zip"
  elif [[ "$(zip_names "$zip")" != "$(cd "$corpus" && ls | sort)" ]]; then
    bad "fuzz_${target}_seed_corpus.zip does not hold exactly the files of fuzz/corpus/$target"
  fi
  for kind in dict options; do
    if [[ -f $root/fuzz/$kind/$target.$kind ]] && ! cmp -s "$root/fuzz/$kind/$target.$kind" "$scratch/out/fuzz_$target.$kind"; then
      bad "fuzz_$target.$kind missing or not a copy of fuzz/$kind/$target.$kind"
    fi
  done
done
extra=$(cd "$scratch/out" && ls fuzz_* | grep -v -e '_seed_corpus\.zip$' -e '\.dict$' -e '\.options$' | sort)
expected=$(printf 'fuzz_%s\n' "$@" | sort)
[[ "$extra" == "$expected" ]] || bad "OUT's binaries are [$(echo $extra)], expected [$(echo $expected)]"
[[ $fail -eq 0 ]] && echo "PASS: $# targets built as ClusterFuzzLite builds them"
exit $fail
