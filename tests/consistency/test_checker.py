"""Unit tests for the consistency checker's analysis on hand-made histories.

Run from tests/consistency:   /usr/bin/python3 -m unittest -v
or from anywhere:             /usr/bin/python3 tests/consistency/test_checker.py
"""
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import analysis  # noqa: E402
from analysis import FAIL, INFO, OK, Op, Report, Txn  # noqa: E402


def a(key, value):
    return Op("append", key, value)


def r(key, values, for_update=False):
    return Op("r", key, None if values is None else list(values), for_update)


def rfu(key, values):
    return r(key, values, True)


def T(txn_id, *ops, status=OK):
    return Txn(txn_id, status, list(ops))


def check(*txns):
    report, stats = analysis.check_list_append(list(txns))
    return report, stats


class CleanHistories(unittest.TestCase):
    def test_empty(self):
        report, stats = check()
        self.assertEqual(report.forbidden(), [])
        self.assertEqual(stats["txns"], 0)

    def test_serial_history_is_clean(self):
        report, stats = check(
            T(1, a(1, 1), a(2, 2)),
            T(2, r(1, [1]), a(1, 3), r(1, [1, 3])),
            T(3, r(1, [1, 3]), r(2, [2])),
            T(4, r(3, []), a(3, 4)),
            T(5, r(3, [4]), r(2, [2]), a(2, 5)),
            T(6, r(2, [2, 5])))
        self.assertEqual(report.forbidden(), [])
        self.assertEqual(report.allowed(), [])
        self.assertGreater(stats["edges"].get("ww", 0), 0)
        self.assertGreater(stats["edges"].get("wr", 0), 0)

    def test_failed_and_unobserved_info_txns_are_ignored(self):
        report, stats = check(
            T(1, a(1, 1), status=FAIL),
            T(2, a(1, 2), status=INFO),
            T(3, r(1, []), status=FAIL),
            T(4, r(1, [])))
        self.assertEqual(report.forbidden(), [])
        self.assertEqual(stats["info_committed"], 0)

    def test_observed_info_txn_counts_as_committed(self):
        report, stats = check(
            T(1, a(1, 1), status=INFO),
            T(2, r(1, [1])))
        self.assertEqual(report.forbidden(), [])
        self.assertEqual(stats["info_committed"], 1)
        self.assertEqual(stats["edges"], {"wr": 1})

    def test_write_skew_is_allowed_g2_item(self):
        report, _ = check(
            T(1, r(1, []), a(2, 1)),
            T(2, r(2, []), a(1, 2)),
            T(3, r(1, [2]), r(2, [1])))
        self.assertEqual(report.forbidden(), [])
        self.assertEqual(report.allowed(), ["G2-item"])
        edges = report.examples["G2-item"][0]["edges"]
        self.assertEqual(sorted(e["type"] for e in edges), ["rw", "rw"])


