// to_char(number, format): PostgreSQL 15's numeric formatting (the "9 0 . , D G S MI PL SG PR
// L TH V EEEE RN FM B" template patterns of "Data Type Formatting Functions") for int4, int8,
// float4, float8 and numeric, in the C locale (D is '.', G is ',', L is a blank).
//
// Behaviour matched against PostgreSQL 15, including its layout rules: a sign slot before the
// first printed digit unless S/MI/SG/PR place the sign, '#' in every digit position when the
// integer part does not fit, output ending at a decimal point that has no fraction digits,
// FM dropping padding and trailing fraction zeros of '9' positions, float8 (float4) keeping at
// most 15 (6) significant digits, and float rounding as C's printf does (half to even on the
// binary value) while numeric and integers round half away from zero.
//
// Contract: registration only (RegisterNumberFormatFunctions, called once by sql/functions.cc);
// pure, strict functions. A format longer than kMaxFormatBytes fails with 54000.
#pragma once

#include <cstddef>

#include "sql/catalog_functions.h"  // FunctionAdder

namespace borealis::sql {

inline constexpr size_t kMaxFormatBytes = 4096;

void RegisterNumberFormatFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
