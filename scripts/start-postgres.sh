#!/usr/bin/env bash
# Starts the local PostgreSQL cluster and creates the test role and database.
# Prints the SQLAlchemy URL of the test database on stdout.
set -euo pipefail
# Everything but the final URL goes to stderr: pg_ctlcluster may print notices
# such as "Removed stale pid file." that must not end up in the URL.
exec 3>&1 1>&2
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$ver" ]; then
  echo "PostgreSQL is not installed" >&2
  exit 1
fi
if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    pg_createcluster "$ver" main >/dev/null 3>&-
  fi
  # A server killed earlier (a machine snapshot, an aborted session) leaves its
  # socket lock behind; remove locks whose process is gone, then start.
  for lock in /var/run/postgresql/.s.PGSQL.*.lock; do
    [ -e "$lock" ] || continue
    pid=$(head -1 "$lock" | tr -d ' ')
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$lock" "${lock%.lock}"
    fi
  done
  mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql
  for attempt in 1 2 3 4 5; do
    # 3>&-: the server must not inherit the URL pipe, or $(...) never ends.
    pg_ctlcluster "$ver" main start 3>&- && break
    [ "$attempt" -lt 5 ] || exit 1
    sleep 2
  done
fi
for i in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='commissie'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"create role commissie login password 'commissie' createdb createrole\"" >/dev/null
# CREATEROLE: the tests of 'commissie-app db grant' make group roles and logins (never superuser).
su postgres -c "psql -qtAc \"select rolcreaterole from pg_roles where rolname='commissie'\"" | grep -q t \
  || su postgres -c "psql -qc \"alter role commissie createrole\"" >/dev/null
su postgres -c "psql -qtAc \"select 1 from pg_database where datname='commissie_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O commissie commissie_test"
port=$(pg_lsclusters -h | awk '$4=="online"{print $3; exit}')
echo "postgresql+psycopg://commissie:commissie@127.0.0.1:${port}/commissie_test" >&3
