// to_char(timestamp|timestamptz, text), to_date(text, text), to_timestamp(text, text) and
// to_timestamp(float8): PostgreSQL 15's date/time template patterns ("Data Type Formatting
// Functions"): HH HH12 HH24 MI SS MS US FF1-FF6 SSSS SSSSS, AM/PM and A.M./P.M. in both cases,
// Y,YYY YYYY YYY YY Y, IYYY IYY IY I, BC/AD and B.C./A.D., MONTH Month month MON Mon mon MM,
// DAY Day day DY Dy dy, DDD IDDD DD D ID, W WW IW CC J Q, RM rm, TZ tz TZH TZM OF; the FM and
// TH/th modifiers (TM and FX are accepted; FX's strict spacing is not enforced), "quoted
// text" and backslash escapes. Names are English (the C locale); the session zone is UTC.
//
// Contract: registration only (RegisterDateTimeFormatFunctions, called once by
// sql/functions.cc); pure, strict functions. to_char of an infinite timestamp is NULL, as in
// PostgreSQL. Parsing errors are 22007 (invalid value, source string too short) and 22008
// (field out of range) with PostgreSQL's messages. Formats longer than kMaxFormatBytes
// (sql/number_format.h) fail with 54000.
#pragma once

#include "sql/catalog_functions.h"  // FunctionAdder

namespace borealis::sql {

void RegisterDateTimeFormatFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
