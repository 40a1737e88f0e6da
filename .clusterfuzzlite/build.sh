#!/usr/bin/env bash
# ClusterFuzzLite / OSS-Fuzz build step: the farm runs $SRC/build.sh with CXX, CXXFLAGS,
# LIB_FUZZING_ENGINE, OUT (and WORK) set; fuzz/build.sh does the work with the same variables.
# The suite is found at $TIGRESS_SUITE_DIR (the Dockerfile sets it), else beside this script.
set -euo pipefail
suite=${TIGRESS_SUITE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
[[ -f $suite/fuzz/build.sh ]] || { echo "no fuzz/build.sh under $suite (set TIGRESS_SUITE_DIR)" >&2; exit 1; }
exec bash "$suite/fuzz/build.sh"
