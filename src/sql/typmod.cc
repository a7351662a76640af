#include "sql/typmod.h"

#include <array>

#include "fmt/format.h"
#include "sql/datetime.h"
#include "sql/interval.h"
#include "sql/numeric.h"

namespace borealis::sql {
namespace {

constexpr int64_t kMaxCharacterLength = 10485760;  // PostgreSQL's MaxAttrSize
// 10^(6 - p) and half of it: the rounding of a time value to p fractional digits.
constexpr std::array<int64_t, kMaxTimePrecision + 1> kTimeScales = {1000000, 100000, 10000, 1000,
                                                                    100,     10,     1};

Status InvalidParameter(std::string message) { return Status::Sql("22023", std::move(message)); }

bool IsTimeType(TypeId type) {
  return type == TypeId::kTime || type == TypeId::kTimestamp || type == TypeId::kTimestampTz;
}

// "TIMESTAMP(7) WITH TIME ZONE": the way PostgreSQL's typmod checks name the type.
std::string TimeTypeLabel(TypeId type, int64_t precision) {
  return fmt::format("{}({}){}", type == TypeId::kTime ? "TIME" : "TIMESTAMP", precision,
                     type == TypeId::kTimestampTz ? " WITH TIME ZONE" : "");
}

Result<int32_t> NumericTypmod(std::span<const int64_t> modifiers) {
  if (modifiers.empty() || modifiers.size() > 2) {
    return InvalidParameter("invalid NUMERIC type modifier");
  }
  int64_t precision = modifiers[0];
  if (precision < 1 || precision > kMaxNumericPrecision) {
    return InvalidParameter(fmt::format("NUMERIC precision {} must be between 1 and {}", precision,
                                        kMaxNumericPrecision));
  }
  int64_t scale = modifiers.size() == 2 ? modifiers[1] : 0;
  if (scale < kMinNumericScale || scale > kMaxNumericScale) {
    return InvalidParameter(fmt::format("NUMERIC scale {} must be between {} and {}", scale,
                                        kMinNumericScale, kMaxNumericScale));
  }
  return static_cast<int32_t>(((precision << 16) | (scale & 0x7ff)) + kVarHeaderSize);
}

Result<Value> ApplyNumericTypmod(const Value& value, int32_t typmod) {
  const Numeric& n = value.numeric_value();
  if (n.is_nan()) return value;
  int precision = NumericTypmodPrecision(typmod);
  int scale = NumericTypmodScale(typmod);
  Numeric rounded = n.Round(scale);
  int max_digits = precision - scale;
  if (!rounded.is_zero() && rounded.IntegerDigits() > max_digits) {
    std::string bound = max_digits > 0 ? fmt::format("10^{}", max_digits) : "1";
    return Status::Sql("22003", "numeric field overflow")
        .WithDetail(fmt::format("A field with precision {}, scale {} must round to an absolute "
                                "value less than {}.",
                                precision, scale, bound));
  }
  return Value::FromNumeric(std::move(rounded));
}

Result<Value> ApplyTimeTypmod(const Value& value, int32_t typmod) {
  if (typmod < 0 || typmod >= kMaxTimePrecision) return value;
  int64_t v = value.int_value();
  if (value.type() != TypeId::kTime && (v == INT64_MIN || v == INT64_MAX)) return value;
  int64_t scale = kTimeScales[static_cast<size_t>(typmod)];
  int64_t half = scale / 2;
  // Half away from zero, as PostgreSQL's AdjustTimestampForTypmod.
  int64_t rounded = v >= 0 ? (v + half) / scale * scale : -((-v + half) / scale * scale);
  return Value::Int(value.type(), rounded);
}

}  // namespace

bool TakesTypmod(TypeId type) {
  return type == TypeId::kVarchar || type == TypeId::kBpchar || type == TypeId::kNumeric ||
         type == TypeId::kInterval || IsTimeType(type);
}

int NumericTypmodPrecision(int32_t typmod) { return ((typmod - kVarHeaderSize) >> 16) & 0xffff; }

int NumericTypmodScale(int32_t typmod) {
  return (((typmod - kVarHeaderSize) & 0x7ff) ^ 1024) - 1024;  // 11-bit two's complement
}

Result<int32_t> TypmodFromModifiers(TypeId type, std::span<const int64_t> modifiers,
                                    std::vector<std::string>& warnings) {
  if (type == TypeId::kNumeric) return NumericTypmod(modifiers);
  if (type == TypeId::kInterval) return IntervalTypmodFromModifiers(modifiers);
  if (type == TypeId::kVarchar || type == TypeId::kBpchar) {
    if (modifiers.size() != 1) return InvalidParameter("invalid type modifier");
    std::string_view name = type == TypeId::kVarchar ? "varchar" : "char";
    if (modifiers[0] < 1) {
      return InvalidParameter(fmt::format("length for type {} must be at least 1", name));
    }
    if (modifiers[0] > kMaxCharacterLength) {
      return InvalidParameter(
          fmt::format("length for type {} cannot exceed {}", name, kMaxCharacterLength));
    }
    return static_cast<int32_t>(modifiers[0] + kVarHeaderSize);
  }
  if (IsTimeType(type)) {
    if (modifiers.size() != 1) return InvalidParameter("invalid type modifier");
    int64_t precision = modifiers[0];
    if (precision < 0) {
      return InvalidParameter(
          fmt::format("{} precision must not be negative", TimeTypeLabel(type, precision)));
    }
    if (precision > kMaxTimePrecision) {
      warnings.push_back(fmt::format("{} precision reduced to maximum allowed, {}",
                                     TimeTypeLabel(type, precision), kMaxTimePrecision));
      precision = kMaxTimePrecision;
    }
    return static_cast<int32_t>(precision);
  }
  return Status::Sql(
      "42601", fmt::format("type modifier is not allowed for type \"{}\"", GetTypeInfo(type).name));
}

Result<Value> ApplyTypmod(const Value& value, int32_t typmod) {
  if (typmod < 0 || value.is_null()) return value;
  if (value.type() == TypeId::kNumeric && typmod >= kVarHeaderSize) {
    return ApplyNumericTypmod(value, typmod);
  }
  if (IsTimeType(value.type())) return ApplyTimeTypmod(value, typmod);
  if (value.type() == TypeId::kInterval) {
    ASSIGN_OR_RETURN(Interval adjusted, ApplyIntervalTypmod(value.interval_value(), typmod));
    return Value::FromInterval(adjusted);
  }
  return value;
}

std::string TypeNameWithTypmod(TypeId type, int32_t typmod) {
  std::string_view name = GetTypeInfo(type).display_name;
  if (typmod < 0) return std::string(name);
  switch (type) {
    case TypeId::kVarchar:
    case TypeId::kBpchar:
      if (typmod < kVarHeaderSize) break;
      return fmt::format("{}({})", name, typmod - kVarHeaderSize);
    case TypeId::kNumeric:
      if (typmod < kVarHeaderSize) break;
      return fmt::format("numeric({},{})", NumericTypmodPrecision(typmod),
                         NumericTypmodScale(typmod));
    case TypeId::kTime:
      return fmt::format("time({}) without time zone", typmod);
    case TypeId::kTimestamp:
      return fmt::format("timestamp({}) without time zone", typmod);
    case TypeId::kTimestampTz:
      return fmt::format("timestamp({}) with time zone", typmod);
    default:
      break;
  }
  return std::string(name);
}

}  // namespace borealis::sql
