#!/usr/bin/env bash
# Install everything, then run the whole suite on SQLite and on PostgreSQL; fail if either fails.
# PostgreSQL tests connect as the superuser in TEST_PG_ADMIN_URL (default: postgres over TCP with
# trust auth) only to create their own owner and application roles and a fresh database.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

status=0
echo "== tests on SQLite =="
.venv/bin/python -m pytest tests -q "$@" || status=1
echo "== tests on PostgreSQL =="
if pg_isready -q -h 127.0.0.1 -p 5432; then
  .venv/bin/python -m pytest tests -q --db=postgres "$@" || status=1
else
  echo "PostgreSQL is not running on 127.0.0.1:5432" >&2
  status=1
fi
exit $status
