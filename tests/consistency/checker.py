#!/usr/bin/python3
"""Jepsen-style consistency checker for Borealis (or any PostgreSQL-protocol server).

    /usr/bin/python3 tests/consistency/checker.py --host H --port P --user U --password PW
        [--dbname postgres] [--sslmode prefer] --workload bank|list-append|both
        --clients N --duration S --seed N [--isolation "repeatable read"] [--keys K]
        [--for-update F] [--max-txns N] [--json OUT] [--history OUT] [--expect-anomalies]
    /usr/bin/python3 tests/consistency/checker.py --analyze-history FILE [--json OUT]

Workloads (tables consistency_bank / consistency_append are dropped and re-created):
  bank         K accounts with a fixed total; clients either transfer a random amount between
               two random accounts (read both balances, write both, retry 40001 with bounded
               jittered backoff) or read all balances with two SELECTs in one transaction.
               Every snapshot, and a final read, must sum to the total.
  list-append  Elle-style: transactions of 1-4 micro-ops append(k, unique v) / read(k) on rows
               (id int primary key, vals text = ",v1,v2,..."); the full history is analysed by
               analysis.check_list_append (G0, G1a, G1b, G1c, G-single, G2-item, lost update,
               internal, ...). See docs/CONSISTENCY.md.
Both run for --duration seconds each, bounded by --max-txns transactions per workload.

Exit status: 0 iff no forbidden anomaly was found (with --expect-anomalies: 0 iff at least
one was); 1 otherwise; 2 on a usage or setup error (e.g. cannot connect).
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import analysis  # noqa: E402
from analysis import APPEND, FAIL, INFO, OK, READ, Op, Report, Txn  # noqa: E402

try:
    import psycopg2
    import psycopg2.extensions
except ImportError:  # pragma: no cover - only with the wrong interpreter
    psycopg2 = None

APPEND_TABLE = "consistency_append"
BANK_TABLE = "consistency_bank"
ISOLATION_LEVELS = ("default", "read uncommitted", "read committed", "repeatable read",
                    "serializable")

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 10_000
CONNECT_ATTEMPTS_MAX = 5
RETRIES_MAX = 10                 # bank: attempts after the first for one transfer or read
BACKOFF_BASE_S = 0.002
BACKOFF_MAX_S = 0.1
JOIN_GRACE_S = STATEMENT_TIMEOUT_MS / 1000 + 5
MAX_TXNS_DEFAULT = 20_000
MICRO_OPS_MAX = 4
APPENDS_PER_KEY_MAX = 32         # a key is retired after this many appends (keeps lists short)
INSERT_BATCH_ROWS = 100
BANK_INITIAL_BALANCE = 100
BANK_TRANSFER_MAX = 20
BANK_READ_FRACTION = 0.5
APPEND_FRACTION = 0.5
READ_MODIFY_WRITE_FRACTION = 0.25  # txns that start with read(k), append(k): lost-update bait

# SQLSTATEs after which a COMMIT's outcome is unknown (connection or server gone, or
# statement_completion_unknown); any other SQL error is a definite abort.
INDETERMINATE_SQLSTATE_PREFIXES = ("08", "57P", "40003", "XX")


class Abort(Exception):
    """A transaction attempt ended; status is FAIL or INFO."""

    def __init__(self, status, error, sqlstate=None):
        super().__init__(error)
        self.status, self.error, self.sqlstate = status, error, sqlstate


# ---------------------------------------------------------------------------------------------
# Connections and transactions
# ---------------------------------------------------------------------------------------------

def connect(args, application_name):
    conn = psycopg2.connect(
        host=args.host, port=args.port, user=args.user, password=args.password,
        dbname=args.dbname, sslmode=args.sslmode, connect_timeout=CONNECT_TIMEOUT_S,
        application_name=application_name, keepalives=1, keepalives_idle=5,
        keepalives_interval=2, keepalives_count=3)
    conn.autocommit = True   # we send BEGIN / COMMIT ourselves, so we know what was sent
    try:
        with conn.cursor() as cur:
            cur.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    except psycopg2.Error:
        pass                 # best effort: the server may not support it
    return conn


def begin_sql(isolation):
    if isolation == "default":
        return "BEGIN"
    return f"BEGIN ISOLATION LEVEL {isolation.upper()}"


def classify(exc, commit_sent):
    """Turns a driver exception into Abort(FAIL | INFO)."""
    code = getattr(exc, "pgcode", None)
    text = f"{type(exc).__name__}: {str(exc).strip()[:200]}"
    if not commit_sent:
        return Abort(FAIL, text, code)      # never committed: the server rolls it back
    if code and not code.startswith(INDETERMINATE_SQLSTATE_PREFIXES):
        return Abort(FAIL, text, code)      # the server answered COMMIT with an error
    return Abort(INFO, text, code)


def run_txn(conn, isolation, body):
    """BEGIN; body(cur); COMMIT. Returns body's result or raises Abort."""
    commit_sent = False
    cur = conn.cursor()
    try:
        cur.execute(begin_sql(isolation))
        result = body(cur)
        commit_sent = True
        cur.execute("COMMIT")
        if cur.statusmessage != "COMMIT":
            raise Abort(FAIL, f"COMMIT answered {cur.statusmessage!r}")
        return result
    except psycopg2.Error as exc:
        abort = classify(exc, commit_sent)
        if not conn.closed:
            try:
                with conn.cursor() as rollback:
                    rollback.execute("ROLLBACK")
            except psycopg2.Error:
                pass
        raise abort from exc
    finally:
        try:
            cur.close()
        except psycopg2.Error:
            pass


