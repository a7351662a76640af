// Numeric: PostgreSQL's exact decimal type, as a value.
//
// Contract: a Numeric is NaN or sign * digits * 10^-scale, where `digits` is an unscaled
// decimal integer without leading zeros (empty for zero) and `scale` is the display scale
// (digits after the point, PostgreSQL's dscale). Addition, subtraction and multiplication are
// exact with PostgreSQL's result scales, and so are division (rounded at PostgreSQL's division
// scale) and modulo; powers are not implemented yet (callers report 0A000). Plain value type,
// thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::sql {

class Numeric {
 public:
  // Largest scale and digit count accepted, like PostgreSQL's NUMERIC_MAX_DISPLAY_SCALE and
  // its 131072 digits before the point.
  static constexpr int kMaxScale = 16383;
  static constexpr int kMaxDigits = 131072 + kMaxScale;

  Numeric() = default;  // zero, scale 0
  static Numeric FromInt64(int64_t value);
  static Numeric NaN();
  // Parses PostgreSQL numeric input ("  -1.50e3 ", "NaN"). Errors: 22P02 with PostgreSQL's
  // message for `type_name`.
  static Result<Numeric> Parse(std::string_view text);
  // Converts a double via its 15 significant digits (PostgreSQL's float8_numeric).
  static Result<Numeric> FromDouble(double value);

  bool is_nan() const { return nan_; }
  bool is_zero() const { return !nan_ && digits_.empty(); }
  bool negative() const { return negative_; }
  int scale() const { return scale_; }

  std::string ToString() const;
  double ToDouble() const;
  // Rounds half away from zero; nullopt when it does not fit (or NaN).
  std::optional<int64_t> ToInt64() const;

  Numeric Negate() const;
  Numeric Abs() const;
  // To `places` digits after the point (negative: zeros before it), rounding half away from
  // zero or truncating toward zero; the result's scale is max(places, 0). NaN stays NaN.
  // REQUIRES: |places| <= kMaxScale.
  Numeric Round(int places, bool truncate = false) const;
  // Digits before the point (0 for zero and for |x| < 1).
  int IntegerDigits() const;
  static Result<Numeric> Add(const Numeric& a, const Numeric& b);
  static Result<Numeric> Subtract(const Numeric& a, const Numeric& b);
  static Result<Numeric> Multiply(const Numeric& a, const Numeric& b);
  // a / divisor rounded half away from zero to PostgreSQL's division scale (numeric.c's
  // select_div_scale: at least 16 significant digits, at least the operands' scales). Used by
  // avg(); 22012 when divisor is 0.
  static Result<Numeric> DivideByInteger(const Numeric& a, int64_t divisor);
  // a / b rounded half away from zero at select_div_scale's scale (as DivideByInteger); 22012
  // when b is 0, 22003 beyond the digit limit.
  static Result<Numeric> Divide(const Numeric& a, const Numeric& b);
  // a - trunc(a / b) * b, with a's sign and the larger of the scales; 22012 when b is 0.
  static Result<Numeric> Modulo(const Numeric& a, const Numeric& b);
  // Total order with NaN greater than everything, as PostgreSQL sorts it.
  static int Compare(const Numeric& a, const Numeric& b);

  // PostgreSQL's numeric_send / numeric_recv format (base-10000 digits, big-endian).
  std::string SendBinary() const;
  static Result<Numeric> ReceiveBinary(std::string_view bytes);

 private:
  static Numeric Make(bool negative, std::string digits, int scale);

  bool nan_ = false;
  bool negative_ = false;
  std::string digits_;  // unscaled magnitude, ASCII decimal digits, no leading zeros
  int scale_ = 0;
};

}  // namespace borealis::sql
