#!/usr/bin/python3
"""Open many idle client connections at once and check the server keeps serving them.

  /usr/bin/python3 tests/clients/idle_connections.py --host H --port P --user U --password PW
      --count N [--dbname DB] [--server-pid PID] [--sslmode require|disable]
      [--parallel 32] [--sample 200] [--hold 2] [--timeout 600]

Opens N connections (psycopg2/libpq, SCRAM, TLS unless --sslmode disable) with
bounded parallelism (--parallel worker threads; libpq's SCRAM and TLS work runs
outside the GIL), keeps all of them open, waits --hold seconds, then runs SELECT 1
on a random sample of --sample connections (and on the first and the last one
opened).  If --server-pid is given, reads VmRSS of that process from
/proc/PID/status before and after (and the sum over the process and its
descendants as PSS, which matters for process-per-connection servers such as
PostgreSQL).  Prints

  idle_connections: opened=N failed=F verified=S/S server_rss_mib=... ...

then closes everything.  Exit status 0 iff all N connections opened and every
sampled one answered.  --timeout bounds the whole run (connections not opened
by then count as failed; a watchdog exits with status 3 at --timeout + 60 s
if the server stops answering altogether).
"""
import argparse
import collections
import os
import random
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import psycopg2.extensions


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= need:
        return soft
    want = need if hard == resource.RLIM_INFINITY else max(hard, need)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, want))  # raising hard needs root
    except (ValueError, OSError):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0  # kernel threads / zombies have no VmRSS line


def pss_kib(pid):
    """Proportional set size (shared pages divided among the processes sharing them)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return rss_kib(pid)


def tree_pss_kib(pid):
    """PSS of pid plus all its descendants (summing RSS would count shared memory
    such as PostgreSQL's shared_buffers once per process)."""
    children = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children[ppid].append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    total, todo, nproc = 0, [pid], 0
    while todo:
        p = todo.pop()
        r = pss_kib(p)
        if r is not None:
            total += r
            nproc += 1
        todo.extend(children.get(p, []))
    return total, nproc


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", required=True, type=int)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--dbname", default="postgres")
    ap.add_argument("--count", required=True, type=int)
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--sslmode", choices=["require", "disable"], default="require")
    ap.add_argument("--parallel", type=int, default=32, help="connection attempts in flight (default 32)")
    ap.add_argument("--sample", type=int, default=200, help="connections checked with SELECT 1 (default 200)")
    ap.add_argument("--hold", type=float, default=2.0, help="seconds to keep all connections idle before checking")
    ap.add_argument("--timeout", type=float, default=600.0, help="total time limit in seconds (default 600)")
    args = ap.parse_args()

    t0 = time.monotonic()
    deadline = t0 + args.timeout

    # Hard stop: a server that accepts a connection or a query and then never answers
    # would otherwise block a worker forever (libpq has no query timeout).
    def watchdog():
        print(f"idle_connections: opened=? failed=? error=hard_timeout_{args.timeout + 60:.0f}s", flush=True)
        os._exit(3)
    timer = threading.Timer(args.timeout + 60, watchdog)
    timer.daemon = True
    timer.start()
    nofile = raise_nofile(args.count + 256)
    if nofile < args.count + 64:
        print(f"idle_connections: RLIMIT_NOFILE is {nofile}, too low for {args.count} connections", file=sys.stderr)
        print(f"idle_connections: opened=0 failed={args.count} error=rlimit_nofile")
        return 1

    dsn = psycopg2.extensions.make_dsn(
        host=args.host, port=args.port, user=args.user, password=args.password, dbname=args.dbname,
        sslmode=args.sslmode, application_name="borealis-idle", connect_timeout="30")

    rss_before = rss_kib(args.server_pid) if args.server_pid else None
    tree_before = tree_pss_kib(args.server_pid) if args.server_pid else (None, 0)

    conns = [None] * args.count
    errors = collections.Counter()
    lock = threading.Lock()
    progress = {"done": 0}

    def open_one(i):
        if time.monotonic() > deadline:
            with lock:
                errors["total timeout reached before connecting"] += 1
            return
        try:
            c = psycopg2.connect(dsn)
            c.autocommit = True
            if args.sslmode == "require" and not c.info.ssl_in_use:
                c.close()
                raise RuntimeError("connection is not using TLS")
            conns[i] = c
        except Exception as e:  # count and classify every failure
            msg = " ".join(str(e).split())[:200]
            with lock:
                errors[f"{type(e).__name__}: {msg}"] += 1
        with lock:
            progress["done"] += 1
            done = progress["done"]
        if done % 1000 == 0:
            print(f"idle_connections: {done}/{args.count} attempted, {time.monotonic() - t0:.1f}s",
                  file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
        list(pool.map(open_one, range(args.count)))
    t_open = time.monotonic() - t0
    opened_idx = [i for i, c in enumerate(conns) if c is not None]
    opened, failed = len(opened_idx), args.count - len(opened_idx)

    # Keep everything idle for a while, then check a sample still answers.
    time.sleep(max(0.0, min(args.hold, deadline - time.monotonic())))
    rss_after = rss_kib(args.server_pid) if args.server_pid else None
    tree_after = tree_pss_kib(args.server_pid) if args.server_pid else (None, 0)

    sample = set(random.sample(opened_idx, min(args.sample, opened_idx and len(opened_idx) or 0)))
    if opened_idx:
        sample.update({opened_idx[0], opened_idx[-1]})
    bad_sample = collections.Counter()

    def check_one(i):
        if time.monotonic() > deadline:
            with lock:
                bad_sample["total timeout reached before checking"] += 1
            return
        try:
            with conns[i].cursor() as cur:
                cur.execute("SELECT 1")
                if cur.fetchone() != (1,):
                    raise RuntimeError("SELECT 1 returned a wrong value")
        except Exception as e:
            with lock:
                bad_sample[f"{type(e).__name__}: {' '.join(str(e).split())[:200]}"] += 1

    with ThreadPoolExecutor(max_workers=max(1, min(args.parallel, 16))) as pool:
        list(pool.map(check_one, sorted(sample)))
    verified_ok = len(sample) - sum(bad_sample.values())

    for c in conns:
        if c is not None:
            try:
                c.close()
            except Exception:
                pass
    elapsed = time.monotonic() - t0

    for msg, n in errors.most_common(5):
        print(f"idle_connections: connect error x{n}: {msg}", file=sys.stderr)
    for msg, n in bad_sample.most_common(5):
        print(f"idle_connections: check error x{n}: {msg}", file=sys.stderr)

    line = (f"idle_connections: opened={opened} failed={failed} verified={verified_ok}/{len(sample)} "
            f"sslmode={args.sslmode} open_s={t_open:.1f} total_s={elapsed:.1f}")
    if args.server_pid:
        per_conn = ""
        if rss_before is not None and rss_after is not None and opened:
            per_conn = f" server_rss_kib_per_conn={(rss_after - rss_before) / opened:.1f}"
        line += (f" server_rss_mib={mib(rss_after)} server_rss_before_mib={mib(rss_before)}{per_conn}"
                 f" server_tree_pss_mib={mib(tree_after[0])} server_tree_procs={tree_after[1]}"
                 f" server_tree_pss_before_mib={mib(tree_before[0])}")
    print(line, flush=True)
    return 0 if failed == 0 and opened == args.count and verified_ok == len(sample) else 1


if __name__ == "__main__":
    sys.exit(main())
