#!/usr/bin/python3
"""Differential testing of Borealis against PostgreSQL 15 (issue 4).

    /usr/bin/python3 tests/differential/differential.py --pg DSN --borealis DSN
        [--seed N] [--schemas S] [--queries Q] [--max-report M]

Runs the same statements on both servers and compares what each returns:
  * a fixed list of statements (casts, operators, NULL logic, errors), then
  * for each of S random schemas (three tables of random width, keys and NULL-heavy data,
    created and filled identically on both), Q queries from a seeded random generator: WHERE
    trees (comparisons, BETWEEN, IN lists, IS [NOT] NULL, LIKE, AND/OR/NOT), arithmetic, CASE,
    COALESCE/NULLIF, DISTINCT, aggregates with GROUP BY/HAVING, inner/left/right/full joins,
    EXISTS / IN / ANY / ALL subqueries, UNION/INTERSECT/EXCEPT [ALL].
For every statement: both fail with the same SQLSTATE, or both succeed with the same column type
OIDs and the same rows (as a multiset; values are compared as psycopg2 returns them, so numeric
scales must agree — except where grouping, DISTINCT, a set operation or min/max keeps one of several
equal values, 4.0 or 4, which depends on the plan in PostgreSQL too). The generator avoids what legitimately differs between plans:
division only by non-zero literals (no error that depends on evaluation order), no LIMIT
without a total order, no floats, small integers (no overflow).
Exit status: 0 iff no mismatch; 1 otherwise; 2 on a setup error. The same seed generates the
same statements, so a mismatch reproduces with --seed.
"""
from __future__ import annotations

import argparse
import decimal
import random
import sys
import time

import psycopg2

STATEMENT_TIMEOUT_MS = 20_000
ROWS_MAX = 24           # per table: keeps three-way joins small
INT_RANGE = 6           # values in -INT_RANGE..INT_RANGE
TEXTS = ["a", "b", "ab", "ba", "", "B", "abc", "x_y", "%"]
# The same few uuids in PostgreSQL's different input forms (ordering is bytewise).
UUIDS = ["'00000000-0000-0000-0000-000000000001'", "'{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}'",
         "'a0eebc999c0b4ef8bb6d6bb9bd380a11'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
         "'7fffffff-0000-4000-8000-00000000000a'"]
NULL_FRACTION = 0.2
DEPTH_MAX = 3

FIXED = [
    "SELECT 1 + 2 * 3, 7 / 2, -7 / 2, 7 % 3, -7 % 3",
    "SELECT 2147483647 + 1",
    "SELECT 9223372036854775807::int8 + 1",
    "SELECT 1 / 0",
    "SELECT 1.0 / 3, 10::numeric / 4, 2.50 * 2",
    "SELECT NULL AND false, NULL OR true, NOT NULL::boolean",
    "SELECT 'abc' || NULL, 'abc' || 1, length('héllo'), upper('abc'), lower('ABC')",
    "SELECT '12'::int + 1, '  7 '::int, 'x'::int",
    "SELECT 32767::int2 + 1::int2",
    "SELECT CAST(3.7 AS int), CAST(-3.5 AS int), CAST(2.5 AS int), round(2.5), round(-2.5)",
    "SELECT 'a' < 'b', 'B' < 'a', '' < 'a', 'ab' LIKE 'a%', 'ab' LIKE '_', 'a_b' LIKE 'a\\_b'",
    "SELECT coalesce(NULL, 2, 3), nullif(1, 1), nullif(1, 2), greatest(1, NULL, 3), least(2, 1)",
    "SELECT CASE WHEN 1 = 2 THEN 'x' WHEN NULL THEN 'y' ELSE 'z' END",
    "SELECT 5 BETWEEN 1 AND 10, 5 NOT BETWEEN 6 AND 1, 5 BETWEEN SYMMETRIC 6 AND 1",
    "SELECT 1 IN (1, NULL), 2 IN (1, NULL), 2 NOT IN (1, NULL), NULL IN (1)",
    "SELECT abs(-5), abs(-5::int8), mod(7, -3), sign(-2.5), 2 ^ 10",
    "SELECT count(*), sum(x), avg(x), min(x), max(x) FROM (VALUES (1), (2), (NULL::int)) v(x)",
    "SELECT sum(x) FROM (VALUES (2147483647), (1)) v(x)",
    "SELECT avg(x) FROM (VALUES (1::int8), (2), (2)) v(x)",
    "SELECT true::int, 0::boolean, 'yes'::boolean, 'maybe'::boolean",
    "SELECT 1::text || 2, 3::varchar(1), 'abcd'::varchar(2), 'ab'::char(4) || '|'",
    "SELECT substring('abcdef' from 2 for 3), position('c' in 'abc'), trim('  x  '), replace('aa', 'a', 'b')",
    "SELECT x FROM (VALUES (3), (1), (2)) v(x) ORDER BY x DESC LIMIT 2 OFFSET 1",
    "SELECT DISTINCT x % 2 FROM generate_series(1, 10) x",
    "SELECT x, count(*) FROM (VALUES (1), (1), (2)) v(x) GROUP BY x HAVING count(*) > 1",
    "SELECT (SELECT 1 UNION SELECT 2)",
    "SELECT 1 UNION ALL SELECT 1 UNION SELECT 2 EXCEPT SELECT 2",
    "SELECT 1 = ANY (SELECT 1), 2 > ALL (SELECT 1 UNION SELECT 3)",
    "SELECT '2024-02-29'::date + 1, '2023-02-29'::date",
    "SELECT '1e3'::numeric, '-0'::numeric, 0.1 + 0.2, 1e-3::numeric * 1000",
]


