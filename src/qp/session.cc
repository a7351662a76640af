// qp::Engine and qp::Session for this stage: constant SELECTs, settings, transaction control,
// prepared statements (PREPARE / EXECUTE / DEALLOCATE).
#include "qp/session.h"

#include <cctype>
#include <chrono>
#include <thread>

#include "catalog/store.h"
#include "fmt/format.h"
#include "qp/bulk_statements.h"
#include "qp/copy_file.h"
#include "qp/create_table_as.h"
#include "qp/cursors.h"
#include "qp/explain_statement.h"
#include "qp/index_statements.h"
#include "qp/plan_cache.h"
#include "qp/read_only.h"
#include "qp/roles.h"
#include "qp/row_ids.h"
#include "qp/savepoints.h"
#include "qp/select_binder.h"
#include "qp/sequence_statements.h"
#include "qp/sequences.h"
#include "qp/settings.h"
#include "qp/system_catalog.h"
#include "qp/table_statements.h"
#include "qp/temp_tables.h"
#include "qp/view_statements.h"
#include "sql/ast_cursor.h"
#include "sql/ast_explain.h"
#include "sql/ast_index.h"
#include "sql/ast_sequence.h"
#include "sql/binder.h"
#include "sql/catalog_functions.h"
#include "sql/catalog_types.h"
#include "sql/datetime.h"
#include "sql/datetime_input.h"
#include "sql/parser.h"
#include "sql/types.h"
#include "txn/client.h"
#include "txn/sync_client.h"

