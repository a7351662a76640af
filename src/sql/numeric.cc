#include "sql/numeric.h"

#include <strings.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "fmt/format.h"

namespace borealis::sql {
namespace {

constexpr uint16_t kSignPositive = 0x0000;
constexpr uint16_t kSignNegative = 0x4000;
constexpr uint16_t kSignNaN = 0xC000;

std::string StripLeadingZeros(std::string digits) {
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "";
  return digits.substr(first);
}

// Magnitude of `digits` scaled up by `extra` zeros.
std::string Shift(const std::string& digits, int extra) {
  if (digits.empty()) return digits;
  return digits + std::string(static_cast<size_t>(extra), '0');
}

int CompareMagnitude(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string AddMagnitude(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int d = carry;
    if (i < a.size()) d += a[a.size() - 1 - i] - '0';
    if (i < b.size()) d += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + d % 10));
    carry = d / 10;
  }
  std::reverse(out.begin(), out.end());
  return StripLeadingZeros(out);
}

// REQUIRES: a >= b.
std::string SubtractMagnitude(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int d = (a[a.size() - 1 - i] - '0') - borrow;
    if (i < b.size()) d -= b[b.size() - 1 - i] - '0';
    borrow = d < 0 ? 1 : 0;
    out.push_back(static_cast<char>('0' + (d + 10) % 10));
  }
  BOREALIS_CHECK_EQ(borrow, 0);
  std::reverse(out.begin(), out.end());
  return StripLeadingZeros(out);
}

// Integer division of decimal magnitudes: {quotient, remainder}. REQUIRES: divisor non-empty.
// Schoolbook, one quotient digit at a time (at most nine subtractions each).
std::pair<std::string, std::string> DivideMagnitude(const std::string& dividend,
                                                    const std::string& divisor) {
  std::string quotient;
  std::string remainder;
  quotient.reserve(dividend.size());
  for (char c : dividend) {
    remainder = StripLeadingZeros(remainder + c);
    char digit = '0';
    while (CompareMagnitude(remainder, divisor) >= 0) {
      remainder = SubtractMagnitude(remainder, divisor);
      ++digit;
    }
    quotient.push_back(digit);
  }
  return {StripLeadingZeros(std::move(quotient)), remainder};
}

Status InvalidSyntax(std::string_view text) {
  return Status::Sql("22P02", fmt::format("invalid input syntax for type numeric: \"{}\"", text));
}

Status Overflow() { return Status::Sql("22003", "value overflows numeric format"); }

// The weight (power of 10000) and value of the first nonzero base-10000 digit of
// digits * 10^-scale, as PostgreSQL's NumericVar holds it; {0, 0} for zero.
std::pair<int, int> FirstBase10000Digit(const std::string& digits, int scale) {
  if (digits.empty()) return {0, 0};
  int padded_scale = (scale + 3) / 4 * 4;
  std::string all = digits + std::string(static_cast<size_t>(padded_scale - scale), '0');
  all = std::string((4 - all.size() % 4) % 4, '0') + all;
  int groups = static_cast<int>(all.size() / 4);
  for (int i = 0; i < groups; ++i) {
    int group = std::stoi(all.substr(static_cast<size_t>(i) * 4, 4));
    if (group != 0) return {groups - 1 - i - padded_scale / 4, group};
  }
  return {0, 0};
}

}  // namespace

Numeric Numeric::Make(bool negative, std::string digits, int scale) {
  Numeric n;
  n.digits_ = StripLeadingZeros(std::move(digits));
  n.negative_ = negative && !n.digits_.empty();
  n.scale_ = scale;
  return n;
}

Numeric Numeric::FromInt64(int64_t value) {
  bool negative = value < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  return Make(negative, std::to_string(magnitude), 0);
}

Numeric Numeric::NaN() {
  Numeric n;
  n.nan_ = true;
  return n;
}

