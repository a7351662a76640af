// The query processor's session: the contract between the wire protocol (pgwire) and the SQL
// engine.
//
// pgwire owns sockets, TLS, authentication and message framing; it never looks at SQL or
// datum encodings. A qp::Session owns everything SQL about one connection: settings (GUCs),
// transaction state, the named prepared statements, prepared statements' plans, parameter
// decoding and result encoding in the text or binary format chosen at Bind time.
//
// Named prepared statements: one namespace per session, as in PostgreSQL, shared by the
// extended protocol (pgwire stores what a named Parse produced with StoreStatement and finds
// it for Bind/Describe/Close) and by SQL PREPARE, EXECUTE, DEALLOCATE and DISCARD ALL, which
// the session runs itself. The unnamed statement and all portals stay with pgwire.
//
// Threading: a Session is used by one coroutine at a time (the connection's). The only member
// that may be called from another thread is RequestCancel().
//
// Errors: every failing call returns a Status whose sqlstate()/message()/detail()/hint()/
// position() go to the client as an ErrorResponse unchanged.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "qp/statement_table.h"

namespace borealis::txn {
class SyncTxnClient;
}
namespace borealis::runtime {
class LocalHub;
class Disk;
}  // namespace borealis::runtime
namespace borealis::auth {
class RoleStore;
}

namespace borealis::qp {

// One column of a RowDescription ('T').
struct FieldDescription {
  std::string name;
  uint32_t table_oid = 0;
  int16_t column_number = 0;
  uint32_t type_oid = 0;
  int16_t type_size = -1;
  int32_t type_modifier = -1;
  int16_t format = 0;  // 0 = text, 1 = binary
  bool operator==(const FieldDescription&) const = default;
};

// A value on the wire, already encoded in its column's format; nullopt is SQL NULL.
using WireValue = std::optional<std::string>;
using WireRow = std::vector<WireValue>;

// Receives the rows of one Execute. Returning a non-ok Status stops execution (e.g. the client
// went away) and Execute returns that status.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual Status Row(const WireRow& row) = 0;
  // COPY ... TO STDOUT: CopyOutResponse (text format, `columns` columns), then one CopyData
  // per record; the caller ends it with CopyDone when ExecuteResult::copy_out is set.
  virtual Status CopyOutBegin(size_t columns) {
    (void)columns;
    return Status::Sql("0A000", "COPY TO STDOUT is not supported by this connection");
  }
  virtual Status CopyOutData(std::string_view data) {
    (void)data;
    return Status::Sql("0A000", "COPY TO STDOUT is not supported by this connection");
  }
};

// A message the session wants the client to see besides results.
struct Notice {
  std::string severity = "NOTICE";  // NOTICE, WARNING, INFO, ...
  std::string sqlstate = "00000";
  std::string message;
  std::string detail;
  std::string hint;
};

enum class TransactionStatus : char { kIdle = 'I', kInBlock = 'T', kFailed = 'E' };

// A parsed, bound (to the catalog) statement: the result of Parse. Immutable and shareable.
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  // Parameter types as resolved (declared by the client, or inferred). 0 never appears here:
  // unresolved parameters are reported as text (25) or unknown (705) like PostgreSQL.
  virtual const std::vector<uint32_t>& ParameterTypes() const = 0;
  // Columns the statement returns (formats all text), or nullopt when it returns no rows
  // (Describe answers NoData).
  virtual const std::optional<std::vector<FieldDescription>>& Fields() const = 0;
  // The original text (for logs and pg_stat_activity).
  virtual std::string_view Text() const = 0;
  // True for an empty query string (only comments / whitespace).
  virtual bool IsEmpty() const = 0;
};

// A bound statement ready to run: parameters decoded, result formats fixed.
class Portal {
 public:
  virtual ~Portal() = default;
  // Columns with their final formats, or nullopt when the statement returns no rows.
  virtual const std::optional<std::vector<FieldDescription>>& Fields() const = 0;
};

