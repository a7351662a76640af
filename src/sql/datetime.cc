#include "sql/datetime.h"

#include <array>
#include <cctype>
#include <limits>
#include <optional>

#include "fmt/format.h"

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
constexpr int64_t kMaxTimestampDays = 106741034;  // 294277-01-01 (exclusive)
constexpr int64_t kMaxDateDays = 2145031948;      // 5874898-01-01 (exclusive)

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

Status InvalidSyntax(TypeId type, std::string_view text) {
  return Status::Sql("22007", fmt::format("invalid input syntax for type {}: \"{}\"",
                                          DateTimeTypeInfo(type).display_name, text));
}

Status FieldOutOfRange(std::string_view text) {
  return Status::Sql("22008", fmt::format("date/time field value out of range: \"{}\"", text));
}

// A cursor over the input.
struct Scanner {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  void SkipSpaces() {
    while (!done() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  // Up to `max` digits; nullopt when there are none.
  std::optional<int64_t> Digits(size_t max, size_t* count = nullptr) {
    size_t start = i;
    int64_t v = 0;
    while (!done() && i - start < max && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i;
    }
    if (count != nullptr) *count = i - start;
    if (i == start) return std::nullopt;
    return v;
  }
  bool Eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  bool EatWord(std::string_view word) {
    if (s.size() - i < word.size()) return false;
    for (size_t k = 0; k < word.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(s[i + k])) != word[k]) return false;
    }
    i += word.size();
    return true;
  }
};

struct Parsed {
  bool has_date = false;
  int64_t year = 0, month = 0, day = 0;
  bool has_time = false;
  int64_t micros = 0;  // time of day
  bool has_zone = false;
  int64_t zone_seconds = 0;  // offset east of UTC
  bool bc = false;
};

// HH:MM[:SS[.fraction]] into microseconds; 24:00:00 is allowed.
bool ParseTimeOfDay(Scanner& in, int64_t& micros, bool& out_of_range) {
  std::optional<int64_t> hour = in.Digits(2);
  if (!hour || !in.Eat(':')) return false;
  std::optional<int64_t> minute = in.Digits(2);
  if (!minute) return false;
  int64_t second = 0, fraction = 0;
  if (in.Eat(':')) {
    std::optional<int64_t> s = in.Digits(2);
    if (!s) return false;
    second = *s;
    if (in.Eat('.')) {
      size_t count = 0;
      size_t start = in.i;
      std::optional<int64_t> digits = in.Digits(18, &count);
      if (!digits) return false;
      // Round to microseconds (half away from zero, as PostgreSQL's rint on positive values).
      std::string_view f = in.s.substr(start, count);
      int64_t us = 0;
      for (size_t k = 0; k < 6; ++k) us = us * 10 + (k < f.size() ? f[k] - '0' : 0);
      if (f.size() > 6 && f[6] >= '5') ++us;
      fraction = us;
    }
  }
  if (*hour > 24 || *minute > 59 || second > 60 ||
      (*hour == 24 && (*minute != 0 || second != 0 || fraction != 0))) {
    out_of_range = true;
  }
  micros = ((*hour * 60 + *minute) * 60 + second) * 1'000'000 + fraction;
  return true;
}

// Z, UTC, GMT, +hh, +hhmm, +hh:mm[:ss].
bool ParseZone(Scanner& in, int64_t& seconds) {
  if (in.EatWord("z") || in.EatWord("utc") || in.EatWord("gmt")) {
    seconds = 0;
    return true;
  }
  char sign = in.peek();
  if (sign != '+' && sign != '-') return false;
  ++in.i;
  size_t count = 0;
  std::optional<int64_t> hours = in.Digits(4, &count);
  if (!hours) return false;
  int64_t h = *hours, m = 0, s = 0;
  if (count == 4) {
    h = *hours / 100;
    m = *hours % 100;
  } else if (count > 2) {
    return false;
  } else if (in.Eat(':')) {
    std::optional<int64_t> minutes = in.Digits(2);
    if (!minutes) return false;
    m = *minutes;
    if (in.Eat(':')) {
      std::optional<int64_t> secs = in.Digits(2);
      if (!secs) return false;
      s = *secs;
    }
  }
  if (h > 15 || m > 59 || s > 59) return false;
  seconds = (h * 3600 + m * 60 + s) * (sign == '-' ? -1 : 1);
  return true;
}

