#!/usr/bin/env bash
# Record what every driver sends, through the wire_trace.py logging proxy.
#
#   tests/clients/trace_drivers.sh ORACLE_DIR ORACLE_PORT PROXY_PORT OUT_FILE [run_all.sh options...]
#
# ORACLE_DIR/ORACLE_PORT: a server started by pg_oracle.sh (its certificate and key in
# ORACLE_DIR/data are reused by the proxy so SCRAM-SHA-256-PLUS channel binding still
# matches).  Runs run_all.sh against 127.0.0.1:PROXY_PORT and writes the decoded
# message trace to OUT_FILE.  Password from ORACLE_PASSWORD (default borealis-test).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 4 ] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
dir=$1 oport=$2 pport=$3 out=$4; shift 4
tmp=$(mktemp -d /tmp/borealis-trace.XXXXXX)
cp "$dir/data/server.crt" "$dir/data/server.key" "$tmp/"
: > "$out"
/usr/bin/python3 "$HERE/wire_trace.py" --listen-port "$pport" --upstream-port "$oport" \
    --cert "$tmp/server.crt" --key "$tmp/server.key" --log "$out" &
proxy=$!
trap 'kill $proxy 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/"$pport") 2>/dev/null && break
    sleep 0.1
done
: > "$out"  # drop the readiness probe's connection
rc=0
"$HERE/run_all.sh" --host 127.0.0.1 --port "$pport" --user admin --password "${ORACLE_PASSWORD:-borealis-test}" "$@" || rc=$?
sleep 0.5
echo "trace_drivers: $(grep -c . "$out") lines in $out"
exit $rc
