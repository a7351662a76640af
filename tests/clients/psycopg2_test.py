#!/usr/bin/python3
"""Real-client test: psycopg2 (run with /usr/bin/python3).

Settings from CT_HOST, CT_PORT, CT_USER, CT_PASSWORD, CT_DBNAME.
Prints "OK ..." or "FAIL: reason".

psycopg2 interpolates %s parameters on the client and sends plain simple-protocol
queries, so the server-side parameter path is exercised with SQL-level
PREPARE/EXECUTE.  It also sends BEGIN implicitly before the first statement of
each transaction (autocommit off by default).
"""
import os
import sys

import psycopg2
import psycopg2.extensions


def conninfo(password):
    return psycopg2.extensions.make_dsn(
        host=os.environ.get("CT_HOST", "127.0.0.1"), port=os.environ.get("CT_PORT", "5432"),
        user=os.environ.get("CT_USER", "admin"), password=password,
        dbname=os.environ.get("CT_DBNAME", "postgres"), sslmode="require",
        application_name="borealis-psycopg2", connect_timeout="20")


def check(ok, what):
    if not ok:
        raise AssertionError(what)


def one(cur, sql, args=None):
    cur.execute(sql, args)
    rows = cur.fetchall()
    check(len(rows) == 1 and len(rows[0]) == 1, f"{sql}: got {rows!r}, want one value")
    return rows[0][0]


def main():
    conn = psycopg2.connect(conninfo(os.environ.get("CT_PASSWORD", "")))
    try:
        check(conn.info.ssl_in_use, "connection is not using TLS")
        check(conn.server_version >= 90000, f"server_version {conn.server_version}")
        cur = conn.cursor()
        check(one(cur, "SHOW application_name") == "borealis-psycopg2", "application_name from startup")
        check(one(cur, "SELECT 1") == 1, "SELECT 1")
        # Client-side interpolation (the server sees SELECT 41::int + 1).
        check(one(cur, "SELECT %s::int + 1", (41,)) == 42, "SELECT %s::int + 1")
        # Server-side parameters: SQL PREPARE / EXECUTE.
        cur.execute("PREPARE add_one(int) AS SELECT $1::int + 1")
        for i in range(5):
            check(one(cur, "EXECUTE add_one(%s)", (41 + i,)) == 42 + i, "EXECUTE add_one")
        cur.execute("DEALLOCATE add_one")
        conn.commit()

        # Session parameters (autocommit so SET is not rolled back).
        conn.autocommit = True
        cur.execute("SET application_name TO 'borealis-x'")
        check(one(cur, "SHOW application_name") == "borealis-x", "SHOW application_name after SET")
        check(one(cur, "SELECT set_config('search_path', 'public', false)") == "public", "set_config")
        check(one(cur, "SELECT current_setting('search_path')") == "public", "current_setting")

        # Error SQLSTATE; the session remains usable.
        try:
            cur.execute("SELECT 1/0")
            check(False, "SELECT 1/0 did not fail")
        except psycopg2.Error as e:
            check(e.pgcode == "22012", f"SELECT 1/0 pgcode {e.pgcode}")
        check(one(cur, "SELECT 1") == 1, "SELECT 1 after error")
    finally:
        conn.close()

    # Wrong password.  psycopg2 does not expose a SQLSTATE for connection failures
    # (pgcode is None), so check the exception class and libpq's message.
    try:
        psycopg2.connect(conninfo("definitely-not-the-password")).close()
        check(False, "login with a wrong password succeeded")
    except psycopg2.OperationalError as e:
        check("password authentication failed" in str(e), f"wrong password: unexpected error {str(e).strip()!r}")

    print(f"OK psycopg2 {psycopg2.__version__.split()[0]} libpq {psycopg2.extensions.libpq_version()}")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # report any failure as one line
        print(f"FAIL: {type(e).__name__}: {str(e).strip()}")
        sys.exit(1)
