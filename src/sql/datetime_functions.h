// (helper D) The functions and operators over date, time, timestamp and timestamptz that are
// not interval arithmetic (sql/interval.h) nor formatting (sql/datetime_format.h):
// extract(field FROM ...) (numeric) and date_part(text, ...) (float8) with every field
// PostgreSQL has, date_trunc(text, timestamp|timestamptz[, zone]), make_date, make_time,
// make_timestamp, make_timestamptz, isfinite, date + time, time - time, integer + date.
//
// Contract: pure functions over the int64 representations of sql/datetime.h; the session time
// zone is UTC, so timestamptz fields are timestamp fields and its timezone fields are 0. Errors
// carry PostgreSQL's SQLSTATEs and messages: 22023 unit not recognized, 0A000 unit not
// supported for the type (and time zones other than UTC or a numeric offset), 22008 field or
// result out of range. A numeric ±infinity (extract of a monotonic field of an infinite value)
// fails with 0A000: sql/numeric.h has no infinities.
#pragma once

#include "sql/catalog_functions.h"  // FunctionAdder

namespace borealis::sql {

// Registers this file's functions with the built-in catalog (sql/functions.cc).
void RegisterDateTimeFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
