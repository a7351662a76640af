#include "sql/value.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "fmt/format.h"
#include "sql/catalog_types.h"
#include "sql/datetime.h"
#include "sql/interval.h"
#include "sql/json_functions.h"
#include "sql/uuid.h"

namespace borealis::sql {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

Status InvalidSyntax(TypeId type, std::string_view text) {
  return Status::Sql("22P02", fmt::format("invalid input syntax for type {}: \"{}\"",
                                          GetTypeInfo(type).display_name, text));
}

Status OutOfRangeInput(TypeId type, std::string_view text) {
  return Status::Sql("22003", fmt::format("value \"{}\" is out of range for type {}", text,
                                          GetTypeInfo(type).display_name));
}

int64_t MinOf(TypeId type) {
  switch (type) {
    case TypeId::kInt2:
      return std::numeric_limits<int16_t>::min();
    case TypeId::kInt4:
      return std::numeric_limits<int32_t>::min();
    case TypeId::kOid:
      return 0;
    default:
      return std::numeric_limits<int64_t>::min();
  }
}

int64_t MaxOf(TypeId type) {
  switch (type) {
    case TypeId::kInt2:
      return std::numeric_limits<int16_t>::max();
    case TypeId::kInt4:
      return std::numeric_limits<int32_t>::max();
    case TypeId::kOid:
      return std::numeric_limits<uint32_t>::max();
    default:
      return std::numeric_limits<int64_t>::max();
  }
}

// pg_strtoint16/32/64: optional whitespace, sign, decimal digits, whitespace.
Result<Value> ParseInteger(TypeId type, std::string_view text) {
  std::string_view body = Trim(text);
  size_t p = 0;
  bool negative = false;
  if (p < body.size() && (body[p] == '+' || body[p] == '-')) negative = body[p++] == '-';
  if (p == body.size()) return InvalidSyntax(type, text);
  unsigned __int128 magnitude = 0;
  bool overflow = false;
  for (; p < body.size(); ++p) {
    if (body[p] < '0' || body[p] > '9') return InvalidSyntax(type, text);
    magnitude = magnitude * 10 + static_cast<unsigned>(body[p] - '0');
    if (magnitude > (static_cast<unsigned __int128>(1) << 64)) overflow = true;
  }
  if (type == TypeId::kOid) {
    // oidin accepts -2147483648..4294967295 and wraps negatives, as PostgreSQL does.
    if (overflow || (negative && magnitude > 2147483648u) || magnitude > 4294967295u) {
      return OutOfRangeInput(type, text);
    }
    uint32_t v = static_cast<uint32_t>(negative ? 0 - static_cast<uint64_t>(magnitude)
                                                : static_cast<uint64_t>(magnitude));
    return Value::Int(type, v);
  }
  __int128 v = negative ? -static_cast<__int128>(magnitude) : static_cast<__int128>(magnitude);
  if (overflow || v < MinOf(type) || v > MaxOf(type)) return OutOfRangeInput(type, text);
  return Value::Int(type, static_cast<int64_t>(v));
}

Result<Value> ParseBool(std::string_view text) {
  std::string_view s = Trim(text);
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto prefix_of = [&lower](std::string_view word, size_t min_len) {
    return lower.size() >= min_len && lower.size() <= word.size() &&
           word.substr(0, lower.size()) == lower;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || lower == "1") {
    return Value::Bool(true);
  }
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || lower == "0") {
    return Value::Bool(false);
  }
  return InvalidSyntax(TypeId::kBool, text);
}

Result<Value> ParseFloat(TypeId type, std::string_view text) {
  std::string body(Trim(text));
  std::string lower;
  for (char c : body)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  double v;
  if (lower == "nan" || lower == "+nan" || lower == "-nan") {
    v = std::numeric_limits<double>::quiet_NaN();
  } else if (lower == "infinity" || lower == "+infinity" || lower == "inf" || lower == "+inf") {
    v = std::numeric_limits<double>::infinity();
  } else if (lower == "-infinity" || lower == "-inf") {
    v = -std::numeric_limits<double>::infinity();
  } else {
    if (body.empty()) return InvalidSyntax(type, text);
    char* end = nullptr;
    errno = 0;
    if (type == TypeId::kFloat4) {
      v = std::strtof(body.c_str(), &end);
    } else {
      v = std::strtod(body.c_str(), &end);
    }
    if (end != body.c_str() + body.size() || end == body.c_str()) return InvalidSyntax(type, text);
    if (errno == ERANGE && (v == 0.0 || std::isinf(v))) {
      return Status::Sql("22003", fmt::format("\"{}\" is out of range for type {}", text,
                                              GetTypeInfo(type).display_name));
    }
  }
  return Value::Float(type, v);
}

