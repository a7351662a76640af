#!/usr/bin/python3
"""Real-client test: psycopg 3 (run with /usr/bin/python3).

Settings from CT_HOST, CT_PORT, CT_USER, CT_PASSWORD, CT_DBNAME.
Prints "OK ..." or "FAIL: reason".

psycopg 3 binds parameters on the server: cursor.execute("... %s", args) becomes
Parse/Bind/Describe/Execute/Sync with $1 placeholders (unnamed statement); with
prepare=True (or after prepare_threshold=5 executions of the same query) it
prepares a named statement "_pg3_N". After a ROLLBACK (or a DROP) while it has
statements prepared, it sends DEALLOCATE ALL itself.
"""
import ctypes
import datetime
import os
import select
import sys

import psycopg
from psycopg import pq


def params(password):
    return dict(host=os.environ.get("CT_HOST", "127.0.0.1"), port=os.environ.get("CT_PORT", "5432"),
                user=os.environ.get("CT_USER", "admin"), password=password,
                dbname=os.environ.get("CT_DBNAME", "postgres"), sslmode="require",
                application_name="borealis-psycopg3", connect_timeout="20")


def check(ok, what):
    if not ok:
        raise AssertionError(what)


def one(cur, sql, args=None, **kw):
    cur.execute(sql, args, **kw)
    rows = cur.fetchall()
    check(len(rows) == 1 and len(rows[0]) == 1, f"{sql}: got {rows!r}, want one value")
    return rows[0][0]


def wrong_password_sqlstate():
    """Connect with a wrong password through psycopg's libpq wrapper with VERBOSE error
    verbosity (set before the handshake), so libpq puts the SQLSTATE in the message.
    psycopg.connect() itself raises OperationalError with sqlstate None here."""
    conninfo = psycopg.conninfo.make_conninfo(**params("definitely-not-the-password"))
    pgconn = pq.PGconn.connect_start(conninfo.encode())
    # psycopg's PGconn wrapper has no set_error_verbosity(): call PQsetErrorVerbosity
    # (PQERRORS_VERBOSE = 2) in the libpq that psycopg loaded.
    from psycopg.pq import _pq_ctypes
    set_verbosity = _pq_ctypes.pq.PQsetErrorVerbosity
    set_verbosity.argtypes = [ctypes.c_void_p, ctypes.c_int]
    set_verbosity.restype = ctypes.c_int
    set_verbosity(pgconn.pgconn_ptr, 2)
    status = pq.PollingStatus.WRITING
    while status not in (pq.PollingStatus.OK, pq.PollingStatus.FAILED):
        if pgconn.status == pq.ConnStatus.BAD:
            break
        fd = pgconn.socket
        r, w, _ = select.select([fd] if status == pq.PollingStatus.READING else [],
                                [fd] if status == pq.PollingStatus.WRITING else [], [], 20)
        check(r or w, "wrong-password connection attempt timed out")
        status = pgconn.connect_poll()
    ok = pgconn.status == pq.ConnStatus.OK
    msg = pgconn.error_message.decode(errors="replace")
    pgconn.finish()
    return ok, msg


def deallocate_all():
    """psycopg's own DEALLOCATE ALL: after a ROLLBACK while statements are prepared it forgets
    them and sends DEALLOCATE ALL (it does the same after a DROP, which needs tables). Its
    statements ("_pg3_N") share one namespace with SQL PREPARE/EXECUTE/DEALLOCATE."""
    with psycopg.connect(**params(os.environ.get("CT_PASSWORD", ""))) as conn:  # not autocommit
        cur = conn.cursor()
        for i in range(3):
            check(one(cur, "SELECT %s::int * 2", (i,), prepare=True) == 2 * i, "prepared SELECT $1::int * 2")
        check(one(cur, "EXECUTE _pg3_0(21)") == 42, "SQL EXECUTE of psycopg's statement _pg3_0")
        conn.rollback()  # ROLLBACK, then DEALLOCATE ALL
        try:
            cur.execute("EXECUTE _pg3_0(21)")
            check(False, "_pg3_0 survived psycopg's DEALLOCATE ALL")
        except psycopg.errors.InvalidSqlStatementName:
            pass
        conn.rollback()
        # Statements prepared afterwards work, and are reused.
        for i in range(3):
            check(one(cur, "SELECT %s::int * 3", (i,), prepare=True) == 3 * i, "prepared after DEALLOCATE ALL")
        # An explicit DEALLOCATE ALL inside a transaction block; a new statement still prepares.
        cur.execute("DEALLOCATE ALL")
        check(cur.statusmessage == "DEALLOCATE ALL", f"DEALLOCATE ALL tag {cur.statusmessage!r}")
        for i in range(2):
            check(one(cur, "SELECT %s::int * 4", (i,), prepare=True) == 4 * i, "prepared after explicit DEALLOCATE ALL")
        conn.commit()


