#!/usr/bin/env bash
# SQL logic tests in CI: starts a real `borealis start` on a free loopback port with a fresh data
# directory, runs tests/slt/slt.py over tests/sql (--engine borealis; `restart` records restart
# the server on the same data directory), then runs the public sqllogictest corpus files
# select1..select5 and prints their pass rates. Fails iff a tests/sql record fails; the corpus
# is reported, not enforced (Borealis lacks most of what it needs).
#
# Usage: tests/e2e/sql_logic.sh BOREALIS_BINARY
# Env:   BOREALIS_CORPUS_DIR (default /work/shared/corpora/sqllogictest; skipped when missing),
#        BOREALIS_CORPUS_SECONDS (time bound of the corpus run, default 300).
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
corpus_seconds="${BOREALIS_CORPUS_SECONDS:-300}"
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

if [ -d "$corpus" ]; then
  echo "== sqllogictest corpus select1..select5 (reported, not enforced; ${corpus_seconds}s max) =="
  files=()
  for n in 1 2 3 4 5; do
    [ -f "$corpus/select$n.test" ] && files+=("$corpus/select$n.test")
  done
  # --engine postgresql: the records PostgreSQL runs (the corpus has no borealis guards).
  set +e
  timeout --signal=INT "$corpus_seconds" "$python" "$top/tests/slt/slt.py" --host 127.0.0.1 \
    --port "$port" --user admin --password "$password" --sslmode require \
    --engine postgresql --json "$work/corpus.json" "${files[@]}" >"$work/corpus.out" 2>&1
  corpus_rc=$?
  set -e
  if [ -s "$work/corpus.json" ]; then
    $python - "$work/corpus.json" <<'EOF'
import json, os, sys
report = json.load(open(sys.argv[1]))
for key, f in sorted(report["files"].items()):
    total = f["total"]
    pct = 100.0 * f["passed"] / total if total else 0.0
    print("corpus: %s %d/%d (%.1f%%)" % (os.path.basename(key), f["passed"], total, pct))
t = report["total"]
print("corpus: TOTAL %d/%d" % (t["passed"], t["total"]))
EOF
  else
    grep -E '^[^ ].*: [0-9]+/[0-9]+' "$work/corpus.out" | sed 's/^/corpus: /' || true
    [ "$corpus_rc" -eq 124 ] && echo "corpus: stopped after ${corpus_seconds}s"
  fi
  kill -0 "$(cat "$work/server.pid")" 2>/dev/null || { echo "server exited during the corpus"; status=1; }
else
  echo "corpus: $corpus not found, skipped"
fi

if [ $status -ne 0 ]; then
  echo "--- server log (tail) ---"
  tail -n 50 "$work/server.log"
fi
exit $status
