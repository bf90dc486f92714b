#!/usr/bin/env bash
# Builds the standalone one-folder bundle dist/commissie-app with PyInstaller (packaging/commissie-app.spec)
# and runs its smoke test (tests/test_bundle.py). Not part of `make test`: building takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
if [ ! -x .venv/bin/pyinstaller ]; then
  .venv/bin/python -m pip install -q -e ".[test,bundle]" 2>&1 | grep -v '^WARNING: Location' || true
fi
rm -rf dist/commissie-app
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/commissie-app.spec
echo "Bundle: dist/commissie-app ($(du -sh dist/commissie-app | cut -f1))"
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -p no:cacheprovider -q tests/test_bundle.py