def prepared_across_ddl():
    """Named prepared statements keep working when another session changes or drops their
    table: Borealis checks cached descriptors with the statement's first read and binds again
    (same answers as PostgreSQL, which replans)."""
    with psycopg.connect(**params(os.environ["CT_PASSWORD"]), autocommit=True) as a, \
            psycopg.connect(**params(os.environ["CT_PASSWORD"]), autocommit=True) as b:
        b.execute("DROP TABLE IF EXISTS ct_ddl")
        b.execute("CREATE TABLE ct_ddl (k int PRIMARY KEY, v int)")
        b.execute("INSERT INTO ct_ddl VALUES (1, 10)")
        cur = a.cursor()
        select, update = "SELECT v FROM ct_ddl WHERE k = %s", "UPDATE ct_ddl SET v = v + 1 WHERE k = %s"
        for _ in range(3):
            check(one(cur, select, (1,), prepare=True) == 10, "prepared select")
        b.execute("ALTER TABLE ct_ddl ADD COLUMN w int DEFAULT 7")
        check(one(cur, select, (1,), prepare=True) == 10, "prepared select after ADD COLUMN elsewhere")
        cur.execute(update, (1,), prepare=True)
        b.execute("ALTER TABLE ct_ddl ADD COLUMN x int DEFAULT 8")
        cur.execute(update, (1,), prepare=True)
        check(cur.rowcount == 1, f"prepared update after ADD COLUMN elsewhere: {cur.rowcount}")
        check(one(cur, select, (1,), prepare=True) == 12, "prepared select sees both updates")
        b.execute("DROP TABLE ct_ddl")
        try:
            cur.execute(select, (1,), prepare=True)
            check(False, "prepared select of a dropped table succeeded")
        except psycopg.Error as e:
            check(e.sqlstate == "42P01", f"dropped table: sqlstate {e.sqlstate}")


def main():
    with psycopg.connect(**params(os.environ.get("CT_PASSWORD", "")), autocommit=True) as conn:
        check(conn.pgconn.ssl_in_use, "connection is not using TLS")
        check(conn.info.server_version >= 90000, f"server_version {conn.info.server_version}")
        check(conn.info.parameter_status("client_encoding") == "UTF8", "client_encoding is not UTF8")
        cur = conn.cursor()
        check(one(cur, "SHOW application_name") == "borealis-psycopg3", "application_name from startup")
        check(one(cur, "SELECT 1") == 1, "SELECT 1")
        # Server-side binding (extended protocol, unnamed statement).
        check(one(cur, "SELECT %s::int + 1", (41,)) == 42, "SELECT $1::int + 1 (server-side)")
        # Binary parameters and results.
        check(one(conn.cursor(binary=True), "SELECT %b::int + 1", (41,)) == 42, "binary parameter/result")
        # interval both ways in binary (int64 microseconds, int32 days, int32 months) and text.
        span = datetime.timedelta(days=3, hours=4, microseconds=5)
        check(one(conn.cursor(binary=True), "SELECT %b + interval '1 day'", (span,)) ==
              span + datetime.timedelta(days=1), "binary interval parameter/result")
        check(one(cur, "SELECT %s::interval * 2", (span,)) == span * 2, "text interval parameter/result")
        check(one(cur, "SELECT timestamp '2024-03-01' - timestamp '2024-02-01'") ==
              datetime.timedelta(days=29), "timestamp - timestamp")
        # Named prepared statement, reused.
        for i in range(6):
            check(one(cur, "SELECT %s::int + 1", (41 + i,), prepare=True) == 42 + i, "prepared SELECT $1::int + 1")
        # A transaction block.
        with conn.transaction():
            check(one(cur, "SELECT %s::text || 'b'", ("a",)) == "ab", "text parameter in transaction")
        # executemany uses the extended protocol (pipeline mode where libpq supports it);
        # returning=True keeps each execution's rows.
        cur.executemany("SELECT %s::int * 10", [(i,) for i in range(5)], returning=True)
        got = []
        while True:
            got.append(cur.fetchone()[0])
            if not cur.nextset():
                break
        check(got == [0, 10, 20, 30, 40], f"executemany returning: got {got!r}")

        # Session parameters.
        cur.execute("SET application_name TO 'borealis-x'")
        check(one(cur, "SHOW application_name") == "borealis-x", "SHOW application_name after SET")
        check(conn.info.parameter_status("application_name") == "borealis-x", "ParameterStatus application_name")
        check(one(cur, "SELECT set_config('search_path', %s, false)", ("public",)) == "public", "set_config")
        check(one(cur, "SELECT current_setting('search_path')") == "public", "current_setting")

        # Error SQLSTATE; session remains usable.
        try:
            cur.execute("SELECT 1/%s", (0,))
            check(False, "SELECT 1/0 did not fail")
        except psycopg.Error as e:
            check(e.sqlstate == "22012", f"SELECT 1/0 sqlstate {e.sqlstate}")
        check(one(cur, "SELECT 1") == 1, "SELECT 1 after error")

    deallocate_all()
    prepared_across_ddl()

    # Wrong password -> 28P01.
    try:
        psycopg.connect(**params("definitely-not-the-password")).close()
        check(False, "login with a wrong password succeeded")
    except psycopg.OperationalError as e:
        check("password authentication failed" in str(e), f"wrong password: unexpected error {str(e).strip()!r}")
    ok, msg = wrong_password_sqlstate()
    check(not ok, "login with a wrong password succeeded (low-level)")
    check("28P01" in msg, f"wrong password: no SQLSTATE 28P01 in {msg.strip()!r}")

    print(f"OK psycopg {psycopg.__version__} ({pq.__impl__}) libpq {pq.version()}")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:
        print(f"FAIL: {type(e).__name__}: {str(e).strip()}")
        sys.exit(1)