Result<Numeric> Numeric::Parse(std::string_view text) {
  size_t i = 0;
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (i < text.size() && is_space(text[i])) ++i;
  size_t end = text.size();
  while (end > i && is_space(text[end - 1])) --end;
  std::string_view body = text.substr(i, end - i);
  if (body.size() == 3 && strncasecmp(body.data(), "nan", 3) == 0) return NaN();
  size_t p = 0;
  bool negative = false;
  if (p < body.size() && (body[p] == '+' || body[p] == '-')) negative = body[p++] == '-';
  std::string digits;
  int scale = 0;
  bool seen_digit = false;
  bool seen_point = false;
  for (; p < body.size(); ++p) {
    char c = body[p];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      seen_digit = true;
      if (seen_point) ++scale;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return InvalidSyntax(text);
  int64_t exponent = 0;
  if (p < body.size() && (body[p] == 'e' || body[p] == 'E')) {
    ++p;
    bool exp_negative = false;
    if (p < body.size() && (body[p] == '+' || body[p] == '-')) exp_negative = body[p++] == '-';
    if (p >= body.size()) return InvalidSyntax(text);
    for (; p < body.size() && body[p] >= '0' && body[p] <= '9'; ++p) {
      exponent = exponent * 10 + (body[p] - '0');
      if (exponent > 2 * kMaxDigits) return InvalidSyntax(text);
    }
    if (exp_negative) exponent = -exponent;
  }
  if (p != body.size()) return InvalidSyntax(text);
  // value = digits * 10^(exponent - scale); PostgreSQL's dscale becomes max(0, scale - exp).
  int64_t new_scale = scale - exponent;
  if (new_scale < 0) {
    digits += std::string(static_cast<size_t>(-new_scale), '0');
    new_scale = 0;
  }
  if (new_scale > kMaxScale || static_cast<int64_t>(digits.size()) > kMaxDigits) {
    return Overflow();
  }
  return Make(negative, std::move(digits), static_cast<int>(new_scale));
}

Result<Numeric> Numeric::FromDouble(double value) {
  if (std::isnan(value)) return NaN();
  if (std::isinf(value)) return Status::Sql("0A000", "cannot convert infinity to numeric");
  return Parse(fmt::format("{:.15g}", value));
}

std::string Numeric::ToString() const {
  if (nan_) return "NaN";
  std::string digits = digits_.empty() ? "0" : digits_;
  if (static_cast<int>(digits.size()) <= scale_) {
    digits = std::string(static_cast<size_t>(scale_ - digits.size() + 1), '0') + digits;
  }
  std::string out = negative_ ? "-" : "";
  out += digits.substr(0, digits.size() - scale_);
  if (scale_ > 0) out += "." + digits.substr(digits.size() - scale_);
  return out;
}

double Numeric::ToDouble() const {
  if (nan_) return std::nan("");
  return std::strtod(ToString().c_str(), nullptr);
}

std::optional<int64_t> Numeric::ToInt64() const {
  if (nan_) return std::nullopt;
  std::string integral = digits_;
  bool round_up = false;
  if (scale_ > 0) {
    if (static_cast<int>(integral.size()) <= scale_) {
      round_up =
          static_cast<int>(integral.size()) == scale_ && !integral.empty() && integral[0] >= '5';
      integral.clear();
    } else {
      round_up = integral[integral.size() - scale_] >= '5';
      integral.resize(integral.size() - scale_);
    }
  }
  if (round_up) integral = AddMagnitude(integral, "1");
  integral = StripLeadingZeros(integral);
  if (integral.size() > 19) return std::nullopt;
  unsigned __int128 magnitude = 0;
  for (char c : integral) magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
  if (negative_) {
    if (magnitude > static_cast<unsigned __int128>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - static_cast<uint64_t>(magnitude));
  }
  if (magnitude > static_cast<unsigned __int128>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(magnitude);
}

Numeric Numeric::Negate() const {
  Numeric n = *this;
  if (!n.nan_ && !n.digits_.empty()) n.negative_ = !n.negative_;
  return n;
}

Numeric Numeric::Abs() const {
  Numeric n = *this;
  n.negative_ = false;
  return n;
}

Numeric Numeric::Round(int places, bool truncate) const {
  if (nan_) return *this;
  if (places >= scale_) {
    return Make(negative_, digits_ + std::string(static_cast<size_t>(places - scale_), '0'),
                places);
  }
  size_t drop = static_cast<size_t>(scale_ - places);  // digits cut from the right
  std::string kept;
  bool up = false;
  if (drop <= digits_.size()) {
    kept = digits_.substr(0, digits_.size() - drop);
    up = !truncate && drop > 0 && digits_[digits_.size() - drop] >= '5';
  }
  if (up) {  // add one to the decimal string `kept`
    size_t i = kept.size();
    while (i > 0 && kept[i - 1] == '9') kept[--i] = '0';
    if (i == 0) {
      kept.insert(kept.begin(), '1');
    } else {
      ++kept[i - 1];
    }
  }
  if (places < 0) {
    if (!kept.empty()) kept += std::string(static_cast<size_t>(-places), '0');
    return Make(negative_, std::move(kept), 0);
  }
  return Make(negative_, std::move(kept), places);
}

int Numeric::IntegerDigits() const {
  int digits = static_cast<int>(digits_.size()) - scale_;
  return std::max(digits, 0);
}

Result<Numeric> Numeric::Add(const Numeric& a, const Numeric& b) {
  if (a.nan_ || b.nan_) return NaN();
  int scale = std::max(a.scale_, b.scale_);
  std::string x = Shift(a.digits_, scale - a.scale_);
  std::string y = Shift(b.digits_, scale - b.scale_);
  if (a.negative_ == b.negative_) {
    std::string sum = AddMagnitude(x, y);
    if (static_cast<int>(sum.size()) > kMaxDigits) return Overflow();
    return Make(a.negative_, std::move(sum), scale);
  }
  int c = CompareMagnitude(x, y);
  if (c == 0) return Make(false, "", scale);
  if (c > 0) return Make(a.negative_, SubtractMagnitude(x, y), scale);
  return Make(b.negative_, SubtractMagnitude(y, x), scale);
}

Result<Numeric> Numeric::Subtract(const Numeric& a, const Numeric& b) { return Add(a, b.Negate()); }

Result<Numeric> Numeric::Multiply(const Numeric& a, const Numeric& b) {
  if (a.nan_ || b.nan_) return NaN();
  int scale = a.scale_ + b.scale_;
  if (scale > kMaxScale) return Overflow();
  if (a.digits_.empty() || b.digits_.empty()) return Make(false, "", scale);
  if (static_cast<int>(a.digits_.size() + b.digits_.size()) > kMaxDigits) return Overflow();
  std::vector<int> acc(a.digits_.size() + b.digits_.size(), 0);
  for (size_t i = 0; i < a.digits_.size(); ++i) {
    for (size_t j = 0; j < b.digits_.size(); ++j) {
      acc[i + j + 1] += (a.digits_[i] - '0') * (b.digits_[j] - '0');
    }
  }
  for (size_t k = acc.size() - 1; k > 0; --k) {
    acc[k - 1] += acc[k] / 10;
    acc[k] %= 10;
  }
  std::string out;
  for (int d : acc) out.push_back(static_cast<char>('0' + d));
  return Make(a.negative_ != b.negative_, std::move(out), scale);
}

Result<Numeric> Numeric::DivideByInteger(const Numeric& a, int64_t divisor) {
  if (divisor == 0) return Status::Sql("22012", "division by zero");
  if (a.nan_) return NaN();
  uint64_t magnitude =
      divisor < 0 ? 0 - static_cast<uint64_t>(divisor) : static_cast<uint64_t>(divisor);
  // select_div_scale (PostgreSQL numeric.c).
  auto [weight1, first1] = FirstBase10000Digit(a.digits_, a.scale_);
  auto [weight2, first2] = FirstBase10000Digit(std::to_string(magnitude), 0);
  int quotient_weight = weight1 - weight2;
  if (first1 <= first2) --quotient_weight;
  constexpr int kMinSignificantDigits = 16;
  constexpr int kMaxDisplayScale = 1000;
  int scale = kMinSignificantDigits - quotient_weight * 4;
  scale = std::clamp(std::max(scale, a.scale_), 0, kMaxDisplayScale);
  std::string numerator = Shift(a.digits_, scale - a.scale_);
  std::string quotient;
  unsigned __int128 remainder = 0;
  for (char c : numerator) {
    remainder = remainder * 10 + static_cast<unsigned>(c - '0');
    quotient.push_back(static_cast<char>('0' + static_cast<int>(remainder / magnitude)));
    remainder %= magnitude;
  }
  quotient = StripLeadingZeros(std::move(quotient));
  if (remainder * 2 >= magnitude) quotient = AddMagnitude(quotient, "1");
  return Make(a.negative_ != (divisor < 0), std::move(quotient), scale);
}

Result<Numeric> Numeric::Divide(const Numeric& a, const Numeric& b) {
  if (b.is_zero()) return Status::Sql("22012", "division by zero");
  if (a.nan_ || b.nan_) return NaN();
  // select_div_scale (PostgreSQL numeric.c): at least 16 significant digits, at least either
  // operand's scale.
  auto [weight1, first1] = FirstBase10000Digit(a.digits_, a.scale_);
  auto [weight2, first2] = FirstBase10000Digit(b.digits_, b.scale_);
  int quotient_weight = weight1 - weight2;
  if (first1 <= first2) --quotient_weight;
  constexpr int kMinSignificantDigits = 16;
  constexpr int kMaxDisplayScale = 1000;
  int scale = kMinSignificantDigits - quotient_weight * 4;
  scale = std::clamp(std::max({scale, a.scale_, b.scale_}), 0, kMaxDisplayScale);
  // a / b * 10^scale = a.digits * 10^(scale - a.scale + b.scale) / b.digits, and the shift is
  // never negative because scale >= a.scale.
  std::string numerator = Shift(a.digits_, scale - a.scale_ + b.scale_);
  auto [quotient, remainder] = DivideMagnitude(numerator, b.digits_);
  if (CompareMagnitude(AddMagnitude(remainder, remainder), b.digits_) >= 0) {
    quotient = AddMagnitude(quotient, "1");  // half away from zero
  }
  if (static_cast<int>(quotient.size()) - scale > kMaxDigits - kMaxScale) return Overflow();
  return Make(a.negative_ != b.negative_, std::move(quotient), scale);
}

Result<Numeric> Numeric::Modulo(const Numeric& a, const Numeric& b) {
  if (b.is_zero()) return Status::Sql("22012", "division by zero");
  if (a.nan_ || b.nan_) return NaN();
  int scale = std::max(a.scale_, b.scale_);
  auto [quotient, remainder] =
      DivideMagnitude(Shift(a.digits_, scale - a.scale_), Shift(b.digits_, scale - b.scale_));
  return Make(a.negative_, std::move(remainder), scale);  // the sign of the dividend
}

int Numeric::Compare(const Numeric& a, const Numeric& b) {
  if (a.nan_ || b.nan_) return a.nan_ == b.nan_ ? 0 : (a.nan_ ? 1 : -1);
  if (a.negative_ != b.negative_) return a.negative_ ? -1 : 1;
  int scale = std::max(a.scale_, b.scale_);
  int c = CompareMagnitude(Shift(a.digits_, scale - a.scale_), Shift(b.digits_, scale - b.scale_));
  return a.negative_ ? -c : c;
}

std::string Numeric::SendBinary() const {
  std::vector<uint16_t> groups;
  int16_t weight = 0;
  if (!nan_ && !digits_.empty()) {
    // Pad so the integer part and the fraction are whole groups of four digits.
    std::string integral = digits_.size() > static_cast<size_t>(scale_)
                               ? digits_.substr(0, digits_.size() - scale_)
                               : "";
    std::string fraction = digits_.size() > static_cast<size_t>(scale_)
                               ? digits_.substr(digits_.size() - scale_)
                               : std::string(scale_ - digits_.size(), '0') + digits_;
    integral = std::string((4 - integral.size() % 4) % 4, '0') + integral;
    fraction += std::string((4 - fraction.size() % 4) % 4, '0');
    std::string all = integral + fraction;
    weight = static_cast<int16_t>(integral.size() / 4 - 1);
    for (size_t i = 0; i < all.size(); i += 4) {
      groups.push_back(static_cast<uint16_t>(std::stoi(all.substr(i, 4))));
    }
    while (!groups.empty() && groups.front() == 0) {
      groups.erase(groups.begin());
      --weight;
    }
    while (!groups.empty() && groups.back() == 0) groups.pop_back();
  }
  std::string out;
  auto put16 = [&out](uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xFF));
  };
  put16(static_cast<uint16_t>(groups.size()));
  put16(static_cast<uint16_t>(groups.empty() ? 0 : weight));
  put16(nan_ ? kSignNaN : (negative_ ? kSignNegative : kSignPositive));
  put16(static_cast<uint16_t>(nan_ ? 0 : scale_));
  for (uint16_t g : groups) put16(g);
  return out;
}

