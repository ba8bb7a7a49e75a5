#!/usr/bin/env bash
# Configures and builds Lightkeeper (Release, with ccache) into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
tests=ON
[[ "${1:-}" == "--no-tests" ]] && tests=OFF
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLK_BUILD_TESTS="$tests" >/dev/null
cmake --build build -j"$(nproc)"
