#!/usr/bin/env bash
# Real-client test: psql backslash "describe" commands (\dt, \d TABLE, \dn, \l).
# Each one sends pg_catalog queries (pg_class, pg_namespace, pg_attribute,
# pg_get_userbyid, OPERATOR(pg_catalog.~) regex matches, format_type, ...), so this
# is separate from psql_test.sh: it needs a much larger catalog surface.
# Settings from CT_HOST, CT_PORT, CT_USER, CT_PASSWORD, CT_DBNAME.
set -uo pipefail
PSQL=${PSQL:-psql}
conn="host=$CT_HOST port=$CT_PORT user=$CT_USER dbname=$CT_DBNAME sslmode=require connect_timeout=20"
fail() { echo "FAIL: $*"; exit 1; }
t="ct_describe_$$"

run() { PGPASSWORD=$CT_PASSWORD "$PSQL" "$conn" -X -v ON_ERROR_STOP=1 "$@" 2>&1; }

out=$(run -c "DROP TABLE IF EXISTS $t" -c "CREATE TABLE $t (id int PRIMARY KEY, name text NOT NULL, amount varchar(10))") \
    || fail "CREATE TABLE: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
trap 'run -c "DROP TABLE IF EXISTS $t" >/dev/null' EXIT

out=$(run -c "\\d $t") || fail "\\d $t: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
for w in "Table \"public.$t\"" "id" "integer" "name" "text" "not null" "amount" "character varying(10)"; do
    echo "$out" | grep -qF -- "$w" || fail "\\d $t output lacks '$w'"
done
out=$(run -c '\dt') || fail "\\dt: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
echo "$out" | grep -qF -- "$t" || fail "\\dt does not list $t"
out=$(run -c '\dn') || fail "\\dn: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
echo "$out" | grep -qw public || fail "\\dn does not list schema public"
out=$(run -c '\l') || fail "\\l: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
echo "$out" | grep -qF -- "$CT_DBNAME" || fail "\\l does not list database $CT_DBNAME"
echo "OK psql describe"
