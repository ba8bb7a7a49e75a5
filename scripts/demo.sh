#!/usr/bin/env bash
# First command of the README: install dependencies, build, run `lightkeeper demo`
# (status page on http://127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh --no-tests
exec ./build/lightkeeper demo "$@"
