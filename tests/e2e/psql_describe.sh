#!/usr/bin/env bash
# psql's describe commands against PostgreSQL 15 and against Borealis, diffed.
#
# Creates the same objects on a throwaway PostgreSQL 15 (tests/clients/pg_oracle.sh) and on a
# fresh `borealis start`, runs psql's \d TABLE, \dt, \di, \dn, \l, \du, \dp and pgbench's startup
# catalog query on both, and prints MATCH or DIFF (with the diff) for each. Exits 1 when a
# command listed in PSQL_DESCRIBE_REQUIRED differs; the others are reported only (\l lists
# PostgreSQL's template databases and its locale, \du the oracle's own roles).
#
# Usage: tests/e2e/psql_describe.sh BOREALIS_BINARY
# Env:   PSQL_DESCRIBE_REQUIRED (default "\d psql_t|\dt|\di|\dn|\du psql_*|\dp psql_u|
#        \dp psql_t|pgbench startup query"), KEEP=1 keeps the work dir.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
required="${PSQL_DESCRIBE_REQUIRED:-\\d psql_t|\\dt|\\di|\\dn|\\du psql_*|\\dp psql_u|\\dp psql_t|pgbench startup query}"
password=borealis-test
export PGPASSWORD=$password PGCONNECT_TIMEOUT=10

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

work="$(mktemp -d /tmp/psql_describe.XXXXXX)"
chmod 755 "$work"
oracle_port="$(free_port)"
borealis_port="$(free_port)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$top/tests/clients/pg_oracle.sh" stop "$work/oracle" >/dev/null 2>&1 || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

"$top/tests/clients/pg_oracle.sh" start "$work/oracle" "$oracle_port" >/dev/null
"$binary" start --data-dir "$work/borealis" --listen "127.0.0.1:$borealis_port" \
  --admin-password "$password" >"$work/borealis.log" 2>&1 </dev/null &
server_pid=$!
for _ in $(seq 1 200); do
  grep -qs "listening on" "$work/borealis.log" && break
  sleep 0.1
done
grep -qs "listening on" "$work/borealis.log" || { cat "$work/borealis.log"; exit 1; }

run_psql() {  # PORT ARGS...
  local port="$1"
  shift
  psql -X -h 127.0.0.1 -p "$port" -U admin -d postgres -v ON_ERROR_STOP=0 "$@" 2>&1 || true
}

# One statement per command: Borealis runs one DDL statement per transaction.
setup=(
  "CREATE TABLE psql_t (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', v numeric, w varchar(20))"
  "CREATE TABLE psql_u (a int, b text)"
  "CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))"
  "CREATE TABLE psql_c (a int UNIQUE, b bigint NOT NULL CHECK (b > 0), c boolean DEFAULT true)"
  # Roles and privileges (\du psql_*, \dp psql_u): helper R.
  "CREATE ROLE psql_reader"
  "CREATE USER psql_writer PASSWORD 'pw' CREATEDB CONNECTION LIMIT 5 IN ROLE psql_reader"
  "GRANT SELECT ON psql_u TO psql_reader"
  "GRANT INSERT, UPDATE ON psql_u TO psql_writer, PUBLIC"
)
for statement in "${setup[@]}"; do
  run_psql "$oracle_port" -q -c "$statement" >/dev/null
  run_psql "$borealis_port" -q -c "$statement" >>"$work/setup.borealis"
done
# A secondary index where Borealis has CREATE INDEX (helper C's work).
index_sql="CREATE INDEX psql_t_name ON psql_t (name)"
if run_psql "$borealis_port" -q -c "$index_sql" | grep -q ERROR; then
  echo "note: CREATE INDEX failed on Borealis; the index is left out on both servers"
else
  run_psql "$oracle_port" -q -c "$index_sql" >/dev/null
fi

pgbench_query="select o.n, p.partstrat, pg_catalog.count(i.inhparent) from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) cross join lateral (select pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) left join pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) left join pg_catalog.pg_inherits as i on (c.oid = i.inhparent) where c.relname = 'pgbench_accounts' and o.n is not null group by 1, 2 order by 1 asc limit 1"

commands=('\d psql_t' '\d psql_u' '\d psql_c' '\d psql_t_pkey' '\d' '\dt' '\di' '\dn' '\l' '\du'
  '\du psql_*' '\dp psql_u' '\dp psql_t' "$pgbench_query")
names=('\d psql_t' '\d psql_u' '\d psql_c' '\d psql_t_pkey' '\d' '\dt' '\di' '\dn' '\l' '\du'
  '\du psql_*' '\dp psql_u' '\dp psql_t' 'pgbench startup query')
failed=0
matched=0
for i in "${!commands[@]}"; do
  name="${names[$i]}"
  run_psql "$oracle_port" -c "${commands[$i]}" >"$work/expected.$i"
  run_psql "$borealis_port" -c "${commands[$i]}" >"$work/actual.$i"
  if diff -u "$work/expected.$i" "$work/actual.$i" >"$work/diff.$i"; then
    echo "MATCH $name"
    matched=$((matched + 1))
  else
    echo "DIFF  $name"
    sed 's/^/    /' "$work/diff.$i"
    if printf '%s\n' "$required" | tr '|' '\n' | grep -qxF -- "$name"; then failed=1; fi
  fi
done
echo "psql_describe: $matched of ${#commands[@]} match"
exit $failed
