"""Pure history analysis for the consistency checker (no I/O, no database).

Two checkers live here:

* check_list_append(txns): an Elle-style list-append checker. Every key holds a list; every
  appended value is unique, so a read of a key reveals the whole order of the appends that
  produced it. From the reads we infer one version order per key, derive the Adya dependency
  graph (ww, wr, rw edges) between committed transactions, find its strongly connected
  components and classify the cycles inside them (G0, G1c, G-single, G2-item). Non-cycle
  anomalies (G1a, G1b, lost update, internal inconsistency, incompatible orders, garbage and
  duplicate reads) are found directly from the reads.
* check_bank(...): every read snapshot of all accounts must sum to the fixed total.

Transactions are Txn values; a micro-op is Op("append", key, value) or
Op("r", key, [values...] | None, for_update). Reads of transactions that did not complete
with "ok" are unknown and ignored. Definitions are in docs/CONSISTENCY.md.
"""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

OK, FAIL, INFO = "ok", "fail", "info"
APPEND, READ = "append", "r"

# Edge types of the dependency graph. "rw-fu" is an anti-dependency whose read was
# SELECT ... FOR UPDATE: Borealis (like DSQL) treats such rows as writes for conflict
# detection, so a cycle through it is as forbidden as one through a ww edge.
WW, WR, RW, RW_FU = "ww", "wr", "rw", "rw-fu"
EDGE_PREFERENCE = (WW, WR, RW_FU, RW)  # when a hop has several types, report the strongest

# Anomaly names and whether snapshot isolation (with FOR UPDATE rows as writes) forbids them.
ANOMALIES = {
    "G0": True,                  # write cycle (ww only)
    "G1a": True,                 # aborted read
    "G1b": True,                 # intermediate read
    "G1c": True,                 # circular information flow (ww + wr, at least one wr)
    "G-single": True,            # cycle with exactly one anti-dependency (read skew)
    "G2-item-for-update": True,  # 2+ rw edges, at most one not from a FOR UPDATE read
    "G2-item": False,            # 2+ plain rw edges: write skew, allowed under SI
    "lost-update": True,         # two committed txns read the same version of k, both append k
    "internal": True,            # a txn's read does not reflect its own earlier ops
    "incompatible-order": True,  # two reads of a key are not prefixes of one another
    "garbage-read": True,        # a read contains a value nobody appended
    "duplicate-elements": True,  # a read contains the same value twice
    "lost-ack-write": True,      # an acknowledged append is missing from the final read
    "bank-wrong-total": True,    # a bank snapshot does not sum to the total
    "bank-negative-balance": True,
    "bank-wrong-row-count": True,
}

# Bounds on the cycle search so a badly broken history (e.g. READ COMMITTED) cannot make the
# checker run for minutes: path searches per SCC and nodes visited per SCC.
MAX_PATH_SEARCHES_PER_SCC = 400
MAX_VISITS_PER_SCC = 2_000_000
MAX_EXAMPLES_PER_TYPE = 3


@dataclass
class Op:
    f: str
    key: int
    value: object = None          # int for append; list[int] or None for read
    for_update: bool = False

    def to_json(self):
        if self.f == APPEND:
            return [APPEND, self.key, self.value]
        return [READ + ("-fu" if self.for_update else ""), self.key, self.value]


@dataclass
class Txn:
    id: int
    status: str                   # OK, FAIL or INFO
    ops: list
    process: int = 0
    error: str | None = None

    def to_json(self):
        return {"id": self.id, "process": self.process, "status": self.status,
                "ops": [op.to_json() for op in self.ops], "error": self.error}


def op_from_json(item):
    f, key, value = item[0], item[1], item[2]
    if f == APPEND:
        return Op(APPEND, key, value)
    assert f in (READ, READ + "-fu"), f"unknown micro-op {item!r}"
    return Op(READ, key, None if value is None else list(value), f == READ + "-fu")


