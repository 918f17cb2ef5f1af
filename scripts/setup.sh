#!/usr/bin/env bash
# The README's first command: install everything, then run the main job (execute the lecture series
# and build the handouts into build/), and build the course's static site (build/lite/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system.sh
npm ci
npm run build
npm run kernel
npm run lab:build
npx ts-node --transpile-only scripts/lite.ts
npm run handouts
