// AST of SQL cursors: DECLARE name [BINARY] [[NO] SCROLL] CURSOR [WITH[OUT] HOLD] FOR query,
// FETCH / MOVE [direction] [FROM | IN] name, CLOSE name | ALL. Same contract as sql/ast.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sql/ast.h"

namespace borealis::sql {

struct DeclareCursorStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDeclareCursor;
  DeclareCursorStatement() : Statement(kKind) {}
  std::string name;
  std::shared_ptr<const Statement> query;  // a SELECT (or VALUES)
  bool binary = false;
  bool no_scroll = false;  // NO SCROLL: backward fetches fail (55000)
  bool hold = false;       // WITH HOLD: survives the transaction's commit
};

// PostgreSQL's FetchDirection: FORWARD/BACKWARD `count` rows (kAll: all of them), ABSOLUTE or
// RELATIVE row `count` (negative counts from the end / backwards).
enum class FetchDirection { kForward, kBackward, kAbsolute, kRelative };

struct FetchStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kFetch;
  FetchStatement() : Statement(kKind) {}
  static constexpr int64_t kAll = INT64_MAX;
  std::string name;
  FetchDirection direction = FetchDirection::kForward;
  int64_t count = 1;
  bool is_move = false;  // MOVE: moves like FETCH, returns no rows (tag "MOVE n")
};

struct CloseCursorStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCloseCursor;
  CloseCursorStatement() : Statement(kKind) {}
  std::optional<std::string> name;  // nullopt: CLOSE ALL
};

}  // namespace borealis::sql