def txn_from_json(d):
    return Txn(d["id"], d["status"], [op_from_json(o) for o in d["ops"]],
               d.get("process", 0), d.get("error"))


class Report:
    """Anomalies found: per type a count and a few examples."""

    def __init__(self):
        self.counts = defaultdict(int)
        self.examples = defaultdict(list)
        self.notes = []

    def add(self, kind, example):
        assert kind in ANOMALIES, kind
        self.counts[kind] += 1
        if len(self.examples[kind]) < MAX_EXAMPLES_PER_TYPE:
            self.examples[kind].append(example)

    def forbidden(self):
        return sorted(k for k, n in self.counts.items() if n and ANOMALIES[k])

    def allowed(self):
        return sorted(k for k, n in self.counts.items() if n and not ANOMALIES[k])

    def to_json(self):
        return {"anomalies": {k: {"count": self.counts[k], "forbidden": ANOMALIES[k],
                                  "examples": self.examples[k]}
                              for k in sorted(self.counts)},
                "forbidden": self.forbidden(), "allowed": self.allowed(), "notes": self.notes}


# ---------------------------------------------------------------------------------------------
# List-append
# ---------------------------------------------------------------------------------------------

class _History:
    """Indexes over a list-append history."""

    def __init__(self, txns):
        self.txns = {t.id: t for t in txns}
        assert len(self.txns) == len(txns), "duplicate transaction ids"
        self.writer = {}                       # (key, value) -> txn id
        self.appends = defaultdict(list)       # (txn id, key) -> values in op order
        for t in txns:
            for op in t.ops:
                if op.f == APPEND:
                    assert (op.key, op.value) not in self.writer, \
                        f"value {op.value} appended to key {op.key} twice (generator bug)"
                    self.writer[(op.key, op.value)] = t.id
                    self.appends[(t.id, op.key)].append(op.value)
        self.ok_reads = []                     # (txn, op index, op) for reads of ok txns
        for t in txns:
            if t.status == OK:
                for i, op in enumerate(t.ops):
                    if op.f == READ and op.value is not None:
                        self.ok_reads.append((t, i, op))

    def external_prefix(self, txn, op_index, op):
        """The part of a read not written by the reader itself before that read."""
        own = set()
        for prior in txn.ops[:op_index]:
            if prior.f == APPEND and prior.key == op.key:
                own.add(prior.value)
        values = list(op.value)
        while values and values[-1] in own:
            values.pop()
        return values


def _txn_example(txn):
    return {"txn": txn.id, "status": txn.status, "ops": [op.to_json() for op in txn.ops]}


def _check_internal(h, report):
    for t in h.txns.values():
        if t.status != OK:
            continue
        known = {}                      # key -> full list known to this txn
        pending = defaultdict(list)     # key -> own appends while the value is unknown
        for op in t.ops:
            if op.f == APPEND:
                if op.key in known:
                    known[op.key] = known[op.key] + [op.value]
                else:
                    pending[op.key].append(op.value)
                continue
            if op.value is None:
                continue
            got = list(op.value)
            if op.key in known:
                bad = got != known[op.key]
                expected = known[op.key]
            else:
                tail = pending[op.key]
                bad = bool(tail) and got[len(got) - len(tail):] != tail
                expected = ["...", *tail]
            if bad:
                report.add("internal", {**_txn_example(t), "key": op.key,
                                        "expected": expected, "read": got})
            known[op.key] = got


def _check_reads(h, report):
    """G1a, G1b, garbage and duplicate elements: properties of single reads."""
    for t, _, op in h.ok_reads:
        values = op.value
        if len(set(values)) != len(values):
            report.add("duplicate-elements", {**_txn_example(t), "key": op.key, "read": values})
        seen_writers = {}
        for v in values:
            w = h.writer.get((op.key, v))
            if w is None:
                report.add("garbage-read", {**_txn_example(t), "key": op.key, "value": v})
                continue
            if w == t.id:
                continue
            writer = h.txns[w]
            if writer.status == FAIL:
                report.add("G1a", {"reader": _txn_example(t), "writer": _txn_example(writer),
                                   "key": op.key, "value": v})
                continue
            seen_writers.setdefault(w, []).append(v)
        for w, present in seen_writers.items():
            if present != h.appends[(w, op.key)]:
                report.add("G1b", {"reader": _txn_example(t), "writer": _txn_example(h.txns[w]),
                                   "key": op.key, "read": values,
                                   "writer_appends": h.appends[(w, op.key)]})


