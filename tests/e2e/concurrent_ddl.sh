#!/usr/bin/env bash
# Concurrent DDL from many sessions (issue 4; found by bench/compare's sysbench prepare with
# two threads): 8 sessions each create 5 tables with a SERIAL key, an index and a row at the
# same time. Every statement must succeed — implicit DDL retries its OC000 conflicts on the
# catalog's id allocator inside the QP (qp/session.cc ExecuteImplicitDdl). Exits 1 otherwise.
#
# Usage: tests/e2e/concurrent_ddl.sh BOREALIS_BINARY      Env: KEEP=1 keeps the work dir.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
source "$top/tests/e2e/lib/server.sh"
work="$(mktemp -d /tmp/concurrent_ddl.XXXXXX)"
cleanup() { stop_borealis; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
start_borealis "$binary" "$work"

/usr/bin/python3 - "$server_port" "$server_password" <<'PY'
import sys
import threading

import psycopg2

port, password = int(sys.argv[1]), sys.argv[2]
SESSIONS, TABLES = 8, 5
errors = []


def work(i):
    statement = None
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="admin", password=password,
                                dbname="postgres", sslmode="require", connect_timeout=10)
        conn.autocommit = True
        cur = conn.cursor()
        for j in range(TABLES):
            for statement in (f"CREATE TABLE cddl_{i}_{j} (id serial PRIMARY KEY, v text)",
                              f"CREATE INDEX cddl_{i}_{j}_v ON cddl_{i}_{j} (v)",
                              f"INSERT INTO cddl_{i}_{j} (v) VALUES ('x')"):
                cur.execute(statement)
        conn.close()
    except Exception as e:  # noqa: BLE001 - every failure is reported
        errors.append(f"session {i}: {statement}: {str(e).strip()}")


threads = [threading.Thread(target=work, args=(i,)) for i in range(SESSIONS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
conn = psycopg2.connect(host="127.0.0.1", port=port, user="admin", password=password,
                        dbname="postgres", sslmode="require")
cur = conn.cursor()
cur.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'cddl%'")
tables = cur.fetchone()[0]
cur.execute("SELECT count(*) FROM pg_sequences WHERE sequencename LIKE 'cddl%'")
sequences = cur.fetchone()[0]
print(f"concurrent_ddl: {SESSIONS} sessions x {TABLES} tables: {len(errors)} errors, "
      f"{tables} tables, {sequences} sequences")
for e in errors[:5]:
    print("  " + e)
sys.exit(0 if not errors and tables == SESSIONS * TABLES and sequences == SESSIONS * TABLES
         else 1)
PY
