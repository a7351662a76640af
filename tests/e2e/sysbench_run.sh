#!/usr/bin/env bash
# sysbench against a real `borealis start` (issue 4): `oltp_read_write` and `oltp_point_select`
# with the pgsql driver (2 tables of TABLE_SIZE rows created by sysbench's `prepare`: SERIAL ids,
# a secondary index on k, multi-row INSERTs), `run` for SECONDS with 4 threads, then `cleanup`.
# sysbench 1.0.20 exits 0 even when a step fails, so every step's output is searched for FATAL
# and for errors other than the ones sysbench ignores by retrying (40001, 40P01, 23505: its
# "ignored errors" line). Fails on any of those, or when prepare left the wrong row count.
# With SYSBENCH_ORACLE=1 the same steps also run on a throwaway PostgreSQL 15
# (tests/clients/pg_oracle.sh) and both servers' tps are printed.
# Usage: tests/e2e/sysbench_run.sh BINARY [SECONDS]
# Env:   SYSBENCH_TABLE_SIZE (default 10000), SYSBENCH_THREADS (default 4), SYSBENCH_ORACLE.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
seconds="${2:-30}"
table_size="${SYSBENCH_TABLE_SIZE:-10000}"
threads="${SYSBENCH_THREADS:-4}"
command -v sysbench >/dev/null || { echo "sysbench_run: sysbench is not installed (scripts/setup)"; exit 1; }
work="$(mktemp -d /tmp/borealis-sysbench.XXXXXX)"
chmod 755 "$work"
# shellcheck source=tests/e2e/lib/server.sh
source "$top/tests/e2e/lib/server.sh"
oracle_started=0
cleanup() {
  stop_borealis
  [ "$oracle_started" = 0 ] || "$top/tests/clients/pg_oracle.sh" stop "$work/oracle" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
start_borealis "$binary" "$work"
password="$server_password"
port="$server_port"

fail() { echo "sysbench_run: $*"; tail -n 30 "$work/server.log"; exit 1; }

# Fails when a sysbench log shows an error sysbench did not ignore.
check_log() {
  local log="$1" what="$2"
  if grep -qE "FATAL|ERROR|error:|Segmentation|PANIC" "$log"; then
    grep -E "FATAL|ERROR|error:|Segmentation|PANIC" "$log" | head -n 10
    fail "$what reported errors"
  fi
}

# run_all NAME PORT PASSWORD: prepare, both workloads, cleanup; prints tps.
run_all() {
  local name="$1" p="$2" pw="$3"
  local common=(--db-driver=pgsql --pgsql-host=127.0.0.1 "--pgsql-port=$p" --pgsql-user=admin
    "--pgsql-password=$pw" --pgsql-db=postgres --tables=2 "--table-size=$table_size")
  local start end
  start=$(date +%s%N)
  local rc=0
  sysbench oltp_read_write "${common[@]}" prepare >"$work/$name-prepare.log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || { cat "$work/$name-prepare.log"; fail "$name prepare exited with $rc"; }
  end=$(date +%s%N)
  check_log "$work/$name-prepare.log" "$name prepare"
  check_prepared "$p" "$pw"
  echo "sysbench_run: [$name] prepare of 2 x $table_size rows took $(( (end - start) / 1000000 )) ms"
  for workload in oltp_read_write oltp_point_select; do
    local log="$work/$name-$workload.log"
    sysbench "$workload" "${common[@]}" "--time=$seconds" "--threads=$threads" run >"$log" 2>&1 \
      || rc=$?
    [ "$rc" = 0 ] || { cat "$log"; fail "$name $workload exited with $rc"; }
    check_log "$log" "$name $workload"
    grep -q "transactions:" "$log" || { cat "$log"; fail "$name $workload printed no statistics"; }
    echo "sysbench_run: [$name] $workload: $(grep -E '^ *transactions:' "$log" | sed 's/^ *//'); \
$(grep -E '^ *ignored errors:' "$log" | sed 's/^ *//')"
  done
  sysbench oltp_read_write "${common[@]}" cleanup >"$work/$name-cleanup.log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || { cat "$work/$name-cleanup.log"; fail "$name cleanup exited with $rc"; }
  check_log "$work/$name-cleanup.log" "$name cleanup"
}

# The rows prepare wrote and their SERIAL ids (1..TABLE_SIZE in each table).
check_prepared() {
  local p="$1" pw="$2" table got
  for table in sbtest1 sbtest2; do
    got="$(PGPASSWORD="$pw" psql -X -A -t -h 127.0.0.1 -p "$p" -U admin postgres \
      -c "SELECT count(*) || ' ' || min(id) || '-' || max(id) FROM $table" 2>&1)" || true
    [ "$got" = "$table_size 1-$table_size" ] || fail "$table after prepare: $got"
  done
}

run_all borealis "$port" "$password"

if [ "${SYSBENCH_ORACLE:-0}" = 1 ]; then
  oracle_port="$(free_port)"
  "$top/tests/clients/pg_oracle.sh" start "$work/oracle" "$oracle_port" >/dev/null
  oracle_started=1
  run_all postgresql "$oracle_port" borealis-test
fi
echo "sysbench_run: ok"
