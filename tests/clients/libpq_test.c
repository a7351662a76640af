/* Real-client test: libpq (C).  Built and run by tests/clients/run_all.sh.
 *
 * Connection settings come from the environment: CT_HOST, CT_PORT, CT_USER,
 * CT_PASSWORD, CT_DBNAME.  Prints "OK ..." and exits 0 on success; prints
 * "FAIL: reason" and exits 1 otherwise.
 *
 * Checks: TLS (sslmode=require, PQsslInUse) + SCRAM login with channel_binding
 * prefer (libpq's default: uses SCRAM-SHA-256-PLUS if the server offers it) and
 * disable (plain SCRAM-SHA-256); application_name startup parameter; PQexec
 * SELECT 1; PQexecParams SELECT $1::int + 1 (text and binary result);
 * PQprepare + PQexecPrepared (repeated); PQdescribePrepared; SET/SHOW and
 * set_config/current_setting; error SQLSTATE on a bad statement and that the
 * session is usable afterwards; wrong password -> SQLSTATE 28P01.
 */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

static void fail(PGconn* c, const char* fmt, ...) {
  va_list ap;
  printf("FAIL: ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  if (c) {
    /* One line: run_all.sh reports the last output line. */
    const char* m = PQerrorMessage(c);
    if (m && *m) {
      printf(" [");
      for (; *m; m++) putchar(*m == '\n' ? ' ' : *m);
      printf("]");
    }
  }
  printf("\n");
  fflush(stdout);
  exit(1);
}

static const char* env(const char* name, const char* def) {
  const char* v = getenv(name);
  return (v && *v) ? v : def;
}

static PGconn* connect_with(const char* password, const char* channel_binding, int verbose) {
  const char* keys[] = {"host",
                        "port",
                        "user",
                        "password",
                        "dbname",
                        "sslmode",
                        "channel_binding",
                        "application_name",
                        "connect_timeout",
                        NULL};
  const char* vals[] = {env("CT_HOST", "127.0.0.1"),
                        env("CT_PORT", "5432"),
                        env("CT_USER", "admin"),
                        password,
                        env("CT_DBNAME", "postgres"),
                        "require",
                        channel_binding,
                        "borealis-libpq",
                        "20",
                        NULL};
  PGconn* c = PQconnectStartParams(keys, vals, 0);
  if (!c) fail(NULL, "PQconnectStartParams returned NULL");
  /* VERBOSE makes libpq put the SQLSTATE into connection-time error messages. */
  if (verbose) PQsetErrorVerbosity(c, PQERRORS_VERBOSE);
  PostgresPollingStatusType st = PGRES_POLLING_WRITING;
  while (PQstatus(c) != CONNECTION_BAD && st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
    fd_set fds;
    FD_ZERO(&fds);
    int sock = PQsocket(c);
    if (sock < 0) break;
    FD_SET(sock, &fds);
    struct timeval tv = {20, 0};
    int r = (st == PGRES_POLLING_READING) ? select(sock + 1, &fds, NULL, NULL, &tv)
                                          : select(sock + 1, NULL, &fds, NULL, &tv);
    if (r == 0) fail(c, "connection timed out");
    st = PQconnectPoll(c);
  }
  return c;
}

static PGresult* expect(PGconn* c, PGresult* r, ExecStatusType want, const char* what) {
  if (!r) fail(c, "%s: NULL result", what);
  if (PQresultStatus(r) != want) {
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    fail(c, "%s: status %s (want %s) sqlstate=%s", what, PQresStatus(PQresultStatus(r)),
         PQresStatus(want), state ? state : "-");
  }
  return r;
}

static void expect_value(PGconn* c, PGresult* r, const char* want, const char* what) {
  if (PQntuples(r) != 1 || PQnfields(r) < 1)
    fail(c, "%s: %d rows x %d cols, want 1x1", what, PQntuples(r), PQnfields(r));
  if (PQgetisnull(r, 0, 0)) fail(c, "%s: NULL, want %s", what, want);
  if (strcmp(PQgetvalue(r, 0, 0), want) != 0)
    fail(c, "%s: got '%s', want '%s'", what, PQgetvalue(r, 0, 0), want);
}

