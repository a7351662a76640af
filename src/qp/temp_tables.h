// Temporary tables (CREATE TEMP|TEMPORARY TABLE, PostgreSQL's pg_temp): a temporary table is an
// ordinary table whose descriptor lives in the session's own schema `pg_temp_<backend pid>`.
//
// Contract:
// - Name resolution (qp/select_binder.h FindTable): an unqualified name is looked up in the
//   session's temporary schema first, then in `public` (pg_temp is first on PostgreSQL's
//   search path for relations); `pg_temp.x` and `pg_temp_<n>.x` with the session's own n name
//   the temporary table only. The session's schema reaches the resolvers with the transaction
//   they are given: the session hands them a SessionKv (below), and TempSchemaOf() reads it
//   back ("" for a session without temporary tables, or any other KvTransaction).
// - Visibility: only the creating session resolves names in its schema. Other sessions see
//   the table in pg_class (namespace pg_temp_<n>, not visible to pg_table_is_visible), as in
//   PostgreSQL.
// - Lifetime: a session that ends hands its schema to the registry (no blocking in its
//   destructor: it may run while the server shuts down, after the core stopped); the next
//   session that begins a transaction drops the abandoned schemas' tables first (one
//   transaction of its own). Backend pids are never reused within a QP process, so a schema
//   name is claimed by one session per process lifetime; what a crashed or stopped QP leaves
//   behind is dropped by the first CREATE TEMP TABLE after the next QP start (every pg_temp_*
//   table no live session claimed).
//   This assumes one QP per cluster, which both deployments are today; with several QPs the
//   schema name must carry the QP's identity and the sweep must spare live QPs (not built).
// - ON COMMIT PRESERVE ROWS (the default) keeps rows; DELETE ROWS empties the table in every
//   transaction that commits DML (the deletes join that transaction, before its commit); DROP
//   drops the table right after the transaction that created it commits.
// - SERIAL/identity sequences of a temporary table are in its schema and go with it.
// - Not yet (0A000): CREATE TEMP TABLE AS, CREATE INDEX on temporary tables (PRIMARY KEY and
//   UNIQUE constraints work), temporary views and sequences; DISCARD TEMP does nothing.
// Threading: as the session (one thread at a time).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/store.h"
#include "common/status.h"
#include "sql/ast.h"
#include "txn/kv.h"

namespace borealis::txn {
class SyncTxnClient;
}

namespace borealis::qp {

inline constexpr char kTempSchemaAlias[] = "pg_temp";
inline constexpr char kTempSchemaPrefix[] = "pg_temp_";

// "pg_temp_<pid>".
std::string TempSchemaName(int32_t backend_pid);
// Whether `schema` is some session's temporary schema (pg_temp_<digits>).
bool IsTempSchemaName(std::string_view schema);

class AccessControl;  // qp/roles.h

// The session's transaction as statements see it: forwards everything to `inner` and carries
// the session's temporary schema (empty until the session created a temporary table).
class SessionKv : public txn::KvTransaction {
 public:
  // A SessionKv over another one (the plan cache's recorder) keeps its access control.
  void Reset(txn::KvTransaction* inner) {
    inner_ = inner;
    if (const auto* session = dynamic_cast<const SessionKv*>(inner)) access_ = session->access_;
  }
  // The session's roles and privileges (qp/roles.h reaches them from binding code).
  void set_access(AccessControl* access) { access_ = access; }
  AccessControl* access() const { return access_; }
  void set_temp_schema(std::string schema) { temp_schema_ = std::move(schema); }
  const std::string& temp_schema() const { return temp_schema_; }

