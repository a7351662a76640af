#!/usr/bin/env bash
# SQL logic tests in CI: starts a real `borealis start` on a free loopback port with a fresh data
# directory, runs tests/slt/slt.py over tests/sql (--engine borealis; `restart` records restart
# the server on the same data directory), then runs the public sqllogictest corpus files
# (select1..select5 and a sample of the other files) against PostgreSQL 15's results. Fails iff
# a tests/sql record fails or the corpus falls below its bar (run_corpus below).
#
# Usage: tests/e2e/sql_logic.sh BOREALIS_BINARY
# Env:   BOREALIS_CORPUS_DIR (default /work/shared/corpora/sqllogictest; skipped when missing),
#        BOREALIS_CORPUS_SECONDS (time bound of each corpus run, default 600).
#
# Internal: `sql_logic.sh --restart WORKDIR` is the --restart-command given to slt.py: it stops
# the server recorded in WORKDIR/server.pid and starts it again with the same arguments.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
python=/usr/bin/python3

# Starts the server described by WORKDIR/{binary,port,password} in the background (detached from
# the caller, so the restart command can exit) and waits until it listens.
start_server() {
  local work="$1"
  local binary port password log
  binary="$(cat "$work/binary")"
  port="$(cat "$work/port")"
  password="$(cat "$work/password")"
  log="$work/server.$(date +%s%N).log"
  setsid "$binary" start --data-dir "$work/data" --listen "127.0.0.1:$port" \
    --admin-password "$password" >"$log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$work/server.pid"
  ln -sf "$log" "$work/server.log"
  for _ in $(seq 1 200); do
    grep -qs "listening on" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "server died" >&2; return 1; }
    sleep 0.1
  done
  cat "$log"
  echo "server did not start" >&2
  return 1
}

stop_server() {
  local work="$1"
  local pid
  pid="$(cat "$work/server.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

if [ "${1:-}" = "--restart" ]; then
  stop_server "$2"
  start_server "$2"
  exit $?
fi

binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
corpus="${BOREALIS_CORPUS_DIR:-/work/shared/corpora/sqllogictest}"
corpus_seconds="${BOREALIS_CORPUS_SECONDS:-600}"
work="$(mktemp -d /tmp/borealis-slt.XXXXXX)"
password="slt-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
port="$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
echo "$binary" >"$work/binary"
echo "$port" >"$work/port"
echo "$password" >"$work/password"

cleanup() {
  stop_server "$work"
  rm -rf "$work"
}
trap cleanup EXIT

start_server "$work"

slt=("$python" "$top/tests/slt/slt.py" --host 127.0.0.1 --port "$port" --user admin
  --password "$password" --sslmode require --engine borealis)

status=0
echo "== tests/sql (Borealis) =="
"${slt[@]}" --restart-command "$top/tests/e2e/sql_logic.sh --restart $work" -v \
  "$top/tests/sql" || status=1

# The public corpus against PostgreSQL 15's own results (tests/slt/pg15_baseline.json: the
# records PostgreSQL passes): select1..5 must pass all of them; a sample of the other files (one
# per kind; the whole corpus is ~195k records, ~10 minutes here) at least 99%.
run_corpus() {  # LABEL MIN_RATE FILES...
  local label="$1" rate="$2"; shift 2
  local files=() f
  for f in "$@"; do [ -f "$corpus/$f" ] && files+=("$corpus/$f"); done
  echo "== sqllogictest corpus: $label (at least $rate% of what PostgreSQL passes; ${corpus_seconds}s max) =="
  # --engine postgresql: the records PostgreSQL runs (the corpus has no borealis guards).
  if timeout --signal=INT "$corpus_seconds" "$python" "$top/tests/slt/slt.py" --host 127.0.0.1 \
      --port "$port" --user admin --password "$password" --sslmode require \
      --engine postgresql --baseline "$top/tests/slt/pg15_baseline.json" \
      --min-baseline-rate "$rate" "${files[@]}" >"$work/corpus.out" 2>&1; then
    grep -E "of the records PostgreSQL 15 passes" "$work/corpus.out" | sed 's/^/corpus: /'
  else
    grep -E "of the records PostgreSQL 15 passes|^ +line" "$work/corpus.out" | head -n 40 | sed 's/^/corpus: /'
    echo "corpus: $label below $rate% of what PostgreSQL passes (or timed out)"
    status=1
  fi
  kill -0 "$(cat "$work/server.pid")" 2>/dev/null || { echo "server exited during the corpus"; status=1; }
}
if [ -d "$corpus" ]; then
  run_corpus "select1..select5" 100 select1.test select2.test select3.test select4.test select5.test
  run_corpus "sample of the other files" 99 random/expr/slt_good_0.test \
    random/groupby/slt_good_0.test index/random/10/slt_good_0.test index/between/1/slt_good_0.test
else
  echo "corpus: $corpus not found, skipped"
fi

if [ $status -ne 0 ]; then
  echo "--- server log (tail) ---"
  tail -n 50 "$work/server.log"
fi
exit $status
