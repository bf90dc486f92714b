#!/usr/bin/env bash
# Starts the local PostgreSQL cluster and creates the test role and database.
# Prints the SQLAlchemy URL of the test database on stdout.
set -euo pipefail
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$ver" ]; then
  echo "PostgreSQL is not installed" >&2
  exit 1
fi
if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    pg_createcluster "$ver" main >/dev/null
  fi
  pg_ctlcluster "$ver" main start
fi
for i in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='commissie'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role commissie login password 'commissie' createdb\"" >/dev/null
su postgres -c "psql -qtAc \"select 1 from pg_database where datname='commissie_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O commissie commissie_test"
port=$(pg_lsclusters -h | awk '$4=="online"{print $3; exit}')
echo "postgresql+psycopg://commissie:commissie@127.0.0.1:${port}/commissie_test"
