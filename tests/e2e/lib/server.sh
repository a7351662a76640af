# Shared by the tests/e2e scripts (source it): a real `borealis start` on a free loopback port
# with a fresh data directory, and its cleanup.
#
#   free_port                         prints a free TCP port on 127.0.0.1
#   start_borealis BINARY WORK [ARGS] starts BINARY with data in WORK/data and its log in
#                                     WORK/server.log, sets server_port, server_password (random)
#                                     and server_pid, and waits (10 s at most) until it listens;
#                                     exits 1 with the log when it dies or does not come up
#   stop_borealis                     stops it (TERM, then waits)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_borealis() {
  local binary="$1" work="$2"
  shift 2
  server_port="$(free_port)"
  server_password="e2e-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  "$binary" start --data-dir "$work/data" --listen "127.0.0.1:$server_port" \
    --admin-password "$server_password" "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    grep -qs "listening on" "$work/server.log" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "server died"; exit 1; }
    sleep 0.1
  done
  cat "$work/server.log"
  echo "server did not start"
  exit 1
}

stop_borealis() {
  [ -n "${server_pid:-}" ] || return 0
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