class Gen:
    """A seeded generator of schemas, data and queries (the same seed, the same statements)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tables: dict[str, list[tuple[str, str]]] = {}

    # ----- schema and data -----
    def schema(self) -> list[str]:
        r = self.rng
        self.tables = {}
        statements = []
        for t in ("t0", "t1", "t2"):
            cols = [("k", "int")]
            for i in range(r.randint(2, 4)):
                cols.append((f"c{i}", r.choice(["int", "int", "bigint", "text", "boolean",
                                                "numeric", "uuid", "numeric(6,2)"])))
            self.tables[t] = cols
            statements.append(f"DROP TABLE IF EXISTS {t}")
            body = ", ".join(f"{n} {ty}" for n, ty in cols)
            statements.append(f"CREATE TABLE {t} ({body}, PRIMARY KEY (k))")
            rows = []
            for k in range(r.randint(0, ROWS_MAX)):
                rows.append("(" + ", ".join([str(k)] + [self.literal(ty) for _, ty in cols[1:]])
                            + ")")
            if rows:
                statements.append(f"INSERT INTO {t} VALUES " + ", ".join(rows))
        return statements

    def literal(self, ty: str, null_ok: bool = True) -> str:
        r = self.rng
        if null_ok and r.random() < NULL_FRACTION:
            return "NULL"
        if ty in ("int", "bigint"):
            return str(r.randint(-INT_RANGE, INT_RANGE))
        if ty == "numeric":
            return r.choice(["0.5", "1.25", "-2.0", "3", "-0.75", "10.125"])
        if ty == "numeric(6,2)":  # rounded to the column's scale when stored
            return r.choice(["0.505", "1.255", "-2.0049", "3", "-0.755", "10.125", "9999.994"])
        if ty == "boolean":
            return r.choice(["true", "false"])
        if ty == "uuid":
            return r.choice(UUIDS) + "::uuid"
        return "'" + r.choice(TEXTS) + "'"

    # ----- expressions -----
    def columns_of(self, scope, kinds):
        return [(a, n, ty) for a, cols in scope for n, ty in cols if kind(ty) in kinds]

    def num_expr(self, scope, depth: int) -> str:
        r = self.rng
        cols = self.columns_of(scope, {"num"})
        choice = r.random()
        if depth <= 0 or choice < 0.35:
            if cols and r.random() < 0.75:
                a, n, _ = r.choice(cols)
                return f"{a}.{n}"
            return self.literal(r.choice(["int", "numeric"]), null_ok=r.random() < 0.3)
        if choice < 0.6:
            op = r.choice(["+", "-", "*"])
            return f"({self.num_expr(scope, depth - 1)} {op} {self.num_expr(scope, depth - 1)})"
        if choice < 0.68:
            op = r.choice(["/", "%"])
            return f"({self.num_expr(scope, depth - 1)} {op} {r.choice([2, 3, -4])})"
        if choice < 0.76:
            return (f"CASE WHEN {self.cond(scope, depth - 1)} THEN {self.num_expr(scope, depth - 1)}"
                    f" ELSE {self.num_expr(scope, depth - 1)} END")
        if choice < 0.84:
            return f"coalesce({self.num_expr(scope, depth - 1)}, {self.num_expr(scope, depth - 1)})"
        if choice < 0.9:
            return f"abs({self.num_expr(scope, depth - 1)})"
        if choice < 0.95:
            return f"nullif({self.num_expr(scope, depth - 1)}, {r.randint(-2, 2)})"
        return f"(- {self.num_expr(scope, depth - 1)})"

    def text_expr(self, scope, depth: int) -> str:
        r = self.rng
        cols = self.columns_of(scope, {"text"})
        if cols and r.random() < 0.7:
            a, n, _ = r.choice(cols)
            base = f"{a}.{n}"
        else:
            base = self.literal("text", null_ok=r.random() < 0.2)
        if depth > 0 and r.random() < 0.3:
            return r.choice([f"upper({base})", f"lower({base})", f"({base} || 'z')",
                             f"coalesce({base}, 'n')", f"substring({base} from 1 for 1)"])
        return base

    def cond(self, scope, depth: int) -> str:
        r = self.rng
        choice = r.random()
        if depth > 0 and choice < 0.25:
            op = r.choice(["AND", "OR"])
            return f"({self.cond(scope, depth - 1)} {op} {self.cond(scope, depth - 1)})"
        if depth > 0 and choice < 0.32:
            return f"(NOT {self.cond(scope, depth - 1)})"
        if choice < 0.55:
            op = r.choice(["=", "<>", "<", "<=", ">", ">="])
            return f"{self.num_expr(scope, depth - 1)} {op} {self.num_expr(scope, depth - 1)}"
        if choice < 0.62:
            return (f"{self.num_expr(scope, depth - 1)} {r.choice(['', 'NOT '])}BETWEEN "
                    f"{r.randint(-4, 0)} AND {r.randint(0, 4)}")
        if choice < 0.69:
            items = ", ".join(self.literal("int", null_ok=r.random() < 0.15)
                              for _ in range(r.randint(1, 4)))
            return f"{self.num_expr(scope, depth - 1)} {r.choice(['', 'NOT '])}IN ({items})"
        if choice < 0.76:
            e = r.choice([self.num_expr(scope, depth - 1), self.text_expr(scope, depth - 1)])
            return f"{e} IS {r.choice(['', 'NOT '])}NULL"
        if choice < 0.82:
            pattern = r.choice(["a%", "%b", "_", "%", "a_", "B%"])
            return f"{self.text_expr(scope, depth - 1)} {r.choice(['', 'NOT '])}LIKE '{pattern}'"
        uuids = self.columns_of(scope, {"uuid"})
        if uuids and choice < 0.87 and r.random() < 0.4:
            a, n, _ = r.choice(uuids)
            b, m, _ = r.choice(uuids)
            other = r.choice([f"{b}.{m}", self.literal("uuid", null_ok=False)])
            return f"{a}.{n} {r.choice(['=', '<>', '<', '>='])} {other}"
        if choice < 0.87:
            op = r.choice(["=", "<", ">="])
            return f"{self.text_expr(scope, depth - 1)} {op} {self.text_expr(scope, depth - 1)}"
        bools = self.columns_of(scope, {"bool"})
        if bools and choice < 0.92:
            a, n, _ = r.choice(bools)
            return r.choice([f"{a}.{n}", f"{a}.{n} IS TRUE", f"{a}.{n} IS NOT FALSE"])
        if depth > 0:
            return self.subquery_cond(scope, depth - 1)
        return r.choice(["true", "false", "NULL::boolean"])

    def subquery_cond(self, scope, depth: int) -> str:
        r = self.rng
        t = r.choice(list(self.tables))
        alias = f"s{depth}{r.randint(0, 99)}"
        inner = [(alias, self.tables[t])]
        both = inner + scope          # correlated: may refer to the outer row
        where = self.cond(both, min(depth, 1))
        if r.random() < 0.5:
            return f"{r.choice(['', 'NOT '])}EXISTS (SELECT 1 FROM {t} {alias} WHERE {where})"
        if r.random() < 0.3:
            op = r.choice(["=", "<>", "<", "<=", ">", ">="])
            return (f"{self.num_expr(scope, 0)} {op} {r.choice(['ANY', 'ALL'])} "
                    f"(SELECT {self.num_expr(inner, 1)} FROM {t} {alias} WHERE {where})")
        return (f"{self.num_expr(scope, 0)} {r.choice(['', 'NOT '])}IN "
                f"(SELECT {self.num_expr(inner, 1)} FROM {t} {alias} WHERE {where})")

    # ----- queries -----
    def from_clause(self):
        r = self.rng
        names = list(self.tables)
        first = r.choice(names)
        scope = [("a", self.tables[first])]
        text = f"{first} a"
        if r.random() < 0.5:
            second = r.choice(names)
            scope_b = [("b", self.tables[second])]
            join = r.choice(["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"])
            if join == "CROSS JOIN":
                text += f" CROSS JOIN {second} b"
            elif join == "FULL JOIN" or r.random() < 0.6:
                # FULL JOIN needs a merge- or hash-joinable condition in PostgreSQL
                ca = [n for n, ty in self.tables[first] if kind(ty) == "num"]
                cb = [n for n, ty in self.tables[second] if kind(ty) == "num"]
                text += f" {join} {second} b ON a.{r.choice(ca)} = b.{r.choice(cb)}"
            else:
                text += f" {join} {second} b ON {self.cond(scope + scope_b, 1)}"
            scope = scope + scope_b
        return text, scope

    def select(self) -> str:
        r = self.rng
        from_text, scope = self.from_clause()
        where = f" WHERE {self.cond(scope, DEPTH_MAX)}" if r.random() < 0.8 else ""
        if r.random() < 0.3:
            keys = [self.num_expr(scope, 1) for _ in range(r.randint(1, 2))]
            aggs = [self.aggregate(scope) for _ in range(r.randint(1, 3))]
            having = ""
            if r.random() < 0.4:
                having = f" HAVING {self.aggregate(scope)} {r.choice(['>', '<=', '<>'])} {r.randint(-3, 5)}"
            return (f"SELECT {', '.join(keys + aggs)} FROM {from_text}{where} "
                    f"GROUP BY {', '.join(keys)}{having}")
        if r.random() < 0.12:
            aggs = [self.aggregate(scope) for _ in range(r.randint(1, 3))]
            return f"SELECT {', '.join(aggs)} FROM {from_text}{where}"
        items = []
        for _ in range(r.randint(1, 4)):
            pick = r.random()
            if pick < 0.6:
                items.append(self.num_expr(scope, 2))
            elif pick < 0.8:
                uuids = self.columns_of(scope, {"uuid"})
                if uuids and r.random() < 0.3:
                    a, n, _ = r.choice(uuids)
                    items.append(f"{a}.{n}")
                else:
                    items.append(self.text_expr(scope, 1))
            else:
                items.append(f"({self.cond(scope, 1)})")
        distinct = "DISTINCT " if r.random() < 0.15 else ""
        query = f"SELECT {distinct}{', '.join(items)} FROM {from_text}{where}"
        if r.random() < 0.15:
            # set operations over numeric select lists of the same width on both sides
            width = r.randint(1, 3)
            other_from, other_scope = self.from_clause()
            left = ", ".join(self.num_expr(scope, 1) for _ in range(width))
            right = ", ".join(self.num_expr(other_scope, 1) for _ in range(width))
            op = r.choice(["UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT",
                           "EXCEPT ALL"])
            return f"SELECT {left} FROM {from_text}{where} {op} SELECT {right} FROM {other_from}"
        return query

    def aggregate(self, scope) -> str:
        r = self.rng
        fn = r.choice(["count(*)", "count", "sum", "min", "max", "avg", "count_distinct"])
        if fn == "count(*)":
            return fn
        arg = self.num_expr(scope, 1)
        if fn == "count_distinct":
            return f"count(DISTINCT {arg})"
        return f"{fn}({arg})"


def kind(ty: str) -> str:
    if ty in ("int", "bigint", "numeric", "numeric(6,2)"):
        return "num"
    if ty == "boolean":
        return "bool"
    if ty == "uuid":
        return "uuid"
    return "text"


def connect(dsn: str):
    conn = psycopg2.connect(dsn, connect_timeout=10)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    return conn


def merges_equal_values(sql: str) -> bool:
    """Whether the statement keeps one of several equal values (grouping, DISTINCT, set
    operations, min/max): which one survives (numeric 4.0 or 4) depends on the plan's row
    order, in PostgreSQL too."""
    return any(word in sql for word in (" GROUP BY ", "DISTINCT", " UNION ", " INTERSECT ",
                                        " EXCEPT ", "min(", "max("))


def cell(value, normalize_numeric: bool) -> str:
    if normalize_numeric and isinstance(value, decimal.Decimal):
        value = value.normalize() + 0  # 4.0 and 4 alike; "+ 0" turns -0 into 0
    return repr(value)


def run(conn, sql: str):
    """('ok', type oids, sorted rows) or ('error', sqlstate, message)."""
    normalize = merges_equal_values(sql)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            if cur.description is None:
                return ("ok", (), [])
            oids = tuple(d.type_code for d in cur.description)
            rows = sorted((tuple(cell(v, normalize) for v in row) for row in cur.fetchall()))
            return ("ok", oids, rows)
    except psycopg2.Error as exc:
        return ("error", exc.pgcode, str(exc).strip().splitlines()[0] if str(exc) else "")


def same(a, b) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return a[1] == b[1]
    return a[1] == b[1] and a[2] == b[2]


def describe(result) -> str:
    if result[0] == "error":
        return f"error {result[1]}: {result[2]}"
    rows = result[2]
    return f"types {list(result[1])}, {len(rows)} rows: {rows[:6]}{' ...' if len(rows) > 6 else ''}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pg", required=True, help="libpq DSN of the PostgreSQL 15 oracle")
    ap.add_argument("--borealis", required=True, help="libpq DSN of Borealis")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--schemas", type=int, default=10)
    ap.add_argument("--queries", type=int, default=1000, help="queries per schema")
    ap.add_argument("--max-report", type=int, default=10)
    args = ap.parse_args()
    try:
        pg, bo = connect(args.pg), connect(args.borealis)
    except psycopg2.Error as exc:
        print(f"differential: cannot connect: {exc}", file=sys.stderr)
        return 2

    mismatches = []
    counts = {"statements": 0, "errors_both": 0, "rows": 0}
    started = time.monotonic()

    def check(sql: str, setup: bool = False):
        counts["statements"] += 1
        a, b = run(pg, sql), run(bo, sql)
        if a[0] == "error" and b[0] == "error":
            counts["errors_both"] += 1
        elif a[0] == "ok":
            counts["rows"] += len(a[2])
        if not same(a, b):
            mismatches.append((sql, a, b))
            if setup:
                raise RuntimeError(f"setup statement disagrees: {sql}")

    for sql in FIXED:
        check(sql)
    rng = random.Random(args.seed)
    gen = Gen(rng)
    try:
        for _ in range(args.schemas):
            for sql in gen.schema():
                check(sql, setup=True)
            for _ in range(args.queries):
                check(gen.select())
    except RuntimeError as exc:
        print(f"differential: {exc}")
    for t in ("t0", "t1", "t2"):
        run(pg, f"DROP TABLE IF EXISTS {t}")
        run(bo, f"DROP TABLE IF EXISTS {t}")

    elapsed = time.monotonic() - started
    print(f"differential: seed {args.seed}: {counts['statements']} statements "
          f"({len(FIXED)} fixed, {args.schemas} schemas x {args.queries} random queries), "
          f"{counts['rows']} rows compared, {counts['errors_both']} errors on both sides, "
          f"{len(mismatches)} mismatches, {elapsed:.1f} s")
    for sql, a, b in mismatches[:args.max_report]:
        print(f"MISMATCH: {sql}\n  postgresql: {describe(a)}\n  borealis:   {describe(b)}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
