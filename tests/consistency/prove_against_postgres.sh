#!/usr/bin/env bash
# Proves the consistency checker against a throwaway PostgreSQL 15 (tests/clients/pg_oracle.sh):
#
#   tests/consistency/prove_against_postgres.sh [--clients N] [--duration S] [--seed N]
#                                               [--out DIR]
#
# 1. REPEATABLE READ (PostgreSQL's snapshot isolation), bank + list-append: the checker must
#    find no forbidden anomaly.
# 2. READ COMMITTED, bank and list-append separately: the checker must find forbidden
#    anomalies in each (--expect-anomalies), i.e. it can fail.
# Exit status 0 iff both hold. JSON results go to DIR (default /tmp/borealis-consistency-out):
# rr.json, rc-bank.json, rc-list-append.json. The oracle is stopped and deleted on exit.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3                 # Debian's python with psycopg2 (not the one on PATH)
ORACLE="$ROOT/tests/clients/pg_oracle.sh"
export ORACLE_PASSWORD=${ORACLE_PASSWORD:-borealis-test}

clients=8 duration=20 seed=1 out=/tmp/borealis-consistency-out
while [ $# -gt 0 ]; do
    case "$1" in
        --clients) clients=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "prove_against_postgres.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d /tmp/borealis-consistency.XXXXXX)
chmod 755 "$work"                   # the postgres user must reach $work/pg
mkdir -p "$out"
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() { "$ORACLE" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
"$ORACLE" start "$work/pg" "$port" 50 || exit 2

check() {   # check NAME ARGS...: runs the checker with a hard wall-clock limit
    local name=$1; shift
    echo "--- $name"
    timeout --kill-after=10 $(( 2 * ${duration%.*} + 120 )) \
        "$PY" "$HERE/checker.py" --host 127.0.0.1 --port "$port" --user admin \
        --password "$ORACLE_PASSWORD" --sslmode require --clients "$clients" \
        --duration "$duration" --seed "$seed" "$@"
}

check "REPEATABLE READ: expect no forbidden anomaly" --workload both \
    --isolation "repeatable read" --json "$out/rr.json"
rr=$?
check "READ COMMITTED bank: expect forbidden anomalies" --workload bank \
    --isolation "read committed" --expect-anomalies --json "$out/rc-bank.json"
rc_bank=$?
check "READ COMMITTED list-append: expect forbidden anomalies" --workload list-append \
    --isolation "read committed" --expect-anomalies --json "$out/rc-list-append.json"
rc_append=$?

echo "--- results in $out"
echo "repeatable read clean:            $([ $rr = 0 ] && echo yes || echo "NO (exit $rr)")"
echo "read committed bank caught:       $([ $rc_bank = 0 ] && echo yes || echo "NO (exit $rc_bank)")"
echo "read committed list-append caught: $([ $rc_append = 0 ] && echo yes || echo "NO (exit $rc_append)")"
if [ $rr = 0 ] && [ $rc_bank = 0 ] && [ $rc_append = 0 ]; then
    echo "PASS"
    exit 0
fi
echo "FAIL"
exit 1
