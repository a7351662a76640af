#!/usr/bin/env bash
# Real-client test suite: every client connects over TLS (sslmode=require, certificate
# not verified) with SCRAM-SHA-256 and runs a small script; see
# docs/design/client-tests.md.
#
#   tests/clients/run_all.sh --host H --port P --user U --password PW
#                            [--dbname DB] [--only NAME[,NAME...]] [--skip NAME[,NAME...]]
#                            [--timeout SECONDS] [--verbose]
#
# Prints one line per client, "PASS name" or "FAIL name: reason", then a summary.
# Exit status 0 only if every selected client passed.
# Clients: handshake psql psql_describe libpq jdbc psycopg2 psycopg3 node
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALL="handshake psql psql_describe libpq jdbc psycopg2 psycopg3 node"
PY=/usr/bin/python3          # Debian's python with psycopg2/psycopg (not the one on PATH)
JDBC_JAR=${JDBC_JAR:-/usr/share/java/postgresql.jar}

host="" port="" user="" password="" dbname=postgres only="" skip="" tmo=180 verbose=0
usage() { sed -n '6,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --host) host=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --user) user=$2; shift 2 ;;
        --password) password=$2; shift 2 ;;
        --dbname) dbname=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --skip) skip=$2; shift 2 ;;
        --timeout) tmo=$2; shift 2 ;;
        --verbose|-v) verbose=1; shift ;;
        -h|--help) usage ;;
        *) echo "run_all.sh: unknown argument $1" >&2; usage ;;
    esac
done
[ -n "$host" ] && [ -n "$port" ] && [ -n "$user" ] || usage

selected=""
for name in ${only//,/ }; do
    case " $ALL " in *" $name "*) ;; *) echo "run_all.sh: unknown client '$name' (known: $ALL)" >&2; exit 2 ;; esac
done
for name in $ALL; do
    if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then continue; fi
    if [[ ",$skip," == *",$name,"* ]]; then continue; fi
    selected="$selected $name"
done

export CT_HOST=$host CT_PORT=$port CT_USER=$user CT_PASSWORD=$password CT_DBNAME=$dbname
# Make sure ambient libpq settings cannot change what is being tested.
unset PGSSLMODE PGSSLROOTCERT PGSSLCERT PGSSLKEY PGCHANNELBINDING PGGSSENCMODE PGSERVICE PGSERVICEFILE \
      PGOPTIONS PGAPPNAME PGCLIENTENCODING PGDATESTYLE PGTZ PGREQUIRESSL PGPASSFILE
export PGPASSFILE=/dev/null

work=$(mktemp -d /tmp/borealis-clients.XXXXXX)
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing $1"; return 1; }; }

# Each runner prints the test's output; the last line is "OK ..." or "FAIL: reason".
run_handshake()     { need "$PY" && "$PY" "$HERE/handshake_probe.py"; }
run_psql()          { need psql && "$HERE/psql_test.sh"; }
run_psql_describe() { need psql && "$HERE/psql_describe_test.sh"; }
run_libpq() {
    need cc || return 1
    local inc
    inc=$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
    cc -O1 -Wall -I"$inc" -o "$work/libpq_test" "$HERE/libpq_test.c" -lpq 2>&1 || { echo "FAIL: compile error"; return 1; }
    "$work/libpq_test"
}
run_jdbc() {
    need java || return 1
    [ -r "$JDBC_JAR" ] || { echo "FAIL: $JDBC_JAR not found"; return 1; }
    # Single-file source launch; javac notes go to stderr and are dropped from the verdict.
    java -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$JDBC_JAR" "$HERE/JdbcTest.java"
}
run_psycopg2() { need "$PY" && "$PY" "$HERE/psycopg2_test.py"; }
run_psycopg3() { need "$PY" && "$PY" "$HERE/psycopg3_test.py"; }
run_node() {
    need node || return 1
    [ -d "$HERE/node/node_modules/pg" ] || { echo "FAIL: run 'npm install' in $HERE/node"; return 1; }
    node "$HERE/node/node_test.js"
}

export -f need $(for n in $selected; do echo "run_$n"; done)
export HERE PY JDBC_JAR work
pass=0 failn=0 failed=""
for name in $selected; do
    log="$work/$name.log"
    start=$(date +%s%N)
    timeout --kill-after=10 "$tmo" bash -c "run_$name" >"$log" 2>"$log.err"
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    secs="$((ms / 1000)).$((ms % 1000 / 100))"
    last=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
    if [ $rc -eq 0 ] && [[ "$last" == OK* ]]; then
        echo "PASS $name (${secs}s) ${last#OK }"
        pass=$((pass + 1))
    else
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
            reason="timed out after ${tmo}s"
        elif [[ "$last" == FAIL:* ]]; then
            reason=${last#FAIL: }
        else
            reason="exit status $rc: ${last:-$(tail -n 1 "$log.err")}"
        fi
        echo "FAIL $name: $reason"
        failn=$((failn + 1)); failed="$failed $name"
        if [ $verbose = 1 ]; then sed 's/^/    | /' "$log" "$log.err"; fi
    fi
done
total=$((pass + failn))
if [ $failn -eq 0 ]; then
    echo "SUMMARY: $pass/$total clients passed"
    exit 0
fi
echo "SUMMARY: $pass/$total clients passed; failed:$failed"
exit 1
