#!/usr/bin/env bash
# Self-test of slt.py against a PostgreSQL 15 server (e.g. tests/clients/pg_oracle.sh):
#   tests/slt/selftest.sh --host 127.0.0.1 --port 54715 --user admin --password borealis-test
# selftest/pass must pass completely; selftest/fail must fail every record except 2,
# and a `restart` record must run the hook and reconnect.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/slt.py" "$@" "$here/selftest/pass"
if "$py" "$here/slt.py" "$@" --json "$tmp/fail.json" "$here/selftest/fail" >/dev/null; then
    echo "selftest: the fail file passed" >&2; exit 1
fi
"$py" - "$tmp/fail.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["total"]
if (t["passed"], t["total"]) != (2, 18):
    sys.exit("selftest: fail/ gave %d/%d, expected 2/18" % (t["passed"], t["total"]))
PY
# restart hook: the command runs and the session is re-established.
printf 'statement ok\nSET application_name = %s\n\nrestart\n\nquery T\nSHOW application_name\n----\nslt.py\n' "'x'" > "$tmp/restart.test"
"$py" "$here/slt.py" "$@" --restart-command "touch $tmp/restarted" "$tmp/restart.test"
[ -e "$tmp/restarted" ] || { echo "selftest: restart hook not called" >&2; exit 1; }
echo "selftest: OK"
