// The SQL parser front end: text -> libpg_query (PostgreSQL 15 grammar) -> our AST (ast.h).
//
// Contract: Parse() splits a query string into statements and transforms each one, once, with
// one Transform function per parse-node kind. Syntax errors fail the whole string with 42601,
// PostgreSQL's message and 1-based character position, like PostgreSQL's simple query. A
// statement that parses but that the engine does not support yet (0A000), or whose tree is
// too deep (54001), does not fail the string: its ParsedStatement carries the error so that
// the statements before it still run, as they would in PostgreSQL. Thread-safe (libpg_query
// keeps per-thread state only).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/ast.h"

namespace borealis::sql {

// Longest query string accepted (PostgreSQL's own limit is 1 GB of message; clients of this
// stage never come close, and the parser's memory is proportional to it).
constexpr size_t kMaxQueryLength = 16 * 1024 * 1024;
// Deepest expression/tree nesting transformed; deeper input gets 54001
// `stack depth limit exceeded` instead of exhausting the stack later in the pipeline.
constexpr int kMaxExpressionDepth = 1000;

struct ParsedStatement {
  // The statement, or null when `error` is set or the string is empty.
  std::shared_ptr<const Statement> statement;
  Status error;           // deferred error (unsupported statement, depth limit)
  std::string text;       // this statement's own text (without the trailing semicolon)
  int location = 0;       // byte offset of `text` in the source string
  bool empty = false;     // the whole source was empty / only comments
  std::string node_name;  // libpg_query's node name, e.g. "SelectStmt" (for messages, logs)
};

struct ParseResult {
  // The whole source: AST locations and error positions are relative to it.
  std::shared_ptr<const std::string> source;
  std::vector<ParsedStatement> statements;  // at least one
};

Result<ParseResult> Parse(std::string_view sql);

// PostgreSQL error positions are 1-based characters (not bytes) into the query string.
int ErrorPosition(std::string_view source, int byte_location);

}  // namespace borealis::sql
