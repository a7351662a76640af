/*
 * pgload: a small libpq load generator for bench/compare.
 *
 *   cc -O2 -Wall -o pgload bench/pgload/pgload.c -I$(pg_config --includedir) -lpq -lpthread
 *
 *   pgload --workload W --conninfo "host=... port=... user=... password=... dbname=...
 * sslmode=disable"
 *          [--threads N] [--duration S] [--warmup S] [--keys K] [--key-base B] [--max-ops M]
 *          [--connections N] [--hold S] [--server-pid PID[,PID...]] [--label TEXT]
 *
 * Workloads (all against table bench_kv(k bigint primary key, v bigint) holding keys 1..K):
 *   point-select    N threads, each with its own connection, run the prepared statement
 *                   SELECT v FROM bench_kv WHERE k = $1 with uniformly random keys in 1..K.
 *   update          same with the prepared UPDATE bench_kv SET v = v + 1 WHERE k = $1
 *                   (autocommit). A serialization failure (SQLSTATE 40001) is counted as a
 *                   retry and the same key is tried again (at most 20 tries, like pgbench
 *                   --max-tries=20); tps counts committed updates only.
 *   insert-latency  1 connection, autocommit prepared INSERT INTO bench_kv VALUES ($1, 0) of
 *                   new keys key-base+1, key-base+2, ...: reports p50/p99 commit latency.
 *   idle            opens --connections connections (password auth; 4 opener threads), holds
 *                   them --hold seconds, checks SELECT 1 on the first, the last and a sample of
 *                   connections, and reports the memory of the server processes.
 *
 * Memory: --server-pid takes one or more pids; each pid and all its descendants (PostgreSQL's
 * backends are children of the postmaster) are measured: the sum of VmRSS, the sum of VmHWM
 * and the sum of Pss (/proc/PID/smaps_rollup, which charges shared pages once overall).
 * Load workloads measure while their connections are still open, at the end of the run.
 *
 * Output: exactly one line on stdout, key=value pairs separated by spaces, e.g.
 *   workload=point-select label=pg threads=8 duration_s=10.00 ops=... tps=... p50_us=...
 *   p99_us=... errors=... retries=... server_rss_kib=... server_hwm_kib=... server_pss_kib=...
 * Diagnostics go to stderr. Exit status: 0 on success, 1 on a setup error (cannot connect,
 * cannot prepare, bad arguments), 2 if the run finished but errors > 0 or idle connections
 * failed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define HIST_BUCKETS 200000 /* 1 us resolution up to 200 ms; slower ops land in the last one */
#define MAX_TRIES 20
#define MAX_PIDS 16

static const char* workload = NULL;
static const char* conninfo = NULL;
static const char* label = "";
static int threads = 8;
static double duration = 10.0;
static double warmup = 1.0;
static long long keys = 10000;
static long long key_base = 1000000000LL;
static long long max_ops = 0; /* 0: unbounded (time-bounded only) */
static int connections = 1000;
static double hold = 2.0;
static int server_pids[MAX_PIDS];
static int n_server_pids = 0;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char* fmt, const char* arg) {
  fprintf(stderr, "pgload: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n");
  exit(1);
}

/* ---------- server memory ---------- */

static long read_status_kib(int pid, const char* field) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  FILE* f = fopen(path, "r");
  if (!f) return -1;
  long value = -1;
  size_t len = strlen(field);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, field, len) == 0 && line[len] == ':') {
      value = strtol(line + len + 1, NULL, 10);
      break;
    }
  }
  fclose(f);
  return value;
}

static long read_pss_kib(int pid) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
  FILE* f = fopen(path, "r");
  if (!f) return -1;
  long value = -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "Pss:", 4) == 0) {
      value = strtol(line + 4, NULL, 10);
      break;
    }
  }
  fclose(f);
  return value;
}

static int read_ppid(int pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE* f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char* p = strrchr(buf, ')'); /* comm may contain spaces */
  if (!p) return -1;
  char state;
  int ppid;
  if (sscanf(p + 1, " %c %d", &state, &ppid) != 2) return -1;
  return ppid;
}

