#!/usr/bin/env bash
# The README's first command: install everything, then run the main job (execute the lecture series
# and build the handouts into build/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system.sh
npm ci
npm run build
npm run kernel
npm run lab:build
npm run handouts