// The forms this module reads: [date] [T| ] [time] [zone] [BC|AD]. `out_of_range` reports
// fields outside their ranges (22008) once the syntax is fine.
bool ParseFields(std::string_view text, Parsed& p, bool& out_of_range) {
  Scanner in{text};
  in.SkipSpaces();
  size_t save = in.i;
  size_t year_digits = 0;
  std::optional<int64_t> year = in.Digits(9, &year_digits);
  if (year && in.Eat('-')) {
    std::optional<int64_t> month = in.Digits(2);
    if (!month || !in.Eat('-')) return false;
    std::optional<int64_t> day = in.Digits(2);
    if (!day) return false;
    p.has_date = true;
    p.year = *year;
    p.month = *month;
    p.day = *day;
    if (in.Eat('T') || in.Eat('t')) {
      if (!ParseTimeOfDay(in, p.micros, out_of_range)) return false;
      p.has_time = true;
    } else {
      in.SkipSpaces();
      if (std::isdigit(static_cast<unsigned char>(in.peek()))) {
        if (!ParseTimeOfDay(in, p.micros, out_of_range)) return false;
        p.has_time = true;
      }
    }
  } else {
    in.i = save;
    if (!ParseTimeOfDay(in, p.micros, out_of_range)) return false;
    p.has_time = true;
  }
  in.SkipSpaces();
  if (!in.done() && (in.peek() == '+' || in.peek() == '-' ||
                     std::isalpha(static_cast<unsigned char>(in.peek())))) {
    size_t before = in.i;
    if (ParseZone(in, p.zone_seconds)) {
      p.has_zone = true;
    } else {
      in.i = before;
    }
  }
  in.SkipSpaces();
  if (in.EatWord("bc")) {
    p.bc = true;
  } else {
    in.EatWord("ad");
  }
  in.SkipSpaces();
  if (!in.done()) return false;
  if (p.has_date) {
    if (p.year == 0 || p.month < 1 || p.month > 12 || p.day < 1) {
      out_of_range = true;
    } else {
      int64_t astronomical = p.bc ? 1 - p.year : p.year;
      if (p.day > DaysInMonth(astronomical, p.month)) out_of_range = true;
    }
  }
  return true;
}

// Days since 2000-01-01 of the parsed date.
int64_t PostgresDays(const Parsed& p) {
  int64_t year = p.bc ? 1 - p.year : p.year;
  return DaysFromCivil(year, p.month, p.day) - kUnixToPostgresDays;
}

std::optional<int64_t> Special(std::string_view text, TypeId type) {
  std::string lower;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  bool date = type == TypeId::kDate;
  if (lower == "infinity" || lower == "+infinity") return date ? kDateInfinity : kTimestampInfinity;
  if (lower == "-infinity") return date ? kDateMinusInfinity : kTimestampMinusInfinity;
  if (lower == "epoch") return date ? -kUnixToPostgresDays : -kPostgresEpochUnixSeconds * 1'000'000;
  return std::nullopt;
}

std::string FormatDate(int64_t days) {
  Civil c = CivilFromDays(days + kUnixToPostgresDays);
  if (c.year <= 0) return fmt::format("{:04}-{:02}-{:02} BC", 1 - c.year, c.month, c.day);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
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

std::string FormatTimestamp(int64_t micros, bool with_zone) {
  if (micros == kTimestampInfinity) return "infinity";
  if (micros == kTimestampMinusInfinity) return "-infinity";
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t time = micros - days * kMicrosPerDay;
  std::string date = FormatDate(days);
  bool bc = date.size() > 3 && date.compare(date.size() - 3, 3, " BC") == 0;
  if (bc) date.resize(date.size() - 3);
  std::string out = date + " " + FormatTimeOfDay(time);
  if (with_zone) out += "+00";
  if (bc) out += " BC";
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
  if (type != TypeId::kTime) {
    if (std::optional<int64_t> special = Special(text, type)) return Value::Int(type, *special);
  }
  Parsed p;
  bool out_of_range = false;
  if (!ParseFields(text, p, out_of_range)) return InvalidSyntax(type, text);
  if (type == TypeId::kTime) {
    if (!p.has_time) return InvalidSyntax(type, text);
    if (out_of_range) return FieldOutOfRange(text);
    return Value::Int(type, p.micros);
  }
  if (!p.has_date) return InvalidSyntax(type, text);
  if (out_of_range) return FieldOutOfRange(text);
  int64_t days = PostgresDays(p);
  if (type == TypeId::kDate) {
    if (days < kMinDays || days >= kMaxDateDays) {
      return Status::Sql("22008", fmt::format("date out of range: \"{}\"", text));
    }
    return Value::Int(type, days);
  }
  if (days < kMinDays || days >= kMaxTimestampDays) {
    return Status::Sql("22008", fmt::format("timestamp out of range: \"{}\"", text));
  }
  int64_t micros = days * kMicrosPerDay + p.micros;
  if (type == TypeId::kTimestampTz && p.has_zone) micros -= p.zone_seconds * 1'000'000;
  return Value::Int(type, micros);
}

std::string FormatDateTimeText(const Value& value) {
  int64_t v = value.int_value();
  switch (value.type()) {
    case TypeId::kDate:
      if (v == kDateInfinity) return "infinity";
      if (v == kDateMinusInfinity) return "-infinity";
      return FormatDate(v);
    case TypeId::kTime:
      return FormatTimeOfDay(v);
    case TypeId::kTimestamp:
      return FormatTimestamp(v, false);
    case TypeId::kTimestampTz:
      return FormatTimestamp(v, true);
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

Value TimestampFromUnixNanos(uint64_t unix_nanos, TypeId type) {
  int64_t micros = static_cast<int64_t>(unix_nanos / 1000) - kPostgresEpochUnixSeconds * 1'000'000;
  return Value::Int(type, micros);
}

}  // namespace borealis::sql
