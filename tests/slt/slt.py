#!/usr/bin/python3
"""sqllogictest runner for Borealis (and any PostgreSQL-protocol server).

Run with Debian's /usr/bin/python3 (it has psycopg 3).  See docs/design/sql-tests.md.

    /usr/bin/python3 tests/slt/slt.py --host 127.0.0.1 --port 5432 --user admin \
        --password secret tests/sql

Format (SQLite's sqllogictest, see /work/shared/corpora/README.md) plus the Borealis
extensions:
  * `statement error <SQLSTATE>` (5 characters [0-9A-Z]) or `statement error <regex>`
    (searched in the primary error message); `query error [<SQLSTATE>|<regex>]` likewise;
  * `connection <name>` before a record runs it on that named session (opened lazily
    with the same connection parameters; the default session is `default`);
  * `restart` calls --restart-command, then reconnects every session (skipped when no
    command is configured);
  * `skipif <db>` / `onlyif <db>` use the names given by --engine (default `postgresql`).
  * COPY: a statement record whose body has a line `\.` is a one-line COPY ... FROM STDIN
    followed by its data (the lines after the first, through `\.`, sent as psql sends them);
    a query record running COPY ... TO STDOUT gets one text column per output line (without
    its newline; tabs show as `@` like every control character).

Every statement is sent with the simple query protocol (PQexec) on a session in
autocommit mode, so BEGIN/COMMIT/ROLLBACK in a file control transactions exactly as a
psql user would.  --protocol extended sends each statement with PQexecParams
(unnamed statement, no parameters, text results) instead.
"""

import argparse
import decimal
import hashlib
import json
import os
import re
import subprocess
import sys
import time

try:
    import psycopg
    from psycopg import pq
except ImportError:  # pragma: no cover - environment problem
    sys.exit("slt.py: psycopg 3 is required; run with /usr/bin/python3")

SQLSTATE_RE = re.compile(r"^[0-9A-Z]{5}$")
HASH_RE = re.compile(r"^(\d+) values hashing to ([0-9a-f]{32})$")
CREATE_RE = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:UNIQUE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?"
    r"(?:TEMP\s+|TEMPORARY\s+|UNLOGGED\s+)?"
    r"(TABLE|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|SCHEMA|TYPE|DOMAIN|FUNCTION|ROLE|USER)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?"
    r"((?:\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\.(?:\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*))?)",
    re.IGNORECASE)
# Drop order: dependants first.  Everything uses IF EXISTS ... CASCADE.
DROP_ORDER = ["MATERIALIZED VIEW", "VIEW", "TABLE", "SEQUENCE", "FUNCTION", "DOMAIN",
              "TYPE", "SCHEMA", "ROLE"]
