// AST of the index statements (issue 4): CREATE [UNIQUE] INDEX [ASYNC] and DROP INDEX, plus
// the DSQL `ASYNC` keyword, which PostgreSQL's grammar (libpg_query, kept unmodified) does not
// know: Parse() blanks it out before parsing (BlankAsyncKeywords) and marks the statement.
//
// Contract: plain values built by the parser (sql/parser.cc) and read by qp/index_statements.
// BlankAsyncKeywords is a pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"

namespace borealis::sql {

struct IndexElement {
  std::string column;
  bool descending = false;
  std::optional<bool> nulls_first;  // nullopt: PostgreSQL's default for the direction
  int location = -1;
};

// CREATE [UNIQUE] INDEX [ASYNC] [CONCURRENTLY] [IF NOT EXISTS] [name] ON t [USING btree]
//   (column [ASC|DESC] [NULLS FIRST|LAST], ...)
struct CreateIndexStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateIndex;
  CreateIndexStatement() : Statement(kKind) {}
  std::optional<std::string> name;  // nullopt: PostgreSQL's generated name (t_a_idx)
  TableRef table;
  std::vector<IndexElement> columns;
  bool unique = false;
  bool if_not_exists = false;
  bool async = false;  // DSQL's CREATE INDEX ASYNC (built synchronously here)
};

// DROP INDEX [CONCURRENTLY] [IF EXISTS] name [, ...] [CASCADE | RESTRICT]
struct DropIndexStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDropIndex;
  DropIndexStatement() : Statement(kKind) {}
  std::vector<TableRef> indexes;
  bool if_exists = false;
};

// The byte offsets of DSQL's ASYNC keyword in `CREATE [UNIQUE] INDEX ASYNC ...` (outside
// string literals, quoted identifiers and comments; case-insensitive) and the text with each
// of them replaced by spaces (same length, so every location stays valid). No other text
// changes. At most kMaxAsyncKeywords are blanked.
inline constexpr size_t kMaxAsyncKeywords = 10000;
struct BlankedAsync {
  std::string text;
  std::vector<size_t> offsets;
};
BlankedAsync BlankAsyncKeywords(std::string_view sql);

// The condition text of the CHECK constraint that starts at byte `location` of `sql`
// (`[CONSTRAINT name] CHECK (condition)`): the text between the parentheses, trimmed.
// nullopt when it cannot be found.
std::optional<std::string> CheckConditionText(std::string_view sql, int location);

}  // namespace borealis::sql
