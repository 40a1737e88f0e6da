#!/usr/bin/env bash
# The suite as a user gets it, away from the source tree:
#   install: `cmake --install --strip` into a scratch prefix, which is then moved (relocation);
#   package: the .deb built by cpack, unpacked with `dpkg-deb -x` into a scratch root, with its
#            Depends: and man pages checked.
# Either way the copy's tigress-relay is started and the copy's `tigress-conform relay` run
# against it from a scratch working directory with no TIGRESS_* variables: every case must
# PASS (no SKIP for missing data), and no program may contain the source tree's path.
# Usage: test_installed_suite.sh install|package BUILD_DIR SOURCE_DIR PROGRAM...
set -euo pipefail

mode=$1 build=$2 source=$3
shift 3
programs=("$@")

fail() {
  echo "installed suite ($mode): FAILED: $*" >&2
  exit 1
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tigress-installed.XXXXXX")
relay_pid=""
cleanup() {
  if [[ -n "$relay_pid" ]] && kill -0 "$relay_pid" 2>/dev/null; then
    kill "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
unset TIGRESS_DATA_DIR TIGRESS_CATALOGUE DESTDIR

case "$mode" in
  install)
    cmake --install "$build" --prefix "$scratch/first" --strip >"$scratch/install.log" ||
      fail "cmake --install: $(tail -n 3 "$scratch/install.log")"
    cp -a "$scratch/first" "$scratch/moved"
    rm -rf "$scratch/first"
    root="$scratch/moved"
    ;;
  package)
    cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/cpack" >"$scratch/cpack.log" 2>&1 ||
      fail "cpack: $(tail -n 5 "$scratch/cpack.log")"
    debs=("$scratch"/cpack/*.deb)
    [[ -f "${debs[0]}" ]] || fail "cpack made no .deb: $(tail -n 5 "$scratch/cpack.log")"
    deb=${debs[0]}
    depends=$(dpkg-deb -f "$deb" Depends)
    echo "Depends: $depends"
    [[ "$depends" == *libssl3* ]] || fail "Depends: does not name libssl3: '$depends'"
    [[ "$depends" == *libc6* ]] || fail "Depends: does not name libc6: '$depends'"
    dpkg-deb -x "$deb" "$scratch/root"
    root="$scratch/root/usr"
    for program in "${programs[@]}"; do
      page="$root/share/man/man1/$program.1"
      [[ -s "$page" ]] || fail "no man page $page"
      grep -q '^\.TH' "$page" || fail "$page is not a man page"
      grep -q -- '--help' "$page" || grep -q -- 'usage' "$page" || fail "$page holds no usage text"
    done
    ;;
  *) fail "mode must be install or package" ;;
esac

for program in "${programs[@]}"; do
  [[ -x "$root/bin/$program" ]] || fail "not installed: bin/$program"
  ! grep -q -F "$source" "$root/bin/$program" || fail "bin/$program contains the source path $source"
done
data="$root/share/tigress-suite"
for item in requirements.json SHIM.md ci-conformance.sh vectors/schemas vectors/transcripts thirdparty/jsontestsuite/LICENSE \
            thirdparty/jsontestsuite/SOURCE.md fuzz/corpus/relay fuzz/dict/relay.dict; do
  [[ -e "$data/$item" ]] || fail "not installed: share/tigress-suite/$item"
done
[[ ! -L "$data/vectors" ]] || fail "share/tigress-suite/vectors is a link, not a copy"

mkdir "$scratch/work"
cd "$scratch/work"
"$root/bin/tigress-vectors" verify >vectors.out 2>&1 || fail "tigress-vectors verify: $(tail -n 3 vectors.out)"

"$root/bin/tigress-relay" --listen 127.0.0.1:0 --self-signed --cert-out ca.pem >relay.out 2>relay.err &
relay_pid=$!
url=""
for _ in $(seq 200); do
  if line=$(grep -m 1 '^listening on https://' relay.out 2>/dev/null); then
    url=${line#listening on }
    break
  fi
  kill -0 "$relay_pid" 2>/dev/null || fail "tigress-relay exited: $(cat relay.err)"
  sleep 0.05
done
[[ -n "$url" ]] || fail "tigress-relay did not report its address"

status=0
"$root/bin/tigress-conform" relay --target "$url" --ca ca.pem --seed 1 --quiet \
  --report-json report.json >conform.out 2>conform.err || status=$?
summary=$(grep -m 1 '^summary:' conform.out || true)
echo "$summary"
((status == 0)) || fail "tigress-conform exited $status: $(tail -n 3 conform.err) $summary"
[[ "$summary" =~ ^summary:\ ([0-9]+)\ cases:\ ([0-9]+)\ PASS,\ 0\ FAIL,\ 0\ WARN,\ 0\ SKIP,\ 0\ ERROR ]] ||
  fail "not every case passed: $summary"
((BASH_REMATCH[1] > 0 && BASH_REMATCH[1] == BASH_REMATCH[2])) || fail "not every case passed: $summary"
grep -q '"commit"' report.json || fail "report.json names no suite commit"
# The CI entry point as installed, with the installed tigress-conform.
[[ -x "$data/ci-conformance.sh" ]] || fail "not installed or not executable: share/tigress-suite/ci-conformance.sh"
TARGET="$url" CA=ca.pem OUT=ci TIGRESS_CONFORM="$root/bin/tigress-conform" CONFORM_ARGS="--seed 1" \
  "$data/ci-conformance.sh" >ci.out 2>&1 || fail "installed ci-conformance.sh: $(tail -n 3 ci.out)"
[[ -s ci/report.md && -s ci/report.xml && -s ci/bundle/MANIFEST.sha256 ]] || fail "ci-conformance.sh wrote no reports"
echo "installed suite ($mode): OK, $root"