// PostgreSQL 12+ float output: shortest round-trip digits when extra_float_digits > 0, in
// %g-like layout (exponent form below 1e-4 or from 10^precision up), else %.*g.
std::string FormatFloat(double v, bool is_float4, int extra_float_digits) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  int digits10 = is_float4 ? 6 : 15;
  if (extra_float_digits <= 0) {
    int precision = std::max(1, digits10 + extra_float_digits);
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    return buf;
  }
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[64];
  std::to_chars_result r =
      is_float4 ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(v),
                                std::chars_format::scientific)
                : std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  size_t e = sci.find('e');
  int exponent = std::stoi(sci.substr(e + 1));
  std::string mantissa = sci.substr(0, e);
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= digits10) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
  } else if (exponent < 0) {
    out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  } else {
    size_t int_len = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= int_len) {
      out += digits + std::string(int_len - digits.size(), '0');
    } else {
      out += digits.substr(0, int_len) + "." + digits.substr(int_len);
    }
  }
  return out;
}

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t GetBigEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

Status BadBinary(TypeId type) {
  return Status::Sql("22P03", fmt::format("incorrect binary data format for type {}",
                                          GetTypeInfo(type).display_name));
}

Result<Value> CheckFloat4(double v) {
  if (std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max()) {
    return Status::Sql("22003", "value out of range: overflow");
  }
  float f = static_cast<float>(v);
  if (f == 0.0f && v != 0.0) return Status::Sql("22003", "value out of range: underflow");
  return Value::Float(TypeId::kFloat4, f);
}

Value MakeString(TypeId type, std::string s) {
  // name holds at most NAMEDATALEN-1 bytes (truncated on a character boundary).
  if (type == TypeId::kName && s.size() > 63) {
    size_t len = 63;
    while (len > 0 && (static_cast<uint8_t>(s[len]) & 0xC0) == 0x80) --len;
    s.resize(len);
  }
  return Value::String(type, std::move(s));
}

}  // namespace

Status IntegerOutOfRange(TypeId type) {
  switch (type) {
    case TypeId::kInt2:
      return Status::Sql("22003", "smallint out of range");
    case TypeId::kInt8:
      return Status::Sql("22003", "bigint out of range");
    case TypeId::kOid:
      return Status::Sql("22003", "OID out of range");
    default:
      return Status::Sql("22003", "integer out of range");
  }
}

Result<Value> MakeInt(TypeId type, int64_t v) {
  if (v < MinOf(type) || v > MaxOf(type)) return IntegerOutOfRange(type);
  return Value::Int(type, v);
}