// The outcome of Execute when it did not fail.
struct ExecuteResult {
  // True when max_rows was reached and rows remain (PortalSuspended); the portal can be
  // executed again to continue.
  bool suspended = false;
  // CommandComplete tag, e.g. "SELECT 1", "SET", "BEGIN". Empty when suspended.
  std::string command_tag;
  // COPY FROM STDIN started: the connection answers CopyInResponse (text format, this many
  // columns) and feeds the client's CopyData to Session::CopyInData until CopyDone
  // (Session::CopyInDone gives the tag) or CopyFail / an error (Session::CopyInAbort).
  std::optional<size_t> copy_in_columns;
  // COPY TO STDOUT ran (CopyOutResponse and the data went to the sink): end with CopyDone.
  bool copy_out = false;
};

// Parameters as they arrive in Bind: per-parameter format codes already expanded to one per
// value (0 text, 1 binary); nullopt value is NULL.
struct BoundParameters {
  std::vector<int16_t> formats;
  std::vector<std::optional<std::string>> values;
};

// What the connection learned at startup.
struct SessionOptions {
  std::string user;
  std::string database;
  bool is_superuser = false;
  // StartupMessage parameters other than user/database (application_name, client_encoding,
  // DateStyle, options with -c name=value, ...). Unknown names fail Start() with 42704, as
  // PostgreSQL rejects unknown startup GUCs.
  std::vector<std::pair<std::string, std::string>> startup_parameters;
  int32_t backend_pid = 0;
};

class Session {
 public:
  virtual ~Session() = default;

  // Applies startup parameters. Fails (e.g. 42704 unrecognized configuration parameter, 22023
  // invalid value) before the client sees ReadyForQuery.
  virtual Status Start() = 0;

  // The ParameterStatus ('S') set to report after authentication, in order.
  virtual std::vector<std::pair<std::string, std::string>> InitialParameterStatus() const = 0;

  // Parses one statement for the extended protocol (Parse). param_types may be shorter than the
  // number of $n used; 0 means "infer". More than one statement -> 42601.
  virtual Result<std::shared_ptr<const PreparedStatement>> Prepare(
      std::string_view sql, std::span<const uint32_t> param_types) = 0;

  // Splits and parses a simple-query string into its statements (an empty string gives one
  // empty statement, answered with EmptyQueryResponse). A syntax error anywhere fails the
  // whole string, as in PostgreSQL. Several statements run as one implicit transaction block
  // until EndOfCommandGroup (DISCARD ALL refuses to run there, as in PostgreSQL).
  virtual Result<std::vector<std::shared_ptr<const PreparedStatement>>> PrepareSimple(
      std::string_view sql) = 0;

  // Bind: decodes parameters with the statement's types; result_formats as in the Bind message
  // (empty = all text, one = applies to all, else one per column).
  virtual Result<std::unique_ptr<Portal>> Bind(std::shared_ptr<const PreparedStatement> statement,
                                               const BoundParameters& parameters,
                                               std::span<const int16_t> result_formats) = 0;

  // Runs (or continues) a portal. max_rows 0 means all rows. Rows go to `sink`.
  // In the failed-transaction state every statement but ROLLBACK/COMMIT/ABORT fails with 25P02.
  virtual Result<ExecuteResult> Execute(Portal& portal, int64_t max_rows, RowSink& sink) = 0;

  // Called by pgwire at Sync and at the end of each simple-query message: ends an implicit
  // transaction (commit on success, rollback after an error). `had_error` is true when an error
  // was reported since the last Sync.
  virtual Status EndOfCommandGroup(bool had_error) = 0;

  // Called when a statement fails inside an explicit transaction block (moves to kFailed).
  virtual void OnError() = 0;

  virtual TransactionStatus transaction_status() const = 0;

  // Settings changed since the last call whose changes PostgreSQL reports with ParameterStatus
  // (GUC_REPORT: application_name, DateStyle, TimeZone, ...).
  virtual std::vector<std::pair<std::string, std::string>> TakeParameterStatusChanges() = 0;

