// A table whose rows are computed rather than stored: the pg_catalog and information_schema
// relations and set-returning functions in FROM (qp/system_catalog.h). A Scan over a
// TableInfo with a virtual_table asks it for all rows at the transaction's snapshot; filters
// and joins above work as over any scan.
//
// Contract: Rows() returns rows of exactly the TableInfo's columns, in scope order, each value
// NULL or of the column's type. Implementations are immutable and thread-safe; the
// transaction and the evaluation context (parameters, session functions, enclosing queries'
// rows for arguments that refer to them) are borrowed for the call.
#pragma once

#include <vector>

#include "common/status.h"
#include "sql/binder.h"
#include "txn/kv.h"

namespace borealis::sql::planner {

class VirtualTable {
 public:
  virtual ~VirtualTable() = default;
  virtual Result<std::vector<std::vector<Value>>> Rows(txn::KvTransaction& txn,
                                                       EvalContext& context) const = 0;
};

}  // namespace borealis::sql::planner
