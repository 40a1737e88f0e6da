#!/usr/bin/env bash
# OSS-Fuzz style build of the fuzz targets, independent of our Makefile and CMake:
#   CXX, CXXFLAGS         compiler and flags (the farm's sanitizer + coverage flags)
#   LIB_FUZZING_ENGINE    link flag or library of the fuzzing engine (e.g. -fsanitize=fuzzer)
#   OUT                   where fuzz_<name>, fuzz_<name>_seed_corpus.zip, .dict, .options go
#   WORK                  scratch directory for objects (optional; a temp dir otherwise)
# Needs the Debian packages nlohmann-json3-dev and libssl-dev (OpenSSL 3) on the build host.
set -euo pipefail
: "${CXX:?set CXX}" "${CXXFLAGS?set CXXFLAGS}" "${LIB_FUZZING_ENGINE:?set LIB_FUZZING_ENGINE}" "${OUT:?set OUT}"
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
mkdir -p "$OUT" "$work/obj"
out=$(cd "$OUT" && pwd)   # absolute: zip runs from inside the corpus directory

# The library code the targets exercise, and the mailbox model fuzz_relay's answers are judged
# by; the HTTPS adapter (server.cpp), the Redis store and the client are not needed, so neither
# cpp-httplib nor hiredis is.
sources=(
  common/markup_escape.cpp
  reference/codec/base64.cpp reference/codec/bodies.cpp reference/codec/bodies_to_json.cpp reference/codec/json_in_place.cpp
  reference/codec/plain_json.cpp
  reference/codec/strict_json.cpp reference/codec/share_url.cpp
  reference/codec/timestamp.cpp reference/codec/uuid.cpp
  reference/crypto/aead.cpp reference/crypto/random.cpp
  reference/relay/clock.cpp reference/relay/defects.cpp reference/relay/http_types.cpp
  reference/relay/memory_store.cpp reference/relay/prepared_request.cpp reference/relay/preview.cpp reference/relay/relay.cpp
  reference/relay/relay_answers.cpp reference/relay/request_checks.cpp reference/relay/stored_records.cpp
  harness/protocol/vocabulary.cpp
  conformance/model/model.cpp conformance/model/model_checks.cpp conformance/model/model_concurrent.cpp
  conformance/model/observed.cpp
)
objects=()
for src in "${sources[@]}"; do
  obj=$work/obj/$(echo "$src" | tr / _).o
  # shellcheck disable=SC2086  # CXXFLAGS is a list of flags by convention
  $CXX $CXXFLAGS -std=c++20 -I"$root" -c "$root/$src" -o "$obj"
  objects+=("$obj")
done

zip_dir() {  # zip_dir ZIPFILE DIR: flat zip of DIR's files (zip(1) if present, else python3)
  rm -f "$1"
  if command -v zip >/dev/null; then
    (cd "$2" && zip -q -j "$1" ./*)
  else
    python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name in sorted(os.listdir(sys.argv[2])):
        z.write(os.path.join(sys.argv[2], name), name)
PY
  fi
}

built=0
for src in "$root"/fuzz/fuzz_*.cpp; do
  name=$(basename "$src" .cpp)   # fuzz_<target>
  target=${name#fuzz_}
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS -std=c++20 -I"$root" "$src" "${objects[@]}" $LIB_FUZZING_ENGINE -lssl -lcrypto \
    -o "$out/$name"
  built=$((built + 1))
  [[ -d $root/fuzz/corpus/$target ]] && zip_dir "$out/${name}_seed_corpus.zip" "$root/fuzz/corpus/$target"
  [[ -f $root/fuzz/dict/$target.dict ]] && cp "$root/fuzz/dict/$target.dict" "$out/$name.dict"
  [[ -f $root/fuzz/options/$target.options ]] && cp "$root/fuzz/options/$target.options" "$out/$name.options"
done
echo "built $built targets into $out"
