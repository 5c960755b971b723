#!/usr/bin/env bash
# Create or update .venv/ (Python 3.10, uv, exact pins from requirements.lock) and build
# the web widget (scripts/build_widget.sh).
# Idempotent: does nothing when the lock file and pyproject.toml have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

find_python() {
  local candidate
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.10*/bin/python3.10; do
      [ -x "$candidate" ] && "$candidate" -c 'import sys' 2>/dev/null && { echo "$candidate"; return 0; }
    done
  fi
  for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

# The web widget served at /chat/ (skips when up to date).
scripts/build_widget.sh

stamp=.venv/.setup-stamp
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

PY=$(find_python) || {
  echo "error: Python 3.10 not found. Rasa 3.6 needs Python 3.10: install it with pyenv" >&2
  echo "       (pyenv install 3.10) or provide a working python3.10 on PATH." >&2
  exit 1
}
# uv: on PATH, or installed with pip (then `python3 -m uv` when its script is not on PATH).
UV=(uv)
if ! command -v uv >/dev/null 2>&1; then
  if ! python3 -m uv --version >/dev/null 2>&1; then
    echo "==> installing uv"
    python3 -m pip install --quiet --user uv 2>/dev/null \
      || python3 -m pip install --quiet --user --break-system-packages uv 2>/dev/null \
      || python3 -m pip install --quiet uv
  fi
  export PATH="$HOME/.local/bin:$PATH"
  command -v uv >/dev/null 2>&1 || UV=(python3 -m uv)
fi
echo "==> creating .venv with $PY ($("$PY" --version))"
[ -x .venv/bin/python ] || "${UV[@]}" venv --quiet --python "$PY" .venv
echo "==> installing locked dependencies (requirements.lock)"
"${UV[@]}" pip sync --quiet --python .venv/bin/python requirements.lock
"${UV[@]}" pip install --quiet --python .venv/bin/python --no-deps -e .
echo "$want" > "$stamp"
echo "==> .venv ready"
