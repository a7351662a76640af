#!/usr/bin/python3
"""Helpers of bench/compare (docs/PERFORMANCE.md): measuring, parsing tool output, tables.

Every subcommand prints exactly one line of space-separated key=value pairs on stdout (except
`report`, which prints markdown, and `write-doc`, which prints nothing); diagnostics go to
stderr. Nothing here starts or stops a server.

  procmem --pids P[,P...] [--interval S]
      Resets the peak RSS (VmHWM, via /proc/PID/clear_refs) of the processes and all their
      descendants, then samples them every S seconds until SIGTERM/SIGINT (stderr says
      "procmem: sampling" once the first sample is taken and the signals are handled). Prints
      peak_pss_kib (max over samples of the sum of Pss from smaps_rollup: shared pages charged
      once), peak_rss_kib (max of the sum of VmRSS), hwm_kib (sum over the processes seen of
      their VmHWM: the peak RSS of each, which counts shared memory once per process) and
      processes (most processes seen in one sample).
  fsync-floor --dir D [--seconds S]
      Appends 8 kB blocks to a preallocated 16 MiB file in D with pwrite + fdatasync each
      (the shape of a WAL commit) for S seconds: p50_us, p99_us, ops_per_s.
  pgbench --output FILE --log-prefix PREFIX
      Parses a pgbench run: tps, ops (committed transactions), failed, retried, retries and
      aborted (clients) from its summary; p50_us / p99_us over the committed transactions of
      the per-transaction logs PREFIX.* (pgbench -l; retried transactions included).
  sysbench --output FILE
      Parses a sysbench 1.0 run with --histogram=on: tps, qps, p95_us (its own percentile),
      p50_us / p99_us (from the histogram: upper edge of the bucket), ignored (errors sysbench
      ignored and retried: 40001, 23505, ...), reconnects, fatal (FATAL lines).
  pgbench-data --accounts N --branches N [--chunk ROWS]
      Prints (for psql) the rows `pgbench -i` generates client-side, here for N branches, 10
      tellers per branch and N accounts (bid = (aid - 1) / 100000 + 1, as pgbench): INSERTs of
      the branches and tellers, then the accounts as COPY FROM STDIN blocks of at most ROWS
      rows, each its own transaction (pgbench's one COPY of 1,000,000 accounts is a 110 MB
      commit, which a loaded one-process-per-role Borealis took minutes to apply).
  report RESULTS [--meta KEY=VALUE ...]
      Markdown tables from the result lines bench/compare collected (see there).
  write-doc DOC REPORT
      Replaces what lies between the bench/compare markers of DOC with REPORT.
"""
import argparse
import glob
import os
import signal
import statistics
import sys
import time

MAX_LOG_LINES = 20_000_000  # a per-transaction pgbench log longer than this is cut short


