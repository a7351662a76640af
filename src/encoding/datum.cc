#include "encoding/datum.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace borealis::encoding {
namespace {

bool IsIntRepresented(ColumnType type) {
  switch (type) {
    case ColumnType::kInt2:
    case ColumnType::kInt4:
    case ColumnType::kInt8:
    case ColumnType::kOid:
    case ColumnType::kDate:
    case ColumnType::kTime:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz:
      return true;
    default:
      return false;
  }
}

bool IsBytesRepresented(ColumnType type) {
  return type == ColumnType::kText || type == ColumnType::kVarchar || type == ColumnType::kBpchar ||
         type == ColumnType::kBytea || type == ColumnType::kUuid;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status IntRange(const Datum& datum, int64_t min, int64_t max) {
  int64_t v = datum.int_value();
  if (v < min || v > max) {
    return Status::InvalidArgument(std::string(ColumnTypeName(datum.type())) +
                                   " value out of range: " + std::to_string(v));
  }
  return Status::Ok();
}

// Limit on the exponent written in numeric input, so the arithmetic below cannot overflow.
constexpr int64_t kMaxInputExponent = 1'000'000;

}  // namespace

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kBool:
      return "bool";
    case ColumnType::kInt2:
      return "int2";
    case ColumnType::kInt4:
      return "int4";
    case ColumnType::kInt8:
      return "int8";
    case ColumnType::kOid:
      return "oid";
    case ColumnType::kFloat4:
      return "float4";
    case ColumnType::kFloat8:
      return "float8";
    case ColumnType::kNumeric:
      return "numeric";
    case ColumnType::kText:
      return "text";
    case ColumnType::kVarchar:
      return "varchar";
    case ColumnType::kBpchar:
      return "bpchar";
    case ColumnType::kBytea:
      return "bytea";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kTime:
      return "time";
    case ColumnType::kTimestamp:
      return "timestamp";
    case ColumnType::kTimestampTz:
      return "timestamptz";
    case ColumnType::kInterval:
      return "interval";
    case ColumnType::kUuid:
      return "uuid";
  }
  return "invalid";
}

