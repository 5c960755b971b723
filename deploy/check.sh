#!/usr/bin/env bash
# `make deploy-check`: the Kubernetes manifests against the Kubernetes schemas
# (kubernetes-validate, strict) and the Dockerfile against the repository (deploy/check.py).
# The tools get their own environment, .venv-deploy/, from deploy/check-requirements.txt:
# they need a newer jsonschema than Rasa 3.6 allows in .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
UV=$(command -v uv || echo "$HOME/.local/bin/uv")
[ -x "$UV" ] || UV="python3 -m uv"
venv=.venv-deploy
stamp=$venv/.stamp
want=$(sha256sum deploy/check-requirements.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # the interpreter .venv/ was made from (make setup finds Python 3.10)
  python=$(.venv/bin/python -c 'import sys; print(sys._base_executable)' 2>/dev/null \
           || command -v python3.10)
  $UV venv --quiet --python "$python" "$venv"
  $UV pip sync --quiet --python "$venv/bin/python" deploy/check-requirements.txt
  echo "$want" > "$stamp"
fi
"$venv/bin/python" deploy/check.py "$@"
