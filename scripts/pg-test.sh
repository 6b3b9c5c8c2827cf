#!/usr/bin/env bash
# Run the store tests, and the API hardening and concurrency tests, against a real, throwaway PostgreSQL
# server on 127.0.0.1 (Debian's packages).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)." >&2; exit 1
  fi
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=$(mktemp -d)
PORT=${PGPORT_TEST:-55432}
chown postgres "$DIR" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as_pg "$BIN/initdb -D $DIR/data -U postgres -A trust >/dev/null"
as_pg "$BIN/pg_ctl -D $DIR/data -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1' -l $DIR/log -w start >/dev/null"
trap 'as_pg "$BIN/pg_ctl -D $DIR/data -m fast stop >/dev/null"; rm -rf "$DIR"' EXIT
as_pg "$BIN/createdb -h 127.0.0.1 -p $PORT -U postgres eventwatch_test"
EVENTWATCH_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/eventwatch_test" \
  .venv/bin/python -m pytest -m postgres tests/store tests/engines tests/robustness -q