NUM_PREFIX_RE = re.compile(r"^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
BOOL_OID = 16
DEFAULT_HASH_THRESHOLD = 8


# --------------------------------------------------------------------------- parsing

class Record:
    __slots__ = ("line", "kind", "conds", "conn", "sql", "expect_error", "error_arg",
                 "types", "sort", "label", "expected", "arg", "copy_data")

    def __init__(self, line, kind):
        self.line = line          # 1-based line of the record's header
        self.kind = kind          # statement | query | hash-threshold | halt | restart | sleep | bad
        self.conds = []           # [("skipif"|"onlyif", name)]
        self.conn = "default"
        self.sql = ""
        self.expect_error = False
        self.error_arg = None     # SQLSTATE or regex (or None = any error)
        self.types = ""
        self.sort = "nosort"
        self.label = None
        self.expected = None      # list of lines after ----, or None
        self.arg = None           # hash-threshold value, sleep duration, parse error text
        self.copy_data = None     # COPY FROM STDIN data (bytes), for statement records


def parse_file(path):
    with open(path, "rb") as f:
        data = f.read().decode("utf-8", errors="replace")
    lines = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    records = []
    i, n = 0, len(lines)
    while i < n:
        # gather one block of non-blank lines
        if not lines[i].strip():
            i += 1
            continue
        block = []
        while i < n and lines[i].strip():
            block.append((i + 1, lines[i]))
            i += 1
        rec = parse_block(block)
        if rec is not None:
            records.append(rec)
    return records


def parse_block(block):
    conds, conn = [], "default"
    j = 0
    # leading comments and guards
    while j < len(block):
        lno, text = block[j]
        s = text.strip()
        if s.startswith("#"):
            j += 1
            continue
        words = s.split()
        if words[0] in ("skipif", "onlyif") and len(words) >= 2:
            conds.append((words[0], words[1]))
            j += 1
            continue
        if words[0] == "connection" and len(words) >= 2:
            conn = words[1]
            j += 1
            continue
        break
    if j >= len(block):
        return None  # comment-only block
    lno, header = block[j]
    body = [t for (_, t) in block[j + 1:] if not t.startswith("#")]
    words = header.split()
    kind = words[0]
    rec = Record(lno, kind)
    rec.conds, rec.conn = conds, conn
    if kind == "statement":
        if len(words) < 2 or words[1] not in ("ok", "error"):
            return bad(rec, "bad statement header: " + header)
        rec.expect_error = words[1] == "error"
        if rec.expect_error and len(words) > 2:
            rec.error_arg = header.split(None, 2)[2].strip()
        if "----" in body:  # sqllogictest-rs style expected error message
            k = body.index("----")
            msg = "\n".join(body[k + 1:]).strip()
            body = body[:k]
            if rec.expect_error and msg and rec.error_arg is None:
                rec.error_arg = re.escape(msg)
        if "\\." in body and len(body) > 1:  # COPY ... FROM STDIN with inline data
            end = body.index("\\.")
            rec.copy_data = ("\n".join(body[1:end + 1]) + "\n").encode()
            body = body[:1]
        rec.sql = "\n".join(body)
    elif kind == "query":
        if len(words) >= 2 and words[1] == "error":
            rec.expect_error = True
            if len(words) > 2:
                rec.error_arg = header.split(None, 2)[2].strip()
        else:
            if len(words) < 2:
                return bad(rec, "query without types")
            rec.types = words[1]
            if len(words) >= 3:
                rec.sort = words[2]
                if rec.sort not in ("nosort", "rowsort", "valuesort"):
                    return bad(rec, "unknown sort mode: " + rec.sort)
            if len(words) >= 4:
                rec.label = words[3]
        if "----" in body:
            k = body.index("----")
            rec.sql = "\n".join(body[:k])
            rec.expected = body[k + 1:]
        else:
            rec.sql = "\n".join(body)
            rec.expected = [] if not rec.expect_error else None
    elif kind == "hash-threshold":
        try:
            rec.arg = int(words[1])
        except (IndexError, ValueError):
            return bad(rec, "bad hash-threshold: " + header)
    elif kind in ("halt", "restart"):
        pass
    elif kind == "sleep":
        m = re.match(r"^(\d+(?:\.\d+)?)\s*(ms|s)?$", " ".join(words[1:]))
        if not m:
            return bad(rec, "bad sleep: " + header)
        rec.arg = float(m.group(1)) / (1000.0 if m.group(2) == "ms" else 1.0)
    else:
        return bad(rec, "unknown record type: " + header)
    if not rec.sql.strip() and kind in ("statement", "query"):
        return bad(rec, "record without SQL")
    return rec


def bad(rec, why):
    rec.kind = "bad"
    rec.arg = why
    return rec


# --------------------------------------------------------------------------- formatting

def fmt_value(raw, typ, oid):
    if raw is None:
        return "NULL"
    s = raw.decode("utf-8", errors="replace")
    if typ == "I":
        if oid == BOOL_OID:
            return "1" if s == "t" else "0"
        try:
            return str(int(s))
        except ValueError:
            pass
        try:
            d = decimal.Decimal(s)
            if d.is_finite():
                return str(int(d))  # int() truncates toward zero
        except decimal.InvalidOperation:
            pass
        # SQLite semantics (sqlite3_column_int64 on text): the leading numeric prefix,
        # truncated; text without one is 0.
        m = NUM_PREFIX_RE.match(s)
        if m:
            try:
                return str(int(decimal.Decimal(m.group(0).strip())))
            except (decimal.InvalidOperation, ValueError, OverflowError):
                pass
        return "0"
    if typ == "R":
        if oid == BOOL_OID:
            return "1.000" if s == "t" else "0.000"
        try:
            return "%.3f" % float(s)
        except ValueError:
            return text_value(s)
    return text_value(s)


_CTRL = {c: "@" for c in list(range(0, 32)) + [127]}


def text_value(s):
    if s == "":
        return "(empty)"
    return s.translate(_CTRL)


def md5_of(values):
    h = hashlib.md5()
    for v in values:
        h.update(v.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


# --------------------------------------------------------------------------- sessions

class Session:
    """One named connection. Uses libpq directly through psycopg's pq wrapper."""

    def __init__(self, runner, name):
        self.runner, self.name = runner, name
        self.conn = None

    def ensure(self, retry_seconds=0.0):
        if self.conn is not None and self.conn.pgconn.status == pq.ConnStatus.OK:
            return
        self.close()
        deadline = time.monotonic() + retry_seconds
        while True:
            try:
                self.conn = psycopg.connect(autocommit=True, **self.runner.conninfo)
                break
            except psycopg.OperationalError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.5)
        for sql in self.runner.session_setup:
            res = self.conn.pgconn.exec_(sql.encode())
            if res.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
                raise RuntimeError("session setup failed: %s: %s" % (
                    sql, res.error_message.decode(errors="replace").strip()))

    def execute(self, sql, copy_data=None):
        self.ensure()
        pg = self.conn.pgconn
        if self.runner.protocol == "extended":
            res = pg.exec_params(sql.encode(), [], result_format=0)
        else:
            res = pg.exec_(sql.encode())
        if res.status == pq.ExecStatus.COPY_IN:
            if copy_data:
                pg.put_copy_data(copy_data)
            pg.put_copy_end()
            res = last_result(pg)
        elif res.status == pq.ExecStatus.COPY_OUT:
            lines = []
            while True:
                n, data = pg.get_copy_data(0)
                if n < 0:
                    break
                lines.append(bytes(data).rstrip(b"\n"))
            res = last_result(pg)
            if res.status == pq.ExecStatus.COMMAND_OK:
                res = CopyOutResult(lines)
        return res

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None


def last_result(pg):
    """The last result of the command in progress (libpq wants get_result until None)."""
    res = None
    while True:
        r = pg.get_result()
        if r is None:
            return res
        res = r


class CopyOutResult:
    """COPY ... TO STDOUT output as a one-column text result, one row per line."""
    status = pq.ExecStatus.TUPLES_OK
    nfields = 1

    def __init__(self, lines):
        self.lines = lines
        self.ntuples = len(lines)

    def ftype(self, _column):
        return 25

    def get_value(self, row, _column):
        return self.lines[row]


class SqlError(Exception):
    def __init__(self, sqlstate, message, primary):
        super().__init__(message)
        self.sqlstate, self.message, self.primary = sqlstate, message, primary


def check_result(res, pgconn):
    st = res.status
    if st in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK, pq.ExecStatus.EMPTY_QUERY):
        return
    if st in (pq.ExecStatus.COPY_IN, pq.ExecStatus.COPY_OUT, pq.ExecStatus.COPY_BOTH):
        raise SqlError("", "COPY is not supported by the runner", "COPY is not supported")
    sqlstate = res.error_field(pq.DiagnosticField.SQLSTATE)
    primary = res.error_field(pq.DiagnosticField.MESSAGE_PRIMARY)
    msg = res.error_message or pgconn.error_message or b"unknown error"
    raise SqlError((sqlstate or b"").decode(), msg.decode(errors="replace").strip(),
                   (primary or msg).decode(errors="replace"))


