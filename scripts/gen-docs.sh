#!/usr/bin/env bash
# Regenerates the option reference in docs/configuration.md from the code's option tables.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 tests/docs/check_generated.py docs/configuration.md --write -- ./build/lightkeeper config docs