Result<Numeric> Numeric::ReceiveBinary(std::string_view bytes) {
  auto bad = [] { return Status::Sql("22P03", "invalid numeric binary data"); };
  if (bytes.size() < 8) return bad();
  auto get16 = [&bytes](size_t at) {
    return static_cast<uint16_t>((static_cast<uint8_t>(bytes[at]) << 8) |
                                 static_cast<uint8_t>(bytes[at + 1]));
  };
  uint16_t ndigits = get16(0);
  int16_t weight = static_cast<int16_t>(get16(2));
  uint16_t sign = get16(4);
  uint16_t dscale = get16(6);
  if (bytes.size() != 8 + 2 * static_cast<size_t>(ndigits)) return bad();
  if (sign == kSignNaN) return NaN();
  if ((sign != kSignPositive && sign != kSignNegative) || dscale > kMaxScale) return bad();
  std::string digits;  // all groups as 4-digit blocks; the point sits after group `weight`
  for (uint16_t i = 0; i < ndigits; ++i) {
    uint16_t g = get16(8 + 2 * i);
    if (g > 9999) return bad();
    digits += fmt::format("{:04d}", g);
  }
  // Value = 0.digits * 10^(4 * (weight + 1)); make it an integer with `dscale` fraction digits.
  int64_t point = 4 * (static_cast<int64_t>(weight) + 1);  // digits before the point
  if (std::abs(point) > kMaxDigits) return bad();
  if (point < 0) {
    digits = std::string(static_cast<size_t>(-point), '0') + digits;
    point = 0;
  }
  if (static_cast<int64_t>(digits.size()) < point) digits.resize(point, '0');
  int64_t fraction = static_cast<int64_t>(digits.size()) - point;
  if (fraction < dscale) {
    digits += std::string(static_cast<size_t>(dscale - fraction), '0');
  } else if (fraction > dscale) {
    digits.resize(digits.size() - (fraction - dscale));  // PostgreSQL truncates to dscale
  }
  return Make(sign == kSignNegative, std::move(digits), dscale);
}

}  // namespace borealis::sql
