#include "sql/math_functions.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "sql/numeric.h"

namespace borealis::sql {
namespace {

using T = TypeId;

Status InputOutOfRange() { return Status::Sql("22003", "input is out of range"); }
Status Overflow() { return Status::Sql("22003", "value out of range: overflow"); }
Status Underflow() { return Status::Sql("22003", "value out of range: underflow"); }

// Bits of an integer type's representation (int2 16, int4 32, int8 64).
constexpr int BitsOf(TypeId type) { return type == T::kInt2 ? 16 : (type == T::kInt4 ? 32 : 64); }

// Two's-complement truncation of `v` to the width of `type`, as a C cast does.
int64_t Truncate(TypeId type, uint64_t v) {
  switch (BitsOf(type)) {
    case 16:
      return static_cast<int16_t>(static_cast<uint16_t>(v));
    case 32:
      return static_cast<int32_t>(static_cast<uint32_t>(v));
    default:
      return static_cast<int64_t>(v);
  }
}

// & | # on same-typed integers; never overflows.
template <TypeId kType, char kOp>
Result<Value> IntBitwise(std::span<const Value> args, FunctionContext&) {
  int64_t a = args[0].int_value();
  int64_t b = args[1].int_value();
  int64_t r = kOp == '&' ? (a & b) : (kOp == '|' ? (a | b) : (a ^ b));
  return Value::Int(kType, r);
}

template <TypeId kType>
Result<Value> IntNot(std::span<const Value> args, FunctionContext&) {
  return Value::Int(kType, ~args[0].int_value());
}

// intN << int4 and intN >> int4. PostgreSQL shifts in C on the type (int2 is promoted to
// int), so the count is taken modulo 32 (int2, int4) or 64 (int8) on x86-64 and a left shift
// wraps; the result is truncated to the type.
template <TypeId kType, bool kLeft>
Result<Value> IntShift(std::span<const Value> args, FunctionContext&) {
  int64_t a = args[0].int_value();
  int width = BitsOf(kType) == 64 ? 64 : 32;
  auto count = static_cast<unsigned>(args[1].int_value() & (width - 1));
  if (kLeft) {
    uint64_t shifted = static_cast<uint64_t>(a) << count;
    if (width == 32) shifted = static_cast<uint32_t>(shifted);
    return Value::Int(kType, Truncate(kType, shifted));
  }
  return Value::Int(kType, Truncate(kType, static_cast<uint64_t>(a >> count)));
}

// @ on integers: abs with the type's overflow error.
template <TypeId kType>
Result<Value> IntAbsolute(std::span<const Value> args, FunctionContext&) {
  int64_t a = args[0].int_value();
  if (a == std::numeric_limits<int64_t>::min()) return IntegerOutOfRange(kType);
  return MakeInt(kType, a < 0 ? -a : a);
}

template <TypeId kType>
Result<Value> FloatAbsolute(std::span<const Value> args, FunctionContext&) {
  return Value::Float(kType, std::fabs(args[0].float_value()));
}

Result<Value> NumericAbsolute(std::span<const Value> args, FunctionContext&) {
  return Value::FromNumeric(args[0].numeric_value().Abs());
}

// gcd / lcm on int4 / int8: Euclid on magnitudes in unsigned 64-bit arithmetic. The type's
// minimum value has no positive counterpart: gcd(min, 0), gcd(min, min) and any lcm that does
// not fit are "out of range", as in PostgreSQL.
uint64_t Magnitude(int64_t v) {
  return v < 0 ? static_cast<uint64_t>(0) - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

uint64_t Euclid(uint64_t a, uint64_t b) {
  while (b != 0) {
    uint64_t r = a % b;
    a = b;
    b = r;
  }
  return a;
}

template <TypeId kType>
Result<Value> IntGcd(std::span<const Value> args, FunctionContext&) {
  uint64_t g = Euclid(Magnitude(args[0].int_value()), Magnitude(args[1].int_value()));
  if (g > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return IntegerOutOfRange(kType);
  }
  return MakeInt(kType, static_cast<int64_t>(g));
}

template <TypeId kType>
Result<Value> IntLcm(std::span<const Value> args, FunctionContext&) {
  uint64_t a = Magnitude(args[0].int_value());
  uint64_t b = Magnitude(args[1].int_value());
  if (a == 0 || b == 0) return Value::Int(kType, 0);
  unsigned __int128 l = static_cast<unsigned __int128>(a / Euclid(a, b)) * b;
  if (l > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) {
    return IntegerOutOfRange(kType);
  }
  return MakeInt(kType, static_cast<int64_t>(l));
}

// factorial(int8) -> numeric: exact, in base 10^9 limbs; 22003 beyond numeric's 131072 digits
// before the point (about 25,200!), as PostgreSQL's numeric overflow.
Result<Value> Factorial(std::span<const Value> args, FunctionContext&) {
  constexpr uint32_t kBase = 1000000000;
  constexpr size_t kMaxLimbs = (131072 + 8) / 9;
  int64_t n = args[0].int_value();
  if (n < 0) return Status::Sql("22003", "factorial of a negative number is undefined");
  std::vector<uint32_t> limbs = {1};  // little-endian
  for (int64_t k = 2; k <= n; ++k) {
    uint64_t carry = 0;
    for (uint32_t& limb : limbs) {
      uint64_t product = static_cast<uint64_t>(limb) * static_cast<uint64_t>(k) + carry;
      limb = static_cast<uint32_t>(product % kBase);
      carry = product / kBase;
    }
    while (carry != 0) {
      limbs.push_back(static_cast<uint32_t>(carry % kBase));
      carry /= kBase;
    }
    if (limbs.size() > kMaxLimbs) return Status::Sql("22003", "value overflows numeric format");
  }
  std::string text = fmt::format("{}", limbs.back());
  for (size_t i = limbs.size() - 1; i-- > 0;) text += fmt::format("{:09}", limbs[i]);
  if (text.size() > 131072) return Status::Sql("22003", "value overflows numeric format");
  ASSIGN_OR_RETURN(Numeric result, Numeric::Parse(text));
  return Value::FromNumeric(std::move(result));
}

// booleq, boolne, boollt, boolgt, boolle, boolge (false < true).
template <int kWhich>  // 0 =, 1 <>, 2 <, 3 >, 4 <=, 5 >=
Result<Value> BoolCompare(std::span<const Value> args, FunctionContext&) {
  int a = args[0].bool_value() ? 1 : 0;
  int b = args[1].bool_value() ? 1 : 0;
  bool r = kWhich == 0   ? a == b
           : kWhich == 1 ? a != b
           : kWhich == 2 ? a < b
           : kWhich == 3 ? a > b
           : kWhich == 4 ? a <= b
                         : a >= b;
  return Value::Bool(r);
}

Value F8(double v) { return Value::Float(T::kFloat8, v); }

// A float8 result of a function of finite inputs: infinity is overflow; zero is underflow
// unless `zero_ok`.
Result<Value> CheckedFloat(double r, bool inputs_finite, bool zero_ok) {
  if (std::isinf(r) && inputs_finite) return Overflow();
  if (r == 0.0 && inputs_finite && !zero_ok) return Underflow();
  return F8(r);
}

Result<Value> Sqrt(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (x < 0) return Status::Sql("2201F", "cannot take square root of a negative number");
  return CheckedFloat(std::sqrt(x), std::isfinite(x), x == 0);
}

Result<Value> Cbrt(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  return CheckedFloat(std::cbrt(x), std::isfinite(x), x == 0);
}

Result<Value> Exp(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  if (std::isinf(x)) return F8(x > 0 ? x : 0.0);
  return CheckedFloat(std::exp(x), true, false);
}

// ln / log10 (log(float8) is log10): 2201E for zero and negative arguments.
template <bool kBase10>
Result<Value> Logarithm(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (x == 0.0) return Status::Sql("2201E", "cannot take logarithm of zero");
  if (x < 0) return Status::Sql("2201E", "cannot take logarithm of a negative number");
  double r = kBase10 ? std::log10(x) : std::log(x);
  return CheckedFloat(r, std::isfinite(x), x == 1.0);
}

// power(float8, float8), PostgreSQL's dpow: NaN ^ 0 and 1 ^ NaN are 1, other NaNs propagate;
// 2201F for 0 ^ negative and negative ^ non-integer; infinities as POSIX pow() defines them.
Result<Value> Power(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  double y = args[1].float_value();
  if (std::isnan(x)) return F8(y == 0 ? 1.0 : x);
  if (std::isnan(y)) return F8(x == 1 ? 1.0 : y);
  if (x == 0 && y < 0) {
    return Status::Sql("2201F", "zero raised to a negative power is undefined");
  }
  if (x < 0 && std::isfinite(y) && std::floor(y) != y) {
    return Status::Sql("2201F",
                       "a negative number raised to a non-integer power yields a complex result");
  }
  double r = std::pow(x, y);
  bool finite = std::isfinite(x) && std::isfinite(y);
  return CheckedFloat(r, finite, x == 0 || !finite);
}

template <double (*kFn)(double)>
Result<Value> Rounding(std::span<const Value> args, FunctionContext&) {
  return F8(kFn(args[0].float_value()));
}

// ceil / ceiling / floor on numeric: the integer part, moved by one away from zero in the
// rounding direction when a non-zero fraction was cut; scale 0.
template <bool kCeil>
Result<Value> NumericCeilFloor(std::span<const Value> args, FunctionContext&) {
  const Numeric& n = args[0].numeric_value();
  if (n.is_nan()) return Value::FromNumeric(n);
  std::string text = n.Abs().ToString();
  size_t point = text.find('.');
  bool fraction =
      point != std::string::npos && text.find_first_not_of('0', point + 1) != std::string::npos;
  ASSIGN_OR_RETURN(Numeric whole, Numeric::Parse(text.substr(0, point)));
  if (n.negative()) whole = whole.Negate();
  if (fraction && kCeil != n.negative()) {
    ASSIGN_OR_RETURN(whole, Numeric::Add(whole, Numeric::FromInt64(kCeil ? 1 : -1)));
  }
  if (whole.is_zero()) whole = Numeric();  // no "-0"
  return Value::FromNumeric(std::move(whole));
}

Result<Value> NumericNotYet(std::span<const Value>, FunctionContext&) {
  return Status::Sql("0A000",
                     "this numeric function is not supported yet (cast to double "
                     "precision)");
}

// The radian trigonometric functions: 22003 for infinite input (and for asin/acos outside
// [-1, 1]); NaN in, NaN out.
template <int kWhich>  // 0 sin, 1 cos, 2 tan, 3 cot, 4 asin, 5 acos, 6 atan
Result<Value> Trig(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  double r = 0;
  switch (kWhich) {
    case 0:
    case 1:
    case 2:
    case 3:
      if (std::isinf(x)) return InputOutOfRange();
      r = kWhich == 0
              ? std::sin(x)
              : (kWhich == 1 ? std::cos(x) : (kWhich == 2 ? std::tan(x) : 1.0 / std::tan(x)));
      break;
    case 4:
    case 5:
      if (x < -1 || x > 1) return InputOutOfRange();
      r = kWhich == 4 ? std::asin(x) : std::acos(x);
      break;
    default:
      r = std::atan(x);
      break;
  }
  if (std::isnan(r)) return InputOutOfRange();
  if (kWhich == 2 && std::isinf(r)) return Overflow();
  return F8(r);
}

Result<Value> Atan2(std::span<const Value> args, FunctionContext&) {
  double y = args[0].float_value();
  double x = args[1].float_value();
  if (std::isnan(y) || std::isnan(x)) return F8(std::numeric_limits<double>::quiet_NaN());
  return F8(std::atan2(y, x));
}

// The degree functions return exact values at multiples of 30 and 45 degrees: they reduce to
// the first quadrant and scale sine/cosine so that the standard angles come out exactly
// (sin 30 = 0.5, cos 60 = 0.5, tan 45 = 1), the method PostgreSQL documents for sind & co.
constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;

struct DegreeConstants {
  double sin_30 = std::sin(30.0 * kRadiansPerDegree);
  double one_minus_cos_60 = 1.0 - std::cos(60.0 * kRadiansPerDegree);
  double asin_half = std::asin(0.5);
  double acos_half = std::acos(0.5);
  double atan_one = std::atan(1.0);
};

const DegreeConstants& Degrees() {
  static const DegreeConstants kConstants;
  return kConstants;
}

double SinZeroTo30(double x) {  // x in [0, 30]
  return std::sin(x * kRadiansPerDegree) / Degrees().sin_30 / 2.0;
}
double CosZeroTo60(double x) {  // x in [0, 60]
  return 1.0 - (1.0 - std::cos(x * kRadiansPerDegree)) / Degrees().one_minus_cos_60 / 2.0;
}
double SinFirstQuadrant(double x) { return x <= 30.0 ? SinZeroTo30(x) : CosZeroTo60(90.0 - x); }
double CosFirstQuadrant(double x) { return x <= 60.0 ? CosZeroTo60(x) : SinZeroTo30(90.0 - x); }

Result<Value> Sind(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  if (std::isinf(x)) return InputOutOfRange();
  double sign = 1.0;
  x = std::fmod(x, 360.0);
  if (x < 0) {
    x = -x;
    sign = -sign;
  }
  if (x > 180.0) {
    x -= 180.0;
    sign = -sign;
  }
  if (x > 90.0) x = 180.0 - x;
  return F8(sign * SinFirstQuadrant(x));
}

Result<Value> Cosd(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  if (std::isinf(x)) return InputOutOfRange();
  double sign = 1.0;
  x = std::fabs(std::fmod(x, 360.0));
  if (x > 180.0) x = 360.0 - x;
  if (x > 90.0) {
    x = 180.0 - x;
    sign = -sign;
  }
  return F8(sign * CosFirstQuadrant(x));
}

// tand / cotd: tangent and cotangent scaled so that 45 degrees gives exactly 1; a zero result
// is +0 (never -0); at the poles +-Infinity.
template <bool kCot>
Result<Value> TanCotd(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  if (std::isinf(x)) return InputOutOfRange();
  double sign = 1.0;
  x = std::fmod(x, 360.0);
  if (x < 0) {
    x = -x;
    sign = -sign;
  }
  if (x > 180.0) {
    x = 360.0 - x;
    sign = -sign;
  }
  if (x > 90.0) {
    x = 180.0 - x;
    sign = -sign;
  }
  double tan_45 = SinFirstQuadrant(45.0) / CosFirstQuadrant(45.0);
  double s = SinFirstQuadrant(x);
  double c = CosFirstQuadrant(x);
  double r = kCot ? (c / s) / tan_45 : (s / c) / tan_45;
  r *= sign;
  if (r == 0.0) r = 0.0;
  return F8(r);
}

double AsinFirstQuadrant(double x) {  // x in [0, 1], degrees in [0, 90]
  if (x <= 0.5) return std::asin(x) / Degrees().asin_half * 30.0;
  return 90.0 - std::acos(x) / Degrees().acos_half * 60.0;
}
double AcosFirstQuadrant(double x) {  // x in [0, 1]
  if (x <= 0.5) return 90.0 - std::asin(x) / Degrees().asin_half * 30.0;
  return std::acos(x) / Degrees().acos_half * 60.0;
}

template <bool kAcos>
Result<Value> AsinAcosd(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  if (x < -1.0 || x > 1.0) return InputOutOfRange();
  if (kAcos) return F8(x >= 0 ? AcosFirstQuadrant(x) : 90.0 + AsinFirstQuadrant(-x));
  return F8(x >= 0 ? AsinFirstQuadrant(x) : -AsinFirstQuadrant(-x));
}

Result<Value> Atand(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  return F8(std::atan(x) / Degrees().atan_one * 45.0);
}

Result<Value> Atan2d(std::span<const Value> args, FunctionContext&) {
  double y = args[0].float_value();
  double x = args[1].float_value();
  if (std::isnan(y) || std::isnan(x)) return F8(std::numeric_limits<double>::quiet_NaN());
  return F8(std::atan2(y, x) / Degrees().atan_one * 45.0);
}

// The hyperbolic functions: sinh/cosh saturate to +-Infinity; acosh below 1 and atanh outside
// [-1, 1] are out of range; atanh(+-1) is +-Infinity.
template <int kWhich>  // 0 sinh, 1 cosh, 2 tanh, 3 asinh, 4 acosh, 5 atanh
Result<Value> Hyperbolic(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  if (std::isnan(x)) return F8(x);
  switch (kWhich) {
    case 0:
      return F8(std::sinh(x));
    case 1:
      return F8(std::cosh(x));
    case 2:
      return F8(std::tanh(x));
    case 3:
      return F8(std::asinh(x));
    case 4:
      if (x < 1.0) return InputOutOfRange();
      return F8(std::acosh(x));
    default:
      if (x < -1.0 || x > 1.0) return InputOutOfRange();
      if (x == 1.0 || x == -1.0) return F8(x * std::numeric_limits<double>::infinity());
      return F8(std::atanh(x));
  }
}

template <bool kToDegrees>
Result<Value> AngleUnits(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  double r = kToDegrees ? x / kRadiansPerDegree : x * kRadiansPerDegree;
  return CheckedFloat(r, std::isfinite(x), x == 0);
}

Result<Value> Pi(std::span<const Value>, FunctionContext&) { return F8(std::numbers::pi); }

template <TypeId kType>
void AddIntOperators(const FunctionAdder& add) {
  add("&", {kType, kType}, kType, IntBitwise<kType, '&'>, true);
  add("|", {kType, kType}, kType, IntBitwise<kType, '|'>, true);
  add("#", {kType, kType}, kType, IntBitwise<kType, '#'>, true);
  add("~", {kType}, kType, IntNot<kType>, true);
  add("<<", {kType, T::kInt4}, kType, IntShift<kType, true>, true);
  add(">>", {kType, T::kInt4}, kType, IntShift<kType, false>, true);
  add("@", {kType}, kType, IntAbsolute<kType>, true);
}

}  // namespace

void RegisterMathFunctions(const FunctionAdder& add) {
  auto fn = [&add](std::string_view name, std::vector<TypeId> args, TypeId result,
                   FunctionImpl impl) { add(name, std::move(args), result, impl, false); };
  AddIntOperators<T::kInt2>(add);
  AddIntOperators<T::kInt4>(add);
  AddIntOperators<T::kInt8>(add);
  add("@", {T::kFloat4}, T::kFloat4, FloatAbsolute<T::kFloat4>, true);
  add("@", {T::kFloat8}, T::kFloat8, FloatAbsolute<T::kFloat8>, true);
  add("@", {T::kNumeric}, T::kNumeric, NumericAbsolute, true);
  add("^", {T::kFloat8, T::kFloat8}, T::kFloat8, Power, true);
  add("|/", {T::kFloat8}, T::kFloat8, Sqrt, true);
  add("||/", {T::kFloat8}, T::kFloat8, Cbrt, true);

  fn("gcd", {T::kInt4, T::kInt4}, T::kInt4, IntGcd<T::kInt4>);
  fn("gcd", {T::kInt8, T::kInt8}, T::kInt8, IntGcd<T::kInt8>);
  fn("gcd", {T::kNumeric, T::kNumeric}, T::kNumeric, NumericNotYet);
  fn("lcm", {T::kInt4, T::kInt4}, T::kInt4, IntLcm<T::kInt4>);
  fn("lcm", {T::kInt8, T::kInt8}, T::kInt8, IntLcm<T::kInt8>);
  fn("lcm", {T::kNumeric, T::kNumeric}, T::kNumeric, NumericNotYet);
  fn("factorial", {T::kInt8}, T::kNumeric, Factorial);

  fn("booleq", {T::kBool, T::kBool}, T::kBool, BoolCompare<0>);
  fn("boolne", {T::kBool, T::kBool}, T::kBool, BoolCompare<1>);
  fn("boollt", {T::kBool, T::kBool}, T::kBool, BoolCompare<2>);
  fn("boolgt", {T::kBool, T::kBool}, T::kBool, BoolCompare<3>);
  fn("boolle", {T::kBool, T::kBool}, T::kBool, BoolCompare<4>);
  fn("boolge", {T::kBool, T::kBool}, T::kBool, BoolCompare<5>);

  fn("sqrt", {T::kFloat8}, T::kFloat8, Sqrt);
  fn("sqrt", {T::kNumeric}, T::kNumeric, NumericNotYet);
  fn("cbrt", {T::kFloat8}, T::kFloat8, Cbrt);
  fn("exp", {T::kFloat8}, T::kFloat8, Exp);
  fn("exp", {T::kNumeric}, T::kNumeric, NumericNotYet);
  fn("ln", {T::kFloat8}, T::kFloat8, Logarithm<false>);
  fn("ln", {T::kNumeric}, T::kNumeric, NumericNotYet);
  for (std::string_view name : {"log", "log10"}) {
    fn(name, {T::kFloat8}, T::kFloat8, Logarithm<true>);
    fn(name, {T::kNumeric}, T::kNumeric, NumericNotYet);
  }
  fn("log", {T::kNumeric, T::kNumeric}, T::kNumeric, NumericNotYet);
  for (std::string_view name : {"power", "pow"}) {
    fn(name, {T::kFloat8, T::kFloat8}, T::kFloat8, Power);
    fn(name, {T::kNumeric, T::kNumeric}, T::kNumeric, NumericNotYet);
  }
  for (std::string_view name : {"ceil", "ceiling"}) {
    fn(name, {T::kFloat8}, T::kFloat8, Rounding<std::ceil>);
    fn(name, {T::kNumeric}, T::kNumeric, NumericCeilFloor<true>);
  }
  fn("floor", {T::kFloat8}, T::kFloat8, Rounding<std::floor>);
  fn("floor", {T::kNumeric}, T::kNumeric, NumericCeilFloor<false>);

  fn("sin", {T::kFloat8}, T::kFloat8, Trig<0>);
  fn("cos", {T::kFloat8}, T::kFloat8, Trig<1>);
  fn("tan", {T::kFloat8}, T::kFloat8, Trig<2>);
  fn("cot", {T::kFloat8}, T::kFloat8, Trig<3>);
  fn("asin", {T::kFloat8}, T::kFloat8, Trig<4>);
  fn("acos", {T::kFloat8}, T::kFloat8, Trig<5>);
  fn("atan", {T::kFloat8}, T::kFloat8, Trig<6>);
  fn("atan2", {T::kFloat8, T::kFloat8}, T::kFloat8, Atan2);
  fn("sind", {T::kFloat8}, T::kFloat8, Sind);
  fn("cosd", {T::kFloat8}, T::kFloat8, Cosd);
  fn("tand", {T::kFloat8}, T::kFloat8, TanCotd<false>);
  fn("cotd", {T::kFloat8}, T::kFloat8, TanCotd<true>);
  fn("asind", {T::kFloat8}, T::kFloat8, AsinAcosd<false>);
  fn("acosd", {T::kFloat8}, T::kFloat8, AsinAcosd<true>);
  fn("atand", {T::kFloat8}, T::kFloat8, Atand);
  fn("atan2d", {T::kFloat8, T::kFloat8}, T::kFloat8, Atan2d);
  fn("sinh", {T::kFloat8}, T::kFloat8, Hyperbolic<0>);
  fn("cosh", {T::kFloat8}, T::kFloat8, Hyperbolic<1>);
  fn("tanh", {T::kFloat8}, T::kFloat8, Hyperbolic<2>);
  fn("asinh", {T::kFloat8}, T::kFloat8, Hyperbolic<3>);
  fn("acosh", {T::kFloat8}, T::kFloat8, Hyperbolic<4>);
  fn("atanh", {T::kFloat8}, T::kFloat8, Hyperbolic<5>);
  fn("degrees", {T::kFloat8}, T::kFloat8, AngleUnits<true>);
  fn("radians", {T::kFloat8}, T::kFloat8, AngleUnits<false>);
  fn("pi", {}, T::kFloat8, Pi);
}

}  // namespace borealis::sql
