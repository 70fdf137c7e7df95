#!/usr/bin/env bash
# Drops PostgreSQL databases that interrupted test runs left behind (custodia_t_*). Quiet when
# PostgreSQL is not there: the tests themselves decide whether that is an error.
set -uo pipefail
url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
command -v psql >/dev/null || exit 0
psql "$url" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'custodia\_t\_%'" 2>/dev/null |
  while read -r name; do
    psql "$url" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1
  done
exit 0
