#!/usr/bin/env bash
# Clients that go away in the middle (issue 4: "a client that disconnects in the middle: no
# crash, no effect on other sessions"). Over TLS and without, a psql running a long query is
# killed after 1 s, three times each; meanwhile another session keeps its connection. The
# server must still be alive, that session must still answer, and new connections must work.
# (Found by helper L: OpenSSL's write to a closed socket raised SIGPIPE, which ended the
# server without a log line.) Exits 1 otherwise.
#
# Usage: tests/e2e/disconnect.sh BOREALIS_BINARY      Env: KEEP=1 keeps the work dir.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
source "$top/tests/e2e/lib/server.sh"
work="$(mktemp -d /tmp/disconnect.XXXXXX)"
cleanup() { stop_borealis; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
start_borealis "$binary" "$work"
export PGPASSWORD="$server_password" PGCONNECT_TIMEOUT=10
dsn="host=127.0.0.1 port=$server_port user=admin dbname=postgres"
long="SELECT count(*) FROM generate_series(1, 3000000) a, generate_series(1, 3) b"

# A session that stays connected throughout, in a transaction of its own.
coproc WATCH { psql "$dsn sslmode=require" -X -q -At 2>&1; }
echo "CREATE TABLE disc_t (k int PRIMARY KEY); BEGIN; INSERT INTO disc_t VALUES (1);" >&"${WATCH[1]}"

for mode in require disable; do
  for i in 1 2 3; do
    timeout 1 psql "$dsn sslmode=$mode" -X -q -At -c "$long" >/dev/null 2>&1 || true
  done
done
sleep 1
fail=0
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "FAIL the server died"; tail -5 "$work/server.log"; exit 1
fi
echo "COMMIT; SELECT 'watch:' || count(*) FROM disc_t;" >&"${WATCH[1]}"
read -r -t 10 line <&"${WATCH[0]}" || line="(no answer)"
exec {WATCH[1]}>&-
[ "$line" = "watch:1" ] && echo "ok   the session that stayed connected committed and answered" \
  || { echo "FAIL the connected session answered [$line]"; fail=1; }
got="$(psql "$dsn sslmode=require" -X -q -At -c "SELECT 40 + 2" 2>&1)"
[ "$got" = 42 ] && echo "ok   new connections work after 6 abandoned queries" \
  || { echo "FAIL a new connection answered [$got]"; fail=1; }
exit "$fail"