def backoff(rng, attempt):
    time.sleep(rng.uniform(0, min(BACKOFF_MAX_S, BACKOFF_BASE_S * (2 ** attempt))))


def is_retryable(abort):
    return abort.status == FAIL and abort.sqlstate in ("40001", "40P01")


# ---------------------------------------------------------------------------------------------
# Runner: threads, deadline, transaction cap
# ---------------------------------------------------------------------------------------------

class Runner:
    """Runs one worker function per client until the deadline or the transaction cap."""

    def __init__(self, args, name):
        self.args, self.name = args, name
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.started = 0
        self.conns = {}           # worker index -> live connection (for cancel on overrun)

    def take_slot(self):
        with self.lock:
            if self.stop.is_set() or self.started >= self.args.max_txns:
                return False
            self.started += 1
            return True

    def worker_loop(self, index, step):
        """step(conn, rng, process) runs one transaction (or one transfer with retries)."""
        rng = random.Random(self.args.seed * 1000 + index)
        conn, reconnects = None, 0
        while not self.stop.is_set():
            if conn is None or conn.closed:
                conn = self.connect_bounded(index, rng)
                if conn is None:
                    return
                reconnects += 1
            process = index + self.args.clients * (reconnects - 1)
            try:
                if not step(conn, rng, process):
                    return
            except Exception as exc:  # noqa: BLE001 - e.g. a result of an unexpected shape
                print(f"[{self.name}] client {index} stopped: {type(exc).__name__}: {exc}",
                      file=sys.stderr)
                conn.close()
                return
        if conn is not None:
            conn.close()

    def connect_bounded(self, index, rng):
        for attempt in range(CONNECT_ATTEMPTS_MAX):
            if self.stop.is_set():
                return None
            try:
                conn = connect(self.args, f"consistency-{self.name}-{index}")
                with self.lock:
                    self.conns[index] = conn
                return conn
            except psycopg2.Error as exc:
                print(f"[{self.name}] client {index}: connect failed: {exc}".strip(),
                      file=sys.stderr)
                backoff(rng, attempt + 4)
        return None

    def run(self, step):
        threads = [threading.Thread(target=self.worker_loop, args=(i, step), daemon=True,
                                    name=f"{self.name}-{i}") for i in range(self.args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        deadline = t0 + self.args.duration
        while time.monotonic() < deadline and any(t.is_alive() for t in threads):
            self.stop.wait(0.2)
            with self.lock:
                if self.started >= self.args.max_txns:
                    break
        self.stop.set()
        self.join(threads, JOIN_GRACE_S)
        stuck = [t for t in threads if t.is_alive()]
        if stuck:
            print(f"[{self.name}] {len(stuck)} clients still busy after the deadline; "
                  "cancelling their statements", file=sys.stderr)
            with self.lock:
                conns = list(self.conns.values())
            for conn in conns:
                try:
                    conn.cancel()
                except psycopg2.Error:
                    pass
            self.join(stuck, 5)
        return time.monotonic() - t0

    @staticmethod
    def join(threads, timeout_s):
        end = time.monotonic() + timeout_s
        for t in threads:
            t.join(max(0.0, end - time.monotonic()))


# ---------------------------------------------------------------------------------------------
# List-append workload
# ---------------------------------------------------------------------------------------------

def parse_list(text):
    if text is None:
        return []
    return [int(x) for x in text.split(",") if x != ""]


class KeyPool:
    """K active keys; each is retired after APPENDS_PER_KEY_MAX appends and replaced by a fresh
    key, so lists stay short while keys stay contended. All rows are created up front."""

    def __init__(self, active, total_rows):
        self.lock = threading.Lock()
        self.active = list(range(active))
        self.remaining = {k: APPENDS_PER_KEY_MAX for k in self.active}
        self.next_key, self.total_rows = active, total_rows

    def pick(self, rng):
        with self.lock:
            return rng.choice(self.active)

    def note_append(self, key):
        with self.lock:
            if key not in self.remaining:
                return
            self.remaining[key] -= 1
            if self.remaining[key] > 0 or self.next_key >= self.total_rows:
                return
            del self.remaining[key]
            self.active[self.active.index(key)] = self.next_key
            self.remaining[self.next_key] = APPENDS_PER_KEY_MAX
            self.next_key += 1


class History:
    """Invocations and completions, in order, plus one Txn record per transaction."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = []
        self.txns = {}
        self.ids = itertools.count(1)
        self.t0 = time.monotonic()

    def invoke(self, process, ops):
        with self.lock:
            txn = Txn(next(self.ids), INFO, ops, process, "no completion recorded")
            self.txns[txn.id] = txn
            self.events.append(self._event("invoke", txn))
            return txn

    def complete(self, txn, status, error=None):
        with self.lock:
            txn.status, txn.error = status, error
            if status != OK:
                for op in txn.ops:
                    if op.f == READ and status == FAIL:
                        op.value = None
            self.events.append(self._event(status, txn))

    def _event(self, kind, txn):
        return {"t_ms": round((time.monotonic() - self.t0) * 1000, 3), "type": kind,
                "process": txn.process, "txn": txn.id,
                "ops": [op.to_json() for op in txn.ops], "error": txn.error}


def setup_list_append(args, total_rows):
    conn = connect(args, "consistency-setup")
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {APPEND_TABLE}")
        cur.execute(f"CREATE TABLE {APPEND_TABLE} (id int PRIMARY KEY, vals text NOT NULL)")
        for start in range(0, total_rows, INSERT_BATCH_ROWS):
            ids = range(start, min(total_rows, start + INSERT_BATCH_ROWS))
            values = ", ".join(f"({i}, '')" for i in ids)
            cur.execute(f"INSERT INTO {APPEND_TABLE} (id, vals) VALUES {values}")
    conn.close()


def run_list_append(args):
    total_rows = args.keys + math.ceil(args.max_txns * MICRO_OPS_MAX / APPENDS_PER_KEY_MAX) + 1
    setup_list_append(args, total_rows)
    pool, history, values = KeyPool(args.keys, total_rows), History(), itertools.count(1)
    runner = Runner(args, "list-append")

    def generate(rng):
        ops = []
        if rng.random() < READ_MODIFY_WRITE_FRACTION:   # read k, then append k
            key = pool.pick(rng)
            ops += [Op(READ, key, None, rng.random() < args.for_update),
                    Op(APPEND, key, next(values))]
        for _ in range(rng.randint(1, MICRO_OPS_MAX) - len(ops)):
            key = pool.pick(rng)
            if rng.random() < APPEND_FRACTION:
                ops.append(Op(APPEND, key, next(values)))
            else:
                ops.append(Op(READ, key, None, rng.random() < args.for_update))
        return ops

    def body(ops):
        def run(cur):
            for op in ops:
                if op.f == READ:
                    lock = " FOR UPDATE" if op.for_update else ""
                    cur.execute(f"SELECT vals FROM {APPEND_TABLE} WHERE id = %s{lock}", (op.key,))
                    rows = cur.fetchall()
                    op.value = parse_list(rows[0][0]) if rows else []
                else:
                    cur.execute(f"UPDATE {APPEND_TABLE} SET vals = vals || %s WHERE id = %s",
                                (f",{op.value}", op.key))
                    if cur.rowcount == 0:   # plain-SQL fallback; rows are pre-created
                        cur.execute(f"INSERT INTO {APPEND_TABLE} (id, vals) VALUES (%s, %s)",
                                    (op.key, f",{op.value}"))
        return run

    def step(conn, rng, process):
        if not runner.take_slot():
            return False
        ops = generate(rng)
        txn = history.invoke(process, ops)
        try:
            run_txn(conn, args.isolation, body(ops))
            history.complete(txn, OK)
        except Abort as abort:
            history.complete(txn, abort.status, abort.error)
        for op in ops:
            if op.f == APPEND:
                pool.note_append(op.key)
        return True

    elapsed = runner.run(step)
    with history.lock:                       # freeze: stuck workers may still be running
        txns = [Txn(t.id, t.status, [Op(o.f, o.key, o.value if o.f == APPEND else
                                        (None if o.value is None else list(o.value)),
                                        o.for_update) for o in t.ops], t.process, t.error)
                for t in history.txns.values()]
        events = list(history.events)
    for t in txns:
        if t.status == INFO and t.error == "no completion recorded":
            for op in t.ops:
                if op.f == READ:
                    op.value = None
    final = read_final_lists(args, pool.next_key)
    t_analysis = time.monotonic()
    report, stats = analysis.check_list_append(txns, final)
    stats["analysis_s"] = round(time.monotonic() - t_analysis, 2)
    stats["duration_s"] = round(elapsed, 2)
    stats["fail_reasons"] = count_errors(txns)
    if args.history:
        with open(args.history, "w") as f:
            for e in events:
                f.write(json.dumps(e) + "\n")
    return report, stats


def read_final_lists(args, n_keys):
    """All used keys, read in one transaction after the clients stopped (bounded retries)."""
    def body(cur):
        cur.execute(f"SELECT id, vals FROM {APPEND_TABLE} WHERE id < %s", (n_keys,))
        return cur.fetchall()

    conn = connect(args, "consistency-final")
    rng = random.Random(args.seed)
    try:
        for attempt in range(RETRIES_MAX + 1):
            try:
                rows = run_txn(conn, args.isolation, body)
                return {int(k): parse_list(v) for k, v in rows}
            except Abort as abort:
                if not is_retryable(abort):
                    raise
                backoff(rng, attempt)
        raise Abort(FAIL, "final read kept failing with 40001")
    finally:
        conn.close()


def count_errors(txns):
    reasons = {}
    for t in txns:
        if t.status != OK:
            key = f"{t.status}: {(t.error or '').split(':')[0]}"
            if t.error and "SerializationFailure" in t.error:
                key = f"{t.status}: 40001"
            reasons[key] = reasons.get(key, 0) + 1
    return reasons


# ---------------------------------------------------------------------------------------------
# Bank workload
# ---------------------------------------------------------------------------------------------

def setup_bank(args):
    conn = connect(args, "consistency-setup")
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {BANK_TABLE}")
        cur.execute(f"CREATE TABLE {BANK_TABLE} (id int PRIMARY KEY, balance bigint NOT NULL)")
        values = ", ".join(f"({i}, {BANK_INITIAL_BALANCE})" for i in range(args.keys))
        cur.execute(f"INSERT INTO {BANK_TABLE} (id, balance) VALUES {values}")
    conn.close()


def read_all_balances(cur, n_accounts):
    """Two SELECTs (two halves) so a non-repeatable read between them shows up."""
    half = n_accounts // 2
    balances = {}
    for where in (f"id < {half}", f"id >= {half}"):
        cur.execute(f"SELECT id, balance FROM {BANK_TABLE} WHERE {where} ORDER BY id")
        for account, balance in cur.fetchall():
            balances[int(account)] = int(balance)
    return balances


def run_bank(args):
    setup_bank(args)
    total = BANK_INITIAL_BALANCE * args.keys
    report = Report()
    counts = {"transfers_ok": 0, "transfers_fail": 0, "transfers_info": 0, "reads_ok": 0,
              "reads_fail": 0, "reads_info": 0, "retries": 0, "reads_checked": 0}
    lock = threading.Lock()
    runner = Runner(args, "bank")
    read_ids = itertools.count(1)

    def transfer(rng):
        src, dst = rng.sample(range(args.keys), 2)
        amount = rng.randint(1, BANK_TRANSFER_MAX)

        def run(cur):
            balances = {}
            for account in (src, dst):
                cur.execute(f"SELECT balance FROM {BANK_TABLE} WHERE id = %s", (account,))
                balances[account] = int(cur.fetchall()[0][0])
            if balances[src] < amount:
                return
            # Absolute writes computed from the reads: a stale read loses or creates money.
            # Lower id first, so lock-based servers do not deadlock (1 s stalls in PostgreSQL).
            new_balances = {src: balances[src] - amount, dst: balances[dst] + amount}
            for account in sorted(new_balances):
                cur.execute(f"UPDATE {BANK_TABLE} SET balance = %s WHERE id = %s",
                            (new_balances[account], account))
        return run

    def step(conn, rng, process):
        is_read = rng.random() < BANK_READ_FRACTION
        kind = "reads" if is_read else "transfers"
        body = (lambda cur: read_all_balances(cur, args.keys)) if is_read else transfer(rng)
        for attempt in range(RETRIES_MAX + 1):
            if not runner.take_slot():
                return False
            try:
                result = run_txn(conn, args.isolation, body)
            except Abort as abort:
                if is_retryable(abort) and attempt < RETRIES_MAX and not runner.stop.is_set():
                    with lock:
                        counts["retries"] += 1
                    backoff(rng, attempt)
                    continue
                with lock:
                    counts[f"{kind}_{abort.status}"] += 1
                return True
            with lock:
                counts[f"{kind}_ok"] += 1
                if is_read:
                    counts["reads_checked"] += 1
                    analysis.check_bank_read(report, next(read_ids), result, total, args.keys)
            return True
        return True

    elapsed = runner.run(step)
    conn = connect(args, "consistency-final")
    with conn.cursor() as cur:
        final = read_all_balances(cur, args.keys)
    conn.close()
    with lock:
        analysis.check_bank_read(report, "final", final, total, args.keys)
        stats = dict(counts)
    stats.update({"accounts": args.keys, "total": total, "final_sum": sum(final.values()),
                  "duration_s": round(elapsed, 2),
                  "violations": sum(report.counts.values())})
    return report, stats


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def summarize(name, report, stats):
    lines = [f"== {name}"]
    if name == "list-append":
        lines.append(f"   transactions: {stats['txns']} (ok {stats['ok']}, fail {stats['fail']}, "
                     f"info {stats['info']}) in {stats.get('duration_s', '?')} s; "
                     f"analysis {stats.get('analysis_s', '?')} s")
        lines.append(f"   graph: {stats['graph_nodes']} txns, edges {stats['edges']}, "
                     f"{stats['sccs']} cycles/SCCs (largest {stats['largest_scc']})")
        if stats.get("fail_reasons"):
            lines.append(f"   non-ok outcomes: {stats['fail_reasons']}")
    else:
        lines.append(f"   transfers ok {stats['transfers_ok']} fail {stats['transfers_fail']} "
                     f"info {stats['transfers_info']}; reads ok {stats['reads_ok']} fail "
                     f"{stats['reads_fail']}; retries {stats['retries']}; "
                     f"{stats['duration_s']} s")
        lines.append(f"   accounts {stats['accounts']}, total {stats['total']}, final sum "
                     f"{stats['final_sum']}, violating snapshots {stats['violations']}")
    if not report.counts:
        lines.append("   anomalies: none")
    for kind in sorted(report.counts):
        verdict = "FORBIDDEN" if analysis.ANOMALIES[kind] else "allowed"
        example = json.dumps(report.examples[kind][0])
        if len(example) > 600:
            example = example[:600] + "..."
        lines.append(f"   {kind}: {report.counts[kind]} ({verdict}); e.g. {example}")
    for note in report.notes[:3]:
        lines.append(f"   note: {note}")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5432)
    p.add_argument("--user", default="admin")
    p.add_argument("--password", default=os.environ.get("PGPASSWORD", ""))
    p.add_argument("--dbname", default="postgres")
    p.add_argument("--sslmode", default="prefer")
    p.add_argument("--workload", choices=("bank", "list-append", "both"), default="both")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--duration", type=float, default=20.0, help="seconds per workload")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--isolation", default="repeatable read",
                   type=lambda s: s.strip().lower(), choices=ISOLATION_LEVELS)
    p.add_argument("--keys", type=int, default=8,
                   help="bank accounts / concurrently active list-append keys")
    p.add_argument("--for-update", type=float, default=0.0,
                   help="fraction of list-append reads that are SELECT ... FOR UPDATE")
    p.add_argument("--max-txns", type=int, default=MAX_TXNS_DEFAULT,
                   help="hard cap on transaction attempts per workload")
    p.add_argument("--json", help="write the results as JSON to this file")
    p.add_argument("--history", help="write the list-append history (JSON lines) here")
    p.add_argument("--analyze-history", help="only analyse a history written by --history")
    p.add_argument("--expect-anomalies", action="store_true",
                   help="exit 0 iff at least one forbidden anomaly is found")
    args = p.parse_args(argv)
    if not args.analyze_history:
        if not (1 <= args.clients <= 256 and args.duration > 0 and args.keys >= 2
                and 1 <= args.max_txns <= 1_000_000 and 0 <= args.for_update <= 1):
            p.error("need 1 <= clients <= 256, duration > 0, keys >= 2, "
                    "1 <= max-txns <= 1e6, 0 <= for-update <= 1")
    return args


def analyze_history_file(path):
    txns = {}
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            t = analysis.txn_from_json({"id": e["txn"], "process": e["process"],
                                        "status": INFO if e["type"] == "invoke" else e["type"],
                                        "ops": e["ops"], "error": e["error"]})
            if e["type"] == "invoke":
                for op in t.ops:
                    op.value = None if op.f == READ else op.value
            txns[t.id] = t
    report, stats = analysis.check_list_append(list(txns.values()))
    return report, stats


def main(argv):
    args = parse_args(argv)
    results = {"config": {k: v for k, v in vars(args).items() if k != "password"},
               "workloads": {}}
    forbidden = []
    if args.analyze_history:
        runs = [("list-append", lambda: analyze_history_file(args.analyze_history))]
    else:
        if psycopg2 is None:
            print("checker: psycopg2 is missing; run with /usr/bin/python3", file=sys.stderr)
            return 2
        runs = []
        if args.workload in ("bank", "both"):
            runs.append(("bank", lambda: run_bank(args)))
        if args.workload in ("list-append", "both"):
            runs.append(("list-append", lambda: run_list_append(args)))
        print(f"checker: {args.workload} on {args.host}:{args.port}, isolation "
              f"{args.isolation!r}, {args.clients} clients, {args.duration} s, seed {args.seed}, "
              f"keys {args.keys}, for-update {args.for_update}", flush=True)
    for name, run in runs:
        try:
            report, stats = run()
        except (psycopg2.Error if psycopg2 else ()) as exc:
            print(f"checker: {name}: setup failed: {exc}".strip(), file=sys.stderr)
            return 2
        print(summarize(name, report, stats), flush=True)
        results["workloads"][name] = {"stats": stats, **report.to_json()}
        forbidden += [f"{name}:{k}" for k in report.forbidden()]
    results["forbidden"] = forbidden
    if args.expect_anomalies:
        results["valid"] = bool(forbidden)
        verdict = ("PASS: forbidden anomalies found as expected" if forbidden
                   else "FAIL: expected forbidden anomalies, found none")
    else:
        results["valid"] = not forbidden
        verdict = ("PASS: no forbidden anomaly" if not forbidden
                   else f"FAIL: forbidden anomalies {forbidden}")
    print(verdict)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1, default=str)
    return 0 if results["valid"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
