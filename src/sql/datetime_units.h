// The unit and field names of date/time functions: PostgreSQL's deltatktbl (interval units,
// also the units of date_trunc) and the datetktbl names extract/date_part know besides them
// (epoch, dow, doy, isodow, isoyear, julian). One table for interval input, extract/date_part
// and date_trunc over every date/time type (sql/interval.cc, sql/datetime_functions.cc).
//
// Contract: pure, static data. Names compare case-insensitively on at most 10 characters, as
// PostgreSQL's TOKMAXLEN.
#pragma once

#include <string_view>

namespace borealis::sql {

enum class DateTimeField {
  kMicroseconds,
  kMilliseconds,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kEpoch,
  kTimezone,
  kTimezoneHour,
  kTimezoneMinute,
  kDow,
  kDoy,
  kIsoDow,
  kIsoYear,
  kJulian,
};

struct DateTimeFieldName {
  std::string_view name;
  DateTimeField field;
  bool is_unit;  // in deltatktbl: an interval unit and a unit of date_trunc
};

// The entry for `word`, or null.
const DateTimeFieldName* LookupDateTimeField(std::string_view word);

}  // namespace borealis::sql
