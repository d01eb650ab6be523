#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests and print its URL.
# Debian's postgresql package (installed by scripts/system-deps.sh); the cluster
# lives in a temporary folder and is reused while it runs. Needs root or sudo.
set -euo pipefail
PORT="${RISKKIT_PG_PORT:-55432}"
DIR="${RISKKIT_PG_DIR:-/tmp/riskkit-test-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; as_pg() { runuser -u postgres -- "$@"; }
else SUDO="sudo"; as_pg() { sudo -u postgres "$@"; }; fi
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  if [ ! -f "$DIR/PG_VERSION" ]; then
    $SUDO mkdir -p "$DIR" && $SUDO chown postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR" -A trust -U postgres >/dev/null
  fi
  as_pg "$BIN/pg_ctl" -D "$DIR" -o "-h 127.0.0.1 -p $PORT -k /tmp" -l "$DIR/server.log" -w start >/dev/null
fi
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='riskkit_test'" | grep -q 1 \
  || as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres riskkit_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/riskkit_test"
