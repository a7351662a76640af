#!/usr/bin/env bash
# Consistency over SQL (issue 5, short CI run): the Jepsen-style checker (tests/consistency)
# runs bank and list-append against the embedded deployment and against one process per role;
# both must show no forbidden anomaly. Then the checker must FIND anomalies against a
# deliberately broken mode (BOREALIS_UNSAFE_SKIP_CONFLICT_CHECK=1), proving it can fail.
# Usage: tests/e2e/consistency.sh BINARY [SECONDS]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
seconds="${2:-8}"
work="$(mktemp -d /tmp/borealis-consistency.XXXXXX)"
pid=""
stop_embedded() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi
}
cleanup() {
  stop_embedded
  BOREALIS_BINARY="$binary" "$top/scripts/cluster" down "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port=""
start_embedded() {  # NAME [ENV...]: sets $port and $pid
  local name="$1"; shift
  port="$(free_port)"
  env "$@" "$binary" start --data-dir "$work/$name" --listen "127.0.0.1:$port" \
    --admin-password consistency >"$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do grep -qs "listening on" "$work/$name.log" && break; sleep 0.1; done
}
check() {  # PORT [checker options]
  local port="$1"; shift
  /usr/bin/python3 "$top/tests/consistency/checker.py" --host 127.0.0.1 --port "$port" \
    --user admin --password consistency --sslmode require --workload both --clients 4 \
    --duration "$seconds" --seed 1 "$@"
}

echo "== embedded"
start_embedded embedded
check "$port"
echo "== embedded, 30% of reads FOR UPDATE (rw edges through locked rows are forbidden too)"
check "$port" --workload list-append --for-update 0.3
stop_embedded

echo "== one process per role"
qp="$(BOREALIS_BINARY="$binary" "$top/scripts/cluster" up "$work/cluster" --admin-password consistency)"
check "${qp##*:}"
BOREALIS_BINARY="$binary" "$top/scripts/cluster" down "$work/cluster"

echo "== broken mode (must find anomalies)"
start_embedded broken BOREALIS_UNSAFE_SKIP_CONFLICT_CHECK=1
check "$port" --expect-anomalies
stop_embedded
echo "consistency: clean on both deployments, anomalies found in the broken mode"
