#!/usr/bin/env bash
# Creates .venv and installs the app (editable) with its test tools. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh "${1:-run}"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -m pip install -q -e ".[test]" 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c "import commissie_app, PySide6, sqlalchemy, pytestqt" 
  touch "$stamp"
fi