# ---------- procmem ----------
def _children_map():
    """pid -> ppid of every process now alive."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            # the command sits in parentheses and may contain spaces: parse after the last ')'
            parents[int(name)] = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return parents


def _tree(roots):
    parents = _children_map()
    found = {p for p in roots if p in parents}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in found and pid not in found:
                found.add(pid)
                grew = True
    return found


def _status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def cmd_procmem(args):
    roots = [int(p) for p in args.pids.split(",") if p]
    for pid in _tree(roots):
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
        except OSError as e:
            print(f"procmem: cannot reset VmHWM of {pid}: {e}", file=sys.stderr)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    peak_pss = peak_rss = most = 0
    hwm = {}
    while True:
        pss = rss = 0
        pids = _tree(roots)
        for pid in pids:
            try:
                pss += _pss_kib(pid)
                rss += _status_kib(pid, "VmRSS")
                hwm[pid] = max(hwm.get(pid, 0), _status_kib(pid, "VmHWM"))
            except OSError:
                continue  # exited between the listing and the read
        if not most:
            print(f"procmem: sampling {len(pids)} processes", file=sys.stderr, flush=True)
        peak_pss, peak_rss, most = max(peak_pss, pss), max(peak_rss, rss), max(most, len(pids))
        if stop:
            break
        time.sleep(args.interval)  # a signal interrupts the sleep; one last sample follows
    print(f"peak_pss_kib={peak_pss} peak_rss_kib={peak_rss} hwm_kib={sum(hwm.values())} "
          f"processes={most}")


# ---------- fsync-floor ----------
def cmd_fsync_floor(args):
    path = os.path.join(args.dir, "fsync-floor.dat")
    block = b"\x5a" * 8192
    size = 16 << 20
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, b"\0" * size)  # preallocated, like a WAL segment: no size change per write
        os.fsync(fd)
        lat_us, offset = [], 0
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            t0 = time.monotonic_ns()
            os.pwrite(fd, block, offset)
            os.fdatasync(fd)
            lat_us.append((time.monotonic_ns() - t0) / 1000)
            offset = (offset + len(block)) % size
    finally:
        os.close(fd)
        os.unlink(path)
    lat_us.sort()
    print(f"p50_us={_pct(lat_us, 50):.0f} p99_us={_pct(lat_us, 99):.0f} "
          f"ops_per_s={len(lat_us) / args.seconds:.0f}")


def _pct(sorted_xs, p):
    if not sorted_xs:
        return -1
    return sorted_xs[min(len(sorted_xs) - 1, int(len(sorted_xs) * p / 100))]


# ---------- pgbench ----------
def _after(text, prefix):
    for line in text.splitlines():
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return None


def cmd_pgbench(args):
    text = open(args.output, errors="replace").read()
    out = {}
    tps = _after(text, "tps =")
    out["tps"] = tps.split()[0] if tps else "0"
    for key, prefix in (("ops", "number of transactions actually processed:"),
                        ("failed", "number of failed transactions:"),
                        ("retried", "number of transactions retried:"),
                        ("retries", "total number of retries:")):
        value = _after(text, prefix)
        out[key] = value.split()[0].split("/")[0] if value else "0"
    out["aborted"] = str(sum(1 for line in text.splitlines() if "aborted" in line and "client" in line))
    # per-transaction log: client_id transaction_no time script_no time_epoch time_us [retries]
    lat_us, lines = [], 0
    for path in glob.glob(glob.escape(args.log_prefix) + ".*"):
        with open(path) as f:
            for line in f:
                lines += 1
                if lines > MAX_LOG_LINES:
                    break
                fields = line.split()
                if len(fields) >= 3 and fields[2].isdigit():
                    lat_us.append(int(fields[2]))
    lat_us.sort()
    out["p50_us"] = str(_pct(lat_us, 50))
    out["p99_us"] = str(_pct(lat_us, 99))
    print(" ".join(f"{k}={v}" for k, v in out.items()))


# ---------- sysbench ----------
def cmd_sysbench(args):
    text = open(args.output, errors="replace").read()
    out = {"tps": "0", "qps": "0", "ignored": "0", "reconnects": "0"}
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("transactions:") and "per sec" in s:
            out["tps"] = s.split("(")[1].split()[0]
        elif s.startswith("queries:") and "per sec" in s:
            out["qps"] = s.split("(")[1].split()[0]
        elif s.startswith("ignored errors:"):
            out["ignored"] = s.split()[2]
        elif s.startswith("reconnects:"):
            out["reconnects"] = s.split()[1]
        elif s.startswith("95th percentile:"):
            out["p95_us"] = f"{float(s.split()[2]) * 1000:.0f}"
    # histogram lines: "  value  |****   count" (value in ms, the bucket's upper edge)
    buckets = []
    for line in text.splitlines():
        parts = line.split("|")
        if len(parts) == 2:
            try:
                buckets.append((float(parts[0]), int(parts[1].split()[-1])))
            except (ValueError, IndexError):
                continue
    total = sum(c for _, c in buckets)
    for name, p in (("p50_us", 50), ("p99_us", 99)):
        seen, value = 0, -1
        for ms, count in sorted(buckets):
            seen += count
            if total and seen >= total * p / 100:
                value = ms * 1000
                break
        out[name] = f"{value:.0f}"
    out["fatal"] = str(sum(1 for line in text.splitlines() if line.startswith("FATAL")))
    print(" ".join(f"{k}={v}" for k, v in out.items()))


# ---------- pgbench-data ----------
def cmd_pgbench_data(args):
    w = sys.stdout.write
    w("INSERT INTO pgbench_branches (bid, bbalance) VALUES "
      + ",".join(f"({b},0)" for b in range(1, args.branches + 1)) + ";\n")
    w("INSERT INTO pgbench_tellers (tid, bid, tbalance) VALUES "
      + ",".join(f"({t},{(t - 1) // 10 + 1},0)" for t in range(1, 10 * args.branches + 1)) + ";\n")
    for lo in range(1, args.accounts + 1, args.chunk):
        hi = min(args.accounts, lo + args.chunk - 1)
        w("COPY pgbench_accounts (aid, bid, abalance, filler) FROM STDIN;\n")
        for start in range(lo, hi + 1, 10_000):
            w("".join(f"{a}\t{(a - 1) // 100_000 + 1}\t0\t\n"
                      for a in range(start, min(hi, start + 9_999) + 1)))
        w("\\.\n")


# ---------- report ----------
WORKLOADS = {  # name -> (label in the table, unit of its rate)
    "pgbench-select": ("pgbench select-only (`-S` statements, prepared)", "tps"),
    "pgbench-select-simple": ("pgbench select-only (simple protocol)", "tps"),
    "tpcb": ("pgbench TPC-B, 100 branches (prepared, `--max-tries=20`)", "tps"),
    "tpcb-hot": ("pgbench TPC-B hot, 10 branches (same)", "tps"),
    "sysbench-point-select": ("sysbench oltp_point_select", "tps"),
    "sysbench-read-write": ("sysbench oltp_read_write", "tps"),
    "point-select": ("pgload point select (prepared)", "tps"),
    "update": ("pgload update v = v + 1 (autocommit)", "tps"),
    "insert-latency": ("commit latency (1 client, autocommit INSERT)", "commits/s"),
}


def _med(xs):
    xs = [float(x) for x in xs if x not in (None, "", "-1")]
    return statistics.median(xs) if xs else None


def _num(x):
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def _us(x):
    if x is None:
        return "n/a"
    return f"{x / 1000:.2f} ms" if x >= 1000 else f"{x:.0f} us"


def _mib(kib):
    return "n/a" if kib is None else f"{float(kib) / 1024:,.0f}"


def _sum(rs, *keys):
    return sum(int(float(r.get(k, 0) or 0)) for r in rs for k in keys)


def _load_table(runs, meta, dep):
    rs = [r for r in runs if r.get("deployment") == dep and r.get("workload") != "idle"]
    out = ["| workload | PostgreSQL | Borealis | ratio B/PG | p50 PG / B | p99 PG / B | "
           "retries PG / B | failed PG / B | peak Σ PSS MiB PG / B | peak Σ VmHWM MiB B |",
           "|---|---:|---:|---:|---|---|---|---|---|---:|"]
    per_round = []
    for w in [w for w in WORKLOADS if any(r["workload"] == w for r in rs)]:
        pg = [r for r in rs if r["workload"] == w and r["server"] == "postgresql"]
        b = [r for r in rs if r["workload"] == w and r["server"] == "borealis"]
        label, unit = WORKLOADS[w]
        # ratio: median of the per-round ratios (round i pairs PostgreSQL run i with Borealis run i)
        # commit latency is judged by its p50 (BENCHMARKS.md targets), everything else by its rate
        key, suffix = ("p50_us", " (p50)") if w == "insert-latency" else ("tps", "")
        ratios = [float(y[key]) / float(x[key]) for x, y in zip(pg, b) if float(x[key]) > 0]
        ratio = f"{statistics.median(ratios):.2f}x{suffix}" if ratios else "n/a"
        p99 = " / ".join(_us(_med(r.get("p99_us") for r in xs)) for xs in (pg, b))
        if w.startswith("sysbench"):
            p99 += " (p95 " + " / ".join(_us(_med(r.get("p95_us") for r in xs)) for xs in (pg, b)) + ")"
        retries = f"{_sum(pg, 'retries')} / {_sum(b, 'retries')}"
        bad = ("failed", "aborted", "fatal", "errors", "gave_up")
        failed = f"{_sum(pg, *bad)} / {_sum(b, *bad)}"
        if w.startswith("sysbench"):  # sysbench retries what it ignores; reconnects are separate
            retries = f"{_sum(pg, 'ignored')} / {_sum(b, 'ignored')} ignored"
            recon = _sum(pg + b, "reconnects")
            if recon:
                retries += f", {_sum(pg, 'reconnects')} / {_sum(b, 'reconnects')} reconnects"
        pss = " / ".join(_mib(max((int(r.get("peak_pss_kib", 0)) for r in xs), default=None)) for xs in (pg, b))
        hwm = _mib(max((int(r.get("hwm_kib", 0)) for r in b), default=None))
        out.append(f"| {label} | {_num(_med(r['tps'] for r in pg))} {unit} | "
                   f"{_num(_med(r['tps'] for r in b))} {unit} | {ratio} | "
                   f"{' / '.join(_us(_med(r.get('p50_us') for r in xs)) for xs in (pg, b))} | {p99} | "
                   f"{retries} | {failed} | {pss} | {hwm} |")
        if w == "insert-latency" and meta.get(f"fsync_{dep}"):
            f = dict(kv.split("=", 1) for kv in meta[f"fsync_{dep}"].split(","))
            out.append(f"| fdatasync of 8 kB on the same disk (the floor of a durable commit) | "
                       f"{_num(float(f['ops_per_s']))} /s | | | {_us(float(f['p50_us']))} | "
                       f"{_us(float(f['p99_us']))} | | | | |")
        per_round.append(f"{w}: " + ", ".join(
            f"{float(x['tps']):.0f} [{x['load1']}] / {float(y['tps']):.0f} [{y['load1']}]"
            for x, y in zip(pg, b)))
    out += ["", "Per-round rates (PostgreSQL / Borealis), 1-minute load average before each run "
            "in brackets: " + "; ".join(per_round) + ".", ""]
    return out


def _idle_table(runs):
    idle = [r for r in runs if r.get("workload") == "idle"]
    if not idle:
        return []
    out = ["### Idle connections (opened with SCRAM, held 2 s, SELECT 1 checked on a sample)", "",
           "| server | connections | opened / failed | verified | open time | Σ PSS before → after MiB | "
           "per connection KiB (Δ PSS) | Σ RSS after MiB | Σ VmHWM MiB | processes |",
           "|---|---:|---|---|---:|---|---:|---:|---:|---:|"]
    for r in idle:
        who = "PostgreSQL 15" if r["server"] == "postgresql" else f"Borealis {r['deployment']}"
        hwm = "n/a (shared memory counted per backend)" if r["server"] == "postgresql" else _mib(r["server_hwm_kib"])
        out.append(f"| {who} | {int(r['connections']):,} | {r['opened']} / {r['failed']} | {r['verified']} | "
                   f"{float(r['open_s']):.1f} s | {_mib(r['pss_before_kib'])} → {_mib(r['pss_after_kib'])} | "
                   f"{max(0.0, float(r['pss_per_conn_kib'])):.1f} | {_mib(r['rss_after_kib'])} | {hwm} | "
                   f"{r['server_processes']} |")
    out.append("")
    return out


def cmd_report(args):
    meta = dict(kv.split("=", 1) for kv in args.meta)
    runs = [dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
            for line in open(args.results) if line.strip()]
    out = [f"Run {meta['date']} on {meta['machine']}; {meta['pg_version']}; Borealis `{meta['binary']}` "
           f"(built {meta['built']}; checkout at {meta['commit']} when the run started); "
           f"wall time {meta['wall']}.", "",
           f"Command: `{meta['invocation']}` — {meta['rounds']} round(s) alternating PostgreSQL and "
           f"Borealis, {meta['duration']} s per run, {meta['threads']} clients (each its own "
           f"connection; pgbench `-j 2`), pgbench tables with the 1,000,000 accounts of `-s 10`, 100 "
           f"branches and 1,000 tellers, sysbench "
           f"{meta['sysbench']}, TCP 127.0.0.1, sslmode=disable, SCRAM; figures are medians over "
           f"rounds, counts are totals.", ""]
    titles = {"embedded": "Embedded deployment (one `borealis start` process)",
              "per-role": "One process per role (`scripts/cluster up`: journal, adjudicator, crossbar, "
                          "storage, qp)"}
    for dep in ("embedded", "per-role"):
        if any(r.get("deployment") == dep and r.get("workload") != "idle" for r in runs):
            out += [f"### {titles[dep]}", ""] + _load_table(runs, meta, dep)
    out += _idle_table(runs)
    print("\n".join(out))


def cmd_write_doc(args):
    begin = "<!-- bench/compare:begin (generated; edit outside the markers) -->"
    end = "<!-- bench/compare:end -->"
    body = open(args.report).read().rstrip("\n")
    text = open(args.doc).read() if os.path.exists(args.doc) else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in text or end not in text:
        text = text.rstrip("\n") + f"\n\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(args.doc, "w") as f:
        f.write(f"{head}{begin}\n{body}\n{end}{tail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("procmem")
    p.add_argument("--pids", required=True)
    p.add_argument("--interval", type=float, default=0.5)
    p.set_defaults(run=cmd_procmem)
    p = sub.add_parser("fsync-floor")
    p.add_argument("--dir", required=True)
    p.add_argument("--seconds", type=float, default=2.0)
    p.set_defaults(run=cmd_fsync_floor)
    p = sub.add_parser("pgbench")
    p.add_argument("--output", required=True)
    p.add_argument("--log-prefix", required=True)
    p.set_defaults(run=cmd_pgbench)
    p = sub.add_parser("sysbench")
    p.add_argument("--output", required=True)
    p.set_defaults(run=cmd_sysbench)
    p = sub.add_parser("pgbench-data")
    p.add_argument("--accounts", type=int, required=True)
    p.add_argument("--branches", type=int, required=True)
    p.add_argument("--chunk", type=int, default=100_000)
    p.set_defaults(run=cmd_pgbench_data)
    p = sub.add_parser("report")
    p.add_argument("results")
    p.add_argument("--meta", nargs="*", default=[])
    p.set_defaults(run=cmd_report)
    p = sub.add_parser("write-doc")
    p.add_argument("doc")
    p.add_argument("report")
    p.set_defaults(run=cmd_write_doc)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
