#!/usr/bin/env bash
# Throwaway PostgreSQL 15 "oracle" for the real-client tests.
#
#   tests/clients/pg_oracle.sh start DIR PORT [MAX_CONNECTIONS]
#   tests/clients/pg_oracle.sh stop DIR
#
# start: initdb into DIR/data, make a self-signed certificate with openssl, enable
#        ssl=on, scram-sha-256 for TLS (hostssl) and plain (host) TCP on 127.0.0.1,
#        log_connections + log_statement=all (DIR/data/log/postgresql.log), create
#        role `admin` (superuser) with password $ORACLE_PASSWORD (default borealis-test)
#        and start the server on 127.0.0.1:PORT.
# stop:  stop the server and delete DIR.
#
# PostgreSQL refuses to run as root: when run as root everything is done as the
# `postgres` user via runuser, and DIR must be somewhere that user can reach (/tmp/...).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ORACLE_PASSWORD=${ORACLE_PASSWORD:-borealis-test}

usage() { echo "usage: $0 start DIR PORT [MAX_CONNECTIONS] | stop DIR" >&2; exit 2; }

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || usage
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac

case "$cmd" in
start)
    port=${3:-}; maxconn=${4:-200}
    [ -n "$port" ] || usage
    if [ -e "$dir/data/postmaster.pid" ]; then echo "pg_oracle: already running in $dir" >&2; exit 1; fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    pwfile="$dir/pwfile"
    printf '%s\n' "$ORACLE_PASSWORD" > "$pwfile"
    chmod 600 "$pwfile"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$pwfile"; fi
    as_pg "$PGBIN/initdb" -D "$dir/data" -U admin --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
    # Self-signed server certificate (clients use sslmode=require: no verification).
    as_pg openssl req -new -x509 -days 30 -nodes -newkey rsa:2048 -subj "/CN=127.0.0.1" \
        -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1
    as_pg chmod 600 "$dir/data/server.key"
    as_pg tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF

# --- pg_oracle.sh ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = $maxconn
shared_buffers = 32MB
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = on
log_directory = 'log'
log_filename = 'postgresql.log'
log_connections = on
log_disconnections = off
log_statement = 'all'
log_min_error_statement = error
log_line_prefix = '%m [%p] app=%a user=%u db=%d '
CONF
    as_pg tee "$dir/data/pg_hba.conf" >/dev/null <<HBA
# TYPE   DATABASE USER ADDRESS       METHOD
local    all      all                trust
hostssl  all      all  127.0.0.1/32  scram-sha-256
host     all      all  127.0.0.1/32  scram-sha-256
HBA
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/pg_ctl.log" -w -t 60 start >/dev/null \
        || { cat "$dir/pg_ctl.log" >&2; exit 1; }
    echo "pg_oracle: PostgreSQL 15 on 127.0.0.1:$port (user admin, ssl=on, scram-sha-256, max_connections=$maxconn)"
    echo "pg_oracle: statement log $dir/data/log/postgresql.log"
    ;;
stop)
    if [ -e "$dir/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    case "$dir" in /|/tmp|/tmp/) echo "pg_oracle: refusing to delete $dir" >&2; exit 1 ;; esac
    rm -rf "$dir"
    ;;
*) usage ;;
esac