  // Notices produced since the last call.
  virtual std::vector<Notice> TakeNotices() = 0;

  // Thread-safe: asks the running statement to stop with 57014 at its next check.
  virtual void RequestCancel() = 0;

  // COPY FROM STDIN after Execute returned copy_in_columns: each CopyData's bytes, then
  // CopyInDone (the CommandComplete result) or CopyInAbort (CopyFail, a protocol error, or
  // after CopyInData failed: the statement failed). REQUIRES: a COPY FROM STDIN is active.
  virtual Status CopyInData(std::string_view data) {
    (void)data;
    return Status::Sql("08P01", "no COPY in progress");
  }
  virtual Result<ExecuteResult> CopyInDone() { return Status::Sql("08P01", "no COPY in progress"); }
  virtual void CopyInAbort() {}

  // The named prepared statements (see the top of this file). REQUIRES: `name` is not empty.
  // StoreStatement fails with 42P05 `prepared statement "x" already exists` or 54000 beyond
  // kMaxPreparedStatementsPerSession. FindStatement returns null and DropStatement false when
  // there is no such statement. None of them is transactional, and all work in a failed
  // transaction (protocol Close does; the SQL commands check the state themselves).
  virtual Status StoreStatement(std::string_view name,
                                std::shared_ptr<const PreparedStatement> statement) = 0;
  virtual std::shared_ptr<const PreparedStatement> FindStatement(std::string_view name) const = 0;
  virtual bool DropStatement(std::string_view name) = 0;
  virtual void DropAllStatements() = 0;
};

// Process-wide state the sessions share (settings defaults, later the catalog and the
// transaction client). Thread-safe.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::unique_ptr<Session> NewSession(SessionOptions options) = 0;
};

// Implicit single statements retried inside the QP after OC000 (ARCHITECTURE §2, beyond DSQL).
inline constexpr int kMaxImplicitRetries = 5;
inline constexpr int64_t kImplicitRetryJitterMaxUs = 2000;
// Implicit DDL waits longer: concurrent CREATE TABLEs all write the catalog's id allocator,
// and PostgreSQL would queue them on a lock rather than fail (about 1.5 s at most here).
inline constexpr int kMaxImplicitDdlRetries = 30;
inline constexpr int64_t kImplicitDdlRetryJitterMaxUs = 10000;
// The jitter bound grows with the attempt up to this many times kImplicitDdlRetryJitterMaxUs.
inline constexpr int kImplicitDdlRetryJitterGrowthCap = 10;

struct EngineOptions {
  // The transaction client sessions use (borrowed; must outlive the engine). When null and
  // both endpoints are set, the engine starts its own client to them. With neither, only
  // statements without tables work (tables get 0A000).
  txn::SyncTxnClient* txn_client = nullptr;
  std::string adjudicator_endpoint;
  std::string storage_endpoint;
  // Where the engine's own client receives replies from the core (HOST:0 = any port).
  std::string client_listen = "127.0.0.1:0";
  // The process's in-process endpoints (optional; must outlive the engine): the engine's own
  // client reaches roles of the same process without sockets.
  runtime::LocalHub* local_hub = nullptr;
  // Seeds the hidden row ids of tables without a primary key.
  uint64_t random_seed = 0;
  // The server host's files, read by COPY FROM 'file' (borrowed; null: that COPY gets 0A000).
  runtime::Disk* server_files = nullptr;
  // The roles (borrowed; the one pgwire authenticates with). Null: no role statements and no
  // privilege checks (qp/roles.h).
  auth::RoleStore* roles = nullptr;
};

// The engine without a transaction core: constant expressions, settings, transaction control.
std::unique_ptr<Engine> MakeEngine();
// The engine over the transaction core: tables, the catalog, DML and queries.
Result<std::unique_ptr<Engine>> MakeEngine(EngineOptions options);

}  // namespace borealis::qp