class Anomalies(unittest.TestCase):
    def assertFound(self, report, kind, only=True):
        self.assertIn(kind, report.counts, report.to_json())
        if only:
            self.assertEqual(report.forbidden(), [kind], report.to_json())

    def test_g0_write_cycle(self):
        report, _ = check(
            T(1, a(1, 1), a(2, 2)),
            T(2, a(1, 3), a(2, 4)),
            T(3, r(1, [1, 3]), r(2, [4, 2])))
        self.assertFound(report, "G0")
        cycle = report.examples["G0"][0]["cycle"]
        self.assertEqual(cycle[0], cycle[-1])
        self.assertEqual(sorted(set(cycle)), [1, 2])

    def test_g1a_aborted_read(self):
        report, _ = check(
            T(1, a(1, 1), status=FAIL),
            T(2, r(1, [1])))
        self.assertFound(report, "G1a")
        self.assertEqual(report.examples["G1a"][0]["writer"]["txn"], 1)

    def test_g1b_intermediate_read(self):
        report, _ = check(
            T(1, a(1, 1), a(1, 2)),
            T(2, r(1, [1])))
        self.assertFound(report, "G1b")

    def test_own_intermediate_value_is_not_g1b(self):
        report, _ = check(T(1, a(1, 1), r(1, [1]), a(1, 2), r(1, [1, 2])))
        self.assertEqual(report.forbidden(), [])

    def test_g1c_circular_information_flow(self):
        report, _ = check(
            T(1, a(1, 1), r(2, [2])),
            T(2, a(2, 2), r(1, [1])))
        self.assertFound(report, "G1c")

    def test_g_single_read_skew(self):
        # T1 sees T2's write to key 2 but not its write to key 1.
        report, _ = check(
            T(1, r(1, []), r(2, [2])),
            T(2, a(1, 1), a(2, 2)),
            T(3, r(1, [1])))
        self.assertFound(report, "G-single")
        edges = report.examples["G-single"][0]["edges"]
        self.assertEqual(sorted(e["type"] for e in edges), ["rw", "wr"])

    def test_lost_update(self):
        report, _ = check(
            T(1, r(1, []), a(1, 1)),
            T(2, r(1, []), a(1, 2)),
            T(3, r(1, [1, 2])))
        self.assertIn("lost-update", report.counts)
        # The same history is also a G-single cycle (T2 -rw-> T1 -ww-> T2).
        self.assertEqual(report.forbidden(), ["G-single", "lost-update"])

    def test_lost_update_needs_both_committed(self):
        report, _ = check(
            T(1, r(1, []), a(1, 1)),
            T(2, r(1, []), a(1, 2), status=FAIL),
            T(3, r(1, [1])))
        self.assertEqual(report.forbidden(), [])

    def test_internal_missing_own_append(self):
        report, _ = check(T(1, a(1, 1), r(1, [])))
        self.assertFound(report, "internal")

    def test_internal_non_repeatable_read(self):
        report, _ = check(
            T(1, r(1, []), r(1, [1])),
            T(2, a(1, 1)))
        self.assertIn("internal", report.counts)

    def test_internal_read_after_read_and_append(self):
        report, _ = check(
            T(1, r(1, [2]), a(1, 1), r(1, [2, 3, 1])),
            T(2, a(1, 2)), T(3, a(1, 3)))
        self.assertIn("internal", report.counts)

    def test_incompatible_order(self):
        report, _ = check(
            T(1, a(1, 1)), T(2, a(1, 2)),
            T(3, r(1, [1, 2])),
            T(4, r(1, [2])))
        self.assertFound(report, "incompatible-order")

    def test_garbage_read(self):
        report, _ = check(T(1, r(1, [99])))
        self.assertFound(report, "garbage-read")

    def test_duplicate_elements(self):
        report, _ = check(T(1, a(1, 1)), T(2, r(1, [1, 1])))
        self.assertIn("duplicate-elements", report.counts)

    def test_final_read_finds_lost_acknowledged_write(self):
        txns = [T(1, a(1, 1)), T(2, a(1, 2)), T(3, a(1, 3), status=INFO)]
        report, _ = analysis.check_list_append(txns, final={1: [1, 2]})
        self.assertEqual(report.forbidden(), [])
        report, _ = analysis.check_list_append(txns, final={1: [2]})
        self.assertIn("lost-ack-write", report.counts)

    def test_final_read_joins_the_dependency_graph(self):
        # Without the final read nothing orders 2 after 1; with it, T3's read skew shows.
        txns = [T(1, a(1, 1), a(2, 2)), T(3, r(1, []), r(2, [2]))]
        report, _ = analysis.check_list_append(txns)
        self.assertEqual(report.forbidden(), [])
        report, _ = analysis.check_list_append(txns, final={1: [1], 2: [2]})
        self.assertEqual(report.forbidden(), ["G-single"])

    def test_write_skew_through_for_update_is_forbidden(self):
        report, _ = check(
            T(1, rfu(1, []), a(2, 1)),
            T(2, r(2, []), a(1, 2)),
            T(3, r(1, [2]), r(2, [1])))
        self.assertFound(report, "G2-item-for-update")
        report, _ = check(
            T(1, rfu(1, []), a(2, 1)),
            T(2, rfu(2, []), a(1, 2)),
            T(3, r(1, [2]), r(2, [1])))
        self.assertFound(report, "G2-item-for-update")

    def test_longer_g_single_cycle(self):
        # T1 -rw(1)-> T2 -ww(2)-> T3 -wr(3)-> T1
        report, _ = check(
            T(1, r(1, []), r(3, [3])),
            T(2, a(1, 1), a(2, 2)),
            T(3, a(2, 4), a(3, 3)),
            T(4, r(1, [1]), r(2, [2, 4])))
        self.assertFound(report, "G-single")
        self.assertEqual(len(report.examples["G-single"][0]["edges"]), 3)


