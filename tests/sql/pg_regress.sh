#!/usr/bin/env bash
# Run the PostgreSQL 15 regression-test subset (/work/shared/corpora/pg_regress) with psql
# against a server, the way pg_regress does, and diff each result with expected/.
#
#   tests/sql/pg_regress.sh --host H --port P --user U --password PW --out DIR [options] [tests...]
#
# Options:
#   --dbname NAME     database the tests run in (default: regression)
#   --no-createdb     use --dbname as it is; by default it is dropped and created afresh
#                     (CREATE DATABASE ... TEMPLATE template0 plus pg_regress's ALTER DATABASE
#                     SETs) through the `postgres` database
#   --corpus DIR      corpus root (default: $PG_REGRESS_CORPUS or /work/shared/corpora/pg_regress)
#   --sslmode MODE    libpq sslmode (default: prefer)
#   --allow-fail T    a failing test T does not make the exit status non-zero (repeatable)
#   --no-filter-explain   compare EXPLAIN output too (filtered by default)
#   --timeout SEC     per-test psql timeout (default 600)
# tests: names without .sql (default: all, in PostgreSQL 15's schedule order). test_setup
# always runs first because the other tests use its tables.
#
# What it does, as pg_regress does: PGTZ=PST8PDT, PGDATESTYLE='Postgres, MDY',
# PGOPTIONS='-c intervalstyle=postgres_verbose', PGAPPNAME=pg_regress/<test>, the variables
# PG_ABS_SRCDIR/PG_LIBDIR/PG_DLSUFFIX for \getenv, and
#   psql -X -a -q -d DB -v HIDE_TABLEAM=on -v HIDE_TOAST_COMPRESSION=on < test.sql > out 2>&1
# Differences from pg_regress: the CREATE FUNCTION statements that load regress.so (C code)
# are removed from the input and from the expected output; EXPLAIN plans (the lines from a
# "QUERY PLAN" header through its "(N rows)" footer) are replaced by a placeholder on both
# sides. Server-side COPY FROM of the data files needs the server to read the corpus path.
#
# OUT gets: sql/ (the inputs as run), expected/ (filtered), results/ (raw psql output),
# results_filtered/, diffs/<test>.diff, summary.md. Exit status 0 iff every test passed
# (apart from --allow-fail ones).
set -uo pipefail

host=127.0.0.1 port=5432 user=${PGUSER:-admin} password=${PGPASSWORD:-} out= dbname=regression
createdb=1 corpus=${PG_REGRESS_CORPUS:-/work/shared/corpora/pg_regress} sslmode=prefer
filter_explain=1 timeout_s=600
declare -a tests=() allow=()
usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --host) host=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --user) user=$2; shift 2 ;;
        --password) password=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --dbname) dbname=$2; shift 2 ;;
        --no-createdb) createdb=0; shift ;;
        --corpus) corpus=$2; shift 2 ;;
        --sslmode) sslmode=$2; shift 2 ;;
        --allow-fail) allow+=("$2"); shift 2 ;;
        --no-filter-explain) filter_explain=0; shift ;;
        --timeout) timeout_s=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "pg_regress.sh: unknown option $1" >&2; usage ;;
        *) tests+=("${1%.sql}"); shift ;;
    esac
done
[ -n "$out" ] || { echo "pg_regress.sh: --out DIR is required" >&2; usage; }
[ -d "$corpus/sql" ] || { echo "pg_regress.sh: no corpus at $corpus" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd)