typedef struct {
  long rss_kib, hwm_kib, pss_kib;
  int processes;
} mem_t;

/* Sum over the server pids and all their descendants. */
static mem_t server_memory(void) {
  mem_t m = {0, 0, 0, 0};
  if (n_server_pids == 0) {
    m.rss_kib = m.hwm_kib = m.pss_kib = -1;
    return m;
  }
  int cap = 4096, n = 0;
  int *pids = malloc(sizeof(int) * cap), *ppids = malloc(sizeof(int) * cap);
  DIR* d = opendir("/proc");
  struct dirent* e;
  while (d && (e = readdir(d))) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    if (n == cap) {
      cap *= 2;
      pids = realloc(pids, sizeof(int) * cap);
      ppids = realloc(ppids, sizeof(int) * cap);
    }
    pids[n] = atoi(e->d_name);
    ppids[n] = read_ppid(pids[n]);
    n++;
  }
  if (d) closedir(d);
  char* in = calloc(n, 1);
  int changed = 1;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n_server_pids; j++)
      if (pids[i] == server_pids[j]) in[i] = 1;
  while (changed) { /* fixpoint: children of members are members */
    changed = 0;
    for (int i = 0; i < n; i++) {
      if (in[i]) continue;
      for (int j = 0; j < n; j++)
        if (in[j] && ppids[i] == pids[j]) {
          in[i] = 1;
          changed = 1;
          break;
        }
    }
  }
  for (int i = 0; i < n; i++) {
    if (!in[i]) continue;
    long rss = read_status_kib(pids[i], "VmRSS");
    long hwm = read_status_kib(pids[i], "VmHWM");
    long pss = read_pss_kib(pids[i]);
    if (rss < 0) continue; /* exited meanwhile */
    m.rss_kib += rss;
    m.hwm_kib += hwm > 0 ? hwm : 0;
    m.pss_kib += pss > 0 ? pss : 0;
    m.processes++;
  }
  free(in);
  free(pids);
  free(ppids);
  return m;
}

/* ---------- latency histogram ---------- */

typedef struct {
  uint32_t* bucket; /* HIST_BUCKETS counters, 1 us each */
  uint64_t count;
} hist_t;

static void hist_init(hist_t* h) {
  h->bucket = calloc(HIST_BUCKETS, sizeof(uint32_t));
  h->count = 0;
}

static void hist_add(hist_t* h, double seconds) {
  long us = (long)(seconds * 1e6);
  if (us < 0) us = 0;
  if (us >= HIST_BUCKETS) us = HIST_BUCKETS - 1;
  h->bucket[us]++;
  h->count++;
}

static void hist_merge(hist_t* into, const hist_t* from) {
  for (int i = 0; i < HIST_BUCKETS; i++) into->bucket[i] += from->bucket[i];
  into->count += from->count;
}

static long hist_percentile(const hist_t* h, double p) {
  if (h->count == 0) return -1;
  uint64_t want = (uint64_t)(p * (double)h->count);
  if (want >= h->count) want = h->count - 1;
  uint64_t seen = 0;
  for (int i = 0; i < HIST_BUCKETS; i++) {
    seen += h->bucket[i];
    if (seen > want) return i;
  }
  return HIST_BUCKETS - 1;
}

/* ---------- load workloads ---------- */

typedef struct {
  int id;
  PGconn* conn;
  hist_t hist;
  uint64_t ops, errors, retries, gave_up;
  uint64_t seed;
  char first_error[256];
} worker_t;

static atomic_int start_flag;
static double t_measure_start, t_end;

static uint64_t next_rand(uint64_t* s) { /* xorshift64* */
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545F4914F6CDD1DULL;
}

static PGconn* connect_or_null(char* err, size_t errlen) {
  PGconn* c = PQconnectdb(conninfo);
  if (PQstatus(c) != CONNECTION_OK) {
    snprintf(err, errlen, "%s", PQerrorMessage(c));
    PQfinish(c);
    return NULL;
  }
  return c;
}

