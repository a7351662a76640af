#!/usr/bin/env bash
# COPY t FROM 'absolute path' end to end (slt cannot create files): starts a fresh
# `borealis start`, writes a text and a csv data file (2000 rows each, several 64 KiB read
# chunks) and a bad one, loads them with psql and checks counts, sums, a quoted csv value, the
# failed COPY's SQLSTATE/CONTEXT and that it inserted nothing. Exits 1 on any mismatch.
#
# Usage: tests/e2e/copy_file.sh BOREALIS_BINARY      Env: KEEP=1 keeps the work dir.
set -euo pipefail
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
password=copy-file-test
export PGPASSWORD=$password PGCONNECT_TIMEOUT=10
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
work="$(mktemp -d /tmp/copy_file.XXXXXX)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

"$binary" start --data-dir "$work/data" --listen "127.0.0.1:$port" --admin-password "$password" \
  >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
for _ in $(seq 1 200); do
  grep -qs "listening on" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server died"; exit 1; }
  sleep 0.1
done
sql() { psql "host=127.0.0.1 port=$port user=admin dbname=postgres sslmode=require" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

for i in $(seq 1 2000); do
  printf '%d\tname-%d-%s\t%d.5\n' "$i" "$i" "padding-padding-padding-padding" "$i"
done >"$work/rows.txt"
for i in $(seq 1 2000); do printf '%d,"quoted, %d",%d.5\n' "$i" "$i" "$i"; done >"$work/rows.csv"
printf '1\tok\t1\nx\tbad\t2\n' >"$work/bad.txt"

fail=0
check() {  # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; fail=1; fi
}
sql -c "CREATE TABLE copy_text (id int, name text, score numeric)"
sql -c "CREATE TABLE copy_csv (id int, name text, score numeric)"
check "text COPY tag" "COPY 2000" "$(sql -c "\\set QUIET off" -c "COPY copy_text FROM '$work/rows.txt'" | tail -1)"
check "text rows" "2000|2001000|2002000.0" \
  "$(sql -c "SELECT count(*), sum(id), sum(score) FROM copy_text")"
check "csv COPY" "" "$(sql -c "COPY copy_csv (id, name, score) FROM '$work/rows.csv' (FORMAT csv)")"
check "csv quoted value" "quoted, 7" "$(sql -c "SELECT name FROM copy_csv WHERE id = 7")"
bad="$(sql -c "COPY copy_text FROM '$work/bad.txt'" 2>&1 || true)"
check "bad data is 22P02 with CONTEXT" "yes" \
  "$(grep -q 'invalid input syntax for type integer' <<<"$bad" && grep -q 'line 2' <<<"$bad" && echo yes || echo "$bad")"
check "failed COPY inserts nothing" "2000" "$(sql -c "SELECT count(*) FROM copy_text")"
missing="$(sql -c "COPY copy_text FROM '$work/none.txt'" 2>&1 || true)"
check "missing file" "ERROR:  could not open file \"$work/none.txt\" for reading: No such file or directory" \
  "$(head -1 <<<"$missing")"
[ "$fail" = 0 ] && echo "copy_file: all checks passed"
exit "$fail"
