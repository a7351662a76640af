// Type modifiers: varchar(n), character(n), numeric(p, s), time(p), timestamp(p),
// timestamptz(p) and interval's fields and precision (sql/interval.h), encoded as PostgreSQL's
// atttypmod and applied as its length-coercion functions do.
//
// Contract: pure functions.
// * TypmodFromModifiers checks the written modifiers as PostgreSQL's typmodin functions do and
//   returns the encoded typmod: n + 4 for the character types, ((p << 16) | (s & 0x7ff)) + 4
//   for numeric (scale -1000..1000, PostgreSQL 15), p for the time types. A time precision
//   above 6 becomes 6 with a WARNING text appended to `warnings`, as in PostgreSQL. Errors:
//   22023 with PostgreSQL's messages; 42601 `type modifier is not allowed for type "int4"` for
//   a type that takes none.
// * ApplyTypmod coerces a value of the typmod's type: numeric is rounded to its scale and fails
//   with 22003 "numeric field overflow" when the integer digits do not fit; the time types
//   are rounded to p fractional digits. Other types (and typmod -1) pass unchanged; the
//   character types are checked where rows are written (sql/exec CheckRow), because their
//   errors depend on the context (assignment cuts trailing blanks, an explicit cast truncates).
// * TypeNameWithTypmod is format_type's rendering: "numeric(10,2)", "character varying(5)",
//   "timestamp(3) with time zone"; the display name alone for typmod -1.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/types.h"
#include "sql/value.h"

namespace borealis::sql {

inline constexpr int32_t kVarHeaderSize = 4;  // PostgreSQL's VARHDRSZ in typmods
inline constexpr int kMaxNumericPrecision = 1000;
inline constexpr int kMinNumericScale = -1000;
inline constexpr int kMaxNumericScale = 1000;
inline constexpr int kMaxTimePrecision = 6;

// Whether `type` accepts modifiers (the types listed at the top).
bool TakesTypmod(TypeId type);
Result<int32_t> TypmodFromModifiers(TypeId type, std::span<const int64_t> modifiers,
                                    std::vector<std::string>& warnings);
Result<Value> ApplyTypmod(const Value& value, int32_t typmod);
std::string TypeNameWithTypmod(TypeId type, int32_t typmod);

// numeric(p, s)'s parts. REQUIRES: typmod >= 4.
int NumericTypmodPrecision(int32_t typmod);
int NumericTypmodScale(int32_t typmod);

}  // namespace borealis::sql
