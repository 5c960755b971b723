#!/usr/bin/env bash
# Build the web widget (widget/ → widget/dist/, served at /chat/): `npm ci` from the
# committed package-lock.json, a type check (tsc), then esbuild. Does nothing when widget/dist/ was built from
# the current sources. Without Node.js/npm, warns and leaves the widget out (the assistant
# runs without it).
set -euo pipefail
cd "$(dirname "$0")/../widget"

stamp=dist/.build-stamp
want=$(cat package.json package-lock.json build.mjs tsconfig.json \
  $(find src static -type f | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)
if [ -f dist/widget.js ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "warning: npm not found: the web widget (/chat/) is not built. Install Node.js 20." >&2
  exit 0
fi
echo "==> building the web widget (widget/dist/)"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock-hash ] || [ "$(cat node_modules/.lock-hash)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.lock-hash
fi
npx --no-install tsc --noEmit -p .
node build.mjs
echo "$want" > "$stamp"