static const char* statement_sql(void) {
  if (strcmp(workload, "point-select") == 0) return "SELECT v FROM bench_kv WHERE k = $1";
  if (strcmp(workload, "update") == 0) return "UPDATE bench_kv SET v = v + 1 WHERE k = $1";
  return "INSERT INTO bench_kv (k, v) VALUES ($1, 0)";
}

static void* worker_main(void* arg) {
  worker_t* w = arg;
  int is_select = strcmp(workload, "point-select") == 0;
  int is_insert = strcmp(workload, "insert-latency") == 0;
  char keybuf[32];
  const char* params[1] = {keybuf};
  long long next_insert = key_base + 1;
  while (!atomic_load(&start_flag)) usleep(100);
  for (;;) {
    double t0 = now_s();
    if (t0 >= t_end) break;
    if (max_ops > 0 && w->ops >= (uint64_t)max_ops) break;
    long long key =
        is_insert ? next_insert++ : 1 + (long long)(next_rand(&w->seed) % (uint64_t)keys);
    snprintf(keybuf, sizeof keybuf, "%lld", key);
    int ok = 0;
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      PGresult* r = PQexecPrepared(w->conn, "s", 1, params, NULL, NULL, 0);
      ExecStatusType st = PQresultStatus(r);
      if ((is_select && st == PGRES_TUPLES_OK && PQntuples(r) == 1) ||
          (!is_select && st == PGRES_COMMAND_OK && strcmp(PQcmdTuples(r), "1") == 0)) {
        ok = 1;
        PQclear(r);
        break;
      }
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      int retryable = state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
      if (t0 >= t_measure_start) {
        if (retryable)
          w->retries++;
        else
          w->errors++;
      }
      if (!retryable && !w->first_error[0]) {
        snprintf(w->first_error, sizeof w->first_error,
                 "status=%s sqlstate=%s rows=%d cmdtuples=%s msg=%s", PQresStatus(st),
                 state ? state : "-", st == PGRES_TUPLES_OK ? PQntuples(r) : -1, PQcmdTuples(r),
                 PQresultErrorMessage(r));
        char* nl = strchr(w->first_error, '\n');
        if (nl) *nl = 0;
      }
      PQclear(r);
      if (PQstatus(w->conn) != CONNECTION_OK) {
        fprintf(stderr, "pgload: thread %d lost its connection: %s", w->id,
                PQerrorMessage(w->conn));
        return NULL;
      }
      if (!retryable) break;
    }
    double t1 = now_s();
    if (t0 >= t_measure_start) {
      if (ok) {
        w->ops++;
        hist_add(&w->hist, t1 - t0);
      } else {
        w->gave_up++;
      }
    }
  }
  return NULL;
}

