#!/usr/bin/env bash
# Real-process crash test of the transaction core (issue 3): the bank workload runs against the
# one-process-per-role deployment while the journal, adjudicator, crossbar and storage
# processes are killed with SIGKILL and restarted. Afterwards every acknowledged commit must be
# readable, no definitely failed one visible, and every snapshot must have summed correctly.
# Usage: tests/e2e/core_crash_test.sh [DURATION_S] [KILLS]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${1:-20}"
kills="${2:-8}"
bin="$top/build/release/bin"
dir="$(mktemp -d /tmp/borealis-crash.XXXXXX)"
cleanup() { "$top/scripts/cluster" down "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT

export BOREALIS_BINARY="$bin/borealis"
"$top/scripts/cluster" up "$dir" --admin-password crash-test >/dev/null
adjudicator="$("$top/scripts/cluster" endpoint adjudicator "$dir")"
storage="$("$top/scripts/cluster" endpoint storage "$dir")"

"$bin/bank_tool" --adjudicator "$adjudicator" --storage "$storage" --setup --clients 8 \
  --duration-s "$duration" >"$dir/bank.out" 2>&1 &
bank_pid=$!

roles=(journal adjudicator storage crossbar)
interval=$(( duration * 1000 / (kills + 1) ))
killed=0
for i in $(seq 1 "$kills"); do
  sleep "$(printf '0.%03d' 0)"; sleep "$((interval / 1000)).$(printf '%03d' $((interval % 1000)))"
  role="${roles[$(( (i - 1) % ${#roles[@]} ))]}"
  "$top/scripts/cluster" kill "$role" "$dir"
  killed=$((killed + 1))
  sleep 0.2
  "$top/scripts/cluster" restart "$role" "$dir"
done

status=0
wait "$bank_pid" || status=$?
cat "$dir/bank.out"
echo "core_crash_test: kills=$killed (SIGKILL of journal, adjudicator, storage, crossbar in turn)"
if [ $status -ne 0 ]; then
  for role in journal adjudicator crossbar storage; do
    echo "--- $role log (tail)"; tail -n 15 "$dir/$role.log"
  done
fi
exit $status