# --------------------------------------------------------------------------- runner

class FileResult:
    def __init__(self, key):
        self.key = key
        self.passed = self.failed = self.skipped = 0
        self.failed_lines = []
        self.passed_lines = []  # kept in memory only (for --baseline)
        self.path = None
        self.stopped = False
        self.failures = []   # details (limited)
        self.seconds = 0.0
        self.halted = False


class Runner:
    def __init__(self, args):
        self.args = args
        self.conninfo = dict(host=args.host, port=args.port, user=args.user,
                             dbname=args.dbname, sslmode=args.sslmode,
                             connect_timeout=args.connect_timeout,
                             application_name="slt.py")
        if args.password is not None:
            self.conninfo["password"] = args.password
        self.engines = set(args.engine or ["postgresql"])
        self.protocol = args.protocol
        self.session_setup = []
        self.sessions = {}

    # -- sessions
    def session(self, name):
        s = self.sessions.get(name)
        if s is None:
            s = self.sessions[name] = Session(self, name)
        return s

    def close_all(self):
        for s in self.sessions.values():
            s.close()
        self.sessions = {}

    def admin_exec(self, sql):
        """Run a cleanup statement on a private session; errors are ignored."""
        s = self.session("__slt_admin")
        try:
            res = s.execute(sql)
            check_result(res, s.conn.pgconn)
            return True
        except Exception as e:  # noqa: BLE001 - cleanup is best effort
            if self.args.verbose > 1:
                print("  cleanup: %s: %s" % (sql, e))
            return False

    # -- isolation
    def created_objects(self, records):
        objs = []
        for r in records:
            if r.kind != "statement" and r.kind != "query":
                continue
            for m in CREATE_RE.finditer(r.sql):
                kind = re.sub(r"\s+", " ", m.group(1).upper())
                if kind == "USER":
                    kind = "ROLE"
                name = m.group(2)
                if (kind, name) not in objs:
                    objs.append((kind, name))
        return objs

    def cleanup(self, objs):
        for kind in DROP_ORDER:
            for k, name in objs:
                if k != kind:
                    continue
                if kind == "ROLE":
                    self.admin_exec("DROP ROLE IF EXISTS %s" % name)
                else:
                    self.admin_exec("DROP %s IF EXISTS %s CASCADE" % (kind, name))

    # -- one file
    def run_file(self, path, key):
        fr = FileResult(key)
        fr.path = path
        t0 = time.monotonic()
        try:
            records = parse_file(path)
        except OSError as e:
            fr.failed += 1
            fr.failures.append({"line": 0, "error": str(e)})
            return fr
        mode = self.args.isolation
        objs = []
        schema = None
        self.session_setup = []
        if mode == "drop":
            objs = self.created_objects(records)
            self.cleanup(objs)
        elif mode == "schema":
            schema = "slt_" + re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")[-50:]
            self.admin_exec("DROP SCHEMA IF EXISTS %s CASCADE" % schema)
            self.admin_exec("CREATE SCHEMA %s" % schema)
            self.session_setup = ["SET search_path TO %s" % schema]
        self.close_all_but_admin()

        hash_threshold = self.args.hash_threshold
        labels = {}
        stop = False
        for rec in records:
            if rec.kind == "halt":
                if self.skipped_by_conds(rec):
                    continue
                fr.halted = True
                break
            if rec.kind == "hash-threshold":
                hash_threshold = rec.arg
                continue
            if self.skipped_by_conds(rec):
                fr.skipped += 1
                continue
            ok, detail = self.run_record(rec, hash_threshold, labels)
            if ok is None:
                fr.skipped += 1
            elif ok:
                fr.passed += 1
                fr.passed_lines.append(rec.line)
            else:
                fr.failed += 1
                fr.failed_lines.append(rec.line)
                d = {"line": rec.line, "sql": rec.sql, "error": detail}
                if len(fr.failures) < self.args.max_details:
                    fr.failures.append(d)
                if self.args.verbose:
                    print("FAIL %s:%d [%s]\n  %s\n  %s" % (
                        path, rec.line, rec.conn, rec.sql.replace("\n", "\n  "),
                        detail.replace("\n", "\n  ")))
                if self.args.stop_on_first_failure:
                    stop = True
                    break
        self.close_all()
        if mode == "drop":
            self.cleanup(objs)
        elif mode == "schema":
            self.admin_exec("DROP SCHEMA IF EXISTS %s CASCADE" % schema)
        self.close_all()
        fr.seconds = time.monotonic() - t0
        fr.stopped = stop
        return fr

    def close_all_but_admin(self):
        for name, s in list(self.sessions.items()):
            if name != "__slt_admin":
                s.close()
                del self.sessions[name]

    def skipped_by_conds(self, rec):
        for c, name in rec.conds:
            if c == "skipif" and name in self.engines:
                return True
            if c == "onlyif" and name not in self.engines:
                return True
        return False

    def run_record(self, rec, hash_threshold, labels):
        """Returns (True|False|None for skipped, detail)."""
        if rec.kind == "bad":
            return False, "parse error: %s" % rec.arg
        if rec.kind == "sleep":
            time.sleep(rec.arg)
            return True, ""
        if rec.kind == "restart":
            return self.do_restart()
        sess = self.session(rec.conn)
        try:
            res = sess.execute(rec.sql, rec.copy_data)
            check_result(res, sess.conn.pgconn)
        except SqlError as e:
            if not rec.expect_error:
                return False, "unexpected error: [%s] %s" % (e.sqlstate, e.message)
            return self.match_error(rec, e)
        except (psycopg.Error, RuntimeError) as e:
            sess.close()
            return False, "connection error: %s" % str(e).strip()
        if rec.expect_error:
            return False, "expected an error (%s) but the statement succeeded" % (
                rec.error_arg or "any")
        if rec.kind == "statement":
            return True, ""
        return self.check_query(rec, res, hash_threshold, labels)

    def match_error(self, rec, e):
        arg = rec.error_arg
        if not arg:
            return True, ""
        if SQLSTATE_RE.match(arg):
            if e.sqlstate == arg:
                return True, ""
            return False, "expected SQLSTATE %s, got [%s] %s" % (arg, e.sqlstate, e.message)
        try:
            if re.search(arg, e.primary) or re.search(arg, e.message):
                return True, ""
        except re.error:
            if arg in e.message:
                return True, ""
        return False, "error message did not match /%s/: [%s] %s" % (arg, e.sqlstate,
                                                                      e.message)

    def check_query(self, rec, res, hash_threshold, labels):
        ncols = res.nfields
        types = rec.types
        if ncols != len(types):
            return False, "expected %d columns (%s), got %d" % (len(types), types, ncols)
        oids = [res.ftype(c) for c in range(ncols)]
        rows = []
        for r in range(res.ntuples):
            rows.append([fmt_value(res.get_value(r, c), types[c], oids[c])
                         for c in range(ncols)])
        if rec.sort == "rowsort":
            rows.sort()
        values = [v for row in rows for v in row]
        if rec.sort == "valuesort":
            values.sort()
        digest = md5_of(values)
        hashed = "%d values hashing to %s" % (len(values), digest)
        expected = rec.expected or []
        ok = False
        if len(expected) == 1 and HASH_RE.match(expected[0].strip()):
            ok = expected[0].strip() == hashed
        elif expected == values:
            ok = True
        elif ncols > 1 and rec.sort != "valuesort" and len(expected) == len(rows) \
                and len(expected) != len(values):
            # whole rows per line, values separated by whitespace
            ok = all(e.split() == " ".join(row).split() for e, row in zip(expected, rows))
        if not ok:
            if hash_threshold > 0 and len(values) > hash_threshold:
                got = [hashed]
            else:
                got = values
            return False, "result mismatch\n  expected:\n    %s\n  got:\n    %s" % (
                "\n    ".join(expected[:40]), "\n    ".join(got[:40]))
        if rec.label:
            prev = labels.get(rec.label)
            if prev is None:
                labels[rec.label] = (digest, rec.line)
            elif prev[0] != digest:
                return False, "label %s: result differs from the record at line %d" % (
                    rec.label, prev[1])
        return True, ""

    def do_restart(self):
        cmd = self.args.restart_command
        if not cmd:
            return None, "no --restart-command"
        self.close_all()
        rc = subprocess.call(cmd, shell=True)
        if rc != 0:
            return False, "restart command exited with %d" % rc
        try:
            self.session("default").ensure(retry_seconds=self.args.restart_wait)
        except Exception as e:  # noqa: BLE001
            return False, "reconnect after restart failed: %s" % e
        return True, ""


