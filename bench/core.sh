#!/usr/bin/env bash
# Transaction-core benchmark against both deployments (embedded, one process per role), same
# machine, same run. Usage: bench/core.sh [SECONDS] [CLIENTS]. Not a test.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-5}"
clients="${2:-32}"
bin="$top/build/release/bin"
[ -x "$bin/core_bench" ] || "$top/scripts/build" >/dev/null
work="$(mktemp -d "$top/build/bench-core.XXXXXX")"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  "$top/scripts/cluster" down "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

echo "## embedded"
"$bin/borealis" start --data-dir "$work/embedded" --listen "127.0.0.1:$port" \
  --admin-password bench >"$work/embedded.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/embedded.log" && break; sleep 0.1; done
"$bin/core_bench" --adjudicator "$(cat "$work/embedded/endpoints.adjudicator")" \
  --storage "$(cat "$work/embedded/endpoints.storage")" --data-dir "$work/embedded" \
  --seconds "$seconds" --clients "$clients"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

echo "## one process per role"
export BOREALIS_BINARY="$bin/borealis"
"$top/scripts/cluster" up "$work/cluster" --admin-password bench >/dev/null
"$bin/core_bench" --adjudicator "$("$top/scripts/cluster" endpoint adjudicator "$work/cluster")" \
  --storage "$("$top/scripts/cluster" endpoint storage "$work/cluster")" \
  --data-dir "$work/cluster/journal" --seconds "$seconds" --clients "$clients"
