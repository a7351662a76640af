// AST of the sequence statements (issue 4): CREATE / ALTER / DROP SEQUENCE, and the sequence
// options that identity columns (GENERATED ... AS IDENTITY (options)) share with them.
//
// Contract: plain values built by the parser (sql/parser.cc, sql/sequence_syntax.cc) and read
// by qp/sequence_statements. Every option is optional: unset means "keep" (ALTER) or
// "PostgreSQL's default" (CREATE).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sql/ast.h"

namespace borealis::sql {

struct SequenceOptions {
  std::optional<TypeName> as_type;  // AS smallint | integer | bigint
  std::optional<int64_t> increment;
  // Outer optional: the option was given; inner nullopt: NO MINVALUE / NO MAXVALUE.
  std::optional<std::optional<int64_t>> min_value;
  std::optional<std::optional<int64_t>> max_value;
  std::optional<int64_t> start;
  // RESTART [WITH n] (ALTER only): inner nullopt restarts at the START value.
  std::optional<std::optional<int64_t>> restart;
  std::optional<int64_t> cache;
  std::optional<bool> cycle;
  // OWNED BY t.c ({"t", "c"}) | OWNED BY NONE ({"none"}).
  std::optional<std::vector<std::string>> owned_by;
  int owned_by_location = -1;
};

enum class SequenceAction { kCreate, kAlter, kDrop };

// CREATE SEQUENCE [IF NOT EXISTS] name options
// ALTER SEQUENCE [IF EXISTS] name options
// DROP SEQUENCE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]
struct SequenceStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kSequence;
  SequenceStatement() : Statement(kKind) {}
  SequenceAction action = SequenceAction::kCreate;
  std::vector<TableRef> names;  // one, except for DROP
  bool if_not_exists = false;   // CREATE
  bool if_exists = false;       // ALTER, DROP
  bool cascade = false;         // DROP
  SequenceOptions options;
};

}  // namespace borealis::sql
