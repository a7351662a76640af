#include "sql/datetime.h"

#include <array>
#include <cctype>
#include <limits>
#include <optional>

#include "fmt/format.h"
#include "sql/datetime_input.h"

namespace borealis::sql {
namespace {

constexpr std::array<TypeInfo, 4> kDateTimeTypes = {{
    {TypeId::kDate, "date", "date", 4, TypeCategory::kDateTime, false},
    {TypeId::kTime, "time", "time without time zone", 8, TypeCategory::kDateTime, false},
    {TypeId::kTimestamp, "timestamp", "timestamp without time zone", 8, TypeCategory::kDateTime,
     false},
    {TypeId::kTimestampTz, "timestamptz", "timestamp with time zone", 8, TypeCategory::kDateTime,
     true},
}};

constexpr int64_t kDateInfinity = std::numeric_limits<int32_t>::max();
constexpr int64_t kDateMinusInfinity = std::numeric_limits<int32_t>::min();
constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();
constexpr int64_t kTimestampMinusInfinity = std::numeric_limits<int64_t>::min();
// Days from 1970-01-01 to 2000-01-01.
constexpr int64_t kUnixToPostgresDays = 10957;
// PostgreSQL's ranges: dates from 4714-11-24 BC (Julian day 0); timestamps up to 294276 AD,
// dates up to 5874897 AD.
constexpr int64_t kMinDays = -2451545;            // 4714-11-24 BC, days since 2000-01-01
constexpr int64_t kMaxTimestampDays = 106751983;  // 294277-01-01 (exclusive)
constexpr int64_t kMaxDateDays = 2145031949;      // 5874898-01-01 (exclusive)

// Days since 1970-01-01 of a proleptic Gregorian date (year 0 = 1 BC).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int64_t month;
  int64_t day;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{y + (m <= 2), m, d};
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

constexpr std::string_view kMonthAbbreviations[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kDayAbbreviations[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// The date part in a DateStyle, without the " BC" that ends the whole value. PostgreSQL's
// EncodeDateOnly; the Postgres style's date is only used for the date type (its timestamps
// spell the month, see FormatTimestamp).
std::string FormatDatePart(const Civil& c, const OutputOptions& options) {
  int64_t year = c.year <= 0 ? 1 - c.year : c.year;
  bool day_first = options.date_order == DateOrder::kDmy;
  int64_t first = day_first ? c.day : c.month;
  int64_t second = day_first ? c.month : c.day;
  switch (options.date_style) {
    case DateStyle::kIso:
      return fmt::format("{:04}-{:02}-{:02}", year, c.month, c.day);
    case DateStyle::kSql:
      return fmt::format("{:02}/{:02}/{:04}", first, second, year);
    case DateStyle::kGerman:
      return fmt::format("{:02}.{:02}.{:04}", c.day, c.month, year);
    case DateStyle::kPostgres:
      return fmt::format("{:02}-{:02}-{:04}", first, second, year);
  }
  return "";
}

std::string FormatDate(int64_t days, const OutputOptions& options) {
  Civil c = CivilFromDays(days + kUnixToPostgresDays);
  return FormatDatePart(c, options) + (c.year <= 0 ? " BC" : "");
}

std::string FormatTimeOfDay(int64_t micros) {
  int64_t seconds = micros / 1'000'000;
  int64_t fraction = micros % 1'000'000;
  std::string out =
      fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (fraction != 0) {
    std::string digits = fmt::format("{:06}", fraction);
    digits.erase(digits.find_last_not_of('0') + 1);
    out += "." + digits;
  }
  return out;
}

// PostgreSQL's EncodeDateTime for the session time zone UTC.
std::string FormatTimestamp(int64_t micros, bool with_zone, const OutputOptions& options) {
  if (micros == kTimestampInfinity) return "infinity";
  if (micros == kTimestampMinusInfinity) return "-infinity";
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  std::string time = FormatTimeOfDay(micros - days * kMicrosPerDay);
  Civil c = CivilFromDays(days + kUnixToPostgresDays);
  std::string out;
  if (options.date_style == DateStyle::kPostgres) {
    int64_t weekday = days + 6 - FloorDiv(days + 6, 7) * 7;  // 2000-01-01 was a Saturday
    std::string_view month = kMonthAbbreviations[c.month - 1];
    out = options.date_order == DateOrder::kDmy
              ? fmt::format("{} {:02} {} {} {:04}", kDayAbbreviations[weekday], c.day, month, time,
                            c.year <= 0 ? 1 - c.year : c.year)
              : fmt::format("{} {} {:02} {} {:04}", kDayAbbreviations[weekday], month, c.day, time,
                            c.year <= 0 ? 1 - c.year : c.year);
  } else {
    out = FormatDatePart(c, options) + " " + time;
  }
  if (with_zone) out += options.date_style == DateStyle::kIso ? "+00" : " UTC";
  if (c.year <= 0) out += " BC";
  return out;
}

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

bool IsDateTimeType(TypeId type) {
  return type == TypeId::kDate || type == TypeId::kTime || type == TypeId::kTimestamp ||
         type == TypeId::kTimestampTz;
}

const TypeInfo& DateTimeTypeInfo(TypeId type) {
  for (const TypeInfo& info : kDateTimeTypes) {
    if (info.id == type) return info;
  }
  BOREALIS_CHECK(false, "not a date/time type", static_cast<uint32_t>(type));
  __builtin_unreachable();
}

std::optional<TypeId> DateTimeTypeFromName(std::string_view name) {
  for (const TypeInfo& info : kDateTimeTypes) {
    if (info.name == name) return info.id;
  }
  if (name == "timestamp without time zone") return TypeId::kTimestamp;
  if (name == "timestamp with time zone") return TypeId::kTimestampTz;
  if (name == "time without time zone") return TypeId::kTime;
  return std::nullopt;
}

Result<Value> ParseDateTimeText(TypeId type, std::string_view text) {
  return ParseDateTimeInput(type, text, DateTimeInputOptions{});  // sql/datetime_input.h
}

std::string FormatDateTimeText(const Value& value, const OutputOptions& options) {
  int64_t v = value.int_value();
  switch (value.type()) {
    case TypeId::kDate:
      if (v == kDateInfinity) return "infinity";
      if (v == kDateMinusInfinity) return "-infinity";
      return FormatDate(v, options);
    case TypeId::kTime:
      return FormatTimeOfDay(v);
    case TypeId::kTimestamp:
      return FormatTimestamp(v, false, options);
    case TypeId::kTimestampTz:
      return FormatTimestamp(v, true, options);
    default:
      BOREALIS_CHECK(false, "not a date/time type", static_cast<uint32_t>(value.type()));
      __builtin_unreachable();
  }
}

Result<Value> ReceiveDateTimeBinary(TypeId type, std::string_view bytes) {
  size_t size = type == TypeId::kDate ? 4 : 8;
  if (bytes.size() != size) {
    return Status::Sql("22P03", "incorrect binary data format");
  }
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  int64_t value = type == TypeId::kDate ? static_cast<int32_t>(v) : static_cast<int64_t>(v);
  if (type == TypeId::kTime && (value < 0 || value > kMicrosPerDay)) {
    return Status::Sql("22008", "time out of range");
  }
  return Value::Int(type, value);
}

std::string SendDateTimeBinary(const Value& value) {
  std::string out;
  PutBigEndian(out, static_cast<uint64_t>(value.int_value()),
               value.type() == TypeId::kDate ? 4 : 8);
  return out;
}

bool CanCastDateTime(TypeId from, TypeId to, CastContext context) {
  auto allowed = [context](CastContext needed) { return context >= needed; };
  switch (from) {
    case TypeId::kDate:
      return to == TypeId::kTimestamp || to == TypeId::kTimestampTz;
    case TypeId::kTimestamp:
      if (to == TypeId::kTimestampTz) return true;
      return (to == TypeId::kDate || to == TypeId::kTime) && allowed(CastContext::kAssignment);
    case TypeId::kTimestampTz:
      return (to == TypeId::kDate || to == TypeId::kTime || to == TypeId::kTimestamp) &&
             allowed(CastContext::kAssignment);
    default:
      return false;
  }
}

Result<Value> CastDateTimeValue(const Value& value, TypeId to) {
  TypeId from = value.type();
  int64_t v = value.int_value();
  if (from == TypeId::kDate) {
    if (v == kDateInfinity) return Value::Int(to, kTimestampInfinity);
    if (v == kDateMinusInfinity) return Value::Int(to, kTimestampMinusInfinity);
    if (v >= kMaxTimestampDays) return Status::Sql("22008", "date out of range for timestamp");
    return Value::Int(to, v * kMicrosPerDay);
  }
  bool infinite = v == kTimestampInfinity || v == kTimestampMinusInfinity;
  switch (to) {
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Value::Int(to, v);
    case TypeId::kDate:
      if (infinite) return Value::Int(to, v > 0 ? kDateInfinity : kDateMinusInfinity);
      return Value::Int(to, FloorDiv(v, kMicrosPerDay));
    case TypeId::kTime:
      if (infinite) return Status::Sql("22008", "timestamp out of range");
      return Value::Int(to, v - FloorDiv(v, kMicrosPerDay) * kMicrosPerDay);
    default:
      return Status::Sql(
          "42846", fmt::format("cannot cast type {} to {}", DateTimeTypeInfo(from).display_name,
                               DateTimeTypeInfo(to).display_name));
  }
}

CivilDate CivilFromPostgresDays(int64_t days) {
  Civil c = CivilFromDays(days + kUnixToPostgresDays);
  return CivilDate{c.year, c.month, c.day};
}

int64_t PostgresDaysFromCivil(int64_t year, int64_t month, int64_t day) {
  return DaysFromCivil(year, month, day) - kUnixToPostgresDays;
}

int64_t DaysInCivilMonth(int64_t year, int64_t month) { return DaysInMonth(year, month); }

Value TimestampFromUnixNanos(uint64_t unix_nanos, TypeId type) {
  int64_t micros = static_cast<int64_t>(unix_nanos / 1000) - kPostgresEpochUnixSeconds * 1'000'000;
  return Value::Int(type, micros);
}

}  // namespace borealis::sql
