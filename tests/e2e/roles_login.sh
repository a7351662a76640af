#!/usr/bin/env bash
# Real clients logging in as roles created with SQL (helper R). Starts a fresh `borealis start`,
# creates roles as admin, then with psycopg2: a created LOGIN role connects (SCRAM), gets
# 42501 on a table it was not granted and on DDL it does not own, reads after GRANT, sees its
# own name in current_user; a NOLOGIN role is refused with 28000 `role "x" is not permitted to
# log in`; a wrong password and a role without a password fail like an unknown role (28P01).
# The server is restarted in between: roles (roles.json) and ACLs (catalog) are durable.
#
# Usage: tests/e2e/roles_login.sh BOREALIS_BINARY      (exit 0: all checks passed)
set -euo pipefail
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
python=/usr/bin/python3
work="$(mktemp -d /tmp/roles_login.XXXXXX)"
port="$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start() {
  "$binary" start --data-dir "$work/data" --listen "127.0.0.1:$port" \
    --admin-password borealis-test >>"$work/server.log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 1 200); do
    [ "$(grep -c "listening on" "$work/server.log" || true)" -ge "$1" ] && return 0
    sleep 0.1
  done
  cat "$work/server.log"
  exit 1
}

check() {  # PHASE
  PORT=$port PHASE=$1 $python - <<'PY'
import os, sys
import psycopg2

port = int(os.environ["PORT"])
phase = os.environ["PHASE"]
failures = []

def connect(user, password):
    return psycopg2.connect(host="127.0.0.1", port=port, user=user, password=password,
                            dbname="postgres", sslmode="require", connect_timeout=10)

def expect_error(code, fn, what):
    try:
        fn()
    except psycopg2.Error as e:
        got = e.pgcode or ("28000" if "not permitted to log in" in str(e) else
                           "28P01" if "password authentication failed" in str(e) else None)
        if got != code:
            failures.append("%s: expected %s, got %s %s" % (what, code, got, str(e).strip()))
        return str(e)
    failures.append("%s: expected %s, but it succeeded" % (what, code))
    return ""

def run(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall() if cur.description else None

if phase == "setup":
    admin = connect("admin", "borealis-test")
    admin.autocommit = True
    for sql in ["CREATE TABLE rl_secret (a int)", "INSERT INTO rl_secret VALUES (42)",
                "CREATE TABLE rl_open (a int)", "INSERT INTO rl_open VALUES (7)",
                "CREATE USER rl_app PASSWORD 'app-pw'",
                "CREATE ROLE rl_locked PASSWORD 'locked-pw'",
                "CREATE USER rl_nopw",
                "GRANT SELECT ON rl_open TO rl_app"]:
        run(admin, sql)
    admin.close()
else:
    app = connect("rl_app", "app-pw")
    app.autocommit = True
    if run(app, "SELECT current_user, session_user") != [("rl_app", "rl_app")]:
        failures.append("current_user is not rl_app")
    if run(app, "SELECT a FROM rl_open") != [(7,)]:
        failures.append("rl_app cannot read rl_open")
    message = expect_error("42501", lambda: run(app, "SELECT * FROM rl_secret"), "SELECT rl_secret")
    if "permission denied for table rl_secret" not in message:
        failures.append("unexpected message: " + message)
    expect_error("42501", lambda: run(app, "INSERT INTO rl_open VALUES (1)"), "INSERT rl_open")
    expect_error("42501", lambda: run(app, "DROP TABLE rl_open"), "DROP TABLE rl_open")
    expect_error("42501", lambda: run(app, "CREATE ROLE rl_x"), "CREATE ROLE")
    app.close()
    message = expect_error("28000", lambda: connect("rl_locked", "locked-pw"), "NOLOGIN login")
    if 'role "rl_locked" is not permitted to log in' not in message:
        failures.append("unexpected NOLOGIN message: " + message)
    expect_error("28P01", lambda: connect("rl_app", "wrong"), "wrong password")
    expect_error("28P01", lambda: connect("rl_nopw", "anything"), "role without password")
    expect_error("28P01", lambda: connect("rl_nobody", "anything"), "unknown role")

for failure in failures:
    print("FAIL:", failure)
print("roles_login %s: %s" % (phase, "FAILED" if failures else "OK"))
sys.exit(1 if failures else 0)
PY
}

start 1
check setup
check login
kill "$pid"; wait "$pid" 2>/dev/null || true
start 2
check login
