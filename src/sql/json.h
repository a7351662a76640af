// The json and jsonb types (issue 4; SQL_SURFACE.md "json and jsonb"), helper J.
//
// Representation (value.h): both hold their text in a std::string. A json Value keeps the input
// text verbatim once it has been validated (PostgreSQL's json_in); a jsonb Value holds the
// canonical text of its parsed form: object keys sorted by length then bytes, duplicate keys
// keeping the last value, numbers as numeric prints them, and `{"a": 1, "b": [1, 2]}` spacing
// (PostgreSQL's jsonb_out). Columns of either type store that text (encoding kText).
//
// Parsing follows PostgreSQL 15's JSON lexer and grammar and reports its errors: 22P02
// `invalid input syntax for type json` with PostgreSQL's DETAIL (`Token "x" is invalid.`,
// `Expected ":", but found "1".`, ...), 22P05 for \u0000 in jsonb, and 54001 `stack depth limit
// exceeded` past kMaxDepth nested arrays/objects (PostgreSQL's own limit is its stack; it
// accepts 10000 levels with the default max_stack_depth). Every recursive function here is
// bounded by the depth of a parsed tree, so no input can exhaust the stack.
//
// Ordering and equality are PostgreSQL's jsonb btree order: object > array > boolean > number >
// string > null; containers with more members sort later; then members in stored order;
// numbers compare numerically (1.0 = 1); strings bytewise (the C collation); an empty top-level
// array sorts below every scalar (PostgreSQL's raw-scalar quirk). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace borealis::sql::json {

inline constexpr int kMaxDepth = 10000;
// Largest text jsonb_pretty builds (deep nesting makes its indentation quadratic): 54000 beyond.
inline constexpr size_t kMaxPrettyBytes = 64 * 1024 * 1024;

// Declared in PostgreSQL's jsonb type order (JsonbValue's enum): the ordering uses it.
enum class Kind : uint8_t { kNull, kString, kNumber, kBool, kArray, kObject };

struct Node {
  Kind kind = Kind::kNull;
  bool boolean = false;
  // kString: the de-escaped UTF-8 contents; kNumber: numeric text (canonical after jsonb
  // parsing, as written after json parsing).
  std::string text;
  // Parsed from json text: this value's source text (a view into the parsed input).
  std::string_view raw;
  // json strings whose escapes cannot become text (\u0000, lone surrogates): json_in accepts
  // them, de-escaping (->>, casts to jsonb) fails; StringOf reports the error.
  bool bad_escape = false;
  std::vector<Node> elements;                         // kArray
  std::vector<std::pair<std::string, Node>> members;  // kObject (jsonb: sorted, unique keys)
};

enum class Mode {
  kJson,   // validate as json_in does; keep members in input order and raw spans
  kJsonb,  // de-escape (errors for \u0000 and bad surrogates), canonical numbers, sorted keys
};

// Parses a whole JSON text. The Node's raw views point into `text`.
Result<Node> Parse(std::string_view text, Mode mode);

// jsonb_in: the canonical jsonb text of `text`.
Result<std::string> CanonicalText(std::string_view text);
// json_in: validates `text` (returned unchanged by the caller).
Status Validate(std::string_view text);

// jsonb_out of a node (sorted members are the caller's business: see Normalize).
std::string Canonical(const Node& node);
// PostgreSQL's jsonb_pretty layout (four-space indents); 54000 past kMaxPrettyBytes.
Result<std::string> Pretty(const Node& node);
// Sorts members by (length, bytes) keeping the last duplicate, recursively: jsonb's object order.
void Normalize(Node& node);

// escape_json: `s` as a JSON string literal, quotes included.
std::string Quote(std::string_view s);
// A string node's text; for a json string with a bad escape, that escape's error.
Result<std::string> StringOf(const Node& node);

// PostgreSQL's jsonb comparison (see above). REQUIRES: both are jsonb-normalized.
int Compare(const Node& a, const Node& b);
// A byte string equal for exactly the nodes that Compare() finds equal (hashing GROUP BY).
std::string EqualityKey(const Node& node);

// The type name of a node as json_typeof/jsonb_typeof print it.
std::string_view TypeName(Kind kind);

// jsonb @> (JsonbDeepContains): whether `a` contains `b`.
bool Contains(const Node& a, const Node& b);

// Nesting depth of a node (a scalar is 0).
int Depth(const Node& node);

}  // namespace borealis::sql::json