static int run_load(void) {
  int is_insert = strcmp(workload, "insert-latency") == 0;
  int n = is_insert ? 1 : threads;
  worker_t* ws = calloc(n, sizeof(worker_t));
  pthread_t* tids = calloc(n, sizeof(pthread_t));
  char err[512];
  for (int i = 0; i < n; i++) {
    ws[i].id = i;
    ws[i].seed = 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1) ^ (uint64_t)time(NULL) ^
                 ((uint64_t)getpid() << 20);
    hist_init(&ws[i].hist);
    ws[i].conn = connect_or_null(err, sizeof err);
    if (!ws[i].conn) {
      fprintf(stderr, "pgload: connect failed: %s", err);
      return 1;
    }
    PGresult* r = PQprepare(ws[i].conn, "s", statement_sql(), 1, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      fprintf(stderr, "pgload: prepare failed: %s", PQresultErrorMessage(r));
      return 1;
    }
    PQclear(r);
  }
  double t0 = now_s();
  t_measure_start = t0 + warmup;
  t_end = t_measure_start + duration;
  for (int i = 0; i < n; i++) pthread_create(&tids[i], NULL, worker_main, &ws[i]);
  atomic_store(&start_flag, 1);
  for (int i = 0; i < n; i++) pthread_join(tids[i], NULL);
  double t_done = now_s();
  double measured = (t_done < t_end ? t_done : t_end) - t_measure_start;
  if (measured <= 0) measured = t_done - t0;
  mem_t m = server_memory(); /* connections still open */
  hist_t all;
  hist_init(&all);
  uint64_t ops = 0, errors = 0, retries = 0, gave_up = 0;
  for (int i = 0; i < n; i++) {
    hist_merge(&all, &ws[i].hist);
    ops += ws[i].ops;
    errors += ws[i].errors;
    retries += ws[i].retries;
    gave_up += ws[i].gave_up;
    if (ws[i].first_error[0])
      fprintf(stderr, "pgload: %s thread %d first error: %s\n", label, i, ws[i].first_error);
    PQfinish(ws[i].conn);
  }
  printf("workload=%s label=%s threads=%d duration_s=%.2f ops=%" PRIu64
         " tps=%.0f p50_us=%ld p99_us=%ld "
         "errors=%" PRIu64 " retries=%" PRIu64 " gave_up=%" PRIu64
         " server_processes=%d server_rss_kib=%ld server_hwm_kib=%ld server_pss_kib=%ld\n",
         workload, label, n, measured, ops, (double)ops / measured, hist_percentile(&all, 0.50),
         hist_percentile(&all, 0.99), errors, retries, gave_up, m.processes, m.rss_kib, m.hwm_kib,
         m.pss_kib);
  fflush(stdout);
  return errors > 0 || gave_up > 0 ? 2 : 0;
}

/* ---------- idle connections ---------- */

static PGconn** idle_conns;
static atomic_int idle_next, idle_failed;
static char idle_first_error[512];
static pthread_mutex_t idle_mu = PTHREAD_MUTEX_INITIALIZER;
static double idle_deadline;

static void* idle_opener(void* arg) {
  (void)arg;
  char err[512];
  for (;;) {
    int i = atomic_fetch_add(&idle_next, 1);
    if (i >= connections) break;
    if (now_s() > idle_deadline) {
      atomic_fetch_add(&idle_failed, 1);
      continue;
    }
    idle_conns[i] = connect_or_null(err, sizeof err);
    if (!idle_conns[i]) {
      atomic_fetch_add(&idle_failed, 1);
      pthread_mutex_lock(&idle_mu);
      if (!idle_first_error[0]) snprintf(idle_first_error, sizeof idle_first_error, "%s", err);
      pthread_mutex_unlock(&idle_mu);
    }
  }
  return NULL;
}