# PostgreSQL 15's parallel_schedule order, restricted to the corpus (run serially).
schedule="test_setup
boolean char varchar text int2 int4 int8 float4 float8 numeric uuid
date time timestamp interval
expressions
insert
create_table
create_index
constraints select errors
select_into select_distinct select_implicit select_having union case transactions arrays update delete
json
limit prepare truncate sequence returning with"
if [ ${#tests[@]} -eq 0 ]; then
    for t in $schedule; do [ -f "$corpus/sql/$t.sql" ] && tests+=("$t"); done
    # anything in the corpus the schedule does not know, at the end
    for f in "$corpus"/sql/*.sql; do
        t=$(basename "$f" .sql)
        case " $(echo $schedule) " in *" $t "*) ;; *) tests+=("$t") ;; esac
    done
fi
if [ "${tests[0]}" != test_setup ]; then
    declare -a rest=()
    for t in "${tests[@]}"; do [ "$t" = test_setup ] || rest+=("$t"); done
    tests=(test_setup "${rest[@]}")
fi

mkdir -p "$out"/{sql,expected,results,results_filtered,diffs}
out=$(cd "$out" && pwd)

export PGHOST=$host PGPORT=$port PGUSER=$user PGSSLMODE=$sslmode
[ -n "$password" ] && export PGPASSWORD=$password
unset PGDATABASE PGSERVICE PGCLIENTENCODING
export LC_MESSAGES=C

if [ $createdb = 1 ]; then
    psql -X -q -d postgres -v ON_ERROR_STOP=1 >"$out/createdb.log" 2>&1 <<SQL
DROP DATABASE IF EXISTS "$dbname";
CREATE DATABASE "$dbname" TEMPLATE=template0;
ALTER DATABASE "$dbname" SET lc_messages TO 'C';
ALTER DATABASE "$dbname" SET lc_monetary TO 'C';
ALTER DATABASE "$dbname" SET lc_numeric TO 'C';
ALTER DATABASE "$dbname" SET lc_time TO 'C';
ALTER DATABASE "$dbname" SET bytea_output TO 'hex';
ALTER DATABASE "$dbname" SET timezone_abbreviations TO 'Default';
SQL
    if [ $? -ne 0 ]; then
        echo "pg_regress.sh: could not create database $dbname:" >&2
        cat "$out/createdb.log" >&2
        exit 2
    fi
fi

# Drop the statements that load regress.so (CREATE FUNCTION ... AS :'regresslib' ...;).
strip_regresslib() {
    awk '
        buf == "" && /^CREATE FUNCTION/ { buf = $0 "\n"; if ($0 ~ /;[ \t]*$/) { flush() } ; next }
        buf != "" { buf = buf $0 "\n"; if ($0 ~ /;[ \t]*$/) flush(); next }
        { print }
        function flush() { if (buf !~ /regresslib/) printf "%s", buf; buf = "" }
        END { if (buf != "") printf "%s", buf }
    '
}
# Replace EXPLAIN plans (QUERY PLAN header .. "(N rows)") with a placeholder.
filter_explain() {
    if [ $filter_explain = 0 ]; then cat; return; fi
    awk '
        inplan { if ($0 ~ /^\([0-9]+ rows?\)$/) { inplan = 0; print "<EXPLAIN output filtered>" } ; next }
        /^ *QUERY PLAN *$/ { inplan = 1; next }
        { print }
        END { if (inplan) print "<EXPLAIN output filtered>" }
    '
}

export PG_ABS_SRCDIR=$corpus PG_LIBDIR=/nonexistent/regress-lib PG_DLSUFFIX=.so
export PGTZ=PST8PDT PGDATESTYLE='Postgres, MDY'
export PGOPTIONS="-c intervalstyle=postgres_verbose"

npass=0 nfail=0 hardfail=0
rows=""
printf '%-20s %10s  %s\n' test "diff lines" result
for t in "${tests[@]}"; do
    src="$corpus/sql/$t.sql" exp="$corpus/expected/$t.out"
    if [ ! -f "$src" ] || [ ! -f "$exp" ]; then
        printf '%-20s %10s  %s\n' "$t" - "missing"
        rows+="| $t | - | missing |"$'\n'; nfail=$((nfail + 1)); hardfail=1; continue
    fi
    strip_regresslib <"$src" >"$out/sql/$t.sql"
    strip_regresslib <"$exp" | filter_explain >"$out/expected/$t.out"
    start=$(date +%s)
    PGAPPNAME="pg_regress/$t" timeout "$timeout_s" psql -X -a -q -d "$dbname" \
        -v HIDE_TABLEAM=on -v HIDE_TOAST_COMPRESSION=on \
        <"$out/sql/$t.sql" >"$out/results/$t.out" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    filter_explain <"$out/results/$t.out" >"$out/results_filtered/$t.out"
    diff -U3 "$out/expected/$t.out" "$out/results_filtered/$t.out" >"$out/diffs/$t.diff"
    n=$(grep -c '^[-+]' "$out/diffs/$t.diff"); n=$((n > 0 ? n - 2 : 0))  # minus ---/+++ headers
    if [ "$n" = 0 ]; then
        result=pass; npass=$((npass + 1)); rm -f "$out/diffs/$t.diff"
    else
        result=FAIL; nfail=$((nfail + 1))
        allowed=0
        for a in "${allow[@]+"${allow[@]}"}"; do [ "$a" = "$t" ] && allowed=1; done
        if [ $allowed = 1 ]; then result="FAIL (allowed)"; else hardfail=1; fi
    fi
    [ $rc = 124 ] && result="$result (timeout)"
    printf '%-20s %10s  %s\n' "$t" "$n" "$result"
    rows+="| $t | $n | $result | ${secs}s |"$'\n'
done
total=$((npass + nfail))
printf 'TOTAL: %d/%d passed\n' $npass $total
{
    echo "# pg_regress subset: $npass/$total passed"
    echo
    echo "Server: $host:$port, database $dbname, $(date -u '+%Y-%m-%d %H:%M UTC')."
    echo "Diff lines: changed lines in \`diff -U3 expected results\` (EXPLAIN plans filtered:"
    echo "$([ $filter_explain = 1 ] && echo yes || echo no)). Diffs are in diffs/<test>.diff."
    echo
    echo "| test | diff lines | result | time |"
    echo "|---|---:|---|---:|"
    printf '%s' "$rows"
} >"$out/summary.md"
echo "summary: $out/summary.md"
exit $hardfail
