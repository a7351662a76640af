// AST of EXPLAIN [ANALYZE] [VERBOSE] statement and EXPLAIN (option [value], ...) statement.
// Same contract as sql/ast.h (immutable after parsing; locations are 0-based byte offsets into
// the source). The options are validated by the parser with PostgreSQL's ExplainQuery rules
// (sql/explain_syntax.h); the explained statement is any statement PostgreSQL's grammar
// accepts there (SELECT, VALUES, INSERT, UPDATE, DELETE, CREATE TABLE AS, EXECUTE, ...), and
// the query processor refuses the ones it cannot explain (qp/explain_statement.h).
#pragma once

#include <memory>

#include "sql/ast.h"

namespace borealis::sql {

struct ExplainOptions {
  bool analyze = false;   // run the statement and report actual row counts
  bool verbose = false;   // output columns, qualified names
  bool costs = true;      // Borealis has no cost model: accepted, prints nothing
  bool buffers = false;   // accepted, prints nothing
  bool wal = false;       // accepted (requires ANALYZE), prints nothing
  bool settings = false;  // accepted, prints nothing
  bool timing = false;    // defaults to `analyze`; Borealis has no clock in the QP (see qp)
  bool summary = false;   // defaults to `analyze`
};

struct ExplainStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kExplain;
  ExplainStatement() : Statement(kKind) {}
  ExplainOptions options;
  std::shared_ptr<const Statement> statement;
};

}  // namespace borealis::sql