Result<Value> ParseText(TypeId type, std::string_view text) {
  switch (type) {
    case TypeId::kBool:
      return ParseBool(text);
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
      return ParseInteger(type, text);
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return ParseFloat(type, text);
    case TypeId::kNumeric: {
      ASSIGN_OR_RETURN(Numeric n, Numeric::Parse(text));
      return Value::FromNumeric(std::move(n));
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kName:
    case TypeId::kUnknown:
      return MakeString(type, std::string(text));
    case TypeId::kVoid:
      return Value::String(type, "");
    case TypeId::kUuid: {
      ASSIGN_OR_RETURN(std::string bytes, ParseUuid(text));
      return Value::String(type, std::move(bytes));
    }
    case TypeId::kJson:
    case TypeId::kJsonb:
      return ParseJsonText(type, text);
    case TypeId::kChar:
    case TypeId::kInt2Vector:
    case TypeId::kRegproc:
    case TypeId::kXid:
    case TypeId::kOidVector:
    case TypeId::kPgNodeTree:
    case TypeId::kRegclass:
    case TypeId::kRegtype:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
    case TypeId::kBoolArray:
    case TypeId::kCharArray:
    case TypeId::kNameArray:
    case TypeId::kInt2Array:
    case TypeId::kInt4Array:
    case TypeId::kTextArray:
    case TypeId::kVarcharArray:
    case TypeId::kInt8Array:
    case TypeId::kFloat4Array:
    case TypeId::kFloat8Array:
    case TypeId::kOidArray:
    case TypeId::kAclitemArray:
    case TypeId::kNumericArray:
    case TypeId::kRecord:
      return ParseCatalogText(type, text);
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return ParseDateTimeText(type, text);
    case TypeId::kInterval: {
      ASSIGN_OR_RETURN(Interval interval, ParseInterval(text));
      return Value::FromInterval(interval);
    }
    case TypeId::kAnyNonArray:
    case TypeId::kInvalid:
      break;
  }
  return Status::Internal("ParseText: invalid type");
}

std::string FormatText(const Value& value, const OutputOptions& options) {
  BOREALIS_CHECK(!value.is_null());
  if (IsCatalogType(value.type())) return FormatCatalogText(value);
  if (IsDateTimeType(value.type())) return FormatDateTimeText(value, options);
  if (value.type() == TypeId::kInterval) {
    return FormatInterval(value.interval_value(), options.interval_style);
  }
  switch (value.type()) {
    case TypeId::kBool:
      return value.bool_value() ? "t" : "f";
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
      return std::to_string(value.int_value());
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return FormatFloat(value.float_value(), value.type() == TypeId::kFloat4,
                         options.extra_float_digits);
    case TypeId::kNumeric:
      return value.numeric_value().ToString();
    case TypeId::kUuid:
      return FormatUuid(value.string_value());
    default:
      return value.string_value();
  }
}

Result<Value> ReceiveBinary(TypeId type, std::string_view bytes) {
  switch (type) {
    case TypeId::kBool:
      if (bytes.size() != 1) return BadBinary(type);
      return Value::Bool(bytes[0] != 0);
    case TypeId::kInt2:
      if (bytes.size() != 2) return BadBinary(type);
      return Value::Int(type, static_cast<int16_t>(GetBigEndian(bytes)));
    case TypeId::kInt4:
      if (bytes.size() != 4) return BadBinary(type);
      return Value::Int(type, static_cast<int32_t>(GetBigEndian(bytes)));
    case TypeId::kOid:
      if (bytes.size() != 4) return BadBinary(type);
      return Value::Int(type, static_cast<uint32_t>(GetBigEndian(bytes)));
    case TypeId::kInt8:
      if (bytes.size() != 8) return BadBinary(type);
      return Value::Int(type, static_cast<int64_t>(GetBigEndian(bytes)));
    case TypeId::kFloat4: {
      if (bytes.size() != 4) return BadBinary(type);
      uint32_t bits = static_cast<uint32_t>(GetBigEndian(bytes));
      float f;
      std::memcpy(&f, &bits, sizeof(f));
      return Value::Float(type, f);
    }
    case TypeId::kFloat8: {
      if (bytes.size() != 8) return BadBinary(type);
      uint64_t bits = GetBigEndian(bytes);
      double d;
      std::memcpy(&d, &bits, sizeof(d));
      return Value::Float(type, d);
    }
    case TypeId::kNumeric: {
      ASSIGN_OR_RETURN(Numeric n, Numeric::ReceiveBinary(bytes));
      return Value::FromNumeric(std::move(n));
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kName:
    case TypeId::kUnknown:
      return MakeString(type, std::string(bytes));
    case TypeId::kChar:
    case TypeId::kInt2Vector:
    case TypeId::kRegproc:
    case TypeId::kXid:
    case TypeId::kOidVector:
    case TypeId::kPgNodeTree:
    case TypeId::kRegclass:
    case TypeId::kRegtype:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
    case TypeId::kBoolArray:
    case TypeId::kCharArray:
    case TypeId::kNameArray:
    case TypeId::kInt2Array:
    case TypeId::kInt4Array:
    case TypeId::kTextArray:
    case TypeId::kVarcharArray:
    case TypeId::kInt8Array:
    case TypeId::kFloat4Array:
    case TypeId::kFloat8Array:
    case TypeId::kOidArray:
    case TypeId::kAclitemArray:
    case TypeId::kNumericArray:
    case TypeId::kRecord:
      return ReceiveCatalogBinary(type, bytes);
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return ReceiveDateTimeBinary(type, bytes);
    case TypeId::kInterval: {
      ASSIGN_OR_RETURN(Interval interval, ReceiveIntervalBinary(bytes));
      return Value::FromInterval(interval);
    }
    case TypeId::kUuid:
      if (bytes.size() != kUuidBytes) return BadBinary(type);
      return Value::String(type, std::string(bytes));
    case TypeId::kJson:
    case TypeId::kJsonb:
      return ReceiveJsonBinary(type, bytes);
    case TypeId::kVoid:
    case TypeId::kAnyNonArray:
    case TypeId::kInvalid:
      break;
  }
  return BadBinary(type);
}

std::string SendBinary(const Value& value) {
  BOREALIS_CHECK(!value.is_null());
  if (IsCatalogType(value.type())) return SendCatalogBinary(value);
  if (IsDateTimeType(value.type())) return SendDateTimeBinary(value);
  if (value.type() == TypeId::kInterval) return SendIntervalBinary(value.interval_value());
  if (IsJsonType(value.type())) return SendJsonBinary(value);
  std::string out;
  switch (value.type()) {
    case TypeId::kBool:
      out.push_back(value.bool_value() ? 1 : 0);
      break;
    case TypeId::kInt2:
      PutBigEndian(out, static_cast<uint64_t>(value.int_value()), 2);
      break;
    case TypeId::kInt4:
    case TypeId::kOid:
      PutBigEndian(out, static_cast<uint64_t>(value.int_value()), 4);
      break;
    case TypeId::kInt8:
      PutBigEndian(out, static_cast<uint64_t>(value.int_value()), 8);
      break;
    case TypeId::kFloat4: {
      float f = static_cast<float>(value.float_value());
      uint32_t bits;
      std::memcpy(&bits, &f, sizeof(bits));
      PutBigEndian(out, bits, 4);
      break;
    }
    case TypeId::kFloat8: {
      double d = value.float_value();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof(bits));
      PutBigEndian(out, bits, 8);
      break;
    }
    case TypeId::kNumeric:
      out = value.numeric_value().SendBinary();
      break;
    case TypeId::kVoid:
      break;
    default:
      out = value.string_value();
      break;
  }
  return out;
}

bool CanCast(TypeId from, TypeId to, CastContext context) {
  if (from == to || from == TypeId::kUnknown) return true;
  if (to == TypeId::kUnknown || to == TypeId::kVoid || from == TypeId::kVoid) return false;
  if (to == TypeId::kAnyNonArray || from == TypeId::kAnyNonArray) return false;  // not a cast
  if (IsCatalogType(from) || IsCatalogType(to)) return CanCastCatalog(from, to, context);
  if (IsJsonType(from) || IsJsonType(to)) return CanCastJson(from, to, context);
  if (IsDateTimeType(from) && IsDateTimeType(to)) return CanCastDateTime(from, to, context);
  if (from == TypeId::kInterval || to == TypeId::kInterval) {
    if (IsStringType(from)) return context >= CastContext::kExplicit;
    if (IsStringType(to)) return context >= CastContext::kAssignment;
    return CanCastInterval(from, to, context);
  }
  auto allowed = [context](CastContext needed) { return context >= needed; };
  if (IsStringType(from) && IsStringType(to)) {
    bool to_name_from_fixed = to == TypeId::kName;
    if (from == TypeId::kName && to != TypeId::kText) return allowed(CastContext::kAssignment);
    (void)to_name_from_fixed;
    return true;
  }
  if (IsStringType(to)) return allowed(CastContext::kAssignment);  // I/O conversion casts
  if (IsStringType(from)) return allowed(CastContext::kExplicit);
  bool from_int = IsIntegerType(from);
  switch (to) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
      if (from_int) {
        return (from == TypeId::kInt2 || (from == TypeId::kInt4 && to == TypeId::kInt8))
                   ? true
                   : allowed(CastContext::kAssignment);
      }
      if (IsFloatType(from) || from == TypeId::kNumeric) return allowed(CastContext::kAssignment);
      if (from == TypeId::kOid) return to != TypeId::kInt2 && allowed(CastContext::kAssignment);
      if (from == TypeId::kBool) return to == TypeId::kInt4 && allowed(CastContext::kExplicit);
      return false;
    case TypeId::kFloat4:
      if (from_int || from == TypeId::kNumeric) return true;
      return from == TypeId::kFloat8 && allowed(CastContext::kAssignment);
    case TypeId::kFloat8:
      return from_int || from == TypeId::kNumeric || from == TypeId::kFloat4;
    case TypeId::kNumeric:
      if (from_int) return true;
      return IsFloatType(from) && allowed(CastContext::kAssignment);
    case TypeId::kOid:
      return from_int;
    case TypeId::kBool:
      return from == TypeId::kInt4 && allowed(CastContext::kExplicit);
    default:
      return false;
  }
}