  Result<std::optional<std::string>> Get(std::string key) override {
    return inner_->Get(std::move(key));
  }
  Result<std::vector<txn::Row>> Scan(std::string begin, std::string end, size_t limit,
                                     bool reverse = false) override {
    return inner_->Scan(std::move(begin), std::move(end), limit, reverse);
  }
  Status Put(std::string key, std::string value) override {
    return inner_->Put(std::move(key), std::move(value));
  }
  Status Delete(std::string key) override { return inner_->Delete(std::move(key)); }
  void Lock(std::string key) override { inner_->Lock(std::move(key)); }
  void AddCheckKey(std::string key) override { inner_->AddCheckKey(std::move(key)); }
  Status Expect(std::string key, std::string value) override {
    return inner_->Expect(std::move(key), std::move(value));
  }
  Status ExpectAbsent(std::string key) override { return inner_->ExpectAbsent(std::move(key)); }
  bool HasOwnWrite(std::string_view key) const override { return inner_->HasOwnWrite(key); }

 private:
  txn::KvTransaction* inner_ = nullptr;
  std::string temp_schema_;
  AccessControl* access_ = nullptr;
};

// The temporary schema of the session `txn` belongs to ("" when none).
std::string_view TempSchemaOf(const txn::KvTransaction& txn);

// The schema a reference's explicit qualifier means for this session: the session's
// temporary schema for `pg_temp` (or its own pg_temp_<n>), nullopt for another session's
// temporary schema (not reachable), else the qualifier itself.
std::optional<std::string> ResolveSchemaQualifier(const txn::KvTransaction& txn,
                                                  std::string_view schema);

// Drops every table whose schema satisfies `which` (rows, index entries, names, descriptor),
// in `txn`; returns how many. At most kMaxSweptTables per call (the rest: next time).
inline constexpr size_t kMaxSweptTables = 10000;
Result<size_t> DropTablesInSchemas(txn::KvTransaction& txn,
                                   const std::function<bool(std::string_view schema)>& which);

// The QP's temporary schemas (one per engine; thread-safe): which are claimed by live
// sessions, and whether the orphans of earlier QP runs were swept.
class TempSchemaRegistry {
 public:
  // Claims `schema` for a session; the first claim of the process first drops every
  // pg_temp_* table no live session of this QP claimed (a transaction of its own, retried on
  // the next claim when it fails).
  Status Claim(txn::SyncTxnClient& client, const std::string& schema);
  // The claiming session ended: DropAbandoned drops the schema's tables.
  void Abandon(const std::string& schema);
  bool has_abandoned() const { return abandoned_count_.load(std::memory_order_relaxed) > 0; }
  // Drops the abandoned schemas' tables in a transaction of its own (kept for the next call
  // when that fails).
  void DropAbandoned(txn::SyncTxnClient& client);

 private:
  std::mutex mutex_;
  bool swept_ = false;
  std::set<std::string> live_;
  std::set<std::string> abandoned_;  // a subset of live_
  std::atomic<size_t> abandoned_count_{0};
};

// One session's temporary tables: its schema once claimed, and the ON COMMIT actions.
class SessionTempTables {
 public:
  // "" until Claim.
  const std::string& schema() const { return schema_; }
  Status Claim(TempSchemaRegistry& registry, txn::SyncTxnClient& client, int32_t backend_pid);
  // After CREATE TEMP TABLE `name` ... ON COMMIT `action` ran in the current transaction.
  void Created(const std::string& name, sql::OnCommitAction action);
  // In the committing transaction, before its commit: empties the ON COMMIT DELETE ROWS tables
  // when it modified rows (`has_dml`), drops the ON COMMIT DROP tables it created. Tables rolled
  // back in the meantime are skipped.
  Status BeforeCommit(txn::KvTransaction& txn, catalog::DescriptorCache& cache, bool has_dml);
  // At every end of a transaction (commit or rollback).
  void TransactionEnded() { drop_on_commit_.clear(); }
  // At the end of the session: hands the schema to the registry (TempSchemaRegistry::Abandon).
  void SessionEnded(TempSchemaRegistry& registry);

 private:
  std::string schema_;
  std::set<std::string> delete_rows_;     // ON COMMIT DELETE ROWS tables (may have been dropped)
  std::set<std::string> drop_on_commit_;  // ON COMMIT DROP, created in this transaction
};

}  // namespace borealis::qp
