#!/usr/bin/env bash
# The differential harness (tests/differential/differential.py) against a throwaway PostgreSQL
# 15 and a fresh `borealis start`: fixed statements, then SCHEMAS random schemas x QUERIES
# seeded random queries; fails on any mismatch in rows, column types or SQLSTATEs.
# Usage: tests/e2e/differential.sh BINARY [SCHEMAS] [QUERIES]
# Env:   DIFFERENTIAL_SEED (default 1).
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
schemas="${2:-10}"
queries="${3:-1000}"
work="$(mktemp -d /tmp/borealis-differential.XXXXXX)"
chmod 755 "$work"
# shellcheck source=tests/e2e/lib/server.sh
source "$top/tests/e2e/lib/server.sh"
cleanup() {
  stop_borealis
  "$top/tests/clients/pg_oracle.sh" stop "$work/oracle" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
start_borealis "$binary" "$work"
oracle_port="$(free_port)"
"$top/tests/clients/pg_oracle.sh" start "$work/oracle" "$oracle_port" >/dev/null
/usr/bin/python3 "$top/tests/differential/differential.py" \
  --pg "host=127.0.0.1 port=$oracle_port user=admin password=borealis-test dbname=postgres" \
  --borealis "host=127.0.0.1 port=$server_port user=admin password=$server_password dbname=postgres sslmode=require" \
  --seed "${DIFFERENTIAL_SEED:-1}" --schemas "$schemas" --queries "$queries"
