#!/usr/bin/python3
"""Tests of bench/compare.py: the parsers of pgbench and sysbench output, the memory sampler,
the fdatasync loop, the report and the splice into the doc. Outputs are shaped like those of
pgbench 15 and sysbench 1.0.20. Run: /usr/bin/python3 tests/bench/compare_test.py
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELPER = os.path.join(TOP, "bench", "compare.py")

PGBENCH_OUT = """pgbench (15.18 (Debian 15.18-0+deb12u1))
transaction type: tpcb.sql
scaling factor: 10
query mode: prepared
number of clients: 8
number of threads: 2
maximum number of tries: 20
duration: 3 s
number of transactions actually processed: 650
number of failed transactions: 9 (1.366%)
number of transactions retried: 445 (67.527%)
total number of retries: 1996
latency average = 35.923 ms (including failures)
initial connection time = 44.892 ms
tps = 219.659379 (without initial connection time)
"""

SYSBENCH_OUT = """sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)

Latency histogram (values are in milliseconds)
       value  ------------- distribution ------------- count
       1.000 |****************************************  50
       2.000 |************************                  30
       5.000 |****************                          19
      40.000 |*                                         1

SQL statistics:
    queries performed:
        read:                            18214
        total:                           25980
    transactions:                        1261   (250.11 per sec.)
    queries:                             25980  (5152.85 per sec.)
    ignored errors:                      40     (7.93 per sec.)
    reconnects:                          2      (0.40 per sec.)

Latency (ms):
         min:                                   13.01
         95th percentile:                       52.89
