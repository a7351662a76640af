// Datum: the value representation of the encoding layer (key and row codecs).
//
// Contract: a Datum is a column type plus NULL or that type's representation:
//   kBool                                         bool
//   kInt2, kInt4, kInt8, kOid                     int64_t (within the type's range)
//   kDate                                         int64_t, days since 2000-01-01 (int32 range)
//   kTime                                         int64_t, microseconds since midnight [0, 24h]
//   kTimestamp, kTimestampTz                      int64_t, microseconds since 2000-01-01 (UTC)
//   kFloat4                                       double (a float-representable value)
//   kFloat8                                       double
//   kNumeric                                      Decimal
//   kText, kVarchar, kBpchar, kBytea              std::string (any bytes, including NUL)
//   kUuid                                         std::string of exactly 16 bytes
//   kInterval                                     Interval
// The factories check that the type matches the representation (a mismatch is a bug); whether
// the value is within the type's range is checked by ValidateDatum, which both encoders call.
//
// Mapping to sql::Value (src/sql/value.h), done by the SQL layer so that this component stays
// independent of it: TypeId kBool/kInt2/kInt4/kInt8/kOid/kFloat4/kFloat8/kText/kVarchar/kBpchar
// map one to one (same representation); sql::Numeric {negative, digits, scale} maps to Decimal
// {negative, digits, scale} (NaN to kind kNaN); kName maps to kText. Types the SQL layer does
// not have yet (bytea, date, time, timestamp[tz], interval, uuid) use PostgreSQL's internal
// representations above, so their binary send/recv formats convert without arithmetic.
//
// Plain value types; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"

namespace borealis::encoding {

enum class ColumnType : uint8_t {
  kBool,
  kInt2,
  kInt4,
  kInt8,
  kOid,
  kFloat4,
  kFloat8,
  kNumeric,
  kText,
  kVarchar,
  kBpchar,
  kBytea,
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
  kInterval,
  kUuid,
};
inline constexpr int kColumnTypeCount = 18;

// "int4", "numeric", ...: for messages and tests.
std::string_view ColumnTypeName(ColumnType type);

inline constexpr int64_t kMicrosecondsPerDay = int64_t{86400} * 1000 * 1000;
inline constexpr int64_t kDaysPerMonth = 30;  // PostgreSQL's interval comparison rule
inline constexpr size_t kUuidSizeBytes = 16;

// PostgreSQL's interval: months, days and microseconds kept apart (they do not convert exactly).
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;

  // The span PostgreSQL compares by (interval_cmp_value): 30-day months and 24-hour days.
  __int128 SpanMicroseconds() const;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// An exact decimal: NaN, +/-Infinity, or (-1)^negative * digits * 10^-scale. This is
// PostgreSQL's numeric with its display scale (so 1.50 has digits "150", scale 2).
struct Decimal {
  enum class Kind : uint8_t { kFinite, kNaN, kPositiveInfinity, kNegativeInfinity };

  // PostgreSQL's limits: 131072 digits before the point, 16383 after.
  static constexpr int32_t kMaxScale = 16383;
  static constexpr int32_t kMaxIntegerDigits = 131072;

  Kind kind = Kind::kFinite;
  bool negative = false;  // false for zero and the non-finite kinds
  std::string digits;     // unscaled magnitude, ASCII digits, no leading zeros; empty for zero
  int32_t scale = 0;      // digits after the decimal point, >= 0

  // Parses "-123.4500", "+1.5e-3", ".5", "NaN", "Infinity", "-Infinity" (case-insensitive
  // keywords, no surrounding spaces). Errors: InvalidArgument.
  static Result<Decimal> Parse(std::string_view text);
  static Decimal NaN() { return Decimal{Kind::kNaN, false, {}, 0}; }
  static Decimal Infinity(bool negative) {
    return Decimal{negative ? Kind::kNegativeInfinity : Kind::kPositiveInfinity, false, {}, 0};
  }

  // Plain notation keeping the scale: "-123.4500", "0.00", "NaN", "-Infinity".
  std::string ToString() const;
  // Ok when the fields satisfy the contract above and PostgreSQL's limits.
  Status Validate() const;
  bool is_zero() const { return kind == Kind::kFinite && digits.empty(); }

  friend bool operator==(const Decimal&, const Decimal&) = default;  // representation, not value
};

class Datum {
 public:
  static Datum Null(ColumnType type) { return Datum(type, std::monostate{}); }
  static Datum Bool(bool value) { return Datum(ColumnType::kBool, value); }
  // REQUIRES: type is an integer, oid, date, time or timestamp type.
  static Datum Int(ColumnType type, int64_t value);
  // REQUIRES: type is kFloat4 or kFloat8.
  static Datum Float(ColumnType type, double value);
  static Datum Numeric(Decimal value) { return Datum(ColumnType::kNumeric, std::move(value)); }
  // REQUIRES: type is a string type, kBytea or kUuid.
  static Datum Bytes(ColumnType type, std::string value);
  static Datum FromInterval(Interval value) { return Datum(ColumnType::kInterval, value); }

  ColumnType type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
  bool bool_value() const { return std::get<bool>(data_); }
  int64_t int_value() const { return std::get<int64_t>(data_); }
  double float_value() const { return std::get<double>(data_); }
  const Decimal& decimal_value() const { return std::get<Decimal>(data_); }
  const std::string& bytes_value() const { return std::get<std::string>(data_); }
  const Interval& interval_value() const { return std::get<Interval>(data_); }

  // Same type and identical representation: floats compare by bits except that all NaNs are
  // equal (so -0 != 0), decimals by digits and scale (so 1.50 != 1.5). Not SQL equality.
  friend bool operator==(const Datum& a, const Datum& b);
  std::string DebugString() const;

 private:
  using Data = std::variant<std::monostate, bool, int64_t, double, Decimal, std::string, Interval>;
  Datum(ColumnType type, Data data) : type_(type), data_(std::move(data)) {}

  ColumnType type_;
  Data data_;
};

// Ok when a non-null datum is within its type's range (see the table above). NULL is valid.
Status ValidateDatum(const Datum& datum);

}  // namespace borealis::encoding