def _version_orders(h, report):
    """Per key, the longest ok read; every other ok read must be a prefix of it."""
    longest = {}
    for t, _, op in h.ok_reads:
        cur = longest.get(op.key)
        if cur is None or len(op.value) > len(cur[1].value):
            longest[op.key] = (t, op)
    orders = {}
    for key, (lt, lop) in longest.items():
        orders[key] = list(lop.value)
    bad_keys = set()
    for t, _, op in h.ok_reads:
        order = orders[op.key]
        if order[:len(op.value)] != list(op.value) and op.key not in bad_keys:
            bad_keys.add(op.key)
            lt = longest[op.key][0]
            report.add("incompatible-order", {"key": op.key, "read": list(op.value),
                                              "reader": t.id, "longest": order,
                                              "longest_reader": lt.id})
    for key in bad_keys:
        del orders[key]     # no trustworthy order: derive no edges from this key
    return orders


def _committed(h):
    """ok txns, plus info txns whose appends some ok txn observed."""
    committed = {t.id for t in h.txns.values() if t.status == OK}
    for _, _, op in h.ok_reads:
        for v in op.value:
            w = h.writer.get((op.key, v))
            if w is not None and h.txns[w].status == INFO:
                committed.add(w)
    return committed


class Graph:
    def __init__(self):
        self.out = defaultdict(dict)   # a -> b -> {type: key}

    def add(self, a, b, kind, key):
        if a == b:
            return
        self.out[a].setdefault(b, {}).setdefault(kind, key)

    def nodes(self):
        ns = set(self.out)
        for succ in self.out.values():
            ns.update(succ)
        return ns

    def successors(self, a, kinds, within):
        for b, types in self.out.get(a, {}).items():
            if b in within and any(k in types for k in kinds):
                yield b


def _build_graph(h, orders, committed):
    g = Graph()
    for key, order in orders.items():
        writers = [h.writer.get((key, v)) for v in order]
        for prev, nxt in zip(writers, writers[1:]):
            if prev in committed and nxt in committed:
                g.add(prev, nxt, WW, key)
    for t, i, op in h.ok_reads:
        if op.key not in orders:
            continue
        order = orders[op.key]
        seen = h.external_prefix(t, i, op)
        if seen:
            w = h.writer.get((op.key, seen[-1]))
            if w in committed:
                g.add(w, t.id, WR, op.key)
        # Whoever installed the version right after the one observed overwrote what t read:
        # t -rw-> them (nothing when that is t itself: then t -ww-> the next writer anyway).
        if len(seen) < len(order):
            w = h.writer.get((op.key, order[len(seen)]))
            if w in committed:
                g.add(t.id, w, RW_FU if op.for_update else RW, op.key)
    return g


def _lost_updates(h, report):
    groups = defaultdict(list)     # (key, version read) -> txns that then appended to key
    for t in h.txns.values():
        if t.status != OK:
            continue
        appended, first_read = set(), {}
        for op in t.ops:
            if op.f == APPEND:
                appended.add(op.key)
            elif op.value is not None and op.key not in appended and op.key not in first_read:
                first_read[op.key] = tuple(op.value)
        for key, version in first_read.items():
            if key in appended:
                groups[(key, version)].append(t)
    for (key, version), ts in groups.items():
        if len(ts) > 1:
            report.add("lost-update", {"key": key, "version_read": list(version),
                                       "txns": [_txn_example(t) for t in ts[:4]]})


