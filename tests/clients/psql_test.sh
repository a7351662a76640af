#!/usr/bin/env bash
# Real-client test: psql.  Run by tests/clients/run_all.sh; settings from CT_HOST,
# CT_PORT, CT_USER, CT_PASSWORD, CT_DBNAME.  Prints "OK" or "FAIL: reason".
set -uo pipefail
PSQL=${PSQL:-psql}
conn="host=$CT_HOST port=$CT_PORT user=$CT_USER dbname=$CT_DBNAME sslmode=require connect_timeout=20"

fail() { echo "FAIL: $*"; exit 1; }

# 1. One psql session: \conninfo must report TLS; then queries, -A -t output, one value per line.
out=$(PGPASSWORD=$CT_PASSWORD env -u PGAPPNAME "$PSQL" "$conn" -X -A -t -v ON_ERROR_STOP=1 2>&1 <<'SQL'
\conninfo
SHOW application_name;
SELECT 1;
SET application_name TO 'borealis-x';
SHOW application_name;
SELECT set_config('search_path', 'public', false);
SELECT current_setting('search_path');
PREPARE add_one(int) AS SELECT $1::int + 1;
EXECUTE add_one(41);
DEALLOCATE add_one;
SELECT 'psql-done';
SQL
) || fail "psql session failed: $(echo "$out" | tail -n 3 | tr '\n' ' ')"

echo "$out" | grep -q "SSL connection" || fail "\\conninfo does not report an SSL connection: $(echo "$out" | head -n 2 | tr '\n' ' ')"
# Expected lines after the two \conninfo lines.
want=$'psql\n1\nSET\nborealis-x\npublic\npublic\nPREPARE\n42\nDEALLOCATE\npsql-done'
got=$(echo "$out" | grep -v -e '^You are connected' -e '^SSL connection')
[ "$got" = "$want" ] || fail "unexpected output: $(echo "$got" | tr '\n' '|') want $(echo "$want" | tr '\n' '|')"

# 2. Parameterized query through psql's extended-protocol support (\bind, psql 16+) is not
#    available in psql 15; the server-side parameter path is covered by PREPARE/EXECUTE above.

# 3. version() as a one-shot -c command (tools parse it; must start with 'PostgreSQL').
out=$(PGPASSWORD=$CT_PASSWORD "$PSQL" "$conn" -X -A -t -v ON_ERROR_STOP=1 -c 'SELECT version()' 2>&1) \
    || fail "SELECT version(): $out"
case "$out" in PostgreSQL*) ;; *) fail "version() does not start with PostgreSQL: $out" ;; esac

# 4. Wrong password -> authentication failure (psql exit status 2; libpq message text).
out=$(PGPASSWORD=definitely-not-the-password "$PSQL" "$conn" -X -A -t -c 'SELECT 1' 2>&1)
rc=$?
[ $rc -eq 2 ] || fail "wrong password: psql exit status $rc (want 2): $out"
echo "$out" | grep -q 'password authentication failed' || fail "wrong password: unexpected message: $out"

echo "OK psql $("$PSQL" --version | awk '{print $3}')"