"""


def helper(*args, **kwargs):
    return subprocess.run([sys.executable, HELPER, *args], check=True, capture_output=True,
                          text=True, **kwargs).stdout


def keyvalues(line):
    return dict(kv.split("=", 1) for kv in line.split())


class PgbenchTest(unittest.TestCase):
    def test_summary_and_log_percentiles(self):
        with tempfile.TemporaryDirectory() as d:
            with open(f"{d}/out", "w") as f:
                f.write(PGBENCH_OUT)
            # client_id transaction_no time_us script_no epoch epoch_us retries; 100 committed
            # transactions of 1..100 us in two thread files, and a failed one (not counted)
            with open(f"{d}/tx.123", "w") as f:
                f.writelines(f"0 {i} {i} 0 1795862382 1 0\n" for i in range(1, 51))
                f.write("0 51 failed 0 1795862382 1 19\n")
            with open(f"{d}/tx.123.1", "w") as f:
                f.writelines(f"1 {i} {i} 0 1795862382 1 2\n" for i in range(51, 101))
            r = keyvalues(helper("pgbench", "--output", f"{d}/out", "--log-prefix", f"{d}/tx"))
        self.assertEqual(r["tps"], "219.659379")
        self.assertEqual((r["ops"], r["failed"], r["retried"], r["retries"]), ("650", "9", "445", "1996"))
        self.assertEqual(r["aborted"], "0")
        self.assertEqual((r["p50_us"], r["p99_us"]), ("51", "100"))

    def test_no_log_gives_no_percentile(self):
        with tempfile.TemporaryDirectory() as d:
            with open(f"{d}/out", "w") as f:
                f.write("pgbench: error: client 3 aborted in command 4\n")
            r = keyvalues(helper("pgbench", "--output", f"{d}/out", "--log-prefix", f"{d}/tx"))
        self.assertEqual((r["tps"], r["aborted"], r["p50_us"]), ("0", "1", "-1"))


class PgbenchDataTest(unittest.TestCase):
    def test_rows_like_pgbench_init_in_chunks(self):
        text = helper("pgbench-data", "--accounts", "250001", "--branches", "3", "--chunk", "100000")
        lines = text.splitlines()
        self.assertEqual(lines[0], "INSERT INTO pgbench_branches (bid, bbalance) VALUES (1,0),(2,0),(3,0);")
        self.assertTrue(lines[1].endswith("(29,3,0),(30,3,0);"))
        self.assertEqual(text.count("COPY pgbench_accounts"), 3)
        self.assertEqual(text.count("\\.\n"), 3)
        rows = [line for line in lines if line[:1].isdigit()]
        self.assertEqual(len(rows), 250001)
        self.assertEqual((rows[0], rows[99999], rows[100000], rows[-1]),
                         ("1\t1\t0\t", "100000\t1\t0\t", "100001\t2\t0\t", "250001\t3\t0\t"))


class SysbenchTest(unittest.TestCase):
    def test_statistics_and_histogram(self):
        with tempfile.TemporaryDirectory() as d:
            with open(f"{d}/out", "w") as f:
                f.write(SYSBENCH_OUT)
            r = keyvalues(helper("sysbench", "--output", f"{d}/out"))
        self.assertEqual((r["tps"], r["qps"]), ("250.11", "5152.85"))
        self.assertEqual((r["ignored"], r["reconnects"], r["fatal"]), ("40", "2", "0"))
        self.assertEqual(r["p95_us"], "52890")
        # 100 events: the 50th falls in the 1 ms bucket, the 99th in the 5 ms one
        self.assertEqual((r["p50_us"], r["p99_us"]), ("1000", "5000"))


class MeasureTest(unittest.TestCase):
    def test_procmem_sums_a_process_tree(self):
        # a shell with a child that holds 64 MiB: the sum must see the child
        tree = subprocess.Popen(["/bin/sh", "-c", f"{sys.executable} -c 'b = bytearray(64 << 20); "
                                 "import time; time.sleep(20)' & wait"], start_new_session=True)
        try:
            time.sleep(1.0)
            sampler = subprocess.Popen([sys.executable, HELPER, "procmem", "--pids", str(tree.pid),
                                        "--interval", "0.1"], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
            self.assertIn("procmem: sampling", sampler.stderr.readline())
            time.sleep(0.3)
            sampler.terminate()
            r = keyvalues(sampler.communicate(timeout=10)[0])
        finally:
            os.killpg(tree.pid, signal.SIGKILL)  # the shell and its child
            tree.wait()
        self.assertEqual(r["processes"], "2")
        self.assertGreater(int(r["peak_rss_kib"]), 64 << 10)
        self.assertGreater(int(r["peak_pss_kib"]), 60 << 10)
        self.assertGreater(int(r["hwm_kib"]), 64 << 10)

    def test_fsync_floor(self):
        with tempfile.TemporaryDirectory() as d:
            r = keyvalues(helper("fsync-floor", "--dir", d, "--seconds", "0.3"))
            self.assertEqual(os.listdir(d), [])
        self.assertGreater(int(r["ops_per_s"]), 0)
        self.assertLessEqual(int(r["p50_us"]), int(r["p99_us"]))


class ReportTest(unittest.TestCase):
    META = ["date=D", "machine=M", "pg_version=PG", "binary=B", "built=X", "commit=C", "wall=W",
            "invocation=bench/compare", "rounds=2", "duration=10", "threads=8", "sysbench=S",
            "fsync_embedded=p50_us=120,p99_us=400,ops_per_s=7000"]

    def report(self, lines):
        with tempfile.TemporaryDirectory() as d:
            with open(f"{d}/results", "w") as f:
                f.write("\n".join(lines) + "\n")
            return helper("report", f"{d}/results", "--meta", *self.META)

    def test_medians_ratios_and_totals(self):
        run = "deployment=embedded workload=tpcb peak_pss_kib=102400 hwm_kib=204800 load1=1.0"
        text = self.report([
            f"server=postgresql tps=1000 p50_us=2000 p99_us=9000 retries=0 failed=0 {run}",
            f"server=borealis tps=500 p50_us=4000 p99_us=20000 retries=7 failed=1 {run}",
            f"server=postgresql tps=3000 p50_us=1000 p99_us=8000 retries=0 failed=0 {run}",
            f"server=borealis tps=600 p50_us=3000 p99_us=10000 retries=3 failed=0 {run}",
            "server=postgresql tps=400 p50_us=2500 p99_us=9000 deployment=embedded "
            "workload=insert-latency peak_pss_kib=0 load1=1",
            "server=borealis tps=800 p50_us=1000 p99_us=9000 deployment=embedded "
            "workload=insert-latency peak_pss_kib=0 load1=1",
        ])
        row = next(line for line in text.splitlines() if line.startswith("| pgbench TPC-B"))
        # tps medians 2,000 / 550; ratio = median of the per-round ratios 0.5 and 0.2
        self.assertIn("| 2,000 tps | 550 tps | 0.35x |", row)
        self.assertIn("| 0 / 10 | 0 / 1 |", row)  # retries and failures summed over rounds
        self.assertIn("| 100 / 100 | 200 |", row)  # peak memory in MiB
        latency = next(line for line in text.splitlines() if line.startswith("| commit latency"))
        self.assertIn("| 0.40x (p50) |", latency)
        self.assertIn("| fdatasync of 8 kB", text)
        self.assertNotIn("One process per role", text)

    def test_write_doc_replaces_only_between_markers(self):
        with tempfile.TemporaryDirectory() as d:
            begin = "<!-- bench/compare:begin (generated; edit outside the markers) -->"
            with open(f"{d}/doc.md", "w") as f:
                f.write(f"# T\nbefore\n{begin}\nold table\n<!-- bench/compare:end -->\nafter\n")
            with open(f"{d}/report.md", "w") as f:
                f.write("new table\n")
            helper("write-doc", f"{d}/doc.md", f"{d}/report.md")
            with open(f"{d}/doc.md") as f:
                text = f.read()
        self.assertEqual(text, f"# T\nbefore\n{begin}\nnew table\n<!-- bench/compare:end -->\nafter\n")


if __name__ == "__main__":
    unittest.main()
