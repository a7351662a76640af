#!/usr/bin/env bash
# The consistency checker over SQL while the one-process-per-role deployment suffers faults
# (issue 5, nemesis). Afterwards: no forbidden anomaly, every acknowledged commit present (the
# checker's final read), and the bank total intact.
#   kill       (default) SIGKILL and restart journal, adjudicator, storage, crossbar in turn;
#   partition  every role in a network namespace of its own (scripts/cluster with
#              BOREALIS_CLUSTER_NETNS=1); cut journal, adjudicator, storage, crossbar off the
#              network in turn for PARTITION_MS (default 1500) and reconnect them. Needs root and
#              iproute2; exits 77 (skipped) when network namespaces cannot be created.
# Usage: tests/e2e/consistency_nemesis.sh BINARY [SECONDS] [FAULTS] [kill|partition]
# Env:   WORKLOAD (list-append | bank | both; default list-append), PARTITION_MS.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
seconds="${2:-30}"
faults="${3:-8}"
mode="${4:-kill}"
partition_ms="${PARTITION_MS:-1500}"
work="$(mktemp -d /tmp/borealis-nemesis.XXXXXX)"
export BOREALIS_BINARY="$binary"
cluster="$top/scripts/cluster"
cleanup() { "$cluster" down "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

case "$mode" in
  kill) ;;
  partition)
    if ! ip netns add "bcprobe$$" 2>/dev/null; then
      echo "nemesis: network namespaces unavailable here; partition run skipped"
      exit 77
    fi
    ip netns del "bcprobe$$"
    export BOREALIS_CLUSTER_NETNS=1
    ;;
  *) echo "usage: $0 BINARY [SECONDS] [FAULTS] [kill|partition]" >&2; exit 2 ;;
esac

qp="$("$cluster" up "$work/cluster" --admin-password nemesis | tail -n 1)"
"$cluster" exec "$work/cluster" /usr/bin/python3 "$top/tests/consistency/checker.py" \
  --host "${qp%:*}" --port "${qp##*:}" \
  --user admin --password nemesis --sslmode require --workload "${WORKLOAD:-list-append}" \
  --clients 4 --duration "$seconds" --seed 7 >"$work/checker.out" 2>&1 &
checker=$!

sleep_ms() { sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"; }
roles=(journal adjudicator storage crossbar)
pause=$(( seconds * 1000 / (faults + 1) ))
for i in $(seq 1 "$faults"); do
  sleep_ms "$pause"
  role="${roles[$(( (i - 1) % ${#roles[@]} ))]}"
  if [ "$mode" = kill ]; then
    "$cluster" kill "$role" "$work/cluster"
    sleep 0.3
    "$cluster" restart "$role" "$work/cluster"
  else
    "$cluster" isolate "$role" "$work/cluster"
    sleep_ms "$partition_ms"
    "$cluster" heal "$role" "$work/cluster"
  fi
done
status=0
wait "$checker" || status=$?
grep -vE '^\s+e\.g\.' "$work/checker.out" | tail -n 12
if [ "$mode" = kill ]; then
  echo "nemesis: $faults SIGKILLs (journal, adjudicator, storage, crossbar in turn) during ${seconds}s"
else
  echo "nemesis: $faults partitions of ${partition_ms}ms (journal, adjudicator, storage, crossbar in turn) during ${seconds}s"
fi
exit $status