namespace borealis::qp {
namespace {

using sql::BoundSelect;
using sql::StatementKind;
using sql::TypeId;
using sql::Value;

constexpr uint32_t kTextOid = static_cast<uint32_t>(TypeId::kText);
// EXECUTE of a protocol-prepared statement that is itself an EXECUTE can nest (and a pair of
// them can name each other); PostgreSQL stops such recursion at max_stack_depth.
constexpr int kMaxExecuteNesting = 16;

Status Canceled() { return Status::Sql("57014", "canceling statement due to user request"); }

Status NoSuchStatement(std::string_view name) {
  return Status::Sql("26000", fmt::format("prepared statement \"{}\" does not exist", name));
}

Status AbortedTransaction() {
  return Status::Sql("25P02",
                     "current transaction is aborted, commands ignored until end of transaction "
                     "block");
}

FieldDescription TextField(std::string name) {
  FieldDescription field;
  field.name = std::move(name);
  field.type_oid = kTextOid;
  return field;
}

std::string QuoteIdentifierIfNeeded(std::string_view id) {
  bool plain = !id.empty() && (std::islower(static_cast<unsigned char>(id[0])) || id[0] == '_');
  for (char c : id) {
    plain &= std::islower(static_cast<unsigned char>(c)) ||
             std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  }
  if (plain) return std::string(id);
  std::string out = "\"";
  for (char c : id) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class PreparedStatementImpl;

// The analysis of one statement: everything Bind and Execute need.
struct Analysis {
  std::vector<uint32_t> parameter_types;
  std::optional<std::vector<FieldDescription>> fields;
  std::shared_ptr<const BoundSelect> select;    // for SELECT without FROM
  std::shared_ptr<const TablePlan> table_plan;  // SELECT with FROM, INSERT, UPDATE, DELETE
  // For an EXECUTE portal: the named statement it runs, as found at Bind (null when missing:
  // the error comes at execution, as in PostgreSQL). Never set in a stored statement's
  // analysis, so statements that EXECUTE each other cannot form a reference cycle.
  std::shared_ptr<const PreparedStatementImpl> execute_target;
  // EXPLAIN / DECLARE CURSOR: the analysis of the statement they wrap.
  std::shared_ptr<const Analysis> explain_inner;
};

class PreparedStatementImpl : public PreparedStatement {
 public:
  const std::vector<uint32_t>& ParameterTypes() const override { return analysis.parameter_types; }
  const std::optional<std::vector<FieldDescription>>& Fields() const override {
    return analysis.fields;
  }
  std::string_view Text() const override { return text; }
  bool IsEmpty() const override { return empty; }

  bool IsTransactionExit() const {
    if (!statement || statement->kind != StatementKind::kTransaction) return false;
    auto kind = statement->As<sql::TransactionStatement>().transaction_kind;
    return kind == sql::TransactionKind::kCommit || kind == sql::TransactionKind::kRollback ||
           kind == sql::TransactionKind::kRollbackTo;
  }

  std::shared_ptr<const std::string> source;
  std::shared_ptr<const sql::Statement> statement;
  Status deferred_error;  // reported at Bind (simple query) so earlier statements still run
  std::string text;
  bool empty = false;
  bool from_simple_query = false;
  int location = 0;  // of `text` in `source`
  Analysis analysis;
};

class PortalImpl : public Portal {
 public:
  const std::optional<std::vector<FieldDescription>>& Fields() const override { return fields; }

  std::shared_ptr<const PreparedStatementImpl> statement;
  Analysis analysis;
  std::optional<std::vector<FieldDescription>> fields;
  std::vector<int16_t> result_formats;  // as given to Bind
  std::vector<int16_t> formats;         // one per column
  std::vector<Value> params;
  bool executed = false;  // rows materialized
  std::vector<WireRow> rows;
  size_t next_row = 0;
  std::string command_tag;  // DML: computed at the first Execute
  // EXECUTE: the portal of the executed statement, made at the first Execute.
  std::unique_ptr<PortalImpl> inner;
  // SELECT over a table: the operator tree, pulled by each Execute, valid only in the
  // transaction it started in.
  std::unique_ptr<sql::exec::ExecContext> exec_context;
  std::unique_ptr<sql::exec::Operator> op;
  uint64_t txn_generation = 0;
  uint64_t rows_sent = 0;
  uint64_t id = 0;                  // Bind's sequence number in the session
  uint64_t catalog_generation = 0;  // the session's catalog_generation_ at Bind
};

bool IsTableStatement(const sql::Statement& statement) {
  switch (statement.kind) {
    case StatementKind::kSelect: {
      // Aggregation, grouping and DISTINCT run in the table planner even without FROM.
      const auto& select = statement.As<sql::SelectStatement>();
      return !select.from.empty() || select.set_operation != sql::SetOperation::kNone ||
             select.with != nullptr || select.where != nullptr || !select.order_by.empty() ||
             select.limit != nullptr || select.offset != nullptr || select.distinct ||
             !select.group_by.empty() || select.having != nullptr || select.calls_aggregates ||
             select.calls_set_functions || select.has_subqueries;
    }
    case StatementKind::kInsert:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
      return true;
    default:
      return false;
  }
}

bool IsDml(const sql::Statement& statement) {
  return statement.kind == StatementKind::kInsert || statement.kind == StatementKind::kUpdate ||
         statement.kind == StatementKind::kDelete;
}

bool IsDataConflict(const Status& status) {
  return status.sqlstate() == "40001" && status.message() == txn::kDataConflictMessage;
}

// What sessions share: the transaction client and the descriptor cache.
struct EngineShared {
  txn::SyncTxnClient* client = nullptr;
  catalog::DescriptorCache cache;
  uint64_t random_seed = 0;
  std::unique_ptr<SequenceAllocator> sequences;  // nextval's own transactions
  std::unique_ptr<RowIdAllocator> row_ids;       // hidden row ids (qp/row_ids.h)
  runtime::Disk* server_files = nullptr;         // COPY FROM 'file' (qp/copy_file.h)
  TempSchemaRegistry temp_schemas;               // qp/temp_tables.h
  auth::RoleStore* roles = nullptr;              // qp/roles.h (null: no privilege checks)
};

class SessionImpl : public Session, public sql::FunctionContext {
 public:
  SessionImpl(SessionOptions options, EngineShared* shared)
      : options_(std::move(options)),
        shared_(shared),
        random_state_(shared ? shared->random_seed ^ static_cast<uint64_t>(options_.backend_pid)
                             : 0),
        access_(shared ? shared->roles : nullptr, options_.user, options_.is_superuser),
        sequences_(shared ? shared->sequences.get() : nullptr) {
    kv_.set_access(&access_);  // binding code checks privileges through the txn (qp/roles.h)
    if (shared_ != nullptr) {
      SessionInfo info{options_.user, options_.is_superuser, options_.backend_pid,
                       [this] { return settings_.All(); }};
      info.access = &access_;
      catalog_ = std::make_unique<SessionCatalog>(
          [this] { return EnsureTxn(); },
          [this] {
            return (txn_generation_ * 2 + (txn_has_ddl_ ? 1 : 0)) ^ (savepoint_rollbacks_ << 40);
          },
          std::move(info));
    }
  }

  // A session that created temporary tables leaves them to the next session's transaction
  // (qp/temp_tables.h: no blocking here, the core may be stopping).
  ~SessionImpl() override {
    if (shared_ != nullptr) temp_tables_.SessionEnded(shared_->temp_schemas);
  }

  Status Start() override {
    SyncRoleSettings();
    for (const auto& [name, value] : options_.startup_parameters) {
      RETURN_IF_ERROR(settings_.SetStartup(name, value));
    }
    return Status::Ok();
  }

  std::vector<std::pair<std::string, std::string>> InitialParameterStatus() const override {
    return const_cast<Settings&>(settings_).ReportAll();
  }

  Result<std::shared_ptr<const PreparedStatement>> Prepare(
      std::string_view sql_text, std::span<const uint32_t> param_types) override {
    ASSIGN_OR_RETURN(sql::ParseResult parsed, ParseCached(sql_text));
    if (parsed.statements.size() > 1) {
      return Status::Sql("42601", "cannot insert multiple commands into a prepared statement");
    }
    auto prepared = MakePrepared(parsed.source, std::move(parsed.statements[0]), false);
    if (!prepared->deferred_error.ok()) return prepared->deferred_error;
    if (status_ == TransactionStatus::kFailed && !prepared->IsTransactionExit()) {
      return AbortedTransaction();
    }
    std::vector<TypeId> declared;
    for (uint32_t oid : param_types) {
      if (oid == 0) {
        declared.push_back(TypeId::kInvalid);
        continue;
      }
      std::optional<TypeId> type = sql::TypeFromOid(oid);
      if (!type) {
        return Status::Sql("0A000",
                           fmt::format("parameter type with OID {} is not supported yet", oid));
      }
      declared.push_back(*type);
    }
    ASSIGN_OR_RETURN(prepared->analysis, Analyze(*prepared, std::move(declared), true));
    return std::shared_ptr<const PreparedStatement>(std::move(prepared));
  }

  Result<std::vector<std::shared_ptr<const PreparedStatement>>> PrepareSimple(
      std::string_view sql_text) override {
    ASSIGN_OR_RETURN(sql::ParseResult parsed, ParseCached(sql_text));
    // PostgreSQL runs a string of several statements in an implicit transaction block.
    in_implicit_block_ = parsed.statements.size() > 1;
    std::vector<std::shared_ptr<const PreparedStatement>> out;
    for (sql::ParsedStatement& statement : parsed.statements) {
      // The analysis happens at Bind, statement by statement (pgwire describes the portal,
      // and a portal whose descriptors were stale binds again before it runs: Rebind).
      out.push_back(MakePrepared(parsed.source, std::move(statement), true));
    }
    return out;
  }

  Result<std::unique_ptr<Portal>> Bind(std::shared_ptr<const PreparedStatement> statement,
                                       const BoundParameters& parameters,
                                       std::span<const int16_t> result_formats) override {
    auto prepared = std::dynamic_pointer_cast<const PreparedStatementImpl>(statement);
    BOREALIS_CHECK(prepared != nullptr, "statement from another engine");
    if (status_ == TransactionStatus::kFailed && !prepared->IsTransactionExit()) {
      return AbortedTransaction();
    }
    if (!prepared->deferred_error.ok()) return prepared->deferred_error;
    bool deferred = false;
    ASSIGN_OR_RETURN(Analysis analysis, BindAnalysis(*prepared, &deferred));
    const std::vector<uint32_t>& types = analysis.parameter_types;
    if (parameters.values.size() != types.size()) {
      return Status::Sql("08P01", fmt::format("bind message supplies {} parameters, but prepared "
                                              "statement \"\" requires {}",
                                              parameters.values.size(), types.size()));
    }
    std::vector<Value> params;
    for (size_t i = 0; i < types.size(); ++i) {
      TypeId type = *sql::TypeFromOid(types[i]);
      const std::optional<std::string>& raw = parameters.values[i];
      if (!raw) {
        params.push_back(Value::Null(type));
        continue;
      }
      bool binary = i < parameters.formats.size() && parameters.formats[i] == 1;
      // Date/time text reads by the session's DateStyle order (sql/datetime_input.h).
      Result<Value> value = binary ? sql::ReceiveBinary(type, *raw)
                            : sql::IsDateTimeType(type)
                                ? sql::ParseDateTimeInContext(type, *raw, *this)
                                : sql::ParseText(type, *raw);
      if (!binary && sql::IsRegType(type)) {
        // regclass & co. take names, which needs the catalog (sql/catalog_functions.h).
        value = sql::CastWithCatalog(Value::String(TypeId::kText, *raw), type, *this);
      }
      if (!value.ok()) {
        if (binary) {
          return Status::Sql("22P03", fmt::format("incorrect binary data format in bind "
                                                  "parameter {}",
                                                  i + 1));
        }
        return value.status();
      }
      params.push_back(std::move(value).value());
    }
    ASSIGN_OR_RETURN(
        std::unique_ptr<PortalImpl> portal,
        MakePortal(std::move(prepared), std::move(analysis), std::move(params), result_formats));
    portal->id = ++portals_bound_;
    portal->catalog_generation = catalog_generation_;
    if (deferred) expectations_portal_ = portal->id;
    return std::unique_ptr<Portal>(std::move(portal));
  }

  Result<ExecuteResult> Execute(Portal& portal_base, int64_t max_rows, RowSink& sink) override {
    auto& portal = static_cast<PortalImpl&>(portal_base);
    RETURN_IF_ERROR(CheckCancel());
    const PreparedStatementImpl& prepared = *portal.statement;
    if (status_ == TransactionStatus::kFailed && !prepared.IsTransactionExit()) {
      return AbortedTransaction();
    }
    if (prepared.empty) return ExecuteResult{};
    if (!in_transaction_) {
      settings_.Begin();
      in_transaction_ = true;
    }
    return ExecuteChecked(portal, max_rows, sink);
  }

  // ---- Cached descriptors checked by the statement's first read ---------------------------
  // Bind of a table statement lets the transaction defer the check of each cached descriptor's
  // schema version (catalog::DescriptorCache::Lookup, txn::KvTransaction::Expect) into the
  // statement's first storage request: a prepared point select costs one storage round trip,
  // not two. Sound because the check still happens in the statement's snapshot before the
  // statement reads, writes or returns anything (the transaction checks before it answers a
  // read or buffers a write, and ExecuteChecked checks at the end of a statement that did
  // neither); when it fails, nothing of the statement happened, so it is bound again with
  // fresh descriptors and rerun (once; a statement that already sent rows fails with 40001
  // OC001 instead). Expectations are the latest deferring Bind's only: any other statement
  // settles them first, and a portal bound before a failed check binds again before it runs.

  Result<Analysis> BindAnalysis(const PreparedStatementImpl& prepared, bool* deferred) {
    *deferred = false;
    if (prepared.empty || !IsTableStatement(*prepared.statement) || shared_ == nullptr ||
        shared_->client == nullptr) {
      return AnalysisForBind(prepared);
    }
    RETURN_IF_ERROR(SettleExpectations());
    RETURN_IF_ERROR(EnsureTxn().status());
    txn_->DeferExpectations(true);
    Result<Analysis> analysis = AnalysisForBind(prepared);
    if (txn_) txn_->DeferExpectations(false);
    if (!analysis.ok()) {
      // A binding error (no such column, ...) may come from a stale descriptor: report it only
      // once the descriptors are known current, else bind again with fresh ones. Binding may
      // also have read something itself and found an expectation stale.
      Status verified = txn_ ? txn_->VerifyExpectations() : Status::Ok();
      if (txn::KvTransaction::IsStaleExpectation(analysis.status()) ||
          txn::KvTransaction::IsStaleExpectation(verified)) {
        CatalogChanged();
        return AnalysisForBind(prepared);
      }
      RETURN_IF_ERROR(verified);
      return analysis;
    }
    *deferred = analysis.ok();
    return analysis;
  }

  // Checks the expectations an earlier Bind left; a stale one makes portals bound before now
  // bind again.
  Status SettleExpectations() {
    if (!txn_ || !txn_->has_expectations()) return Status::Ok();
    Status verified = txn_->VerifyExpectations();
    if (txn::KvTransaction::IsStaleExpectation(verified)) {
      CatalogChanged();
      return Status::Ok();
    }
    return verified;
  }

  void CatalogChanged() {
    ++catalog_generation_;
    plan_cache_.ClearPlans();
    if (shared_ != nullptr) shared_->cache.Clear();
  }

  static bool PortalStarted(const PortalImpl& portal) {
    return portal.executed || portal.rows_sent > 0 || portal.next_row > 0 || portal.inner;
  }

  // Binds a portal that has not run yet again, with fresh descriptors.
  Status Rebind(PortalImpl& portal) {
    ASSIGN_OR_RETURN(Analysis analysis, AnalysisForBind(*portal.statement));
    auto types_of = [](const std::optional<std::vector<FieldDescription>>& fields) {
      std::vector<uint32_t> types;
      if (fields) {
        for (const FieldDescription& field : *fields) types.push_back(field.type_oid);
      }
      return types;
    };
    bool changed = analysis.parameter_types != portal.analysis.parameter_types ||
                   analysis.fields.has_value() != portal.analysis.fields.has_value() ||
                   types_of(analysis.fields) != types_of(portal.analysis.fields);
    // A simple query's portal was described by nothing the client kept: pgwire describes it
    // again when it ran without rows (pgwire/command.cc RunSimpleStatement), so its columns may
    // change. Other portals keep PostgreSQL's rule.
    if (changed && !(portal.statement->from_simple_query && portal.result_formats.empty())) {
      return Status::Sql("0A000", "cached plan must not change result type");
    }
    if (analysis.fields != portal.analysis.fields) {
      portal.fields = analysis.fields;
      portal.formats.assign(portal.fields ? portal.fields->size() : 0, 0);
    }
    portal.analysis = std::move(analysis);
    portal.exec_context.reset();
    portal.op.reset();
    portal.rows.clear();
    portal.catalog_generation = catalog_generation_;
    return Status::Ok();
  }

  Result<ExecuteResult> ExecuteChecked(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    if (!portal.analysis.table_plan || portal.id != expectations_portal_) {
      RETURN_IF_ERROR(SettleExpectations());
    }
    if (!portal.analysis.table_plan) return ExecuteOnce(portal, max_rows, sink);
    for (int attempt = 0;; ++attempt) {
      if (portal.catalog_generation != catalog_generation_ && !PortalStarted(portal)) {
        RETURN_IF_ERROR(Rebind(portal));
      }
      Result<ExecuteResult> result = ExecuteOnce(portal, max_rows, sink);
      Status failure = result.status();
      // The statement's outcome (rows, or an error such as a constraint checked against a
      // descriptor) goes out only once its descriptors are known current.
      if (txn_ && txn_->has_expectations()) {
        Status verified = txn_->VerifyExpectations();
        if (!verified.ok()) failure = verified;
      }
      if (!txn::KvTransaction::IsStaleExpectation(failure)) {
        if (!failure.ok()) return failure;
        return result;
      }
      CatalogChanged();
      if (attempt > 0 || PortalStarted(portal)) {
        return Status::Sql("40001", txn::kSchemaConflictMessage);
      }
    }
  }

  Result<ExecuteResult> ExecuteOnce(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    const PreparedStatementImpl& prepared = *portal.statement;
    bool implicit = prepared.from_simple_query && !in_implicit_block_ &&
                    status_ == TransactionStatus::kIdle && !portal.executed;
    if (prepared.statement->kind != StatementKind::kExecute && IsDml(*prepared.statement) &&
        implicit) {
      return ExecuteImplicitDml(portal, max_rows, sink);
    }
    if (implicit && IsRetriableDdl(*prepared.statement)) return ExecuteImplicitDdl(portal);
    return Run(portal, max_rows, sink);
  }

  Status EndOfCommandGroup(bool had_error) override {
    cancel_requested_.store(false);
    in_implicit_block_ = false;
    Status committed;
    if (status_ == TransactionStatus::kIdle) {
      if (had_error) {
        DropTxn();
      } else {
        committed = CommitTxn();
      }
    }
    if (status_ == TransactionStatus::kIdle && in_transaction_) {
      if (had_error || !committed.ok()) {
        settings_.Rollback();
      } else {
        settings_.Commit();
      }
      EndRoleChanges(!had_error && committed.ok());
      in_transaction_ = false;
    }
    return committed;
  }

  void OnError() override {
    if (status_ == TransactionStatus::kInBlock) status_ = TransactionStatus::kFailed;
  }

  TransactionStatus transaction_status() const override { return status_; }

  std::vector<std::pair<std::string, std::string>> TakeParameterStatusChanges() override {
    return settings_.TakeReportChanges();
  }

  std::vector<Notice> TakeNotices() override { return std::exchange(notices_, {}); }

  void RequestCancel() override { cancel_requested_.store(true); }

  Status StoreStatement(std::string_view name,
                        std::shared_ptr<const PreparedStatement> statement) override {
    BOREALIS_CHECK(std::dynamic_pointer_cast<const PreparedStatementImpl>(statement) != nullptr,
                   "statement from another engine");
    return statements_.Store(name, std::move(statement));
  }
  std::shared_ptr<const PreparedStatement> FindStatement(std::string_view name) const override {
    return statements_.Find(name);
  }
  bool DropStatement(std::string_view name) override { return statements_.Drop(name); }
  void DropAllStatements() override { statements_.DropAll(); }

  // sql::FunctionContext
  std::string CurrentUser() const override { return access_.current_user(); }
  std::string SessionUser() const override { return access_.session_user(); }
  std::string CurrentDatabase() const override { return options_.database; }
  std::optional<std::string> CurrentSchema() const override {
    // No catalog yet: `public` is the one schema that exists.
    std::string path = settings_.Get("search_path").value_or("");
    if (path.find("public") != std::string::npos) return "public";
    return std::nullopt;
  }
  int32_t BackendPid() const override { return options_.backend_pid; }
  Result<std::optional<std::string>> GetSetting(std::string_view name,
                                                bool missing_ok) const override {
    std::optional<std::string> value = settings_.Get(name);
    if (!value && !missing_ok) {
      return Status::Sql("42704", fmt::format("unrecognized configuration parameter \"{}\"", name));
    }
    return value;
  }
  Result<std::string> SetSetting(std::string_view name, std::string_view value,
                                 bool is_local) override {
    if (value.data() == nullptr) {
      RETURN_IF_ERROR(settings_.Reset(name, is_local));
      return settings_.Get(name).value_or("");
    }
    return settings_.Set(name, value, is_local);
  }
  // Called for every value sent in text form: derived from the settings once per change.
  sql::OutputOptions output_options() const override {
    if (output_options_generation_ == settings_.generation()) return output_options_;
    sql::OutputOptions& options = output_options_;
    options.extra_float_digits =
        std::atoi(settings_.Get("extra_float_digits").value_or("1").c_str());
    std::string date_style = settings_.Get("DateStyle").value_or("ISO, MDY");  // canonical
    options.date_style = date_style.starts_with("SQL")        ? sql::DateStyle::kSql
                         : date_style.starts_with("Postgres") ? sql::DateStyle::kPostgres
                         : date_style.starts_with("German")   ? sql::DateStyle::kGerman
                                                              : sql::DateStyle::kIso;
    options.date_order = date_style.ends_with("DMY")   ? sql::DateOrder::kDmy
                         : date_style.ends_with("YMD") ? sql::DateOrder::kYmd
                                                       : sql::DateOrder::kMdy;
    std::string interval_style = settings_.Get("IntervalStyle").value_or("postgres");
    options.interval_style = interval_style == "postgres_verbose"
                                 ? sql::IntervalStyle::kPostgresVerbose
                             : interval_style == "sql_standard" ? sql::IntervalStyle::kSqlStandard
                             : interval_style == "iso_8601"     ? sql::IntervalStyle::kIso8601
                                                                : sql::IntervalStyle::kPostgres;
    output_options_generation_ = settings_.generation();
    return options;
  }
  double Random() override {
    return static_cast<double>(NextRandom() >> 11) * 0x1.0p-53;  // 53 random mantissa bits
  }
  Result<uint64_t> TransactionStartUnixNanos() override {
    RETURN_IF_ERROR(EnsureTxn().status());
    return static_cast<uint64_t>(txn_->t_start());
  }

  Status CheckCancel() override {
    if (cancel_requested_.exchange(false)) return Canceled();
    return Status::Ok();
  }
  sql::CatalogAccess* catalog() override { return catalog_.get(); }

  // Sequences (qp/sequences.h): values come from the allocator's own transactions.
  Result<int64_t> SequenceNext(uint32_t oid) override {
    ASSIGN_OR_RETURN(uint32_t id, SequenceIdFor(oid));
    RETURN_IF_ERROR(CheckSequenceUse(id, catalog::kAclUsage | catalog::kAclUpdate));
    return WithSequenceName(sequences_.Next(id, NextRandom()), oid);
  }
  Result<int64_t> SequenceCurrent(uint32_t oid) override {
    ASSIGN_OR_RETURN(uint32_t id, SequenceIdFor(oid));
    RETURN_IF_ERROR(CheckSequenceUse(id, catalog::kAclSelect | catalog::kAclUsage));
    ASSIGN_OR_RETURN(std::string name, SequenceName(oid));
    return sequences_.Current(id, name);
  }
  Result<int64_t> SequenceSet(uint32_t oid, int64_t value, bool is_called) override {
    ASSIGN_OR_RETURN(uint32_t id, SequenceIdFor(oid));
    RETURN_IF_ERROR(CheckSequenceUse(id, catalog::kAclUpdate));
    return WithSequenceName(sequences_.Set(id, value, is_called, NextRandom()), oid);
  }
  Result<int64_t> SequenceLast() override { return sequences_.Last(); }

 private:
  // ---- Plan cache (qp/plan_cache.h) --------------------------------------------------------
  // The parse of `text`: libpg_query and the AST transform run once per distinct text.
  Result<sql::ParseResult> ParseCached(std::string_view text) {
    if (const sql::ParseResult* cached = plan_cache_.FindParse(text)) return *cached;
    ASSIGN_OR_RETURN(sql::ParseResult parsed, sql::Parse(text));
    if (text.size() <= kMaxCachedQueryBytes && plan_cache_.Admit(text)) {
      plan_cache_.InsertParse(std::string(text), parsed);
    }
    return parsed;
  }

  // What binding reads besides the statement and the catalog: the temporary schema (name
  // resolution looks there first), the role privileges are checked for and the role store's
  // snapshot (qp/roles.h), and the settings name resolution could read. Equal contexts are
  // required to reuse a plan.
  std::string BindingContext() const {
    std::string context = kv_.temp_schema();
    context.push_back('\0');
    context += access_.current_user();
    context.push_back('\0');
    context += settings_.Get("search_path").value_or("");
    return context;
  }
  std::shared_ptr<const void> BindingRoles() const {
    if (!access_.enabled()) return nullptr;
    return access_.Snapshot();
  }

  static std::string PlanKey(const PreparedStatementImpl& prepared,
                             const std::vector<TypeId>& declared) {
    // Statements of one query string share its source: the offset tells them apart.
    std::string key = *prepared.source;
    key.push_back('\0');
    key += std::to_string(prepared.location);
    key.push_back('\0');
    for (TypeId type : declared) {
      key += std::to_string(static_cast<uint32_t>(type));
      key.push_back(',');
    }
    return key;
  }

  // The plan of a table statement: a cached one whose dependencies the transaction then
  // expects (deferred at Bind: checked by the statement's first storage request), else a
  // fresh bind, recorded and cached.
  Result<std::shared_ptr<const TablePlan>> BindPlan(const PreparedStatementImpl& prepared,
                                                    std::vector<TypeId> declared, bool use_cache) {
    ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
    if (!use_cache || prepared.source->size() > kMaxCachedQueryBytes) {
      return BindTableStatement(*prepared.statement, prepared.source, std::move(declared), *txn,
                                shared_->cache);
    }
    std::string key = PlanKey(prepared, declared);
    std::string context = BindingContext();
    std::shared_ptr<const void> roles = BindingRoles();
    if (const CachedPlan* cached = plan_cache_.FindPlan(key, context, roles.get())) {
      std::shared_ptr<const TablePlan> plan = cached->plan;
      Status held = ExpectDependencies(*txn, cached->dependencies);
      if (held.ok()) return plan;
      plan_cache_.ErasePlan(key);
      if (!txn::KvTransaction::IsStaleExpectation(held)) return held;
    }
    if (!plan_cache_.Admit(key)) {
      return BindTableStatement(*prepared.statement, prepared.source, std::move(declared), *txn,
                                shared_->cache);
    }
    RecordingKv recorder(kv_);
    recording_ = &recorder;
    Result<std::shared_ptr<const TablePlan>> plan = BindTableStatement(
        *prepared.statement, prepared.source, std::move(declared), recorder, shared_->cache);
    recording_ = nullptr;
    if (plan.ok() && recorder.cacheable()) {
      plan_cache_.InsertPlan(std::move(key), CachedPlan{*plan, recorder.TakeDependencies(),
                                                        std::move(context), std::move(roles)});
    }
    return plan;
  }

  std::shared_ptr<PreparedStatementImpl> MakePrepared(std::shared_ptr<const std::string> source,
                                                      sql::ParsedStatement parsed,
                                                      bool from_simple_query) {
    auto prepared = std::make_shared<PreparedStatementImpl>();
    prepared->source = std::move(source);
    prepared->statement = std::move(parsed.statement);
    prepared->deferred_error = std::move(parsed.error);
    prepared->text = std::move(parsed.text);
    prepared->empty = parsed.empty;
    prepared->from_simple_query = from_simple_query;
    prepared->location = parsed.location;
    return prepared;
  }

  // `use_plan_cache`: `prepared` is a statement of the session itself (not one EXPLAIN or
  // DECLARE wraps), so its plan may come from and go to plan_cache_.
  Result<Analysis> Analyze(const PreparedStatementImpl& prepared, std::vector<TypeId> declared,
                           bool use_plan_cache = false) {
    Analysis analysis;
    for (TypeId t : declared) {
      analysis.parameter_types.push_back(t == TypeId::kInvalid ? kTextOid
                                                               : static_cast<uint32_t>(t));
    }
    if (prepared.empty) return analysis;
    if (IsTableStatement(*prepared.statement)) {
      ASSIGN_OR_RETURN(analysis.table_plan,
                       BindPlan(prepared, std::move(declared), use_plan_cache));
      const TablePlan& plan = *analysis.table_plan;
      analysis.parameter_types.clear();
      for (TypeId t : plan.parameter_types) {
        analysis.parameter_types.push_back(static_cast<uint32_t>(t));
      }
      if (plan.returns_rows) {
        std::vector<FieldDescription> fields;
        for (size_t i = 0; i < plan.column_names.size(); ++i) {
          FieldDescription field;
          field.name = plan.column_names[i];
          field.type_oid = static_cast<uint32_t>(plan.column_types[i]);
          field.type_size = sql::GetTypeInfo(plan.column_types[i]).size;
          fields.push_back(std::move(field));
        }
        analysis.fields = std::move(fields);
      }
      return analysis;
    }
    switch (prepared.statement->kind) {
      case StatementKind::kSelect: {
        sql::Binder binder(prepared.source, std::move(declared));
        ASSIGN_OR_RETURN(BoundSelect bound,
                         binder.BindSelect(prepared.statement->As<sql::SelectStatement>()));
        ASSIGN_OR_RETURN(std::vector<TypeId> final_types, binder.FinalParameterTypes());
        analysis.parameter_types.clear();
        for (TypeId t : final_types) analysis.parameter_types.push_back(static_cast<uint32_t>(t));
        std::vector<FieldDescription> fields;
        for (size_t i = 0; i < bound.column_names.size(); ++i) {
          FieldDescription field;
          field.name = bound.column_names[i];
          field.type_oid = static_cast<uint32_t>(bound.column_types[i]);
          field.type_size = sql::GetTypeInfo(bound.column_types[i]).size;
          fields.push_back(std::move(field));
        }
        analysis.fields = std::move(fields);
        analysis.select = std::make_shared<BoundSelect>(std::move(bound));
        break;
      }
      case StatementKind::kShow: {
        const auto& show = prepared.statement->As<sql::ShowStatement>();
        if (show.name == "all") {
          analysis.fields = std::vector<FieldDescription>{TextField("name"), TextField("setting"),
                                                          TextField("description")};
        } else {
          if (!settings_.Get(show.name)) {
            return Status::Sql(
                "42704", fmt::format("unrecognized configuration parameter \"{}\"", show.name));
          }
          analysis.fields =
              std::vector<FieldDescription>{TextField(settings_.CanonicalName(show.name))};
        }
        break;
      }
      case StatementKind::kExplain:
        return AnalyzeExplain(prepared, std::move(declared));
      case StatementKind::kDeclareCursor: {
        const auto& declare = prepared.statement->As<sql::DeclareCursorStatement>();
        ASSIGN_OR_RETURN(Analysis inner,
                         AnalyzeWrapped(prepared, declare.query, std::move(declared)));
        analysis.parameter_types = inner.parameter_types;
        analysis.explain_inner = std::make_shared<const Analysis>(std::move(inner));
        break;
      }
      case StatementKind::kFetch: {
        const auto& fetch = prepared.statement->As<sql::FetchStatement>();
        const std::vector<FieldDescription>* fields = cursors_.Fields(fetch.name);
        if (fields != nullptr && !fetch.is_move) analysis.fields = *fields;
        break;
      }
      case StatementKind::kExecute: {
        // The result columns are those of the statement EXECUTE names, as it is now.
        auto target = FindExecuteTarget(prepared);
        if (target) analysis.fields = target->analysis.fields;
        break;
      }
      default:
        break;
    }
    return analysis;
  }

  // The column types of a result (empty for a statement without one).
  static std::optional<std::vector<uint32_t>> ResultTypes(
      const std::optional<std::vector<FieldDescription>>& fields) {
    if (!fields) return std::nullopt;
    std::vector<uint32_t> types;
    for (const FieldDescription& field : *fields) types.push_back(field.type_oid);
    return types;
  }

  // The analysis a new portal uses. Statements of a simple query are analyzed just before they
  // run (so `SET ...; SELECT ...` sees the earlier statements' effects), and EXECUTE looks its
  // target up again, as PostgreSQL does at execution.
  Result<Analysis> AnalysisForBind(const PreparedStatementImpl& prepared) {
    bool is_execute = !prepared.empty && prepared.statement->kind == StatementKind::kExecute;
    // Statements over tables bind again: the catalog may have changed since Parse.
    bool rebind = !prepared.empty && IsTableStatement(*prepared.statement);
    if (!prepared.from_simple_query && !is_execute && !rebind) return prepared.analysis;
    if (rebind && !prepared.from_simple_query) {
      std::vector<TypeId> declared;
      for (uint32_t oid : prepared.analysis.parameter_types) {
        declared.push_back(*sql::TypeFromOid(oid));
      }
      ASSIGN_OR_RETURN(Analysis analysis, Analyze(prepared, std::move(declared), true));
      // PostgreSQL's RevalidateCachedQuery: a prepared statement keeps the result columns it
      // was described with (Bind, EXECUTE).
      if (ResultTypes(analysis.fields) != ResultTypes(prepared.analysis.fields)) {
        return Status::Sql("0A000", "cached plan must not change result type");
      }
      return analysis;
    }
    ASSIGN_OR_RETURN(Analysis analysis, Analyze(prepared, {}, true));
    if (is_execute) analysis.execute_target = FindExecuteTarget(prepared);
    return analysis;
  }

  // REQUIRES: `prepared` is an EXECUTE.
  std::shared_ptr<const PreparedStatementImpl> FindExecuteTarget(
      const PreparedStatementImpl& prepared) const {
    const auto& execute = prepared.statement->As<sql::ExecuteStatement>();
    return std::static_pointer_cast<const PreparedStatementImpl>(statements_.Find(execute.name));
  }

  Result<std::unique_ptr<PortalImpl>> MakePortal(
      std::shared_ptr<const PreparedStatementImpl> prepared, Analysis analysis,
      std::vector<Value> params, std::span<const int16_t> result_formats) {
    auto portal = std::make_unique<PortalImpl>();
    portal->statement = std::move(prepared);
    portal->analysis = std::move(analysis);
    portal->params = std::move(params);
    portal->result_formats.assign(result_formats.begin(), result_formats.end());
    portal->fields = portal->analysis.fields;
    if (portal->fields) {
      size_t columns = portal->fields->size();
      if (result_formats.size() > 1 && result_formats.size() != columns) {
        return Status::Sql("08P01", fmt::format("bind message has {} result formats but query "
                                                "has {} columns",
                                                result_formats.size(), columns));
      }
      for (size_t i = 0; i < columns; ++i) {
        int16_t format = result_formats.empty()
                             ? 0
                             : (result_formats.size() == 1 ? result_formats[0] : result_formats[i]);
        if (format != 0 && format != 1) {
          return Status::Sql("22023", fmt::format("unsupported format code: {}", format));
        }
        (*portal->fields)[i].format = format;
        portal->formats.push_back(format);
      }
    }
    return portal;
  }

  // Runs (or continues) a portal whose statement passed the transaction-state checks.
  Result<ExecuteResult> Run(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    const PreparedStatementImpl& prepared = *portal.statement;
    if (prepared.empty) return ExecuteResult{};
    RETURN_IF_ERROR(CheckReadOnly(portal));
    switch (prepared.statement->kind) {
      case StatementKind::kSelect:
        if (portal.analysis.table_plan) return ExecuteQuery(portal, max_rows, sink);
        return ExecuteSelect(portal, max_rows, sink);
      case StatementKind::kInsert:
      case StatementKind::kUpdate:
      case StatementKind::kDelete: {
        if (!portal.executed) RETURN_IF_ERROR(RunDmlInto(portal));
        return SendDmlRows(portal, max_rows, sink);
      }
      case StatementKind::kCreateTable:
      case StatementKind::kDropTable:
      case StatementKind::kCreateIndex:
      case StatementKind::kDropIndex:
        return ExecuteDdl(prepared);
      case StatementKind::kAlterTable:
      case StatementKind::kSequence:
      case StatementKind::kView:
        return ExecuteDdl(prepared);
      case StatementKind::kTruncate:
      case StatementKind::kCopy:
      case StatementKind::kVacuum:
        return ExecuteBulk(prepared, sink);
      case StatementKind::kSet:
        return ExecuteSet(prepared.statement->As<sql::SetStatement>(), *prepared.source);
      case StatementKind::kShow:
        return ExecuteShow(portal, prepared.statement->As<sql::ShowStatement>(), sink);
      case StatementKind::kTransaction:
        return ExecuteTransaction(prepared.statement->As<sql::TransactionStatement>());
      case StatementKind::kDiscard:
        return ExecuteDiscard(prepared.statement->As<sql::DiscardStatement>());
      case StatementKind::kPrepare:
        return ExecutePrepare(prepared);
      case StatementKind::kExecute:
        return ExecuteExecute(portal, max_rows, sink);
      case StatementKind::kDeallocate:
        return ExecuteDeallocate(prepared.statement->As<sql::DeallocateStatement>());
      case StatementKind::kExplain:
        return ExecuteExplain(portal, max_rows, sink);
      case StatementKind::kDeclareCursor:
        return ExecuteDeclareCursor(portal);
      case StatementKind::kFetch:
        return ExecuteFetch(portal, max_rows, sink);
      case StatementKind::kRole:
        return ExecuteRole(prepared);
      case StatementKind::kCloseCursor: {
        const auto& close = prepared.statement->As<sql::CloseCursorStatement>();
        RETURN_IF_ERROR(cursors_.Close(close));
        return ExecuteResult{false, close.name ? "CLOSE CURSOR" : "CLOSE CURSOR ALL"};
      }
    }
    return Status::Internal("unknown statement kind");
  }

  static bool IsCreateTableAs(const sql::CreateTableStatement& create) {
    return create.as_query != nullptr || create.as_execute != nullptr;
  }

  // CREATE TABLE AS EXECUTE name: the same statement over the prepared statement's query (and
  // the source its locations point into). Parameters: 0A000.
  struct CreateTableAsQuery {
    std::shared_ptr<const sql::CreateTableStatement> create;
    std::shared_ptr<const std::string> source;
  };
  Result<CreateTableAsQuery> ResolveCreateTableAs(const sql::CreateTableStatement& create,
                                                  std::shared_ptr<const std::string> source) {
    if (create.as_execute == nullptr) {
      // Not owned: `create` outlives the statement's run.
      return CreateTableAsQuery{
          std::shared_ptr<const sql::CreateTableStatement>(std::shared_ptr<void>(), &create),
          std::move(source)};
    }
    const auto& execute = create.as_execute->As<sql::ExecuteStatement>();
    auto target =
        std::static_pointer_cast<const PreparedStatementImpl>(statements_.Find(execute.name));
    if (!target) return NoSuchStatement(execute.name);
    if (target->empty || target->statement->kind != StatementKind::kSelect) {
      return Status::Sql("0A000",
                         "CREATE TABLE AS EXECUTE of a statement other than SELECT is "
                         "not supported yet");
    }
    if (!execute.parameters.empty() || !target->analysis.parameter_types.empty()) {
      return Status::Sql("0A000", "CREATE TABLE AS EXECUTE with parameters is not supported yet");
    }
    auto resolved = std::make_shared<sql::CreateTableStatement>();
    resolved->table = create.table;
    resolved->if_not_exists = create.if_not_exists;
    resolved->with_data = create.with_data;
    for (const sql::ColumnDef& column : create.columns) {
      sql::ColumnDef name;
      name.name = column.name;
      resolved->columns.push_back(std::move(name));
    }
    resolved->as_query = std::static_pointer_cast<const sql::SelectStatement>(target->statement);
    return CreateTableAsQuery{std::move(resolved), target->source};
  }

  // The analysis of a statement another one wraps (DECLARE CURSOR's query).
  Result<Analysis> AnalyzeWrapped(const PreparedStatementImpl& prepared,
                                  std::shared_ptr<const sql::Statement> statement,
                                  std::vector<TypeId> declared) {
    PreparedStatementImpl inner;
    inner.source = prepared.source;
    inner.statement = std::move(statement);
    inner.text = prepared.text;
    inner.from_simple_query = prepared.from_simple_query;
    return Analyze(inner, std::move(declared));
  }

  // DECLARE CURSOR runs its query to completion now (qp/cursors.h holds the rows).
  Result<ExecuteResult> ExecuteDeclareCursor(PortalImpl& portal) {
    const PreparedStatementImpl& prepared = *portal.statement;
    const auto& declare = prepared.statement->As<sql::DeclareCursorStatement>();
    if (declare.binary) return Status::Sql("0A000", "DECLARE BINARY CURSOR is not supported yet");
    if (!declare.hold && status_ == TransactionStatus::kIdle && !in_implicit_block_) {
      return Status::Sql("25P01", "DECLARE CURSOR can only be used in transaction blocks");
    }
    std::shared_ptr<const Analysis> inner = portal.analysis.explain_inner;
    if (!prepared.from_simple_query || !inner) {
      std::vector<TypeId> declared;
      for (uint32_t oid : portal.analysis.parameter_types) {
        declared.push_back(*sql::TypeFromOid(oid));
      }
      ASSIGN_OR_RETURN(Analysis fresh, AnalyzeWrapped(prepared, declare.query, declared));
      inner = std::make_shared<const Analysis>(std::move(fresh));
    }
    // What the cursor's rows need while it lives: its own copy of the parameters, the
    // operators and their context.
    struct Query {
      std::shared_ptr<const Analysis> analysis;
      std::vector<Value> params;
      std::unique_ptr<sql::exec::ExecContext> context;
      std::unique_ptr<sql::exec::Operator> op;
      size_t next_row = 0;  // a query without tables: the next row of its target list
    };
    auto query = std::make_shared<Query>();
    query->analysis = inner;
    query->params = portal.params;
    query->context = std::make_unique<sql::exec::ExecContext>();
    query->context->eval = sql::EvalContext{query->params, this};
    if (inner->table_plan) {
      ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
      query->context->txn = txn;
      sql::exec::AttachSubqueries(*query->context, inner->table_plan->subplans);
      ASSIGN_OR_RETURN(query->op,
                       sql::exec::BuildOperator(*inner->table_plan->plan, *query->context));
    } else if (!inner->select) {
      return Status::Internal("DECLARE CURSOR without a query");
    }
    CursorTable::RowSource source = [this, query]() -> Result<std::optional<CursorTable::Row>> {
      RETURN_IF_ERROR(CheckCancel());
      if (query->op) return query->op->Next();
      const auto& rows = query->analysis->select->rows;
      if (query->next_row >= rows.size()) return std::optional<CursorTable::Row>();
      CursorTable::Row row;
      for (const auto& expr : rows[query->next_row]) {
        ASSIGN_OR_RETURN(Value value, sql::Evaluate(*expr, query->context->eval));
        row.push_back(std::move(value));
      }
      ++query->next_row;
      return std::optional<CursorTable::Row>(std::move(row));
    };
    if (declare.hold) {
      // WITH HOLD outlives the transaction: read every row now (PostgreSQL does at commit).
      std::vector<CursorTable::Row> rows;
      for (;;) {
        ASSIGN_OR_RETURN(std::optional<CursorTable::Row> row, source());
        if (!row) break;
        if (rows.size() >= kMaxCursorRows) {
          return Status::Sql("54000", fmt::format("a cursor may hold at most {} rows "
                                                  "(kMaxCursorRows)",
                                                  kMaxCursorRows));
        }
        rows.push_back(std::move(*row));
      }
      auto held = std::make_shared<std::vector<CursorTable::Row>>(std::move(rows));
      auto next = std::make_shared<size_t>(0);
      source = [held, next]() -> Result<std::optional<CursorTable::Row>> {
        if (*next >= held->size()) return std::optional<CursorTable::Row>();
        return std::optional<CursorTable::Row>(std::move((*held)[(*next)++]));
      };
    }
    std::vector<FieldDescription> fields = inner->fields.value_or(std::vector<FieldDescription>{});
    RETURN_IF_ERROR(cursors_.Declare(declare, std::move(fields), std::move(source)));
    return ExecuteResult{false, "DECLARE CURSOR"};
  }

  Result<ExecuteResult> ExecuteFetch(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    const auto& fetch = portal.statement->statement->As<sql::FetchStatement>();
    if (!portal.executed) {
      ASSIGN_OR_RETURN(CursorTable::Fetched fetched, cursors_.Fetch(fetch));
      portal.rows.clear();
      portal.next_row = 0;
      for (const CursorTable::Row* row : fetched.rows) {
        WireRow wire;
        for (size_t i = 0; i < row->size(); ++i) {
          int16_t format = i < portal.formats.size() ? portal.formats[i] : 0;
          ASSIGN_OR_RETURN(WireValue encoded, Encode((*row)[i], format));
          wire.push_back(std::move(encoded));
        }
        portal.rows.push_back(std::move(wire));
      }
      portal.command_tag = fetch.is_move ? fmt::format("MOVE {}", fetched.moved)
                                         : fmt::format("FETCH {}", fetched.rows.size());
      portal.executed = true;
    }
    ASSIGN_OR_RETURN(ExecuteResult result, SendRows(portal, max_rows, sink));
    if (!result.suspended) result.command_tag = portal.command_tag;
    return result;
  }

  // EXPLAIN binds the explained statement as it would run (qp/explain_statement.h).
  Result<Analysis> AnalyzeExplain(const PreparedStatementImpl& prepared,
                                  std::vector<TypeId> declared) {
    const auto& explain = prepared.statement->As<sql::ExplainStatement>();
    StatementKind kind = explain.statement->kind;
    if (kind == StatementKind::kCreateTable &&
        IsCreateTableAs(explain.statement->As<sql::CreateTableStatement>())) {
      // CREATE TABLE AS binds when it runs (qp/explain_statement.h ExplainCreateTableAs).
      Analysis analysis;
      analysis.fields = std::vector<FieldDescription>{TextField("QUERY PLAN")};
      return analysis;
    }
    if (kind != StatementKind::kSelect && kind != StatementKind::kInsert &&
        kind != StatementKind::kUpdate && kind != StatementKind::kDelete) {
      return Status::Sql("0A000", "EXPLAIN of this statement is not supported yet")
          .WithHint("Borealis explains SELECT, VALUES, INSERT, UPDATE and DELETE.");
    }
    PreparedStatementImpl inner;
    inner.source = prepared.source;
    inner.statement = explain.statement;
    inner.text = prepared.text;
    inner.from_simple_query = prepared.from_simple_query;
    ASSIGN_OR_RETURN(Analysis inner_analysis, Analyze(inner, std::move(declared)));
    Analysis analysis;
    analysis.parameter_types = inner_analysis.parameter_types;
    analysis.fields = std::vector<FieldDescription>{TextField("QUERY PLAN")};
    analysis.explain_inner = std::make_shared<const Analysis>(std::move(inner_analysis));
    return analysis;
  }

  Result<ExecuteResult> ExecuteExplain(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    if (!portal.executed) {
      const PreparedStatementImpl& prepared = *portal.statement;
      const auto& explain = prepared.statement->As<sql::ExplainStatement>();
      const auto& options = explain.options;
      std::shared_ptr<const Analysis> inner = portal.analysis.explain_inner;
      bool create_table_as = explain.statement->kind == StatementKind::kCreateTable;
      if (!create_table_as && (!prepared.from_simple_query || !inner)) {
        // A protocol-prepared EXPLAIN binds again: the catalog may have changed since Parse.
        std::vector<TypeId> declared;
        for (uint32_t oid : portal.analysis.parameter_types) {
          declared.push_back(*sql::TypeFromOid(oid));
        }
        ASSIGN_OR_RETURN(Analysis fresh, AnalyzeExplain(prepared, std::move(declared)));
        inner = fresh.explain_inner;
      }
      sql::EvalContext eval{portal.params, this};
      std::vector<std::string> lines;
      if (create_table_as) {
        ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
        if (options.analyze) {  // runs as DDL (ExecuteDdl's rules)
          if (txn_has_dml_) {
            return Status::Sql("0A000", "DDL and DML cannot be mixed in one transaction");
          }
          if (txn_has_ddl_) {
            return Status::Sql("0A000", "only one DDL statement is supported in a transaction");
          }
        }
        if (options.analyze) txn_has_ddl_ = true;
        ASSIGN_OR_RETURN(CreateTableAsQuery ctas,
                         ResolveCreateTableAs(explain.statement->As<sql::CreateTableStatement>(),
                                              prepared.source));
        ASSIGN_OR_RETURN(
            lines, ExplainCreateTableAs(*ctas.create, ctas.source, options, *txn, shared_->cache,
                                        notices_, eval, [this] { return NextRowId(); }));
      } else if (inner->table_plan) {
        ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
        if (options.analyze && inner->table_plan->kind != StatementKind::kSelect) {
          RETURN_IF_ERROR(CheckDmlAllowed());
        }
        ASSIGN_OR_RETURN(lines, ExplainTableStatement(*inner->table_plan, options, *txn, eval,
                                                      [this] { return NextRowId(); }));
      } else {
        ASSIGN_OR_RETURN(lines, ExplainSelectWithoutTables(*inner->select, options, eval));
      }
      portal.rows.clear();
      portal.next_row = 0;
      for (std::string& line : lines) {
        ASSIGN_OR_RETURN(WireValue encoded,
                         Encode(Value::String(TypeId::kText, std::move(line)), portal.formats[0]));
        portal.rows.push_back(WireRow{std::move(encoded)});
      }
      portal.executed = true;
    }
    ASSIGN_OR_RETURN(ExecuteResult result, SendRows(portal, max_rows, sink));
    if (!result.suspended) result.command_tag = "EXPLAIN";
    return result;
  }

  // PostgreSQL's PrepareQuery: analyze with the declared types, then store.
  Result<ExecuteResult> ExecutePrepare(const PreparedStatementImpl& outer) {
    const auto& prepare = outer.statement->As<sql::PrepareStatement>();
    sql::Binder type_binder(outer.source, {});
    std::vector<TypeId> declared;
    for (const sql::TypeName& type : prepare.parameter_types) {
      ASSIGN_OR_RETURN(TypeId id, type_binder.BindTypeName(type));
      declared.push_back(id);
    }
    auto prepared = std::make_shared<PreparedStatementImpl>();
    prepared->source = outer.source;
    prepared->statement = prepare.statement;
    prepared->text = outer.text;
    ASSIGN_OR_RETURN(prepared->analysis, Analyze(*prepared, std::move(declared)));
    RETURN_IF_ERROR(statements_.Store(prepare.name, std::move(prepared)));
    return ExecuteResult{false, "PREPARE"};
  }

  // PostgreSQL's ExecuteQuery: the arguments are evaluated once, at the first Execute, into
  // the parameters of a portal on the named statement; later Executes continue that portal.
  Result<ExecuteResult> ExecuteExecute(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    if (execute_nesting_ >= kMaxExecuteNesting) {
      return Status::Sql("54001", "stack depth limit exceeded")
          .WithHint(fmt::format("EXECUTE may nest at most {} levels.", kMaxExecuteNesting));
    }
    if (!portal.inner) {
      const PreparedStatementImpl& prepared = *portal.statement;
      const auto& execute = prepared.statement->As<sql::ExecuteStatement>();
      const auto& target = portal.analysis.execute_target;
      if (!target) return NoSuchStatement(execute.name);
      ASSIGN_OR_RETURN(std::vector<Value> params,
                       EvaluateExecuteParameters(execute, *target, prepared.source));
      ASSIGN_OR_RETURN(Analysis analysis, AnalysisForBind(*target));
      ASSIGN_OR_RETURN(portal.inner, MakePortal(target, std::move(analysis), std::move(params),
                                                portal.result_formats));
    }
    ++execute_nesting_;
    Result<ExecuteResult> result = Run(*portal.inner, max_rows, sink);
    --execute_nesting_;
    return result;
  }

  // PostgreSQL's EvaluateParams: each argument is an expression (no $n of its own) coerced to
  // the parameter's type with assignment rules.
  Result<std::vector<Value>> EvaluateExecuteParameters(
      const sql::ExecuteStatement& execute, const PreparedStatementImpl& target,
      const std::shared_ptr<const std::string>& source) {
    const std::vector<uint32_t>& types = target.analysis.parameter_types;
    if (execute.parameters.size() != types.size()) {
      return Status::Sql("42601", fmt::format("wrong number of parameters for prepared statement "
                                              "\"{}\"",
                                              execute.name))
          .WithDetail(fmt::format("Expected {} parameters but got {}.", types.size(),
                                  execute.parameters.size()));
    }
    sql::Binder binder(source, {}, sql::ParameterMode::kFixed);
    std::vector<sql::BoundExprPtr> bound;
    for (size_t i = 0; i < types.size(); ++i) {
      const sql::ParsedExpr& argument = *execute.parameters[i];
      TypeId want = *sql::TypeFromOid(types[i]);
      ASSIGN_OR_RETURN(sql::BoundExprPtr expr, binder.BindExpr(argument));
      TypeId given = expr->type == TypeId::kInvalid ? TypeId::kUnknown : expr->type;
      ASSIGN_OR_RETURN(expr, binder.CoerceForAssignment(std::move(expr), want));
      if (!expr) {
        return Status::Sql("42804", fmt::format("parameter ${} of type {} cannot be coerced to "
                                                "the expected type {}",
                                                i + 1, sql::GetTypeInfo(given).display_name,
                                                sql::GetTypeInfo(want).display_name))
            .WithHint("You will need to rewrite or cast the expression.")
            .WithPosition(sql::ErrorPosition(*source, LeftmostLocation(argument)));
      }
      bound.push_back(std::move(expr));
    }
    std::vector<Value> values;
    sql::EvalContext context{{}, this};
    for (const sql::BoundExprPtr& expr : bound) {
      ASSIGN_OR_RETURN(Value value, sql::Evaluate(*expr, context));
      values.push_back(std::move(value));
    }
    return values;
  }

  // PostgreSQL's exprLocation for the error positions of EXECUTE arguments: an operator or a
  // cast is reported at its leftmost token.
  static int LeftmostLocation(const sql::ParsedExpr& expr) {
    int location = expr.location;
    const sql::ParsedExpr* left = nullptr;
    if (expr.kind == sql::ExprKind::kOperator) left = expr.As<sql::OperatorExpr>().left.get();
    if (expr.kind == sql::ExprKind::kCast) left = expr.As<sql::CastExpr>().arg.get();
    if (left == nullptr) return location;
    int inner = LeftmostLocation(*left);
    if (location < 0) return inner;
    return inner < 0 ? location : std::min(location, inner);
  }

  Result<ExecuteResult> ExecuteDeallocate(const sql::DeallocateStatement& deallocate) {
    if (!deallocate.name) {
      statements_.DropAll();
      return ExecuteResult{false, "DEALLOCATE ALL"};
    }
    if (!statements_.Drop(*deallocate.name)) return NoSuchStatement(*deallocate.name);
    return ExecuteResult{false, "DEALLOCATE"};
  }

  Result<WireValue> Encode(const Value& value, int16_t format) const {
    if (value.is_null()) return WireValue();
    if (format == 1) return WireValue(sql::SendBinary(value));
    if (sql::IsRegType(value.type())) {
      // regclass and friends print names, which needs the catalog (sql/catalog_functions.h).
      auto& self = const_cast<SessionImpl&>(*this);
      ASSIGN_OR_RETURN(Value text, sql::CastWithCatalog(value, sql::TypeId::kText, self));
      return WireValue(text.string_value());
    }
    return WireValue(sql::FormatText(value, output_options()));
  }

  Result<ExecuteResult> SendRows(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    int64_t sent = 0;
    while (portal.next_row < portal.rows.size()) {
      if (max_rows > 0 && sent == max_rows) return ExecuteResult{true, ""};
      RETURN_IF_ERROR(CheckCancel());
      RETURN_IF_ERROR(sink.Row(portal.rows[portal.next_row]));
      ++portal.next_row;
      ++sent;
    }
    // PostgreSQL suspends when exactly max_rows were fetched, even if none remain.
    if (max_rows > 0 && sent == max_rows) return ExecuteResult{true, ""};
    return ExecuteResult{false, ""};
  }

  Result<ExecuteResult> ExecuteSelect(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    if (!portal.executed) {
      const BoundSelect& select = *portal.analysis.select;
      sql::EvalContext context{portal.params, this};
      for (const auto& row : select.rows) {
        WireRow wire;
        for (size_t i = 0; i < row.size(); ++i) {
          ASSIGN_OR_RETURN(Value value, sql::Evaluate(*row[i], context));
          ASSIGN_OR_RETURN(WireValue encoded, Encode(value, portal.formats[i]));
          wire.push_back(std::move(encoded));
        }
        portal.rows.push_back(std::move(wire));
      }
      portal.executed = true;
    }
    size_t before = portal.next_row;
    ASSIGN_OR_RETURN(ExecuteResult result, SendRows(portal, max_rows, sink));
    if (!result.suspended) result.command_tag = fmt::format("SELECT {}", portal.next_row - before);
    return result;
  }

  // PostgreSQL's flatten_set_variable_args: constants to one string, list elements joined.
  Result<std::string> FlattenSetValue(const sql::SetStatement& set, const std::string& source) {
    std::string out;
    for (const sql::ExprPtr& expr : set.values) {
      const sql::ParsedExpr* e = expr.get();
      if (e->kind == sql::ExprKind::kCast) e = e->As<sql::CastExpr>().arg.get();
      if (e->kind != sql::ExprKind::kConstant) {
        return Status::Sql("42601", "SET value must be a constant")
            .WithPosition(sql::ErrorPosition(source, expr->location));
      }
      const auto& c = e->As<sql::ConstantExpr>();
      std::string piece;
      switch (c.literal) {
        case sql::LiteralKind::kInteger:
          piece = std::to_string(c.int_value);
          break;
        case sql::LiteralKind::kNumeric:
        case sql::LiteralKind::kString:
        case sql::LiteralKind::kBitString:
          piece = c.text;
          break;
        case sql::LiteralKind::kBool:
          piece = c.bool_value ? "on" : "off";
          break;
        case sql::LiteralKind::kNull:
          piece = "";
          break;
      }
      if (set.values.size() > 1 || settings_.CanonicalName(set.name) == "search_path") {
        if (settings_.CanonicalName(set.name) == "search_path" &&
            c.literal == sql::LiteralKind::kString) {
          piece = QuoteIdentifierIfNeeded(piece);
        }
      }
      out += (out.empty() ? "" : ", ") + piece;
    }
    return out;
  }

  Status ApplyTransactionOptions(const sql::TransactionOptions& options, bool session_default,
                                 bool is_local) {
    if (options.isolation_level) {
      RETURN_IF_ERROR(
          settings_
              .Set(session_default ? "default_transaction_isolation" : "transaction_isolation",
                   *options.isolation_level, is_local)
              .status());
    }
    if (options.read_only && !*options.read_only && !session_default &&
        status_ != TransactionStatus::kIdle &&
        settings_.Get("transaction_read_only").value_or("off") == "on") {
      // PostgreSQL's check_transaction_read_only.
      if (!savepoints_.empty()) {
        return Status::Sql("25001",
                           "cannot set transaction read-write mode inside a read-only transaction");
      }
      if (block_ran_query_) {
        return Status::Sql("25001", "transaction read-write mode must be set before any query");
      }
    }
    if (options.read_only) {
      RETURN_IF_ERROR(
          settings_
              .Set(session_default ? "default_transaction_read_only" : "transaction_read_only",
                   *options.read_only ? "on" : "off", is_local)
              .status());
    }
    if (options.deferrable) {
      RETURN_IF_ERROR(
          settings_
              .Set(session_default ? "default_transaction_deferrable" : "transaction_deferrable",
                   *options.deferrable ? "on" : "off", is_local)
              .status());
    }
    return Status::Ok();
  }

  void WarnNoTransactionBlock(std::string_view what) {
    notices_.push_back(Notice{"WARNING", "25P01",
                              fmt::format("{} can only be used in transaction blocks", what), "",
                              ""});
  }

  // ---- Roles (qp/roles.h) -------------------------------------------------------------
  // The settings that show who the session is (reported to the client when they change).
  void SyncRoleSettings() {
    settings_.SetInternal("is_superuser", access_.current_is_superuser() ? "on" : "off");
    settings_.SetInternal("session_authorization", access_.session_user());
    settings_.SetInternal("role", access_.role_setting());
  }

  // CREATE/ALTER/DROP ROLE and GRANT/REVOKE role change the role store at once; GRANT/REVOKE
  // on relations are DDL.
  Result<ExecuteResult> ExecuteRole(const PreparedStatementImpl& prepared) {
    const auto& statement = prepared.statement->As<sql::RoleStatement>();
    if (shared_ == nullptr || !access_.enabled()) {
      return Status::Sql("0A000", "roles need the role store (not available in this engine)");
    }
    if (!IsRoleStoreStatement(statement)) return ExecuteDdl(prepared);
    RoleStatementContext context{access_, [this] { return EnsureTxn(); }, shared_->cache, notices_,
                                 status_ != TransactionStatus::kIdle};
    ASSIGN_OR_RETURN(std::string tag, RunRoleStatement(statement, context));
    SyncRoleSettings();
    return ExecuteResult{false, tag};
  }

  void EndRoleChanges(bool commit) {
    access_.EndTransaction(commit);
    SyncRoleSettings();
  }

  // SET [LOCAL] ROLE / RESET ROLE / SET [LOCAL] SESSION AUTHORIZATION: undone like settings
  // at the end of the transaction (EndRoleChanges).
  Result<ExecuteResult> ExecuteSetRole(const sql::SetStatement& set, const std::string& source) {
    bool in_block = status_ != TransactionStatus::kIdle || in_implicit_block_;
    if (set.is_local && !in_block) WarnNoTransactionBlock("SET LOCAL");
    std::optional<std::string> value;
    if (set.set_kind == sql::SetKind::kValue) {
      ASSIGN_OR_RETURN(std::string text, FlattenSetValue(set, source));
      if (!(set.name == "role" && text == "none")) value = std::move(text);
    }
    if (set.name == "role") {
      RETURN_IF_ERROR(access_.SetRole(std::move(value), set.is_local));
    } else {
      RETURN_IF_ERROR(access_.SetSessionAuthorization(std::move(value), set.is_local));
    }
    SyncRoleSettings();
    return ExecuteResult{false, set.set_kind == sql::SetKind::kReset ? "RESET" : "SET"};
  }

  Result<ExecuteResult> ExecuteSet(const sql::SetStatement& set, const std::string& source) {
    if (set.name == "role" || set.name == "session_authorization") {
      return ExecuteSetRole(set, source);
    }
    // A simple query of several statements is an (implicit) block too: no warning there.
    bool in_block = status_ != TransactionStatus::kIdle || in_implicit_block_;
    switch (set.set_kind) {
      case sql::SetKind::kValue:
      case sql::SetKind::kDefault:
      case sql::SetKind::kReset: {
        if (set.is_local && !in_block) WarnNoTransactionBlock("SET LOCAL");
        if (set.set_kind == sql::SetKind::kValue) {
          ASSIGN_OR_RETURN(std::string value, FlattenSetValue(set, source));
          RETURN_IF_ERROR(settings_.Set(set.name, value, set.is_local).status());
        } else {
          RETURN_IF_ERROR(settings_.Reset(set.name, set.is_local));
        }
        break;
      }
      case sql::SetKind::kResetAll:
        settings_.ResetAll();
        break;
      case sql::SetKind::kTransaction:
        if (!in_block) WarnNoTransactionBlock("SET TRANSACTION");
        RETURN_IF_ERROR(ApplyTransactionOptions(set.options, false, true));
        break;
      case sql::SetKind::kSessionCharacteristics:
        RETURN_IF_ERROR(ApplyTransactionOptions(set.options, true, false));
        break;
    }
    return ExecuteResult{
        false, set.set_kind == sql::SetKind::kReset || set.set_kind == sql::SetKind::kResetAll
                   ? "RESET"
                   : "SET"};
  }

  Result<ExecuteResult> ExecuteShow(PortalImpl& portal, const sql::ShowStatement& show,
                                    RowSink& sink) {
    if (!portal.executed) {
      auto text = [](const std::string& s) { return WireValue(s); };
      if (show.name == "all") {
        for (const auto& row : settings_.All()) {
          WireRow wire;
          for (const std::string& cell : row) wire.push_back(text(cell));
          portal.rows.push_back(std::move(wire));
        }
      } else {
        std::optional<std::string> value = settings_.Get(show.name);
        if (!value) {
          return Status::Sql("42704",
                             fmt::format("unrecognized configuration parameter \"{}\"", show.name));
        }
        portal.rows.push_back(WireRow{text(*value)});
      }
      portal.executed = true;
    }
    ASSIGN_OR_RETURN(ExecuteResult result, SendRows(portal, max_rows_unused_, sink));
    if (!result.suspended) result.command_tag = "SHOW";
    return result;
  }

  void EndTransaction(bool commit) {
    savepoints_.Clear();
    cursors_.EndTransaction(commit);
    if (commit) {
      settings_.Commit();
    } else {
      settings_.Rollback();
    }
    EndRoleChanges(commit);
    status_ = TransactionStatus::kIdle;
    in_transaction_ = false;
  }

  // ---- The transaction core ------------------------------------------------------------------

  // The session's transaction, begun (t_start) on first use.
  Result<txn::KvTransaction*> EnsureTxn() {
    if (shared_ == nullptr || shared_->client == nullptr) {
      return Status::Sql("0A000", "tables are not available: this engine has no transaction core");
    }
    if (!txn_) {
      // Temporary tables of ended sessions go first, in a transaction of their own.
      if (shared_->temp_schemas.has_abandoned()) {
        shared_->temp_schemas.DropAbandoned(*shared_->client);
      }
      txn_ = shared_->client->Begin();
      ++txn_generation_;
      txn_has_ddl_ = false;
      txn_has_dml_ = false;
      kv_.Reset(txn_.get());
    }
    if (recording_ != nullptr) return static_cast<txn::KvTransaction*>(recording_);
    return static_cast<txn::KvTransaction*>(&kv_);
  }

  void DropTxn() {
    temp_tables_.TransactionEnded();
    // Unchecked expectations go with the transaction: portals bound with them bind again.
    if (txn_ && txn_->has_expectations()) CatalogChanged();
    txn_.reset();
  }

  Status CommitTxn() {
    if (!txn_) return Status::Ok();
    RETURN_IF_ERROR(SettleExpectations());
    // ON COMMIT DELETE ROWS / DROP of temporary tables join the committing transaction.
    Status before = temp_tables_.BeforeCommit(kv_, shared_->cache, txn_has_dml_);
    temp_tables_.TransactionEnded();
    if (!before.ok()) {
      DropTxn();
      return before;
    }
    std::unique_ptr<txn::SyncTxnClient::Txn> txn = std::move(txn_);
    Result<txn::Timestamp> committed = txn->Commit();
    return committed.status();
  }

  Result<std::string> SequenceName(uint32_t oid) {
    if (catalog_ == nullptr) return std::to_string(oid);
    ASSIGN_OR_RETURN(std::optional<std::string> name, catalog_->RelationName(oid));
    return name.value_or(std::to_string(oid));
  }

  Result<uint32_t> SequenceIdFor(uint32_t oid) {
    if (shared_ == nullptr || shared_->client == nullptr) {
      return Status::Sql("0A000", "sequences need a transaction core");
    }
    std::optional<uint32_t> id = SequenceIdOfOid(oid);
    if (!id) {
      ASSIGN_OR_RETURN(std::string name, SequenceName(oid));
      return Status::Sql("42809", fmt::format("\"{}\" is not a sequence", name));
    }
    return *id;
  }

  // nextval / currval / setval need one of `any_of` on the sequence (qp/roles.h); superusers
  // skip the descriptor read.
  Status CheckSequenceUse(uint32_t id, uint32_t any_of) {
    if (!access_.enabled() || access_.current_is_superuser()) return Status::Ok();
    ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
    ASSIGN_OR_RETURN(std::optional<catalog::SequenceDescriptor> sequence,
                     catalog::ReadSequence(*txn, id));
    if (!sequence) return Status::Ok();  // the allocator reports a missing sequence
    return CheckSequencePrivilege(*txn, *sequence, any_of);
  }

  // The allocator words "not a sequence" by OID; PostgreSQL names the relation.
  Result<int64_t> WithSequenceName(Result<int64_t> result, uint32_t oid) {
    if (result.ok() || result.status().sqlstate() != "42809") return result;
    ASSIGN_OR_RETURN(std::string name, SequenceName(oid));
    return Status::Sql("42809", fmt::format("\"{}\" is not a sequence", name));
  }

  uint64_t NextRandom() {
    uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  int64_t NextRowId() { return shared_->row_ids->Next(NextRandom()); }

  Status CheckDmlAllowed() {
    if (txn_has_ddl_) {
      return Status::Sql("0A000", "DDL and DML cannot be mixed in one transaction");
    }
    txn_has_dml_ = true;
    return Status::Ok();
  }

  Status RunDmlInto(PortalImpl& portal) {
    RETURN_IF_ERROR(CheckDmlAllowed());
    ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
    sql::EvalContext eval{portal.params, this};
    ASSIGN_OR_RETURN(DmlResult result, RunDml(*portal.analysis.table_plan, *txn, eval,
                                              [this] { return NextRowId(); }));
    portal.rows.clear();
    portal.next_row = 0;
    for (const sql::exec::Row& row : result.rows) {
      WireRow wire;
      for (size_t i = 0; i < row.size(); ++i) {
        ASSIGN_OR_RETURN(WireValue encoded, Encode(row[i], portal.formats[i]));
        wire.push_back(std::move(encoded));
      }
      portal.rows.push_back(std::move(wire));
    }
    portal.executed = true;
    switch (portal.statement->statement->kind) {
      case StatementKind::kInsert:
        dml_tag_ = fmt::format("INSERT 0 {}", result.count);
        break;
      case StatementKind::kUpdate:
        dml_tag_ = fmt::format("UPDATE {}", result.count);
        break;
      default:
        dml_tag_ = fmt::format("DELETE {}", result.count);
        break;
    }
    portal.command_tag = dml_tag_;
    return Status::Ok();
  }

  Result<ExecuteResult> SendDmlRows(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    ASSIGN_OR_RETURN(ExecuteResult result, SendRows(portal, max_rows, sink));
    if (!result.suspended) result.command_tag = portal.command_tag;
    return result;
  }

  // A single DML statement outside a transaction block: runs, commits before any row is
  // sent, and is retried on OC000 (bounded, with jitter) in a fresh transaction.
  Result<ExecuteResult> ExecuteImplicitDml(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    RETURN_IF_ERROR(CheckReadOnly(portal));
    for (int attempt = 0;; ++attempt) {
      Status ran = RunDmlInto(portal);
      // A statement that neither read nor wrote checks its cached descriptors before it
      // commits (see ExecuteChecked); one that failed before that, too.
      if (txn_) {
        Status verified = txn_->VerifyExpectations();
        if (!verified.ok()) ran = verified;
      }
      if (!ran.ok()) {
        DropTxn();
        return ran;
      }
      Status committed = CommitTxn();
      if (committed.ok()) break;
      if (!IsDataConflict(committed) || attempt + 1 >= kMaxImplicitRetries) return committed;
      SleepBeforeRetry(kImplicitRetryJitterMaxUs * (attempt + 1));
      portal.executed = false;
      ASSIGN_OR_RETURN(portal.analysis, AnalysisForBind(*portal.statement));
    }
    return SendDmlRows(portal, max_rows, sink);
  }

  // The jittered pause before an implicit statement runs again: uniform in [0, max_us).
  void SleepBeforeRetry(int64_t max_us) {
    std::this_thread::sleep_for(
        std::chrono::microseconds(NextRandom() % static_cast<uint64_t>(max_us)));
  }

  // DDL that ExecuteImplicitDdl may run again: everything ExecuteDdl runs but temporary
  // tables (their session-side bookkeeping is not repeatable).
  static bool IsRetriableDdl(const sql::Statement& statement) {
    switch (statement.kind) {
      case StatementKind::kCreateTable:
        return !statement.As<sql::CreateTableStatement>().temporary;
      case StatementKind::kDropTable:
      case StatementKind::kCreateIndex:
      case StatementKind::kDropIndex:
      case StatementKind::kAlterTable:
      case StatementKind::kSequence:
      case StatementKind::kView:
        return true;
      default:
        return false;
    }
  }

  // A DDL statement outside a transaction block commits at once and is retried on OC000
  // (bounded, with jitter) in a fresh transaction, as implicit DML is: sessions creating
  // different tables at the same moment share the catalog's id allocator key, and one of
  // them would otherwise fail (sysbench prepare --threads=N).
  Result<ExecuteResult> ExecuteImplicitDdl(PortalImpl& portal) {
    RETURN_IF_ERROR(CheckReadOnly(portal));
    for (int attempt = 0;; ++attempt) {
      size_t notices_before = notices_.size();
      ASSIGN_OR_RETURN(ExecuteResult result, ExecuteDdl(*portal.statement));
      Status committed = CommitTxn();
      if (committed.ok()) return result;
      if (!IsDataConflict(committed) || attempt + 1 >= kMaxImplicitDdlRetries) return committed;
      notices_.resize(notices_before);  // the retry reports its own
      SleepBeforeRetry(kImplicitDdlRetryJitterMaxUs *
                       std::min(attempt + 1, kImplicitDdlRetryJitterGrowthCap));
    }
  }

  Result<ExecuteResult> ExecuteQuery(PortalImpl& portal, int64_t max_rows, RowSink& sink) {
    ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
    if (!portal.op) {
      portal.exec_context = std::make_unique<sql::exec::ExecContext>();
      portal.exec_context->txn = txn;
      portal.exec_context->eval = sql::EvalContext{portal.params, this};
      sql::exec::AttachSubqueries(*portal.exec_context, portal.analysis.table_plan->subplans);
      ASSIGN_OR_RETURN(portal.op, sql::exec::BuildOperator(*portal.analysis.table_plan->plan,
                                                           *portal.exec_context));
      portal.txn_generation = txn_generation_;
    } else if (portal.txn_generation != txn_generation_) {
      return Status::Sql("55000", "portal cannot continue outside the transaction it started in");
    }
    int64_t sent = 0;
    for (;;) {
      if (max_rows > 0 && sent == max_rows) return ExecuteResult{true, ""};
      RETURN_IF_ERROR(CheckCancel());
      ASSIGN_OR_RETURN(std::optional<sql::exec::Row> row, portal.op->Next());
      if (!row) break;
      WireRow wire;
      for (size_t i = 0; i < row->size(); ++i) {
        ASSIGN_OR_RETURN(WireValue encoded, Encode((*row)[i], portal.formats[i]));
        wire.push_back(std::move(encoded));
      }
      // A query that read nothing from storage (a view over constants) has not checked the
      // descriptors and cached plan it was bound with yet: they must hold before a row goes out.
      if (portal.rows_sent == 0 && txn_ && txn_->has_expectations()) {
        RETURN_IF_ERROR(txn_->VerifyExpectations());
      }
      RETURN_IF_ERROR(sink.Row(wire));
      ++sent;
      ++portal.rows_sent;
    }
    return ExecuteResult{false, fmt::format("SELECT {}", portal.rows_sent)};
  }

  Result<ExecuteResult> ExecuteDdl(const PreparedStatementImpl& prepared) {
    ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
    if (txn_has_dml_) return Status::Sql("0A000", "DDL and DML cannot be mixed in one transaction");
    if (txn_has_ddl_) {
      return Status::Sql("0A000", "only one DDL statement is supported in a transaction");
    }
    txn_has_ddl_ = true;
    std::string tag;
    if (prepared.statement->kind == StatementKind::kCreateIndex ||
        prepared.statement->kind == StatementKind::kDropIndex) {
      if (prepared.statement->kind == StatementKind::kCreateIndex && !kv_.temp_schema().empty()) {
        ASSIGN_OR_RETURN(auto table,
                         FindTable(prepared.statement->As<sql::CreateIndexStatement>().table, *txn,
                                   shared_->cache));
        if (table && table->schema == kv_.temp_schema()) {  // qp/temp_tables.h
          return Status::Sql("0A000", "indexes on temporary tables are not supported yet");
        }
      }
      ASSIGN_OR_RETURN(tag, RunIndexStatement(*prepared.statement, prepared.source, *txn,
                                              shared_->cache, notices_));
    } else if (prepared.statement->kind == StatementKind::kSequence) {
      std::vector<uint32_t> altered;
      ASSIGN_OR_RETURN(
          tag, RunSequenceStatement(prepared.statement->As<sql::SequenceStatement>(),
                                    *prepared.source, *txn, shared_->cache, notices_, altered));
      for (uint32_t id : altered) sequences_.Forget(id);
      shared_->sequences->ForgetAll();  // the QP's prefetched values may be stale now
    } else if (prepared.statement->kind == StatementKind::kRole) {  // qp/roles.h: GRANT ON
      RoleStatementContext context{access_, [this] { return EnsureTxn(); }, shared_->cache,
                                   notices_, status_ != TransactionStatus::kIdle};
      ASSIGN_OR_RETURN(tag,
                       RunRoleStatement(prepared.statement->As<sql::RoleStatement>(), context));
    } else if (prepared.statement->kind == StatementKind::kView) {  // qp/view_statements.h
      ASSIGN_OR_RETURN(tag, RunViewStatement(prepared.statement->As<sql::ViewStatement>(),
                                             prepared.source, *txn, shared_->cache, notices_));
    } else if (prepared.statement->kind == StatementKind::kAlterTable) {
      ASSIGN_OR_RETURN(tag, RunAlterTable(prepared.statement->As<sql::AlterTableStatement>(),
                                          prepared.source, *txn, shared_->cache, notices_));
    } else if (prepared.statement->kind == StatementKind::kCreateTable &&
               IsCreateTableAs(prepared.statement->As<sql::CreateTableStatement>())) {
      ASSIGN_OR_RETURN(CreateTableAsQuery ctas,
                       ResolveCreateTableAs(prepared.statement->As<sql::CreateTableStatement>(),
                                            prepared.source));
      ASSIGN_OR_RETURN(
          tag, RunCreateTableAs(*ctas.create, ctas.source, *txn, shared_->cache, notices_,
                                sql::EvalContext{{}, this}, [this] { return NextRowId(); }));
    } else if (prepared.statement->kind == StatementKind::kCreateTable) {
      const auto& create = prepared.statement->As<sql::CreateTableStatement>();
      if (create.temporary) {  // qp/temp_tables.h
        RETURN_IF_ERROR(
            temp_tables_.Claim(shared_->temp_schemas, *shared_->client, options_.backend_pid));
        kv_.set_temp_schema(temp_tables_.schema());
      }
      ASSIGN_OR_RETURN(tag,
                       RunCreateTable(create, prepared.source, *txn, shared_->cache, notices_));
      if (create.temporary) temp_tables_.Created(create.table.name, create.on_commit);
    } else {
      ASSIGN_OR_RETURN(tag, RunDropTable(prepared.statement->As<sql::DropTableStatement>(), *txn,
                                         shared_->cache, notices_));
    }
    return ExecuteResult{false, tag};
  }

  // TRUNCATE and COPY FROM are DML (they may share a transaction with INSERTs, as in
  // `pgbench -i`); VACUUM refuses a transaction block, as in PostgreSQL.
  Result<ExecuteResult> ExecuteBulk(const PreparedStatementImpl& prepared, RowSink& sink) {
    const sql::Statement& statement = *prepared.statement;
    if (statement.kind == StatementKind::kVacuum) {
      const auto& vacuum = statement.As<sql::VacuumStatement>();
      if (vacuum.is_vacuum && (status_ != TransactionStatus::kIdle || in_implicit_block_)) {
        return Status::Sql("25001", "VACUUM cannot run inside a transaction block");
      }
      ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
      ASSIGN_OR_RETURN(std::string tag, RunVacuum(vacuum, *txn, shared_->cache));
      return ExecuteResult{false, tag};
    }
    if (statement.kind == StatementKind::kTruncate) {
      ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
      RETURN_IF_ERROR(CheckDmlAllowed());
      ASSIGN_OR_RETURN(std::string tag,
                       RunTruncate(statement.As<sql::TruncateStatement>(), *txn, shared_->cache));
      // RESTART IDENTITY: this QP's prefetched sequence values are stale (qp/sequences.h).
      if (statement.As<sql::TruncateStatement>().restart_identity) {
        shared_->sequences->ForgetAll();
      }
      return ExecuteResult{false, tag};
    }
    const auto& copy = statement.As<sql::CopyStatement>();
    if (copy.is_program) return Status::Sql("0A000", "COPY ... PROGRAM is not supported");
    if (!copy.filename.empty() && !copy.is_from) {
      return Status::Sql("0A000", "COPY to a file is not supported yet");
    }
    if (!copy.filename.empty()) {
      ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
      RETURN_IF_ERROR(CheckDmlAllowed());
      ASSIGN_OR_RETURN(uint64_t rows, RunCopyFromFile(
                                          copy, *prepared.source, *txn, shared_->cache,
                                          [this] { return NextRowId(); }, this,
                                          options_.is_superuser, shared_->server_files));
      return ExecuteResult{false, fmt::format("COPY {}", rows)};
    }
    if (copy.is_from) {
      ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
      RETURN_IF_ERROR(CheckDmlAllowed());
      ASSIGN_OR_RETURN(copy_in_, CopyIn::Start(
                                     copy, *prepared.source, *txn, shared_->cache,
                                     [this] { return NextRowId(); }, this));
      ExecuteResult result;
      result.copy_in_columns = copy_in_->column_count();
      return result;
    }
    ASSIGN_OR_RETURN(txn::KvTransaction * txn, EnsureTxn());
    ASSIGN_OR_RETURN(
        uint64_t rows,
        RunCopyTo(
            copy, prepared.source, *txn, shared_->cache, sql::EvalContext{{}, this},
            output_options(), [&sink](size_t columns) { return sink.CopyOutBegin(columns); },
            [&sink](std::string_view line) { return sink.CopyOutData(line); }));
    ExecuteResult result{false, fmt::format("COPY {}", rows)};
    result.copy_out = true;
    return result;
  }

  Status CopyInData(std::string_view data) override {
    if (!copy_in_) return Status::Sql("08P01", "no COPY in progress");
    RETURN_IF_ERROR(CheckCancel());
    return copy_in_->Feed(data);
  }

  Result<ExecuteResult> CopyInDone() override {
    if (!copy_in_) return Status::Sql("08P01", "no COPY in progress");
    std::unique_ptr<CopyIn> copy = std::move(copy_in_);
    ASSIGN_OR_RETURN(uint64_t rows, copy->Finish());
    return ExecuteResult{false, fmt::format("COPY {}", rows)};
  }

  void CopyInAbort() override { copy_in_.reset(); }

  Result<ExecuteResult> ExecuteTransaction(const sql::TransactionStatement& txn) {
    switch (txn.transaction_kind) {
      case sql::TransactionKind::kBegin:
      case sql::TransactionKind::kStart: {
        if (status_ != TransactionStatus::kIdle) {
          notices_.push_back(
              Notice{"WARNING", "25001", "there is already a transaction in progress", "", ""});
        } else {
          // A new block starts from the session defaults.
          auto isolation = settings_.Get("default_transaction_isolation");
          auto read_only = settings_.Get("default_transaction_read_only");
          RETURN_IF_ERROR(settings_.Set("transaction_isolation", *isolation, true).status());
          RETURN_IF_ERROR(settings_.Set("transaction_read_only", *read_only, true).status());
          block_ran_query_ = false;
          RETURN_IF_ERROR(ApplyTransactionOptions(txn.options, false, true));
          status_ = TransactionStatus::kInBlock;
          if (shared_ != nullptr && shared_->client != nullptr) {
            RETURN_IF_ERROR(EnsureTxn().status());
          }
        }
        return ExecuteResult{false, txn.transaction_kind == sql::TransactionKind::kBegin
                                        ? "BEGIN"
                                        : "START TRANSACTION"};
      }
      case sql::TransactionKind::kCommit: {
        if (status_ == TransactionStatus::kIdle) {
          if (txn.chain) return SavepointOutsideBlock("COMMIT AND CHAIN");
          notices_.push_back(
              Notice{"WARNING", "25P01", "there is no transaction in progress", "", ""});
          return ExecuteResult{false, "COMMIT"};
        }
        ChainedOptions chained = SaveChainedOptions();
        bool failed = status_ == TransactionStatus::kFailed;
        Status committed = failed ? (DropTxn(), Status::Ok()) : CommitTxn();
        EndTransaction(!failed && committed.ok());
        RETURN_IF_ERROR(committed);
        if (txn.chain) RETURN_IF_ERROR(BeginChained(chained));
        return ExecuteResult{false, failed ? "ROLLBACK" : "COMMIT"};
      }
      case sql::TransactionKind::kRollback: {
        if (status_ == TransactionStatus::kIdle) {
          if (txn.chain) return SavepointOutsideBlock("ROLLBACK AND CHAIN");
          notices_.push_back(
              Notice{"WARNING", "25P01", "there is no transaction in progress", "", ""});
          return ExecuteResult{false, "ROLLBACK"};
        }
        ChainedOptions chained = SaveChainedOptions();
        DropTxn();
        EndTransaction(false);
        if (txn.chain) RETURN_IF_ERROR(BeginChained(chained));
        return ExecuteResult{false, "ROLLBACK"};
      }
      case sql::TransactionKind::kSavepoint:
      case sql::TransactionKind::kRelease:
      case sql::TransactionKind::kRollbackTo:
        return ExecuteSavepointCommand(txn);
    }
    return Status::Internal("unknown transaction statement");
  }

  // Read-only transactions (qp/read_only.h). Also notes that the block ran a query, after
  // which it cannot turn read-write (PostgreSQL: after its first snapshot).
  Status CheckReadOnly(const PortalImpl& portal) {
    const sql::Statement& statement = *portal.statement->statement;
    switch (statement.kind) {
      case StatementKind::kSet:
      case StatementKind::kShow:
      case StatementKind::kTransaction:
      case StatementKind::kPrepare:
      case StatementKind::kDeallocate:
      case StatementKind::kDiscard:
      case StatementKind::kExecute:  // its statement is checked when it runs
        return Status::Ok();
      default:
        break;
    }
    block_ran_query_ = true;
    std::string_view setting = status_ == TransactionStatus::kIdle ? "default_transaction_read_only"
                                                                   : "transaction_read_only";
    if (settings_.Get(setting).value_or("off") != "on") return Status::Ok();
    bool temporary_target = false;
    const TablePlan* plan = portal.analysis.table_plan.get();
    if (IsDml(statement) && plan != nullptr && !plan->tables.empty() &&
        plan->tables[0]->descriptor != nullptr) {
      temporary_target = IsTempSchemaName(plan->tables[0]->descriptor->schema);
    }
    std::optional<std::string> command = ReadOnlyViolation(statement, temporary_target);
    if (command) return ReadOnlyTransactionError(*command);
    return Status::Ok();
  }

  // COMMIT / ROLLBACK AND CHAIN: the next block starts at once with the ended one's
  // characteristics (PostgreSQL's SaveTransactionCharacteristics).
  struct ChainedOptions {
    std::string isolation, read_only, deferrable;
  };
  ChainedOptions SaveChainedOptions() const {
    return ChainedOptions{settings_.Get("transaction_isolation").value_or(""),
                          settings_.Get("transaction_read_only").value_or(""),
                          settings_.Get("transaction_deferrable").value_or("")};
  }
  Status BeginChained(const ChainedOptions& chained) {
    block_ran_query_ = false;
    settings_.Begin();
    in_transaction_ = true;
    RETURN_IF_ERROR(settings_.Set("transaction_isolation", chained.isolation, true).status());
    RETURN_IF_ERROR(settings_.Set("transaction_read_only", chained.read_only, true).status());
    RETURN_IF_ERROR(settings_.Set("transaction_deferrable", chained.deferrable, true).status());
    status_ = TransactionStatus::kInBlock;
    if (shared_ != nullptr && shared_->client != nullptr) RETURN_IF_ERROR(EnsureTxn().status());
    return Status::Ok();
  }

  // SAVEPOINT / RELEASE / ROLLBACK TO (qp/savepoints.h). ROLLBACK TO also leaves the failed
  // state: the writes, settings and DDL/DML flags go back to the savepoint's.
  Result<ExecuteResult> ExecuteSavepointCommand(const sql::TransactionStatement& command) {
    static constexpr std::string_view kWhat[] = {"SAVEPOINT", "RELEASE SAVEPOINT",
                                                 "ROLLBACK TO SAVEPOINT"};
    static constexpr std::string_view kTag[] = {"SAVEPOINT", "RELEASE", "ROLLBACK"};
    size_t which = command.transaction_kind == sql::TransactionKind::kSavepoint ? 0
                   : command.transaction_kind == sql::TransactionKind::kRelease ? 1
                                                                                : 2;
    if (status_ == TransactionStatus::kIdle) return SavepointOutsideBlock(kWhat[which]);
    ExecuteResult done{false, std::string(kTag[which])};
    if (which == 0) {
      SavepointStack::State state;
      state.settings = settings_.Save();
      state.has_ddl = txn_has_ddl_;
      state.has_dml = txn_has_dml_;
      state.read_only = settings_.Get("transaction_read_only").value_or("off");
      if (txn_) {
        state.write_mark = txn_->SetSavepoint();
        state.txn_generation = txn_generation_;
      }
      Status pushed = savepoints_.Push(command.savepoint_name, std::move(state));
      if (!pushed.ok() && txn_) txn_->ReleaseSavepoint(txn_->writes().mark_count() - 1);
      RETURN_IF_ERROR(pushed);
      return done;
    }
    ASSIGN_OR_RETURN(size_t index, savepoints_.Find(command.savepoint_name));
    const SavepointStack::State& state = savepoints_.at(index);
    std::optional<size_t> mark = state.write_mark;
    if (mark) {
      BOREALIS_CHECK(txn_ && state.txn_generation == txn_generation_,
                     "a savepoint outlived its transaction");
    }
    if (which == 1) {
      if (mark) txn_->ReleaseSavepoint(*mark);
      // Read-only mode is per subtransaction in PostgreSQL: RELEASE restores it.
      RETURN_IF_ERROR(settings_.Set("transaction_read_only", state.read_only, true).status());
      savepoints_.Truncate(index);
      return done;
    }
    if (mark) txn_->RollbackToSavepoint(*mark);
    settings_.Restore(state.settings);
    txn_has_ddl_ = state.has_ddl;
    txn_has_dml_ = state.has_dml;
    savepoints_.Truncate(index + 1);
    ++savepoint_rollbacks_;  // catalog lookups cached since may name rolled-back relations
    copy_in_.reset();
    status_ = TransactionStatus::kInBlock;
    return done;
  }

  Result<ExecuteResult> ExecuteDiscard(const sql::DiscardStatement& discard) {
    if (discard.target == sql::DiscardTarget::kAll) {
      if (status_ != TransactionStatus::kIdle || in_implicit_block_) {
        return Status::Sql("25001", "DISCARD ALL cannot run inside a transaction block");
      }
      settings_.ResetAll();
      statements_.DropAll();
      (void)cursors_.Close(sql::CloseCursorStatement{});  // CLOSE ALL cannot fail
      plan_cache_.Clear();
      return ExecuteResult{false, "DISCARD ALL"};
    }
    if (discard.target == sql::DiscardTarget::kPlans) plan_cache_.Clear();
    static constexpr const char* kTags[] = {"DISCARD ALL", "DISCARD PLANS", "DISCARD SEQUENCES",
                                            "DISCARD TEMP"};
    return ExecuteResult{false, kTags[static_cast<int>(discard.target)]};
  }

  SessionOptions options_;
  EngineShared* shared_;   // null without a transaction core
  uint64_t random_state_;  // splitmix64: row ids and retry jitter (8 bytes per session)
  AccessControl access_;   // session user, SET ROLE, privilege checks (qp/roles.h)
  std::unique_ptr<txn::SyncTxnClient::Txn> txn_;
  uint64_t txn_generation_ = 0;
  bool txn_has_ddl_ = false;
  CursorTable cursors_;  // DECLARE / FETCH / CLOSE (qp/cursors.h)
  bool txn_has_dml_ = false;
  SessionKv kv_;                      // txn_ with the temporary schema (qp/temp_tables.h)
  PlanCache plan_cache_;              // qp/plan_cache.h
  RecordingKv* recording_ = nullptr;  // while BindPlan binds: what EnsureTxn hands out
  SessionTempTables temp_tables_;
  SavepointStack savepoints_;         // of the explicit transaction block
  bool block_ran_query_ = false;      // the block ran a statement other than SET/SHOW/...
  uint64_t savepoint_rollbacks_ = 0;  // ROLLBACK TOs so far (part of the catalog cache epoch)
  std::string dml_tag_;
  std::unique_ptr<CopyIn> copy_in_;  // an active COPY FROM STDIN
  Settings settings_;
  // output_options() as of settings_.generation() == output_options_generation_.
  mutable sql::OutputOptions output_options_;
  mutable uint64_t output_options_generation_ = UINT64_MAX;
  std::unique_ptr<SessionCatalog> catalog_;  // null without a transaction core
  SessionSequences sequences_;               // currval / lastval and the cached block
  TransactionStatus status_ = TransactionStatus::kIdle;
  bool in_transaction_ = false;     // an implicit or explicit transaction is open
  bool in_implicit_block_ = false;  // running a simple query of several statements
  std::vector<Notice> notices_;
  std::atomic<bool> cancel_requested_{false};
  PreparedStatementTable statements_;
  int execute_nesting_ = 0;
  uint64_t portals_bound_ = 0;
  uint64_t expectations_portal_ = 0;              // the portal whose Bind left the expectations
  uint64_t catalog_generation_ = 0;               // bumped when a cached descriptor was found stale
  static constexpr int64_t max_rows_unused_ = 0;  // SHOW output is small: always sent whole
};

class EngineImpl : public Engine {
 public:
  EngineImpl() = default;
  EngineImpl(std::unique_ptr<txn::SyncTxnClient> owned, txn::SyncTxnClient* client, uint64_t seed,
             runtime::Disk* server_files, auth::RoleStore* roles)
      : owned_client_(std::move(owned)) {
    shared_.client = client;
    shared_.roles = roles;
    shared_.server_files = server_files;
    shared_.random_seed = seed;
    shared_.sequences = std::make_unique<SequenceAllocator>(client);
    shared_.row_ids = std::make_unique<RowIdAllocator>(client);
  }
  std::unique_ptr<Session> NewSession(SessionOptions options) override {
    return std::make_unique<SessionImpl>(std::move(options),
                                         shared_.client != nullptr ? &shared_ : nullptr);
  }

 private:
  std::unique_ptr<txn::SyncTxnClient> owned_client_;
  EngineShared shared_;
};

}  // namespace

std::unique_ptr<Engine> MakeEngine() { return std::make_unique<EngineImpl>(); }

Result<std::unique_ptr<Engine>> MakeEngine(EngineOptions options) {
  std::unique_ptr<txn::SyncTxnClient> owned;
  txn::SyncTxnClient* client = options.txn_client;
  if (client == nullptr && !options.adjudicator_endpoint.empty() &&
      !options.storage_endpoint.empty()) {
    txn::TxnClientOptions txn_options;
    txn_options.adjudicator_endpoint = options.adjudicator_endpoint;
    txn_options.storage_endpoint = options.storage_endpoint;
    ASSIGN_OR_RETURN(owned, txn::SyncTxnClient::Start(std::move(txn_options), options.client_listen,
                                                      options.local_hub));
    client = owned.get();
  }
  return std::unique_ptr<Engine>(std::make_unique<EngineImpl>(
      std::move(owned), client, options.random_seed, options.server_files, options.roles));
}

}  // namespace borealis::qp
