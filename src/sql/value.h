// Value: one SQL datum of a known type, with PostgreSQL's text and binary I/O and casts.
//
// Contract: a Value is NULL or holds the representation of its type: bool for kBool; int64_t
// for kInt2/kInt4/kInt8/kOid (always within the type's range); double for kFloat4 (always a
// float-representable value) and kFloat8; Numeric for kNumeric; std::string (UTF-8) for
// text-like types, kUnknown and kVoid; Interval for kInterval (sql/interval.h). Conversions fail
// with PostgreSQL's SQLSTATE and message (22P02 invalid input syntax, 22003 out of range, 22P03 bad
// binary data). Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "sql/numeric.h"
#include "sql/types.h"

namespace borealis::sql {

// PostgreSQL's interval: months, days and microseconds kept apart (they do not convert exactly;
// comparisons use 30-day months and 24-hour days). Arithmetic lives in sql/interval.h.
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
  friend bool operator==(const Interval&, const Interval&) = default;  // fields, not SQL equality
};

// IntervalStyle: the text output form of intervals.
enum class IntervalStyle { kPostgres, kPostgresVerbose, kSqlStandard, kIso8601 };

class Value {
 public:
  Value() = default;  // NULL of type unknown
  static Value Null(TypeId type) { return Value(type, std::monostate{}); }
  static Value Bool(bool v) { return Value(TypeId::kBool, v); }
  static Value Int(TypeId type, int64_t v) { return Value(type, v); }
  static Value Float(TypeId type, double v) { return Value(type, v); }
  static Value FromNumeric(Numeric v) { return Value(TypeId::kNumeric, std::move(v)); }
  static Value String(TypeId type, std::string v) { return Value(type, std::move(v)); }
  static Value FromInterval(Interval v) { return Value(TypeId::kInterval, v); }

  TypeId type() const { return type_; }
  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
  bool bool_value() const { return std::get<bool>(data_); }
  int64_t int_value() const { return std::get<int64_t>(data_); }
  double float_value() const { return std::get<double>(data_); }
  const Numeric& numeric_value() const { return std::get<Numeric>(data_); }
  const std::string& string_value() const { return std::get<std::string>(data_); }
  const Interval& interval_value() const { return std::get<Interval>(data_); }

  // The same datum relabeled (e.g. unknown -> text); REQUIRES same representation.
  Value WithType(TypeId type) const {
    Value v = *this;
    v.type_ = type;
    return v;
  }

 private:
  using Data = std::variant<std::monostate, bool, int64_t, double, Numeric, std::string, Interval>;
  Value(TypeId type, Data data) : type_(type), data_(std::move(data)) {}

  TypeId type_ = TypeId::kUnknown;
  Data data_;
};

// Session settings that change text output.
// DateStyle: the text output form of dates and timestamps, and the order of day and month.
enum class DateStyle { kIso, kSql, kPostgres, kGerman };
enum class DateOrder { kMdy, kDmy, kYmd };

struct OutputOptions {
  int extra_float_digits = 1;
  DateStyle date_style = DateStyle::kIso;
  DateOrder date_order = DateOrder::kMdy;
  IntervalStyle interval_style = IntervalStyle::kPostgres;
};

// Text input (the type's input function). `text` is not NULL.
Result<Value> ParseText(TypeId type, std::string_view text);
// Text output (the type's output function). REQUIRES: !value.is_null().
std::string FormatText(const Value& value, const OutputOptions& options);
// Binary receive/send in PostgreSQL's wire formats (network byte order).
Result<Value> ReceiveBinary(TypeId type, std::string_view bytes);
std::string SendBinary(const Value& value);

enum class CastContext { kImplicit, kAssignment, kExplicit };
// Whether PostgreSQL has a cast from `from` to `to` usable in `context` (pg_cast plus I/O
// conversion casts to and from string types). Same type is always castable.
bool CanCast(TypeId from, TypeId to, CastContext context);
// Performs a cast; NULL stays NULL (with the new type). Casts to the string types print with
// `options` (the session's DateStyle, ...); the first form prints as a default session does.
Result<Value> CastValue(const Value& value, TypeId to);
Result<Value> CastValue(const Value& value, TypeId to, const OutputOptions& options);

// PostgreSQL's int range errors: "smallint out of range", "integer out of range", ...
Status IntegerOutOfRange(TypeId type);
// Checks `v` fits `type` (int2/int4/int8/oid).
Result<Value> MakeInt(TypeId type, int64_t v);

}  // namespace borealis::sql
