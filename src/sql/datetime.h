// Date/time types: date, time, timestamp, timestamptz (PostgreSQL's DateADT, TimeADT,
// Timestamp, TimestampTz), their text I/O, binary I/O and casts among themselves.
//
// Contract: values follow sql/value.h with an int64 representation (Value::Int): date = days
// since 2000-01-01 (int32 range; INT32_MIN/MAX are -infinity/infinity), time = microseconds
// since midnight (0..86400000000), timestamp/timestamptz = microseconds since 2000-01-01
// 00:00 UTC (INT64_MIN/MAX are -infinity/infinity), as the storage encoding has them
// (docs/design/encoding.md). Input is PostgreSQL's DecodeDateTime forms (sql/datetime_input.h;
// ParseDateTimeText reads them in the default MDY order, without `now`); output follows
// DateStyle (ISO, SQL, Postgres, German; DMY/MDY order). The session time zone is UTC (the only
// TimeZone this module knows): timestamptz prints `+00`, and casts between timestamp and
// timestamptz do not shift. Errors: 22007 invalid syntax, 22008 out of range. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "sql/types.h"
#include "sql/value.h"

namespace borealis::sql {

// Unix epoch (1970-01-01) minus PostgreSQL's epoch (2000-01-01), in seconds.
inline constexpr int64_t kPostgresEpochUnixSeconds = 946'684'800;
inline constexpr int64_t kMicrosPerDay = 86'400'000'000;

bool IsDateTimeType(TypeId type);
// REQUIRES: IsDateTimeType(type).
const TypeInfo& DateTimeTypeInfo(TypeId type);
std::optional<TypeId> DateTimeTypeFromName(std::string_view name);

Result<Value> ParseDateTimeText(TypeId type, std::string_view text);
// In the DateStyle of `options` (time of day is the same in all of them; the zone of
// timestamptz prints as "+00" in ISO and as "UTC" in the others).
std::string FormatDateTimeText(const Value& value, const OutputOptions& options = {});
Result<Value> ReceiveDateTimeBinary(TypeId type, std::string_view bytes);
std::string SendDateTimeBinary(const Value& value);
// REQUIRES: both are date/time types, from != to.
bool CanCastDateTime(TypeId from, TypeId to, CastContext context);
Result<Value> CastDateTimeValue(const Value& value, TypeId to);

// Proleptic Gregorian civil dates (astronomical years: 0 is 1 BC) and days since 2000-01-01.
struct CivilDate {
  int64_t year;
  int64_t month;  // 1..12
  int64_t day;    // 1..31
};
CivilDate CivilFromPostgresDays(int64_t days);
int64_t PostgresDaysFromCivil(int64_t year, int64_t month, int64_t day);
int64_t DaysInCivilMonth(int64_t year, int64_t month);

// A timestamptz value for a Unix time in nanoseconds (the transaction's start, for now()).
Value TimestampFromUnixNanos(uint64_t unix_nanos, TypeId type);

}  // namespace borealis::sql