def tarjan_scc(nodes, successors):
    """Strongly connected components (iterative Tarjan). successors(n) -> iterable."""
    index, low, on_stack, stack, comps = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(successors(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors(nxt))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    comp.append(n)
                    if n == node:
                        break
                comps.append(comp)
    return comps


class _Budget:
    def __init__(self):
        self.searches = MAX_PATH_SEARCHES_PER_SCC
        self.visits = MAX_VISITS_PER_SCC
        self.exhausted = False

    def take_search(self):
        if self.searches <= 0 or self.visits <= 0:
            self.exhausted = True
            return False
        self.searches -= 1
        return True


def _path(g, src, dst, kinds, within, budget):
    """Shortest path src ~> dst using edges of the given kinds inside `within` (BFS)."""
    if not budget.take_search():
        return None
    parent = {src: None}
    queue = deque([src])
    while queue:
        a = queue.popleft()
        budget.visits -= 1
        if a == dst:
            path = []
            while a is not None:
                path.append(a)
                a = parent[a]
            return path[::-1]
        for b in g.successors(a, kinds, within):
            if b not in parent:
                parent[b] = a
                queue.append(b)
    return None


def _describe_cycle(g, hops):
    """hops: list of (a, b, allowed kinds). Picks one edge type per hop; returns the
    anomaly name and a JSON example."""
    edges, counts = [], defaultdict(int)
    for a, b, kinds in hops:
        types = g.out[a][b]
        kind = next(k for k in EDGE_PREFERENCE if k in kinds and k in types)
        counts[kind] += 1
        edges.append({"from": a, "to": b, "type": kind, "key": types[kind]})
    rw_total = counts[RW] + counts[RW_FU]
    if rw_total == 0:
        name = "G0" if counts[WR] == 0 else "G1c"
    elif rw_total == 1:
        name = "G-single"
    elif counts[RW] <= 1:
        name = "G2-item-for-update"
    else:
        name = "G2-item"
    return name, edges


def _cycle_through(g, a, b, first_kinds, rest_kinds, within, budget):
    """A cycle a -> b ~> a whose first hop uses first_kinds and the rest rest_kinds."""
    back = _path(g, b, a, rest_kinds, within, budget)
    if back is None:
        return None
    hops = [(a, b, first_kinds)]
    hops += [(x, y, rest_kinds) for x, y in zip(back, back[1:])]
    return hops


def _any_cycle(g, kinds, within, budget):
    """Some cycle using only edges of `kinds` inside `within`, as hops, or None."""
    succ = lambda n: g.successors(n, kinds, within)   # noqa: E731
    for comp in tarjan_scc(sorted(within), succ):
        if len(comp) < 2:
            continue
        comp_set = set(comp)
        start = comp[0]
        for nxt in g.successors(start, kinds, comp_set):
            hops = _cycle_through(g, start, nxt, kinds, kinds, comp_set, budget)
            if hops:
                return hops
    return None


def _search_scc(g, scc, report, orders_txns):
    """Look for the most severe cycle classes in one SCC; report one example per class."""
    within = set(scc)
    budget = _Budget()
    found = set()

    def record(hops):
        if hops is None:
            return
        name, edges = _describe_cycle(g, hops)
        if name in found:
            return
        found.add(name)
        report.add(name, {"cycle": [h[0] for h in hops] + [hops[-1][1]], "edges": edges,
                          "txns": [_txn_example(orders_txns[h[0]]) for h in hops]})

    record(_any_cycle(g, (WW,), within, budget))
    record(_any_cycle(g, (WW, WR), within, budget))
    rw_edges = [(a, b, types) for a in scc for b, types in g.out.get(a, {}).items()
                if b in within and (RW in types or RW_FU in types)]
    # rw edges whose ends share a ww+wr SCC certainly close a one-rw cycle: try them first.
    comp_of = {}
    flow = lambda n: g.successors(n, (WW, WR), within)   # noqa: E731
    for i, comp in enumerate(tarjan_scc(sorted(within), flow)):
        for n in comp:
            comp_of[n] = i
    rw_edges.sort(key=lambda e: comp_of[e[0]] != comp_of[e[1]])
    for kinds_closing in ((RW_FU,), (RW,)):          # exactly one anti-dependency
        for a, b, types in rw_edges:
            if "G-single" in found or budget.exhausted:
                break
            if kinds_closing[0] in types:
                record(_cycle_through(g, a, b, kinds_closing, (WW, WR), within, budget))
    if any(RW_FU in t for _, _, t in rw_edges):      # rw edges from FOR UPDATE reads
        record(_any_cycle(g, (WW, WR, RW_FU), within, budget))
        for a, b, types in rw_edges:
            if "G2-item-for-update" in found or budget.exhausted:
                break
            if RW in types:
                record(_cycle_through(g, a, b, (RW,), (WW, WR, RW_FU), within, budget))
    if not any(ANOMALIES[n] for n in found):
        record(_any_cycle(g, (WW, WR, RW, RW_FU), within, budget))
    if budget.exhausted:
        report.notes.append(f"cycle search budget exhausted in an SCC of {len(scc)} txns; "
                            "some cycle classes may be unreported there")


def _check_final(txns, final, report):
    """Every acknowledged (ok) append must be in the final read of its key."""
    for t in txns:
        if t.status != OK:
            continue
        for op in t.ops:
            if op.f == APPEND and op.key in final and op.value not in final[op.key]:
                report.add("lost-ack-write", {**_txn_example(t), "key": op.key,
                                              "value": op.value, "final": final[op.key]})


def check_list_append(txns, final=None):
    """Returns (Report, stats dict). final: optional {key: list} read after the run from one
    snapshot; it joins the history as one more ok read-only transaction and every
    acknowledged append must appear in it."""
    report = Report()
    if final is not None:
        final_id = max((t.id for t in txns), default=0) + 1
        txns = list(txns) + [Txn(final_id, OK, [Op(READ, k, list(v)) for k, v in
                                                sorted(final.items())], -1)]
        _check_final(txns, final, report)
    h = _History(txns)
    _check_internal(h, report)
    _check_reads(h, report)
    orders = _version_orders(h, report)
    _lost_updates(h, report)
    committed = _committed(h)
    g = _build_graph(h, orders, committed)
    nodes = sorted(g.nodes())
    sccs = [c for c in tarjan_scc(nodes, lambda n: g.out.get(n, {}).keys()) if len(c) > 1]
    for scc in sccs:
        _search_scc(g, scc, report, h.txns)
    n_edges = defaultdict(int)
    for succ in g.out.values():
        for types in succ.values():
            for k in types:
                n_edges[k] += 1
    stats = {"txns": len(txns),
             "ok": sum(t.status == OK for t in txns),
             "fail": sum(t.status == FAIL for t in txns),
             "info": sum(t.status == INFO for t in txns),
             "info_committed": sum(h.txns[i].status == INFO for i in committed),
             "keys_read": len(orders), "graph_nodes": len(nodes),
             "edges": dict(n_edges), "sccs": len(sccs),
             "largest_scc": max((len(c) for c in sccs), default=0)}
    return report, stats


# ---------------------------------------------------------------------------------------------
# Bank
# ---------------------------------------------------------------------------------------------

def check_bank_read(report, read_id, balances, total, n_accounts):
    """balances: {account: balance} seen by one read transaction (or the final read)."""
    if len(balances) != n_accounts:
        report.add("bank-wrong-row-count", {"read": read_id, "rows": len(balances),
                                            "expected": n_accounts})
    if sum(balances.values()) != total:
        report.add("bank-wrong-total", {"read": read_id, "sum": sum(balances.values()),
                                        "expected": total, "balances": balances})
    negative = {a: b for a, b in balances.items() if b < 0}
    if negative:
        report.add("bank-negative-balance", {"read": read_id, "negative": negative})