class Helpers(unittest.TestCase):
    def test_tarjan(self):
        graph = {1: [2], 2: [3], 3: [1, 4], 4: [5], 5: [4], 6: []}
        comps = analysis.tarjan_scc(sorted(graph), lambda n: graph[n])
        self.assertEqual(sorted(sorted(c) for c in comps), [[1, 2, 3], [4, 5], [6]])

    def test_tarjan_deep_chain_is_iterative(self):
        n = 20000
        comps = analysis.tarjan_scc(range(n), lambda i: [i + 1] if i + 1 < n else [0])
        self.assertEqual([len(c) for c in comps], [n])

    def test_json_round_trip(self):
        t = T(7, a(1, 2), rfu(1, [2]), r(3, None), status=INFO)
        back = analysis.txn_from_json(t.to_json())
        self.assertEqual(back, Txn(7, INFO, t.ops))

    def test_bank(self):
        report = Report()
        analysis.check_bank_read(report, 1, {0: 50, 1: 50}, 100, 2)
        self.assertEqual(report.forbidden(), [])
        analysis.check_bank_read(report, 2, {0: 60, 1: 50}, 100, 2)
        analysis.check_bank_read(report, 3, {0: 110, 1: -10}, 100, 2)
        analysis.check_bank_read(report, 4, {0: 100}, 100, 2)
        self.assertEqual(report.forbidden(),
                         ["bank-negative-balance", "bank-wrong-row-count", "bank-wrong-total"])


class DriverHelpers(unittest.TestCase):
    """The parts of checker.py that decide what a history records."""

    class FakeError(Exception):
        def __init__(self, pgcode):
            super().__init__(f"error {pgcode}")
            self.pgcode = pgcode

    def test_outcome_classification(self):
        import checker
        E = self.FakeError
        self.assertEqual(checker.classify(E("40001"), commit_sent=True).status, FAIL)
        self.assertEqual(checker.classify(E("23505"), commit_sent=True).status, FAIL)
        self.assertEqual(checker.classify(E(None), commit_sent=False).status, FAIL)
        self.assertEqual(checker.classify(E("08006"), commit_sent=False).status, FAIL)
        self.assertEqual(checker.classify(E(None), commit_sent=True).status, INFO)
        self.assertEqual(checker.classify(E("08006"), commit_sent=True).status, INFO)
        self.assertEqual(checker.classify(E("40003"), commit_sent=True).status, INFO)
        self.assertEqual(checker.classify(E("57P01"), commit_sent=True).status, INFO)
        self.assertTrue(checker.is_retryable(checker.classify(E("40001"), True)))
        self.assertFalse(checker.is_retryable(checker.classify(E(None), True)))

    def test_parse_list(self):
        import checker
        self.assertEqual(checker.parse_list(""), [])
        self.assertEqual(checker.parse_list(None), [])
        self.assertEqual(checker.parse_list(",3,1,2"), [3, 1, 2])

    def test_key_pool_retires_keys(self):
        import checker
        pool = checker.KeyPool(2, total_rows=4)
        for _ in range(checker.APPENDS_PER_KEY_MAX):
            pool.note_append(0)
        self.assertEqual(sorted(pool.active), [1, 2])
        for _ in range(checker.APPENDS_PER_KEY_MAX):
            pool.note_append(1)
            pool.note_append(2)
        self.assertEqual(sorted(pool.active), [2, 3])   # rows ran out: key 2 stays active
        self.assertIn(pool.pick(random.Random(1)), (2, 3))


# ---------------------------------------------------------------------------------------------
# Randomized: in-memory databases with known isolation levels.
# ---------------------------------------------------------------------------------------------

