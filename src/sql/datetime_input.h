// (helper D) Text input of date, time, timestamp and timestamptz: the forms PostgreSQL's
// ParseDateTime/DecodeDateTime accept (PostgreSQL docs, "Date/Time Input"), read by the
// session's DateStyle field order:
//   ISO `2010-03-09 12:34:56.5`, `...T...`, `20100309 040506`; `03/09/2010`, `09.03.2010`,
//   `3-9-10` (MDY, DMY or YMD order; two-digit years 70..99 are 19xx, others 20xx); month
//   names `March 9, 2010`, `9-Mar-2010`, `Tue Mar 09 12:34:56 2010 UTC` (the Postgres output
//   style); year.day-of-year `1999.008`; Julian days `J2451187`; `BC`/`AD`; times `04:05 PM`,
//   `040506`, `04:05:06.789`; zones `Z`, `UTC`, `GMT`, `+hh[:mm[:ss]]`, `-hhmm`, the common
//   abbreviations of PostgreSQL's Default set (`PST`, `EST`, `CET`, `JST`, ...); the special
//   values `epoch`, `infinity`, `-infinity`, `now`, `today`, `tomorrow`, `yesterday`,
//   `allballs` (and day names, which are ignored).
//
// Contract: pure functions. Errors carry PostgreSQL's SQLSTATEs and messages: 22007 invalid
// input syntax, 22008 field out of range (with the DateStyle hint when the month or day is out
// of range) and value out of range, 22009 zone displacement out of range; zone names other than
// the UTC spellings fail with 0A000 (the session time zone is UTC and there is no zone
// database); `now`-relative words fail with 0A000 when the caller gave no current time.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.h"
#include "sql/types.h"
#include "sql/value.h"

namespace borealis::sql {

class FunctionContext;

struct DateTimeInputOptions {
  DateOrder order = DateOrder::kMdy;
  // The transaction's start (microseconds since 2000-01-01 UTC) for `now`, `today`, ...
  std::optional<int64_t> now;
};

// REQUIRES: IsDateTimeType(type).
Result<Value> ParseDateTimeInput(TypeId type, std::string_view text,
                                 const DateTimeInputOptions& options);

// Whether the value of `text` depends on the session (the DateStyle order decides it, or it is
// relative to now), so that a constant must not be folded before a session is known.
bool DateTimeTextDependsOnSession(std::string_view text);

// Parses with the session of `context`: its DateStyle order, and its transaction start only when
// the text asks for the current time.
Result<Value> ParseDateTimeInContext(TypeId type, std::string_view text, FunctionContext& context);

}  // namespace borealis::sql
