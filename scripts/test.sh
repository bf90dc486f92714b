#!/usr/bin/env bash
# Sets everything up and runs every test, on SQLite and on a real PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
if [ -z "${COMMISSIE_TEST_PG_URL:-}" ]; then
  if [ "$(id -u)" -eq 0 ] && url=$(bash scripts/start-postgres.sh | tail -n 1); then
    export COMMISSIE_TEST_PG_URL="$url"
  elif [ "${CI:-}" = true ]; then
    echo "CI needs PostgreSQL for the database tests, and it could not be started." >&2
    exit 1
  else
    echo "PostgreSQL not available: the PostgreSQL variants of the tests are skipped." >&2
  fi
fi
.venv/bin/python -m pytest -p no:cacheprovider -n 2 "$@"
