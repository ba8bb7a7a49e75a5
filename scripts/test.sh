#!/usr/bin/env bash
# Second command of the README: install dependencies, build, run every test (CTest).
# Exits non-zero on any failure. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test --bench
./scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