# --------------------------------------------------------------------------- main

def collect(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            root = os.path.normpath(p)
            base = os.path.basename(os.path.abspath(root))
            found = []
            for d, _, files in os.walk(root):
                for f in files:
                    if f.endswith(".test"):
                        full = os.path.join(d, f)
                        found.append((full, os.path.join(base, os.path.relpath(full, root))))
            out.extend(sorted(found, key=lambda x: x[1]))
        else:
            out.append((p, os.path.normpath(p)))
    return out


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def main(argv=None):
    ap = argparse.ArgumentParser(description="sqllogictest runner (PostgreSQL protocol)")
    ap.add_argument("paths", nargs="+", help=".test files or directories (recursive)")
    ap.add_argument("--host", default=os.environ.get("PGHOST", "127.0.0.1"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("PGPORT", "5432")))
    ap.add_argument("--user", default=os.environ.get("PGUSER", "admin"))
    ap.add_argument("--password", default=os.environ.get("PGPASSWORD"))
    ap.add_argument("--dbname", default=os.environ.get("PGDATABASE", "postgres"))
    ap.add_argument("--sslmode", default="prefer")
    ap.add_argument("--connect-timeout", type=int, default=10)
    ap.add_argument("--protocol", choices=["simple", "extended"], default="simple")
    ap.add_argument("--engine", action="append",
                    help="name matched by skipif/onlyif (repeatable; default postgresql)")
    ap.add_argument("--isolation", choices=["drop", "schema", "none"], default="drop",
                    help="per-file state: drop = drop the objects the file creates before "
                         "and after it (default); schema = run in a fresh schema; none")
    ap.add_argument("--hash-threshold", type=int, default=DEFAULT_HASH_THRESHOLD,
                    help="default threshold for files without hash-threshold (8)")
    ap.add_argument("--restart-command", help="shell command run by `restart` records")
    ap.add_argument("--restart-wait", type=float, default=60.0,
                    help="seconds to keep retrying the reconnect after a restart")
    ap.add_argument("--stop-on-first-failure", action="store_true")
    ap.add_argument("--min-pass-rate", type=float, default=None,
                    help="exit 0 if the overall pass rate (percent) is at least this")
    ap.add_argument("--baseline", help="JSON written by --json on PostgreSQL: also report "
                    "the share of the records PostgreSQL passes that pass here")
    ap.add_argument("--min-baseline-rate", type=float, default=None,
                    help="with --baseline: exit 0 if at least this percentage of the "
                         "records PostgreSQL passes also pass here (issue 4 target: 99)")
    ap.add_argument("--json", help="write per-file results to this path")
    ap.add_argument("--max-details", type=int, default=20,
                    help="failure details kept per file in --json (all lines are kept)")
    ap.add_argument("-v", "--verbose", action="count", default=0)
    args = ap.parse_args(argv)

    files = collect(args.paths)
    if not files:
        print("slt.py: no .test files found", file=sys.stderr)
        return 2
    runner = Runner(args)
    results = []
    tp = tf = ts = 0
    t0 = time.monotonic()
    for path, key in files:
        fr = runner.run_file(path, key)
        results.append(fr)
        total = fr.passed + fr.failed
        tp, tf, ts = tp + fr.passed, tf + fr.failed, ts + fr.skipped
        line = "%s: %d/%d (%.1f%%)" % (key, fr.passed, total, pct(fr.passed, total))
        if fr.skipped:
            line += " [skipped %d]" % fr.skipped
        print(line, flush=True)
        if fr.failed and not args.verbose:
            for d in fr.failures[:3]:
                print("    line %d: %s" % (d["line"], d["error"].split("\n")[0]))
        if fr.stopped:
            break
    runner.close_all()
    total = tp + tf
    print("TOTAL: %d/%d (%.2f%%) [skipped %d] in %d files, %.1fs" % (
        tp, total, pct(tp, total), ts, len(results), time.monotonic() - t0))

    vs = None
    if args.baseline:
        vs = compare_baseline(args.baseline, results)

    if args.json:
        out = {"engines": sorted(runner.engines), "files": {}, "total": {"passed": tp, "failed": tf, "skipped": ts,
                                      "total": total}}
        for fr in results:
            out["files"][fr.key] = {
                "passed": fr.passed, "failed": fr.failed, "skipped": fr.skipped,
                "total": fr.passed + fr.failed, "seconds": round(fr.seconds, 2),
                "halted": fr.halted, "failed_lines": fr.failed_lines,
                "failures": fr.failures}
        if vs is not None:
            out["vs_baseline"] = vs
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write("\n")

    if vs is not None and args.min_baseline_rate is not None:
        return 0 if pct(vs["also_pass"], vs["pg_passed"]) >= args.min_baseline_rate else 1
    if tf == 0:
        return 0
    if args.min_pass_rate is not None and pct(tp, total) >= args.min_pass_rate:
        return 0
    return 1


def runnable_lines(path, engines):
    """Header lines of the records a run with these engine names executes."""
    out = []
    for rec in parse_file(path):
        skipped = any((c == "skipif" and n in engines) or (c == "onlyif" and n not in engines)
                      for c, n in rec.conds)
        if rec.kind == "halt":
            if not skipped:
                break
            continue
        if rec.kind == "hash-threshold" or skipped:
            continue
        out.append(rec.line)
    return out


def compare_baseline(path, results):
    """Share of the records PostgreSQL passed (per the baseline) that also pass here."""
    with open(path) as f:
        base = json.load(f)
    engines = set(base.get("engines", ["postgresql"]))
    base = base["files"]
    sp = sb = 0
    per = {}
    for fr in results:
        b = base.get(fr.key)
        if b is None:  # match by path suffix: baseline keys look like sqllogictest/x.test
            full = os.path.abspath(fr.path).replace(os.sep, "/")
            hits = [k for k in base if full.endswith("/" + k)]
            b = base[max(hits, key=len)] if hits else None
        if b is None:
            print("%s: not in the baseline" % fr.key)
            continue
        pg_pass = set(runnable_lines(fr.path, engines)) - set(b.get("failed_lines", []))
        ok = len(pg_pass & set(fr.passed_lines))
        per[fr.key] = {"pg_passed": len(pg_pass), "also_pass": ok}
        sp, sb = sp + ok, sb + len(pg_pass)
        print("%s: %d/%d of the records PostgreSQL 15 passes (%.2f%%)" % (
            fr.key, ok, len(pg_pass), pct(ok, len(pg_pass))))
    if not per:
        print("VS BASELINE: no file matched the baseline")
    print("VS BASELINE: %d/%d (%.2f%%) of the records PostgreSQL 15 passes" % (
        sp, sb, pct(sp, sb)))
    return {"pg_passed": sb, "also_pass": sp, "files": per}


if __name__ == "__main__":
    sys.exit(main())
