#!/usr/bin/env bash
# The same transaction-core workload (bank_tool: snapshot sums, acknowledged commits present,
# failed ones absent) against both deployments of the same binary: embedded (`borealis start`,
# every role in one process) and one process per role (scripts/cluster).
# Usage: tests/e2e/core_deployments.sh [DURATION_S]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${1:-5}"
bin="$top/build/release/bin"
work="$(mktemp -d /tmp/borealis-deploy.XXXXXX)"
embedded_pid=""
cleanup() {
  [ -n "$embedded_pid" ] && kill "$embedded_pid" 2>/dev/null && wait "$embedded_pid" 2>/dev/null
  "$top/scripts/cluster" down "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

echo "== embedded"
"$bin/borealis" start --data-dir "$work/embedded" --listen "127.0.0.1:$port" \
  --admin-password deploy-test >"$work/embedded.log" 2>&1 &
embedded_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/embedded.log" && break; sleep 0.1; done
"$bin/bank_tool" --adjudicator "$(cat "$work/embedded/endpoints.adjudicator")" \
  --storage "$(cat "$work/embedded/endpoints.storage")" --setup --duration-s "$duration"

echo "== one process per role"
export BOREALIS_BINARY="$bin/borealis"
"$top/scripts/cluster" up "$work/cluster" --admin-password deploy-test >/dev/null
"$bin/bank_tool" --adjudicator "$("$top/scripts/cluster" endpoint adjudicator "$work/cluster")" \
  --storage "$("$top/scripts/cluster" endpoint storage "$work/cluster")" --setup \
  --duration-s "$duration"