Result<Value> CastValue(const Value& value, TypeId to) {
  return CastValue(value, to, OutputOptions{});
}

Result<Value> CastValue(const Value& value, TypeId to, const OutputOptions& options) {
  TypeId from = value.type();
  if (value.is_null()) return Value::Null(to);
  if (from == to) return value;
  if (IsCatalogType(from) || IsCatalogType(to)) return CastCatalogValue(value, to);
  if (IsJsonType(from) || IsJsonType(to)) return CastJsonValue(value, to, options);
  if (IsDateTimeType(from) && IsDateTimeType(to)) return CastDateTimeValue(value, to);
  if ((from == TypeId::kInterval || to == TypeId::kInterval) && !IsStringType(from) &&
      !IsStringType(to) && from != TypeId::kUnknown) {
    return CastIntervalValue(value, to);
  }
  if (IsStringType(to)) {
    if (from == TypeId::kBool) return MakeString(to, value.bool_value() ? "true" : "false");
    if (from == TypeId::kBpchar) {
      // character's padding is not significant: rtrim'd into the other string types.
      std::string s = value.string_value();
      s.erase(s.find_last_not_of(' ') + 1);
      return MakeString(to, std::move(s));
    }
    return MakeString(to, FormatText(value, options));
  }
  if (IsStringType(from) || from == TypeId::kUnknown) return ParseText(to, value.string_value());
  switch (to) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
      if (IsIntegerType(from)) {
        if (to == TypeId::kOid && from == TypeId::kInt4) {
          return Value::Int(to, static_cast<uint32_t>(value.int_value()));  // int4 -> oid wraps
        }
        return MakeInt(to, value.int_value());
      }
      if (from == TypeId::kOid) {
        if (to == TypeId::kInt4) return Value::Int(to, static_cast<int32_t>(value.int_value()));
        return MakeInt(to, value.int_value());
      }
      if (IsFloatType(from)) {
        double d = std::nearbyint(value.float_value());
        if (std::isnan(d) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18) {
          return IntegerOutOfRange(to);
        }
        return MakeInt(to, static_cast<int64_t>(d));
      }
      if (from == TypeId::kNumeric) {
        const Numeric& n = value.numeric_value();
        if (n.is_nan()) {
          return Status::Sql("0A000",
                             fmt::format("cannot convert NaN to {}", GetTypeInfo(to).display_name));
        }
        std::optional<int64_t> v = n.ToInt64();
        if (!v) return IntegerOutOfRange(to);
        return MakeInt(to, *v);
      }
      if (from == TypeId::kBool) return Value::Int(to, value.bool_value() ? 1 : 0);
      break;
    case TypeId::kFloat4:
    case TypeId::kFloat8: {
      double d;
      if (IsIntegerType(from)) {
        d = static_cast<double>(value.int_value());
      } else if (IsFloatType(from)) {
        d = value.float_value();
      } else if (from == TypeId::kNumeric) {
        d = value.numeric_value().ToDouble();
      } else {
        break;
      }
      if (to == TypeId::kFloat4) return CheckFloat4(d);
      return Value::Float(to, d);
    }
    case TypeId::kNumeric:
      if (IsIntegerType(from)) return Value::FromNumeric(Numeric::FromInt64(value.int_value()));
      if (IsFloatType(from)) {
        double d = value.float_value();
        if (from == TypeId::kFloat4) {
          if (std::isnan(d)) return Value::FromNumeric(Numeric::NaN());
          if (std::isinf(d)) return Status::Sql("0A000", "cannot convert infinity to numeric");
          ASSIGN_OR_RETURN(Numeric n, Numeric::Parse(fmt::format("{:.6g}", d)));
          return Value::FromNumeric(std::move(n));
        }
        ASSIGN_OR_RETURN(Numeric n, Numeric::FromDouble(d));
        return Value::FromNumeric(std::move(n));
      }
      break;
    case TypeId::kBool:
      if (IsIntegerType(from)) return Value::Bool(value.int_value() != 0);
      break;
    default:
      break;
  }
  return Status::Sql("42846",
                     fmt::format("cannot cast type {} to {}", GetTypeInfo(from).display_name,
                                 GetTypeInfo(to).display_name));
}

}  // namespace borealis::sql
