// The interval type (OID 1186): PostgreSQL's {months, days, microseconds} with its text input
// (DecodeInterval's forms: `1 day 2 hours`, `@ 1 minute ago`, `1-2`, `1 02:03:04.5`, ISO 8601
// `P1Y2M3DT4H5M6S` and `P0001-02-03T04:05:06`), IntervalStyle output, binary send/recv (int64
// microseconds, int32 days, int32 months), type modifiers (`INTERVAL '1' YEAR`,
// `DAY TO SECOND(3)`), comparison by the 30-day-month, 24-hour-day span, and the interval
// operators and functions (interval arithmetic, date/timestamp/time +/- interval, timestamp -
// timestamp, justify_*, age, extract/date_part, date_trunc, make_interval).
//
// Contract: values are sql::Value with TypeId::kInterval holding sql::Interval (value.h). All
// functions are pure and thread-safe. Errors carry PostgreSQL's SQLSTATEs and messages: 22007
// invalid input syntax, 22015 interval field value out of range (input), 22008 interval /
// timestamp out of range (arithmetic), 22023 bad type modifiers or units, 0A000 units PostgreSQL
// does not support for intervals. Session time zone is UTC (sql/datetime.h), so timestamptz
// arithmetic is timestamp arithmetic.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/catalog_functions.h"  // FunctionAdder
#include "sql/types.h"
#include "sql/value.h"

namespace borealis::sql {

const TypeInfo& IntervalTypeInfo();

// A type modifier as PostgreSQL encodes it: (range mask << 16) | precision; -1 when none.
inline constexpr int32_t kNoIntervalTypmod = -1;

// `text` parsed as PostgreSQL's interval_in does, then restricted by `typmod`.
Result<Interval> ParseInterval(std::string_view text, int32_t typmod = kNoIntervalTypmod);
std::string FormatInterval(const Interval& interval, IntervalStyle style);
Result<Interval> ReceiveIntervalBinary(std::string_view bytes);
std::string SendIntervalBinary(const Interval& interval);

// Orders as PostgreSQL's interval_cmp: by the span with 30-day months and 24-hour days, so
// '1 mon' = '30 days'.
__int128 IntervalSpanMicros(const Interval& interval);
int CompareIntervals(const Interval& a, const Interval& b);

// The typmod for the modifiers the grammar produced for `interval` (a range mask, optionally a
// precision): 22023 when invalid.
Result<int32_t> IntervalTypmodFromModifiers(std::span<const int64_t> modifiers);
// PostgreSQL's AdjustIntervalForTypmod: drops fields below the range, rounds seconds.
Result<Interval> ApplyIntervalTypmod(const Interval& interval, int32_t typmod);

// interval + interval, interval * float8 ... (22008 "interval out of range" on overflow).
Result<Interval> AddIntervals(const Interval& a, const Interval& b);
Result<Interval> NegateInterval(const Interval& a);
Result<Interval> MultiplyInterval(const Interval& a, double factor);
Result<Interval> DivideInterval(const Interval& a, double divisor);
// timestamp + interval (microseconds since 2000-01-01; infinities stay): month arithmetic clamps
// the day to the month's end, as PostgreSQL's timestamp_pl_interval.
Result<int64_t> AddIntervalToTimestamp(int64_t timestamp, const Interval& interval);

// Casts between interval and time (time -> interval implicit, interval -> time assignment).
bool CanCastInterval(TypeId from, TypeId to, CastContext context);
Result<Value> CastIntervalValue(const Value& value, TypeId to);

// Registers the interval operators and functions with the built-in catalog (sql/functions.cc).
void RegisterIntervalFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
