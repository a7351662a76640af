// The bulk-loading and maintenance statements (the `pgbench -i` path, docs/design/sql.md
// "Bulk loading"): TRUNCATE, COPY FROM STDIN / TO STDOUT, VACUUM / ANALYZE, ALTER TABLE.
//
// Contract: everything runs inside the caller's transaction (txn::KvTransaction) with
// PostgreSQL's errors; the session decides the transaction rules (TRUNCATE and COPY are DML,
// ALTER TABLE is DDL, VACUUM refuses a transaction block).
// - TRUNCATE deletes every row and index entry of each table in the transaction (buffered
//   tombstones, read in batches of kTruncateScanBatchRows) and rewrites each table's
//   schema-version key with its unchanged value: concurrent DML on the table aborts with
//   OC001, as PostgreSQL's ACCESS EXCLUSIVE lock would have serialized it, while cached
//   descriptors stay valid.
// - CopyIn streams COPY FROM STDIN: data arrives in chunks, complete records are converted
//   and inserted at once (only the incomplete record is held; the rows themselves are held by
//   the transaction's write set). Errors carry PostgreSQL's CONTEXT line.
// - RunCopyTo runs COPY t / (query) TO STDOUT, handing each record's text to `emit`.
// - ALTER TABLE ... ADD PRIMARY KEY re-creates the table under a new table id with the new
//   key (rows moved in one transaction; 23505 on duplicates, 23502 on NULLs, 42P16 when the
//   table already has a primary key). The other forms change the descriptor (new version);
//   ADD COLUMN with a non-NULL DEFAULT and SET NOT NULL read (and rewrite) every row.
// Threading: one statement on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/store.h"
#include "qp/copy_format.h"
#include "qp/session.h"
#include "sql/ast_bulk.h"
#include "sql/binder.h"
#include "sql/planner/plan.h"
#include "txn/kv.h"

namespace borealis::qp {

inline constexpr size_t kTruncateScanBatchRows = 1024;
inline constexpr size_t kAlterScanBatchRows = 1024;

Result<std::string> RunTruncate(const sql::TruncateStatement& truncate, txn::KvTransaction& txn,
                                catalog::DescriptorCache& cache);

// Checks that the named tables exist (42P01); nothing else to do. Returns the tag.
Result<std::string> RunVacuum(const sql::VacuumStatement& vacuum, txn::KvTransaction& txn,
                              catalog::DescriptorCache& cache);

Result<std::string> RunAlterTable(const sql::AlterTableStatement& alter,
                                  std::shared_ptr<const std::string> source,
                                  txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                  std::vector<Notice>& notices);

class CopyIn {
 public:
  // REQUIRES: copy.is_from, copy.table set. `next_row_id` gives hidden row ids; `functions`
  // (may be null) evaluates CHECK constraints.
  static Result<std::unique_ptr<CopyIn>> Start(const sql::CopyStatement& copy,
                                               const std::string& source, txn::KvTransaction& txn,
                                               catalog::DescriptorCache& cache,
                                               std::function<int64_t()> next_row_id,
                                               sql::FunctionContext* functions);
  size_t column_count() const { return targets_.size(); }
  // A chunk of CopyData.
  Status Feed(std::string_view data);
  // CopyDone: the rows copied.
  Result<uint64_t> Finish();

 private:
  CopyIn(txn::KvTransaction& txn, CopyOptions options)
      : txn_(txn), parser_(options), options_(std::move(options)) {}
  Status InsertRecords();
  Status InsertRecord(const CopyRecord& record);
  Status WithLine(Status status) const;

  txn::KvTransaction& txn_;
  CopyParser parser_;
  CopyOptions options_;
  std::unique_ptr<sql::planner::TableInfo> table_;
  std::vector<int> targets_;          // table column of each field
  std::vector<bool> force_not_null_;  // per field
  std::vector<bool> force_null_;      // per field
  std::vector<sql::Value> defaults_;  // per table column
  // Non-constant DEFAULTs (nextval, now(), ...) of the columns the fields do not fill:
  // evaluated per row.
  std::vector<std::pair<int, sql::BoundExprPtr>> default_expressions_;
  std::function<int64_t()> next_row_id_;
  sql::FunctionContext* functions_ = nullptr;
  std::vector<CopyRecord> records_;
  uint64_t rows_ = 0;
  uint64_t error_line_ = 0;
};

// COPY t [(cols)] | (query) TO STDOUT: returns the rows written. `emit` gets each record
// (header first when asked).
// `begin` gets the column count before the first record.
Result<uint64_t> RunCopyTo(const sql::CopyStatement& copy,
                           std::shared_ptr<const std::string> source, txn::KvTransaction& txn,
                           catalog::DescriptorCache& cache, sql::EvalContext eval,
                           const sql::OutputOptions& output,
                           const std::function<Status(size_t)>& begin,
                           const std::function<Status(std::string_view)>& emit);

}  // namespace borealis::qp