__int128 Interval::SpanMicroseconds() const {
  __int128 days_total = static_cast<__int128>(months) * kDaysPerMonth + days;
  return days_total * kMicrosecondsPerDay + micros;
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoringCase(text, "nan")) return NaN();
  if (EqualsIgnoringCase(body, "infinity") || EqualsIgnoringCase(body, "inf")) {
    return Infinity(negative);
  }
  auto invalid = [&] {
    return Status::InvalidArgument("invalid numeric: \"" + std::string(text) + "\"");
  };
  std::string digits;
  int64_t scale = 0;
  bool seen_digit = false;
  bool seen_point = false;
  size_t i = 0;
  for (; i < body.size(); ++i) {
    char c = body[i];
    if (IsDigit(c)) {
      seen_digit = true;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
      if (seen_point) ++scale;
      if (digits.size() > static_cast<size_t>(kMaxIntegerDigits + kMaxScale)) return invalid();
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return invalid();
  if (i < body.size()) {
    if (body[i] != 'e' && body[i] != 'E') return invalid();
    ++i;
    bool exponent_negative = false;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) {
      exponent_negative = body[i] == '-';
      ++i;
    }
    if (i == body.size()) return invalid();
    int64_t exponent = 0;
    for (; i < body.size(); ++i) {
      if (!IsDigit(body[i])) return invalid();
      exponent = exponent * 10 + (body[i] - '0');
      if (exponent > kMaxInputExponent) return invalid();
    }
    scale -= exponent_negative ? -exponent : exponent;
  }
  if (scale < 0) {
    if (!digits.empty()) digits.append(static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  if (scale > kMaxScale) return invalid();
  Decimal result;
  result.negative = negative && !digits.empty();
  result.digits = std::move(digits);
  result.scale = static_cast<int32_t>(scale);
  if (!result.Validate().ok()) return invalid();
  return result;
}

std::string Decimal::ToString() const {
  switch (kind) {
    case Kind::kNaN:
      return "NaN";
    case Kind::kPositiveInfinity:
      return "Infinity";
    case Kind::kNegativeInfinity:
      return "-Infinity";
    case Kind::kFinite:
      break;
  }
  std::string padded = digits;
  size_t width = static_cast<size_t>(scale) + 1;
  if (padded.size() < width) padded.insert(0, width - padded.size(), '0');
  std::string out = negative ? "-" : "";
  size_t integer_digits = padded.size() - static_cast<size_t>(scale);
  out.append(padded, 0, integer_digits);
  if (scale > 0) {
    out.push_back('.');
    out.append(padded, integer_digits, std::string::npos);
  }
  return out;
}

Status Decimal::Validate() const {
  if (kind != Kind::kFinite) {
    if (negative || !digits.empty() || scale != 0) {
      return Status::InvalidArgument("non-finite numeric with digits, sign or scale");
    }
    return Status::Ok();
  }
  if (scale < 0 || scale > kMaxScale) return Status::InvalidArgument("numeric scale out of range");
  if (!digits.empty() && digits[0] == '0') {
    return Status::InvalidArgument("numeric digits with a leading zero");
  }
  for (char c : digits) {
    if (!IsDigit(c)) return Status::InvalidArgument("numeric digits must be 0-9");
  }
  if (negative && digits.empty()) return Status::InvalidArgument("negative numeric zero");
  if (static_cast<int64_t>(digits.size()) - scale > kMaxIntegerDigits) {
    return Status::InvalidArgument("numeric value out of range");
  }
  return Status::Ok();
}

Datum Datum::Int(ColumnType type, int64_t value) {
  BOREALIS_CHECK(IsIntRepresented(type), ColumnTypeName(type));
  return Datum(type, value);
}

Datum Datum::Float(ColumnType type, double value) {
  BOREALIS_CHECK(type == ColumnType::kFloat4 || type == ColumnType::kFloat8, ColumnTypeName(type));
  return Datum(type, value);
}

Datum Datum::Bytes(ColumnType type, std::string value) {
  BOREALIS_CHECK(IsBytesRepresented(type), ColumnTypeName(type));
  return Datum(type, std::move(value));
}

bool operator==(const Datum& a, const Datum& b) {
  if (a.type_ != b.type_ || a.data_.index() != b.data_.index()) return false;
  if (const double* x = std::get_if<double>(&a.data_)) {
    double y = std::get<double>(b.data_);
    if (std::isnan(*x) || std::isnan(y)) return std::isnan(*x) && std::isnan(y);
    return std::memcmp(x, &y, sizeof(double)) == 0;
  }
  return a.data_ == b.data_;
}

std::string Datum::DebugString() const {
  std::ostringstream out;
  out << ColumnTypeName(type_) << ':';
  if (is_null()) {
    out << "NULL";
  } else if (auto* b = std::get_if<bool>(&data_)) {
    out << (*b ? "true" : "false");
  } else if (auto* i = std::get_if<int64_t>(&data_)) {
    out << *i;
  } else if (auto* d = std::get_if<double>(&data_)) {
    out.precision(17);
    out << *d;
  } else if (auto* n = std::get_if<Decimal>(&data_)) {
    out << n->ToString();
  } else if (auto* s = std::get_if<std::string>(&data_)) {
    static constexpr char kHex[] = "0123456789abcdef";
    out << "\\x";
    for (unsigned char c : *s) out << kHex[c >> 4] << kHex[c & 15];
  } else if (auto* iv = std::get_if<Interval>(&data_)) {
    out << iv->months << "mon " << iv->days << "d " << iv->micros << "us";
  }
  return out.str();
}

Status ValidateDatum(const Datum& datum) {
  if (datum.is_null()) return Status::Ok();
  switch (datum.type()) {
    case ColumnType::kInt2:
      return IntRange(datum, std::numeric_limits<int16_t>::min(),
                      std::numeric_limits<int16_t>::max());
    case ColumnType::kInt4:
    case ColumnType::kDate:
      return IntRange(datum, std::numeric_limits<int32_t>::min(),
                      std::numeric_limits<int32_t>::max());
    case ColumnType::kOid:
      return IntRange(datum, 0, std::numeric_limits<uint32_t>::max());
    case ColumnType::kTime:
      return IntRange(datum, 0, kMicrosecondsPerDay);
    case ColumnType::kFloat4: {
      double v = datum.float_value();
      if (!std::isnan(v) && static_cast<double>(static_cast<float>(v)) != v) {
        return Status::InvalidArgument("float4 value not representable");
      }
      return Status::Ok();
    }
    case ColumnType::kNumeric:
      return datum.decimal_value().Validate();
    case ColumnType::kUuid:
      if (datum.bytes_value().size() != kUuidSizeBytes) {
        return Status::InvalidArgument("uuid must be 16 bytes");
      }
      return Status::Ok();
    default:
      return Status::Ok();
  }
}

}  // namespace borealis::encoding