class _SimDb:
    """A tiny MVCC store. mode "si": snapshot reads, first committer wins, FOR UPDATE reads
    count as writes; mode "rc": every read sees the latest commit (plus its own appends), an
    append takes the key's row lock until commit and is applied to the latest value at commit,
    no conflict checks (like PostgreSQL's READ COMMITTED UPDATE)."""

    def __init__(self, mode, seed, n_keys=4, n_clients=5, n_txns=400):
        self.mode, self.rng = mode, random.Random(seed)
        self.n_keys, self.n_clients, self.n_txns = n_keys, n_clients, n_txns
        self.value = {k: [] for k in range(n_keys)}   # latest committed
        self.history = {k: [(0, [])] for k in range(n_keys)}  # (commit ts, value)
        self.touched = {k: 0 for k in range(n_keys)}  # last commit ts that wrote or locked k
        self.ts, self.next_value = 0, 0
        self.locks = {}                               # key -> txn id holding its row lock (rc)

    def snapshot(self, key, start):
        return next(v for ts, v in reversed(self.history[key]) if ts <= start)

    def run(self):
        txns, active, next_id = [], {}, 0
        while len(txns) < self.n_txns:
            c = self.rng.randrange(self.n_clients)
            if c not in active:
                next_id += 1
                ops = []
                for _ in range(self.rng.randint(1, 4)):
                    k = self.rng.randrange(self.n_keys)
                    if self.rng.random() < 0.5:
                        self.next_value += 1
                        ops.append(a(k, self.next_value))
                    else:
                        ops.append(r(k, None, self.rng.random() < 0.3))
                active[c] = {"id": next_id, "ops": ops, "pc": 0, "start": self.ts,
                             "own": {}, "writes": set()}
                continue
            t = active[c]
            if t["pc"] < len(t["ops"]):
                if self.step(t):
                    continue
                if self.rng.random() < 0.02:    # blocked on a row lock: "deadlock" abort
                    del active[c]
                    txns.append(self.abort(t))
                continue
            del active[c]
            txns.append(self.commit(t))
        return txns

    def step(self, t):
        """Runs the next op; False when it must wait for another txn's row lock (rc)."""
        op = t["ops"][t["pc"]]
        if self.mode == "rc" and op.f == "append":
            holder = self.locks.setdefault(op.key, t["id"])
            if holder != t["id"]:
                return False
        t["pc"] += 1
        if op.f == "append":
            t["own"].setdefault(op.key, []).append(op.value)
            t["writes"].add(op.key)
            return
        base = self.snapshot(op.key, t["start"]) if self.mode == "si" else self.value[op.key]
        op.value = base + t["own"].get(op.key, [])
        if op.for_update:
            t["writes"].add(op.key)
        return True

    def abort(self, t):
        self.release(t)
        for op in t["ops"]:
            if op.f == "r":
                op.value = None
        return Txn(t["id"], FAIL, t["ops"])

    def release(self, t):
        for k in [k for k, holder in self.locks.items() if holder == t["id"]]:
            del self.locks[k]

    def commit(self, t):
        if self.mode == "si" and any(self.touched[k] > t["start"] for k in t["writes"]):
            return self.abort(t)
        self.release(t)
        self.ts += 1
        for k in t["writes"]:
            self.touched[k] = self.ts
            if k in t["own"]:
                self.value[k] = self.value[k] + t["own"][k]
                self.history[k].append((self.ts, self.value[k]))
        return Txn(t["id"], OK, t["ops"])


class Randomized(unittest.TestCase):
    def test_snapshot_isolation_simulator_has_no_forbidden_anomaly(self):
        allowed_seen = set()
        for seed in range(8):
            txns = _SimDb("si", seed).run()
            report, stats = analysis.check_list_append(txns)
            self.assertEqual(report.forbidden(), [], (seed, report.to_json()))
            self.assertGreater(stats["ok"], 100)
            self.assertGreater(stats["fail"], 0)
            allowed_seen.update(report.allowed())
        self.assertEqual(allowed_seen, {"G2-item"})   # write skew does happen under SI

    def test_read_committed_simulator_is_caught(self):
        for seed in range(4):
            txns = _SimDb("rc", seed).run()
            report, _ = analysis.check_list_append(txns)
            forbidden = set(report.forbidden())
            self.assertIn("G-single", forbidden, seed)
            self.assertIn("lost-update", forbidden, seed)
            self.assertIn("internal", forbidden, seed)


if __name__ == "__main__":
    unittest.main()
