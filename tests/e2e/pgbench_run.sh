#!/usr/bin/env bash
# pgbench against a real `borealis start` (issue 4): `pgbench -i -s SCALE`, then TPC-B runs with
# `-M prepared` and `-M simple` (`--max-tries=20`, so 40001 conflicts are retried as pgbench
# does for serialization failures). Fails iff initialisation fails, a run reports failed
# transactions or aborts, or the sums of pgbench_accounts, pgbench_tellers and pgbench_branches
# balances disagree with each other or with the history of the run.
# Usage: tests/e2e/pgbench_run.sh BINARY [SCALE] [SECONDS] [CLIENTS]
set -euo pipefail
binary="$1"
scale="${2:-1}"
seconds="${3:-10}"
clients="${4:-4}"
work="$(mktemp -d /tmp/borealis-pgbench.XXXXXX)"
# shellcheck source=tests/e2e/lib/server.sh
source "$(dirname "$0")/lib/server.sh"
cleanup() { stop_borealis; rm -rf "$work"; }
trap cleanup EXIT
start_borealis "$binary" "$work"

export PGPASSWORD="$server_password" PGSSLMODE=require PGHOST=127.0.0.1 PGPORT="$server_port" PGUSER=admin \
  PGDATABASE=postgres
fail() { echo "pgbench_run: $*"; tail -n 30 "$work/server.log"; exit 1; }

start=$(date +%s%N)
pgbench -i -s "$scale" >"$work/init.log" 2>&1 || { cat "$work/init.log"; fail "pgbench -i failed"; }
end=$(date +%s%N)
grep -E "done in|vacuum|primary" "$work/init.log" | tail -n 3
ms=$(( (end - start) / 1000000 ))
echo "pgbench_run: pgbench -i -s $scale took $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
query() { psql -X -A -t -v ON_ERROR_STOP=1 -c "$1"; }
check_count() {  # TABLE EXPECTED
  local got
  got="$(query "SELECT count(*) FROM $1")" || fail "counting $1 failed"
  [ "$got" = "$2" ] || fail "$1 has $got rows, expected $2"
}
check_count pgbench_branches "$scale"
check_count pgbench_tellers "$((scale * 10))"
check_count pgbench_accounts "$((scale * 100000))"
check_count pgbench_history 0
# The primary keys pgbench added work: a point read by key, and a duplicate refused (23505).
[ "$(query "SELECT abalance FROM pgbench_accounts WHERE aid = $((scale * 100000))")" = "0" ] \
  || fail "point read by aid failed"
if query "INSERT INTO pgbench_branches (bid, bbalance) VALUES (1, 0)" >/dev/null 2>"$work/dup.err"; then
  fail "a duplicate bid was accepted"
fi
grep -q "duplicate key" "$work/dup.err" || { cat "$work/dup.err"; fail "unexpected error"; }

sums() {
  psql -X -A -t -c "SELECT (SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts) || ' ' ||
    (SELECT coalesce(sum(tbalance), 0) FROM pgbench_tellers) || ' ' ||
    (SELECT coalesce(sum(bbalance), 0) FROM pgbench_branches)"
}
for mode in prepared simple; do
  read -r before _ _ <<<"$(sums)"
  # pgbench truncates pgbench_history before each run (it does not with -n).
  pgbench -c "$clients" -j 2 -T "$seconds" --max-tries=20 -M "$mode" >"$work/run-$mode.log" 2>&1 \
    || { cat "$work/run-$mode.log"; fail "pgbench -M $mode exited non-zero"; }
  grep -E "^(number of (transactions actually processed|failed transactions)|tps|latency average)" \
    "$work/run-$mode.log" | sed "s/^/  [$mode] /"
  failed="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/run-$mode.log")"
  [ "$failed" = 0 ] || fail "-M $mode: $failed failed transactions"
  # Every committed TPC-B transaction adds one delta to an account, a teller, a branch and the
  # history: all three balance sums agree, and they grew by the history's sum.
  read -r accounts tellers branches <<<"$(sums)"
  deltas="$(psql -X -A -t -c "SELECT coalesce(sum(delta), 0) FROM pgbench_history")"
  [ "$accounts" = "$tellers" ] && [ "$tellers" = "$branches" ] \
    || fail "-M $mode: balance sums differ: accounts $accounts, tellers $tellers, branches $branches"
  [ "$((branches - before))" = "$deltas" ] \
    || fail "-M $mode: balances grew by $((branches - before)) but the history holds $deltas"
done
echo "pgbench_run: ok (balance sums agree with each other and with the history)"
