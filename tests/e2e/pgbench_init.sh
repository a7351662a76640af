#!/usr/bin/env bash
# `pgbench -i` against Borealis: starts a real `borealis start` on a free loopback port with a
# fresh data directory, runs `pgbench -i -s SCALE` (DROP/CREATE TABLE ... WITH (fillfactor),
# BEGIN; TRUNCATE; INSERT; COPY ... FROM STDIN; COMMIT; VACUUM ANALYZE; ALTER TABLE ... ADD
# PRIMARY KEY) over TLS with SCRAM, then checks PostgreSQL's row counts with psql and that the
# primary keys work (a duplicate insert fails with 23505). Prints the wall time of pgbench -i.
#
# Usage: tests/e2e/pgbench_init.sh BOREALIS_BINARY [SCALE]   (SCALE default 1)
# Env:   PGBENCH (default /usr/bin/pgbench).
set -euo pipefail
binary="$1"
scale="${2:-1}"
pgbench="${PGBENCH:-/usr/bin/pgbench}"
work="$(mktemp -d /tmp/borealis-pgbench.XXXXXX)"
password="pgb-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

"$binary" start --data-dir "$work/data" --listen "127.0.0.1:$port" --admin-password "$password" \
  >"$work/server.log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  grep -qs "listening on" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server died"; exit 1; }
  sleep 0.1
done
grep -q "listening on" "$work/server.log" || { cat "$work/server.log"; echo "server did not start"; exit 1; }

export PGPASSWORD="$password" PGSSLMODE=require
conn=(-h 127.0.0.1 -p "$port" -U admin)
fail() {
  echo "pgbench_init: $*" >&2
  echo "--- server log (tail) ---" >&2
  tail -n 30 "$work/server.log" >&2
  exit 1
}

start_ns=$(date +%s%N)
"$pgbench" "${conn[@]}" -i -s "$scale" postgres >"$work/pgbench.log" 2>&1 \
  || { cat "$work/pgbench.log"; fail "pgbench -i -s $scale failed"; }
end_ns=$(date +%s%N)
cat "$work/pgbench.log"

query() { psql "${conn[@]}" -d postgres -X -A -t -v ON_ERROR_STOP=1 -c "$1"; }
check_count() {
  local table="$1" expected="$2" got
  got="$(query "SELECT count(*) FROM $table")" || fail "counting $table failed"
  [ "$got" = "$expected" ] || fail "$table has $got rows, expected $expected"
  echo "pgbench_init: $table: $got rows"
}
check_count pgbench_branches "$scale"
check_count pgbench_tellers "$((scale * 10))"
check_count pgbench_accounts "$((scale * 100000))"
check_count pgbench_history 0
# The primary keys exist: point reads by key, and duplicates are refused.
[ "$(query "SELECT abalance FROM pgbench_accounts WHERE aid = $((scale * 100000))")" = "0" ] \
  || fail "point read by aid failed"
if query "INSERT INTO pgbench_branches (bid, bbalance) VALUES (1, 0)" >/dev/null 2>"$work/dup.err"; then
  fail "a duplicate bid was accepted"
fi
grep -q "duplicate key" "$work/dup.err" || { cat "$work/dup.err"; fail "unexpected error"; }

echo "pgbench_init: scale $scale OK, pgbench -i took $(( (end_ns - start_ns) / 1000000 )) ms"
