#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs every
# suite (unit, QML, store, end-to-end, self-test, fuzz regressions, benchmarks).
# CI runs it with POPTAP_WERROR=ON so any compiler warning fails the build.
set -euo pipefail
cd "$(dirname "$0")/../.."

packaging/dev/setup-debian.sh
cmake --preset dev
cmake --build --preset dev
ctest --preset dev "$@"
