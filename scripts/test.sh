#!/usr/bin/env bash
# Install everything, then run the whole suite on SQLite and on PostgreSQL; fail if either fails.
# PostgreSQL tests connect as the superuser in TEST_PG_ADMIN_URL (default: postgres over TCP with
# trust auth) only to create their own owner and application roles and a fresh database.
# The two runs share nothing (their own databases, files and ports), so they run side by side:
# most of a run is waiting on a database, a browser or a subprocess, and the wall time nearly halves.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "PostgreSQL is not running on 127.0.0.1:5432" >&2
  exit 1
fi

# The browser journeys test the pages, not the database: CI runs them once, on SQLite, to stay within
# its time; BROWSER_ON_POSTGRES=1 runs them on PostgreSQL too (they pass there; see README).
pg_only=(-m "not browser")
[ "${BROWSER_ON_POSTGRES:-0}" = "1" ] && pg_only=()

logs=$(mktemp -d)
.venv/bin/python -m pytest tests -q -p no:cacheprovider --durations=15 "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
.venv/bin/python -m pytest tests -q -p no:cacheprovider --durations=15 --db=postgres "${pg_only[@]}" "$@" >"$logs/postgres.log" 2>&1 &
postgres_pid=$!

status=0
wait $sqlite_pid || status=1
sqlite_status=$status
wait $postgres_pid || status=1

echo "== tests on SQLite =="
cat "$logs/sqlite.log"
echo "== tests on PostgreSQL =="
cat "$logs/postgres.log"
[ $sqlite_status -eq 0 ] && echo "SQLite: passed" || echo "SQLite: FAILED"
[ $status -eq 0 ] && echo "both databases: passed" || echo "at least one database FAILED"
exit $status
