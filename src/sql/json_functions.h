// json and jsonb as SQL types (helper J): their I/O, casts, operators, functions and the
// pieces of the json aggregates. The JSON text itself is parsed and printed by sql/json.h.
//
// Contract (PostgreSQL 15's behaviour, messages and SQLSTATEs):
//   * I/O: json keeps its validated text; jsonb holds its canonical text (json.h). Binary: json
//     is its text, jsonb a version byte 1 and its text (other versions: 22P03).
//   * Casts: json <-> jsonb (assignment); to the string types (assignment) and from them
//     (explicit) through text; jsonb -> boolean, numeric, smallint, integer, bigint, real and
//     double precision (explicit) from a matching scalar, else 22023 `cannot cast jsonb
//     string to type numeric`.
//   * Operators: -> ->> (text key, int index; negative indexes count from the end) and #> #>>
//     (text[] path) on json and jsonb; for jsonb also @> <@ ? ?| ?& || - (text, int, text[])
//     #- and the btree comparisons (json.h's order). json has no equality (42883), so ORDER BY,
//     DISTINCT and GROUP BY on json are refused by the binder as PostgreSQL does.
//   * Functions: to_json(b), json(b)_build_object/_array, json(b)_object(text[] [, text[]]),
//     json(b)_typeof, json(b)_array_length, jsonb_pretty, json(b)_extract_path(_text), jsonb_set,
//     jsonb_insert, json(b)_strip_nulls, array_to_json(anyarray [, bool]). Two-column
//     set-returning ones (json_each, ...) are 0A000.
// Pure functions over Values; the function definitions are registered once (thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/catalog_functions.h"  // FunctionAdder
#include "sql/functions.h"
#include "sql/value.h"

namespace borealis::sql {

inline bool IsJsonType(TypeId type) { return type == TypeId::kJson || type == TypeId::kJsonb; }

// The type's input function (json_in / jsonb_in).
Result<Value> ParseJsonText(TypeId type, std::string_view text);
Result<Value> ReceiveJsonBinary(TypeId type, std::string_view bytes);
std::string SendJsonBinary(const Value& value);

// REQUIRES: IsJsonType(from) || IsJsonType(to).
bool CanCastJson(TypeId from, TypeId to, CastContext context);
Result<Value> CastJsonValue(const Value& value, TypeId to, const OutputOptions& options);

// jsonb's btree comparison and a hash key that is equal exactly for equal jsonb values.
// REQUIRES: both are non-NULL jsonb values.
int CompareJsonb(const Value& a, const Value& b);
std::string JsonbEqualityKey(const Value& value);

// to_json's text for a value (PostgreSQL's datum_to_json): NULL is `null`, numbers bare,
// date/time in ISO 8601, arrays as `[1,2]`, json as is, everything else a JSON string.
Result<std::string> ValueToJsonText(const Value& value, const OutputOptions& options);

// The aggregates' results: json_agg's `[a, b]`, json_object_agg's `{ "k" : v, ... }` (json);
// jsonb_agg / jsonb_object_agg give canonical jsonb. Element and value texts come from
// ValueToJsonText; keys are plain text.
Result<Value> FinishJsonAgg(TypeId result, const std::vector<std::string>& elements);
Result<Value> FinishJsonObjectAgg(TypeId result,
                                  const std::vector<std::pair<std::string, std::string>>& members);

void RegisterJsonFunctions(const FunctionAdder& add);

// The single-column set-returning json functions, bound and run through sql/set_functions.h
// (SetFunctionKind::kJson): json(b)_array_elements -> json(b), json(b)_array_elements_text and
// json(b)_object_keys -> text. The two-column ones (json_each, ...) stay 0A000.
bool IsJsonSetFunctionName(std::string_view name);
Result<BoundExprPtr> BindJsonSetFunction(Binder& binder, std::string_view name,
                                         std::vector<BoundExprPtr> args);
// The rows of a bound kJson call for its evaluated, non-NULL argument.
Result<std::vector<Value>> JsonSetFunctionRows(const BoundExpr& call, const Value& argument);

}  // namespace borealis::sql
