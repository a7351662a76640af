#!/usr/bin/env bash
# The consistency checker over SQL while processes of the one-process-per-role deployment are
# SIGKILLed and restarted (issue 5, nemesis). Afterwards: no forbidden anomaly, every
# acknowledged commit present (the checker's final read), and the bank total intact.
# Usage: tests/e2e/consistency_nemesis.sh BINARY [SECONDS] [KILLS]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
seconds="${2:-30}"
kills="${3:-8}"
work="$(mktemp -d /tmp/borealis-nemesis.XXXXXX)"
export BOREALIS_BINARY="$binary"
cleanup() { "$top/scripts/cluster" down "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

qp="$("$top/scripts/cluster" up "$work/cluster" --admin-password nemesis)"
/usr/bin/python3 "$top/tests/consistency/checker.py" --host 127.0.0.1 --port "${qp##*:}" \
  --user admin --password nemesis --sslmode require --workload "${WORKLOAD:-list-append}" \
  --clients 4 --duration "$seconds" --seed 7 >"$work/checker.out" 2>&1 &
checker=$!

roles=(journal adjudicator storage crossbar)
pause=$(( seconds * 1000 / (kills + 1) ))
for i in $(seq 1 "$kills"); do
  sleep "$((pause / 1000)).$(printf '%03d' $((pause % 1000)))"
  role="${roles[$(( (i - 1) % ${#roles[@]} ))]}"
  "$top/scripts/cluster" kill "$role" "$work/cluster"
  sleep 0.3
  "$top/scripts/cluster" restart "$role" "$work/cluster"
done
status=0
wait "$checker" || status=$?
grep -vE '^\s+e\.g\.' "$work/checker.out" | tail -n 12
echo "nemesis: $kills SIGKILLs (journal, adjudicator, storage, crossbar in turn) during ${seconds}s"
exit $status