static int run_idle(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)connections + 64) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)connections + 64) {
      fprintf(stderr, "pgload: RLIMIT_NOFILE %lu too low for %d connections\n",
              (unsigned long)rl.rlim_cur, connections);
      return 1;
    }
  }
  /* one connection first: a setup error (bad password, server down) fails fast */
  char err[512];
  PGconn* probe = connect_or_null(err, sizeof err);
  if (!probe) {
    fprintf(stderr, "pgload: connect failed: %s", err);
    return 1;
  }
  PQfinish(probe);
  usleep(200000);
  mem_t before = server_memory();
  idle_conns = calloc(connections, sizeof(PGconn*));
  double t0 = now_s();
  idle_deadline = t0 + duration; /* --duration bounds the opening phase */
  enum { OPENERS = 4 };
  pthread_t tids[OPENERS];
  for (int i = 0; i < OPENERS; i++) pthread_create(&tids[i], NULL, idle_opener, NULL);
  for (int i = 0; i < OPENERS; i++) pthread_join(tids[i], NULL);
  double open_s = now_s() - t0;
  int opened = connections - atomic_load(&idle_failed);
  usleep((useconds_t)(hold * 1e6));
  /* verify: first, last and every (N/50)th open connection answers */
  int checked = 0, answered = 0;
  int step = connections / 50 > 0 ? connections / 50 : 1;
  for (int i = 0; i < connections; i++) {
    if (!idle_conns[i] || !(i == 0 || i == connections - 1 || i % step == 0)) continue;
    checked++;
    PGresult* r = PQexec(idle_conns[i], "SELECT 1");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
      answered++;
    else if (!idle_first_error[0])
      snprintf(idle_first_error, sizeof idle_first_error, "SELECT 1: %s", PQresultErrorMessage(r));
    PQclear(r);
  }
  mem_t after = server_memory();
  for (int i = 0; i < connections; i++)
    if (idle_conns[i]) PQfinish(idle_conns[i]);
  if (idle_first_error[0]) {
    char* nl = strchr(idle_first_error, '\n');
    if (nl) *nl = 0;
    fprintf(stderr, "pgload: %s idle first error: %s\n", label, idle_first_error);
  }
  double per_conn = opened > 0 ? (double)(after.pss_kib - before.pss_kib) / opened : 0;
  printf(
      "workload=idle label=%s connections=%d opened=%d failed=%d verified=%d/%d open_s=%.2f "
      "server_processes=%d rss_before_kib=%ld rss_after_kib=%ld pss_before_kib=%ld "
      "pss_after_kib=%ld "
      "server_hwm_kib=%ld pss_per_conn_kib=%.1f\n",
      label, connections, opened, connections - opened, answered, checked, open_s, after.processes,
      before.rss_kib, after.rss_kib, before.pss_kib, after.pss_kib, after.hwm_kib, per_conn);
  fflush(stdout);
  return (opened == connections && answered == checked) ? 0 : 2;
}

/* ---------- main ---------- */

static void usage(void) {
  fprintf(
      stderr,
      "usage: pgload --workload point-select|update|insert-latency|idle --conninfo STR\n"
      "       [--threads N] [--duration S] [--warmup S] [--keys K] [--key-base B] [--max-ops M]\n"
      "       [--connections N] [--hold S] [--server-pid PID[,PID...]] [--label TEXT]\n");
  exit(1);
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    if (i + 1 >= argc) usage();
    const char* v = argv[++i];
    if (!strcmp(a, "--workload"))
      workload = v;
    else if (!strcmp(a, "--conninfo"))
      conninfo = v;
    else if (!strcmp(a, "--label"))
      label = v;
    else if (!strcmp(a, "--threads"))
      threads = atoi(v);
    else if (!strcmp(a, "--duration"))
      duration = atof(v);
    else if (!strcmp(a, "--warmup"))
      warmup = atof(v);
    else if (!strcmp(a, "--keys"))
      keys = atoll(v);
    else if (!strcmp(a, "--key-base"))
      key_base = atoll(v);
    else if (!strcmp(a, "--max-ops"))
      max_ops = atoll(v);
    else if (!strcmp(a, "--connections"))
      connections = atoi(v);
    else if (!strcmp(a, "--hold"))
      hold = atof(v);
    else if (!strcmp(a, "--server-pid")) {
      char *copy = strdup(v), *save = NULL;
      for (char* t = strtok_r(copy, ",", &save); t && n_server_pids < MAX_PIDS;
           t = strtok_r(NULL, ",", &save))
        server_pids[n_server_pids++] = atoi(t);
      free(copy);
    } else {
      fprintf(stderr, "pgload: unknown option %s\n", a);
      usage();
    }
  }
  if (!workload || !conninfo) usage();
  if (threads < 1 || threads > 1024 || duration <= 0 || duration > 600 || warmup < 0 || keys < 1 ||
      connections < 1 || connections > 100000 || hold < 0 || hold > 600)
    die("%s",
        "bad arguments (threads 1..1024, duration 0..600 s, keys >= 1, connections 1..100000)");
  if (!strcmp(workload, "idle")) return run_idle();
  if (!strcmp(workload, "point-select") || !strcmp(workload, "update") ||
      !strcmp(workload, "insert-latency"))
    return run_load();
  die("unknown workload %s", workload);
  return 1;
}
