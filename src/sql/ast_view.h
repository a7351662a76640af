// AST of the view statements and of INSERT ... ON CONFLICT (issue 4). Produced by
// sql/parser.cc; views run in qp/view_statements.h, ON CONFLICT in qp/on_conflict.h.
//
// CREATE [OR REPLACE] VIEW name [(columns)] AS query keeps the query's source text (what the
// catalog stores and binds again at every use) besides its parsed form (checked at CREATE).
// DROP VIEW [IF EXISTS] name, ... [CASCADE | RESTRICT].
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/ast.h"

namespace borealis::sql {

struct ViewStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kView;
  ViewStatement() : Statement(kKind) {}
  bool drop = false;
  // CREATE
  bool or_replace = false;
  TableRef view;
  std::vector<std::string> column_names;
  std::string query_text;
  std::shared_ptr<const SelectStatement> query;
  // DROP
  std::vector<TableRef> views;
  bool if_exists = false;
  bool cascade = false;
};

// ON CONFLICT [(columns) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET ... [WHERE ...].
struct OnConflictClause {
  bool do_update = false;
  std::vector<NamedColumn> target_columns;  // conflict target (inference), may be empty
  std::optional<std::string> constraint;    // ON CONSTRAINT name
  int location = -1;                        // of the ON CONFLICT clause
  int target_location = -1;
  std::vector<Assignment> assignments;  // DO UPDATE SET
  ExprPtr where;                        // DO UPDATE ... WHERE (may be null)
};

}  // namespace borealis::sql
