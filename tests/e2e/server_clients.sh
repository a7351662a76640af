#!/usr/bin/env bash
# Starts a real `borealis start` on a free loopback port with a fresh data directory, then runs
# every real-client test (psql, libpq, JDBC, psycopg2, psycopg 3, node-postgres) over TLS with
# SCRAM, and the idle-connection test. Usage: tests/e2e/server_clients.sh BORALIS_BINARY
# Env: BOREALIS_IDLE_CONNECTIONS (default 5000).
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
idle_count="${BOREALIS_IDLE_CONNECTIONS:-5000}"
work="$(mktemp -d /tmp/borealis-e2e.XXXXXX)"
# shellcheck source=tests/e2e/lib/server.sh
source "$top/tests/e2e/lib/server.sh"

ulimit -n "$(ulimit -Hn)" || true
cleanup() { stop_borealis; rm -rf "$work"; }
trap cleanup EXIT
start_borealis "$binary" "$work"
password="$server_password"
port="$server_port"

status=0
"$top/tests/clients/run_all.sh" --host 127.0.0.1 --port "$port" --user admin --password "$password" \
  || status=1
/usr/bin/python3 "$top/tests/clients/idle_connections.py" --host 127.0.0.1 --port "$port" \
  --user admin --password "$password" --count "$idle_count" --server-pid "$server_pid" || status=1
kill -0 "$server_pid" 2>/dev/null || { echo "server exited during the tests"; status=1; }
if [ $status -ne 0 ]; then
  echo "--- server log (tail) ---"
  tail -n 50 "$work/server.log"
fi
exit $status