static void session_checks(PGconn* c) {
  if (!PQsslInUse(c)) fail(c, "PQsslInUse() == 0 with sslmode=require");
  const char* proto = PQsslAttribute(c, "protocol");
  if (!proto) fail(c, "PQsslAttribute(protocol) is NULL");
  if (PQprotocolVersion(c) != 3) fail(c, "protocol version %d", PQprotocolVersion(c));
  if (PQserverVersion(c) < 90000)
    fail(c, "server_version not reported or too old: %d", PQserverVersion(c));
  const char* enc = PQparameterStatus(c, "client_encoding");
  if (!enc || strcmp(enc, "UTF8") != 0)
    fail(c, "ParameterStatus client_encoding = %s, want UTF8", enc ? enc : "(none)");
  const char* ds = PQparameterStatus(c, "DateStyle");
  if (!ds || strncmp(ds, "ISO", 3) != 0)
    fail(c, "ParameterStatus DateStyle = %s, want ISO...", ds ? ds : "(none)");
  const char* sci = PQparameterStatus(c, "standard_conforming_strings");
  if (!sci || strcmp(sci, "on") != 0)
    fail(c, "ParameterStatus standard_conforming_strings = %s", sci ? sci : "(none)");
  const char* idt = PQparameterStatus(c, "integer_datetimes");
  if (!idt || strcmp(idt, "on") != 0)
    fail(c, "ParameterStatus integer_datetimes = %s", idt ? idt : "(none)");

  /* The startup parameter application_name must be visible. */
  PGresult* r = expect(c, PQexec(c, "SHOW application_name"), PGRES_TUPLES_OK,
                       "SHOW application_name (startup)");
  expect_value(c, r, "borealis-libpq", "application_name from startup packet");
  PQclear(r);

  /* Simple query protocol. */
  r = expect(c, PQexec(c, "SELECT 1"), PGRES_TUPLES_OK, "PQexec SELECT 1");
  expect_value(c, r, "1", "SELECT 1");
  PQclear(r);

  /* Extended protocol, unnamed statement, text parameter; text then binary result. */
  const char* params[1] = {"41"};
  r = expect(c, PQexecParams(c, "SELECT $1::int + 1", 1, NULL, params, NULL, NULL, 0),
             PGRES_TUPLES_OK, "PQexecParams");
  expect_value(c, r, "42", "PQexecParams SELECT $1::int + 1");
  if (PQftype(r, 0) != 23)
    fail(c, "PQexecParams result type oid %u, want 23 (int4)", PQftype(r, 0));
  PQclear(r);
  /* Binary parameter (int4 OID 23) and binary result. */
  uint32_t be41 = htonl(41);
  const char* bparams[1] = {(const char*)&be41};
  int blen[1] = {4}, bfmt[1] = {1};
  Oid btypes[1] = {23};
  r = expect(c, PQexecParams(c, "SELECT $1::int + 1", 1, btypes, bparams, blen, bfmt, 1),
             PGRES_TUPLES_OK, "PQexecParams (binary)");
  if (PQntuples(r) != 1 || PQgetlength(r, 0, 0) != 4)
    fail(c, "binary result: want 1 row of 4 bytes");
  uint32_t v;
  memcpy(&v, PQgetvalue(r, 0, 0), 4);
  if (ntohl(v) != 42) fail(c, "binary result %u, want 42", ntohl(v));
  PQclear(r);

  /* Named prepared statement, executed several times. */
  r = expect(c, PQprepare(c, "add_one", "SELECT $1::int + 1", 1, NULL), PGRES_COMMAND_OK,
             "PQprepare");
  PQclear(r);
  r = expect(c, PQdescribePrepared(c, "add_one"), PGRES_COMMAND_OK, "PQdescribePrepared");
  if (PQnparams(r) != 1 || PQparamtype(r, 0) != 23)
    fail(c, "describe: %d params, type %u; want 1 int4", PQnparams(r),
         PQnparams(r) ? PQparamtype(r, 0) : 0);
  if (PQnfields(r) != 1 || PQftype(r, 0) != 23)
    fail(c, "describe: %d fields; want 1 int4", PQnfields(r));
  PQclear(r);
  for (int i = 0; i < 10; i++) {
    char in[16], want[16];
    snprintf(in, sizeof in, "%d", 41 + i);
    snprintf(want, sizeof want, "%d", 42 + i);
    const char* p[1] = {in};
    r = expect(c, PQexecPrepared(c, "add_one", 1, p, NULL, NULL, 0), PGRES_TUPLES_OK,
               "PQexecPrepared");
    expect_value(c, r, want, "PQexecPrepared add_one");
    PQclear(r);
  }
  r = expect(c, PQexec(c, "DEALLOCATE add_one"), PGRES_COMMAND_OK, "DEALLOCATE");
  PQclear(r);

  /* Session parameters. */
  r = expect(c, PQexec(c, "SET application_name TO 'borealis-x'"), PGRES_COMMAND_OK,
             "SET application_name");
  PQclear(r);
  const char* an = PQparameterStatus(c, "application_name");
  if (!an || strcmp(an, "borealis-x") != 0)
    fail(c, "ParameterStatus application_name after SET = %s", an ? an : "(none)");
  r = expect(c, PQexec(c, "SHOW application_name"), PGRES_TUPLES_OK, "SHOW application_name");
  expect_value(c, r, "borealis-x", "SHOW application_name");
  PQclear(r);
  r = expect(c, PQexec(c, "SELECT set_config('search_path', 'public', false)"), PGRES_TUPLES_OK,
             "set_config");
  expect_value(c, r, "public", "set_config result");
  PQclear(r);
  r = expect(c, PQexec(c, "SELECT current_setting('search_path')"), PGRES_TUPLES_OK,
             "current_setting");
  expect_value(c, r, "public", "current_setting('search_path')");
  PQclear(r);

  /* An error carries a SQLSTATE and leaves the session usable. */
  r = PQexec(c, "SELECT 1/0");
  if (PQresultStatus(r) != PGRES_FATAL_ERROR) fail(c, "SELECT 1/0 did not fail");
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  if (!state || strcmp(state, "22012") != 0)
    fail(c, "SELECT 1/0 sqlstate %s, want 22012", state ? state : "(none)");
  PQclear(r);
  if (PQtransactionStatus(c) != PQTRANS_IDLE) fail(c, "transaction status not idle after error");
  r = expect(c, PQexec(c, "SELECT 1"), PGRES_TUPLES_OK, "SELECT 1 after error");
  expect_value(c, r, "1", "SELECT 1 after error");
  PQclear(r);
}

int main(void) {
  const char* pw = env("CT_PASSWORD", "");
  const char* modes[] = {"prefer", "disable"};
  for (int i = 0; i < 2; i++) {
    PGconn* c = connect_with(pw, modes[i], 0);
    if (PQstatus(c) != CONNECTION_OK) fail(c, "connect (channel_binding=%s) failed", modes[i]);
    session_checks(c);
    PQfinish(c);
  }

  /* Wrong password must fail with SQLSTATE 28P01 (invalid_password). */
  PGconn* c = connect_with("definitely-not-the-password", "prefer", 1);
  if (PQstatus(c) == CONNECTION_OK) fail(c, "login with a wrong password succeeded");
  const char* msg = PQerrorMessage(c);
  if (!strstr(msg, "28P01")) fail(c, "wrong password: error lacks SQLSTATE 28P01");
  PQfinish(c);

  printf("OK libpq %d\n", PQlibVersion());
  return 0;
}
