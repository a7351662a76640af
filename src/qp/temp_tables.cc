#include "qp/temp_tables.h"

#include <cctype>

#include "catalog/descriptor.h"
#include "catalog/store.h"
#include "encoding/key.h"
#include "fmt/format.h"
#include "qp/bulk_statements.h"
#include "qp/sequence_statements.h"
#include "sql/ast_bulk.h"
#include "txn/sync_client.h"

namespace borealis::qp {

std::string TempSchemaName(int32_t backend_pid) {
  return fmt::format("{}{}", kTempSchemaPrefix, backend_pid);
}

bool IsTempSchemaName(std::string_view schema) {
  std::string_view prefix = kTempSchemaPrefix;
  if (schema.size() <= prefix.size() || schema.substr(0, prefix.size()) != prefix) return false;
  for (char c : schema.substr(prefix.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view TempSchemaOf(const txn::KvTransaction& txn) {
  const auto* session = dynamic_cast<const SessionKv*>(&txn);
  return session != nullptr ? std::string_view(session->temp_schema()) : std::string_view();
}

std::optional<std::string> ResolveSchemaQualifier(const txn::KvTransaction& txn,
                                                  std::string_view schema) {
  std::string_view own = TempSchemaOf(txn);
  if (schema == kTempSchemaAlias) {
    // pg_temp before the session has a temporary schema names nothing yet.
    return own.empty() ? std::nullopt : std::optional<std::string>(own);
  }
  if (IsTempSchemaName(schema) && schema != own) return std::nullopt;
  return std::string(schema);
}

Result<size_t> DropTablesInSchemas(txn::KvTransaction& txn,
                                   const std::function<bool(std::string_view schema)>& which) {
  encoding::KeySpan span = encoding::IndexSpan(catalog::kSystemTableId, catalog::kDescriptorIndex);
  std::vector<catalog::TableDescriptor> doomed;
  std::string begin = span.begin;
  for (;;) {
    constexpr size_t kBatch = 256;
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(begin, span.end, kBatch));
    for (const txn::Row& row : rows) {
      ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(row.value));
      if (which(table.schema) && doomed.size() < kMaxSweptTables)
        doomed.push_back(std::move(table));
    }
    if (rows.size() < kBatch) break;
    begin = encoding::KeySuccessor(rows.back().key);
  }
  for (const catalog::TableDescriptor& table : doomed) {
    RETURN_IF_ERROR(DropOwnedSequences(txn, table));  // SERIAL columns' sequences
    RETURN_IF_ERROR(catalog::DropTable(txn, table));
  }
  return doomed.size();
}

namespace {

// Attempts of the sweep and of a session's final drop (OC000 when another session's DDL
// touched the catalog keys at the same time).
constexpr int kMaxDropAttempts = 3;

Status DropInOwnTransaction(txn::SyncTxnClient& client,
                            const std::function<bool(std::string_view schema)>& which) {
  Status last;
  for (int attempt = 0; attempt < kMaxDropAttempts; ++attempt) {
    std::unique_ptr<txn::SyncTxnClient::Txn> txn = client.Begin();
    Result<size_t> dropped = DropTablesInSchemas(*txn, which);
    if (!dropped.ok()) return dropped.status();
    if (*dropped == 0) return Status::Ok();
    last = txn->Commit().status();
    if (last.ok()) return last;
  }
  return last;
}

}  // namespace

Status TempSchemaRegistry::Claim(txn::SyncTxnClient& client, const std::string& schema) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!swept_) {
    RETURN_IF_ERROR(DropInOwnTransaction(client, [this](std::string_view name) {
      return IsTempSchemaName(name) && live_.count(std::string(name)) == 0;
    }));
    swept_ = true;
  }
  live_.insert(schema);
  return Status::Ok();
}

void TempSchemaRegistry::Abandon(const std::string& schema) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (abandoned_.insert(schema).second) abandoned_count_.fetch_add(1);
}

void TempSchemaRegistry::DropAbandoned(txn::SyncTxnClient& client) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (abandoned_.empty()) return;
  Status dropped = DropInOwnTransaction(
      client, [this](std::string_view name) { return abandoned_.count(std::string(name)) > 0; });
  if (!dropped.ok()) return;  // next time (or the sweep of the next QP start)
  for (const std::string& schema : abandoned_) live_.erase(schema);
  abandoned_.clear();
  abandoned_count_.store(0);
}

Status SessionTempTables::Claim(TempSchemaRegistry& registry, txn::SyncTxnClient& client,
                                int32_t backend_pid) {
  if (!schema_.empty()) return Status::Ok();
  std::string schema = TempSchemaName(backend_pid);
  RETURN_IF_ERROR(registry.Claim(client, schema));
  schema_ = std::move(schema);
  return Status::Ok();
}

void SessionTempTables::Created(const std::string& name, sql::OnCommitAction action) {
  if (action == sql::OnCommitAction::kDeleteRows) delete_rows_.insert(name);
  if (action == sql::OnCommitAction::kDrop) drop_on_commit_.insert(name);
}

Status SessionTempTables::BeforeCommit(txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                       bool has_dml) {
  if (schema_.empty()) return Status::Ok();
  if (has_dml && !delete_rows_.empty()) {
    sql::TruncateStatement truncate;
    for (auto it = delete_rows_.begin(); it != delete_rows_.end();) {
      ASSIGN_OR_RETURN(auto table, cache.Lookup(txn, schema_, *it));
      if (!table) {  // dropped (or its creation rolled back)
        it = delete_rows_.erase(it);
        continue;
      }
      sql::TableRef ref;
      ref.schema = schema_;
      ref.name = *it;
      truncate.tables.push_back(std::move(ref));
      ++it;
    }
    if (!truncate.tables.empty()) RETURN_IF_ERROR(RunTruncate(truncate, txn, cache).status());
  }
  for (const std::string& name : drop_on_commit_) {
    ASSIGN_OR_RETURN(auto table, cache.Lookup(txn, schema_, name));
    if (table) RETURN_IF_ERROR(catalog::DropTable(txn, *table));
  }
  drop_on_commit_.clear();
  return Status::Ok();
}

void SessionTempTables::SessionEnded(TempSchemaRegistry& registry) {
  if (schema_.empty()) return;
  registry.Abandon(schema_);
  schema_.clear();
}

}  // namespace borealis::qp
