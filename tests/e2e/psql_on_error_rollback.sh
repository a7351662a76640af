#!/usr/bin/env bash
# psql's ON_ERROR_ROLLBACK against a fresh Borealis: psql wraps every statement of a transaction
# block in SAVEPOINT pg_psql_temporary_savepoint / RELEASE, and answers an error with ROLLBACK TO
# it, so the block goes on after the error and COMMIT keeps the statements that succeeded. The
# expected output is PostgreSQL 15's (same script, same psql), byte for byte.
#
# Usage: tests/e2e/psql_on_error_rollback.sh BOREALIS_BINARY
set -euo pipefail
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
export PGPASSWORD=borealis-test PGCONNECT_TIMEOUT=10
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
work="$(mktemp -d /tmp/psql_oer.XXXXXX)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$binary" start --data-dir "$work/data" --listen "127.0.0.1:$port" --admin-password "$PGPASSWORD" \
  >"$work/borealis.log" 2>&1 </dev/null &
server_pid=$!
for _ in $(seq 1 200); do
  grep -qs "listening on" "$work/borealis.log" && break
  sleep 0.1
done
grep -qs "listening on" "$work/borealis.log" || { cat "$work/borealis.log"; exit 1; }

cat >"$work/script.sql" <<'SQL'
\set ON_ERROR_ROLLBACK on
CREATE TABLE oer (id int PRIMARY KEY, v text);
BEGIN;
INSERT INTO oer VALUES (1, 'a');
INSERT INTO oer VALUES (1, 'dup');
SELECT 1/0;
UPDATE oer SET v = 'b' WHERE id = 1;
INSERT INTO oer VALUES (2, 'c'), (1, 'dup');
INSERT INTO oer VALUES (3, 'd');
COMMIT;
SELECT * FROM oer ORDER BY id;
SQL
cat >"$work/expected" <<'OUT'
CREATE TABLE
BEGIN
INSERT 0 1
psql:script.sql:5: ERROR:  duplicate key value violates unique constraint "oer_pkey"
DETAIL:  Key (id)=(1) already exists.
psql:script.sql:6: ERROR:  division by zero
UPDATE 1
psql:script.sql:8: ERROR:  duplicate key value violates unique constraint "oer_pkey"
DETAIL:  Key (id)=(1) already exists.
INSERT 0 1
COMMIT
 id | v 
----+---
  1 | b
  3 | d
(2 rows)

OUT
(cd "$work" && psql -X -h 127.0.0.1 -p "$port" -U admin -d postgres -f script.sql >actual 2>&1) || true
if diff -u "$work/expected" "$work/actual"; then
  echo "psql_on_error_rollback: MATCH"
else
  echo "psql_on_error_rollback: DIFF"
  exit 1
fi
