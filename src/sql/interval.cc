#include "sql/interval.h"

#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include "fmt/format.h"
#include "sql/datetime.h"
#include "sql/datetime_units.h"

namespace borealis::sql {
namespace {

constexpr TypeInfo kIntervalType = {TypeId::kInterval,       "interval", "interval", 16,
                                    TypeCategory::kTimespan, true};

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr int64_t kDaysPerMonth = 30;  // PostgreSQL's DAYS_PER_MONTH
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();
constexpr int64_t kTimestampMinusInfinity = std::numeric_limits<int64_t>::min();
constexpr int64_t kDateInfinity = std::numeric_limits<int32_t>::max();
constexpr int64_t kDateMinusInfinity = std::numeric_limits<int32_t>::min();
// PostgreSQL's timestamp range: [4714-11-24 00:00 BC, 294277-01-01 00:00).
constexpr int64_t kMinTimestamp = -211'813'488'000'000'000;
constexpr int64_t kEndTimestamp = 9'223'371'331'200'000'000;
// Limit on the length of interval input (PostgreSQL's MAXDATELEN is far smaller).
constexpr size_t kMaxInputBytes = 1024;

// PostgreSQL's field bits (datetime.h: MONTH 1, YEAR 2, DAY 3, HOUR 10, MINUTE 11, SECOND 12),
// as used in interval type modifiers.
constexpr int32_t kMaskMonth = 1 << 1;
constexpr int32_t kMaskYear = 1 << 2;
constexpr int32_t kMaskDay = 1 << 3;
constexpr int32_t kMaskHour = 1 << 10;
constexpr int32_t kMaskMinute = 1 << 11;
constexpr int32_t kMaskSecond = 1 << 12;
constexpr int32_t kFullRange = 0x7FFF;
constexpr int32_t kFullPrecision = 0xFFFF;
constexpr int32_t kMaxPrecision = 6;

int32_t TypmodRange(int32_t typmod) { return typmod < 0 ? kFullRange : (typmod >> 16) & 0x7FFF; }
int32_t TypmodPrecision(int32_t typmod) { return typmod < 0 ? kFullPrecision : typmod & 0xFFFF; }

Status OutOfRange() { return Status::Sql("22008", "interval out of range"); }
Status TimestampOutOfRange() { return Status::Sql("22008", "timestamp out of range"); }

enum class Unit {
  kMicrosecond,
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kEpoch,
  kTimezone,  // timezone, timezone_h, timezone_m: fields of timestamptz only
};

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// The interval units of the shared name table (sql/datetime_units.h): deltatktbl, plus epoch
// for extract; timezone, timezone_h and timezone_m are one (refused) unit here.
std::optional<Unit> LookupUnit(std::string_view word) {
  const DateTimeFieldName* name = LookupDateTimeField(word);
  if (name == nullptr || (!name->is_unit && name->field != DateTimeField::kEpoch)) {
    return std::nullopt;
  }
  switch (name->field) {
    case DateTimeField::kMicroseconds:
      return Unit::kMicrosecond;
    case DateTimeField::kMilliseconds:
      return Unit::kMillisecond;
    case DateTimeField::kSecond:
      return Unit::kSecond;
    case DateTimeField::kMinute:
      return Unit::kMinute;
    case DateTimeField::kHour:
      return Unit::kHour;
    case DateTimeField::kDay:
      return Unit::kDay;
    case DateTimeField::kWeek:
      return Unit::kWeek;
    case DateTimeField::kMonth:
      return Unit::kMonth;
    case DateTimeField::kQuarter:
      return Unit::kQuarter;
    case DateTimeField::kYear:
      return Unit::kYear;
    case DateTimeField::kDecade:
      return Unit::kDecade;
    case DateTimeField::kCentury:
      return Unit::kCentury;
    case DateTimeField::kMillennium:
      return Unit::kMillennium;
    case DateTimeField::kEpoch:
      return Unit::kEpoch;
    case DateTimeField::kTimezone:
    case DateTimeField::kTimezoneHour:
    case DateTimeField::kTimezoneMinute:
      return Unit::kTimezone;
    case DateTimeField::kDow:
    case DateTimeField::kDoy:
    case DateTimeField::kIsoDow:
    case DateTimeField::kIsoYear:
    case DateTimeField::kJulian:
      break;
  }
  return std::nullopt;
}

// Fields accumulated while parsing, wide enough that no sum of in-range inputs overflows.
struct Accumulator {
  __int128 years = 0;  // kept apart: a months overflow of years * 12 is 22008, not 22015
  __int128 months = 0;
  __int128 days = 0;
  __int128 micros = 0;
};

// Adds frac * scale microseconds, rounding the fractional microsecond (AdjustFractMicroseconds).
void AddFractionMicros(Accumulator& acc, double frac, double scale) {
  if (frac == 0) return;
  double v = frac * scale;
  acc.micros +=
      static_cast<__int128>(std::trunc(v)) + static_cast<__int128>(std::rint(v - std::trunc(v)));
}

// Adds frac * scale days: whole days into days, the rest into microseconds (AdjustFractDays).
void AddFractionDays(Accumulator& acc, double frac, double scale) {
  if (frac == 0) return;
  double v = frac * scale;
  double whole = std::trunc(v);
  acc.days += static_cast<__int128>(whole);
  AddFractionMicros(acc, v - whole, static_cast<double>(kMicrosPerDay));
}

// A number as interval input writes it: integer part and signed fraction.
struct Number {
  int64_t whole = 0;
  double fraction = 0;
  bool has_fraction = false;
};

// [+-]digits[.digits] or [+-].digits; nullopt on bad syntax; `overflow` when too large.
std::optional<Number> ParseNumber(std::string_view s, bool& overflow) {
  Number n;
  bool negative = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  size_t digits_start = i;
  __int128 whole = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > static_cast<__int128>(std::numeric_limits<int64_t>::max()) + 1) {
      overflow = true;
      whole = 0;
    }
    ++i;
  }
  bool has_digits = i > digits_start;
  if (i < s.size() && s[i] == '.') {
    size_t fraction_start = i;
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    has_digits = has_digits || i > fraction_start + 1;
    n.fraction =
        std::strtod(std::string(s.substr(fraction_start, i - fraction_start)).c_str(), nullptr);
    n.has_fraction = true;
  }
  if (!has_digits || i != s.size()) return std::nullopt;
  if (!negative && whole > std::numeric_limits<int64_t>::max()) overflow = true;
  n.whole = static_cast<int64_t>(negative ? -whole : whole);
  if (negative) n.fraction = -n.fraction;
  return n;
}

// Bits of the fields already given, so that `1 day 2 days` is rejected as PostgreSQL does.
enum FieldBit : uint32_t {
  kBitMicro = 1,
  kBitMilli = 2,
  kBitSecond = 4,
  kBitMinute = 8,
  kBitHour = 16,
  kBitDay = 32,
  kBitWeek = 64,
  kBitMonth = 128,
  kBitYear = 256,
  kBitDecade = 512,
  kBitCentury = 1024,
  kBitMillennium = 2048,
};

// Adds `number` of `unit` (DecodeInterval's per-unit cases); false for units intervals do not
// take (quarter, epoch). Sets `bits` to the fields this consumed.
bool AddUnit(Accumulator& acc, Unit unit, const Number& n, uint32_t& bits) {
  double f = n.fraction;
  switch (unit) {
    case Unit::kMicrosecond:
      acc.micros += n.whole;
      acc.micros += static_cast<__int128>(std::rint(f));
      bits = kBitMicro;
      return true;
    case Unit::kMillisecond:
      acc.micros += static_cast<__int128>(n.whole) * 1000;
      AddFractionMicros(acc, f, 1000);
      bits = kBitMilli;
      return true;
    case Unit::kSecond:
      acc.micros += static_cast<__int128>(n.whole) * kMicrosPerSecond;
      AddFractionMicros(acc, f, kMicrosPerSecond);
      bits = f == 0 ? kBitSecond : (kBitSecond | kBitMilli | kBitMicro);
      return true;
    case Unit::kMinute:
      acc.micros += static_cast<__int128>(n.whole) * kMicrosPerMinute;
      AddFractionMicros(acc, f, kMicrosPerMinute);
      bits = kBitMinute;
      return true;
    case Unit::kHour:
      acc.micros += static_cast<__int128>(n.whole) * kMicrosPerHour;
      AddFractionMicros(acc, f, kMicrosPerHour);
      bits = kBitHour;
      return true;
    case Unit::kDay:
      acc.days += n.whole;
      AddFractionMicros(acc, f, kMicrosPerDay);
      bits = kBitDay;
      return true;
    case Unit::kWeek:
      acc.days += static_cast<__int128>(n.whole) * 7;
      AddFractionDays(acc, f, 7);
      bits = kBitWeek;
      return true;
    case Unit::kMonth:
      acc.months += n.whole;
      AddFractionDays(acc, f, kDaysPerMonth);
      bits = kBitMonth;
      return true;
    case Unit::kYear:
    case Unit::kDecade:
    case Unit::kCentury:
    case Unit::kMillennium: {
      int64_t years = unit == Unit::kYear      ? 1
                      : unit == Unit::kDecade  ? 10
                      : unit == Unit::kCentury ? 100
                                               : 1000;
      acc.years += static_cast<__int128>(n.whole) * years;
      acc.months += static_cast<__int128>(std::rint(f * static_cast<double>(years) * 12));
      bits = unit == Unit::kYear      ? kBitYear
             : unit == Unit::kDecade  ? kBitDecade
             : unit == Unit::kCentury ? kBitCentury
                                      : kBitMillennium;
      return true;
    }
    case Unit::kQuarter:
    case Unit::kEpoch:
    case Unit::kTimezone:
      return false;
  }
  return false;
}

enum class Parse { kOk, kBadFormat, kOverflow };

// h:m, h:m:s, h:m:s.f and m:s.f (two fields with a fraction are minutes and seconds, as are two
// fields under MINUTE TO SECOND); unsigned. PostgreSQL's DecodeTimeForInterval.
Parse ParseTimeField(std::string_view s, int32_t range, __int128& micros) {
  std::array<std::string_view, 3> parts;
  size_t count = 0;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ':') {
      if (count == parts.size()) return Parse::kBadFormat;
      parts[count++] = s.substr(start, i - start);
      start = i + 1;
    }
  }
  if (count < 2) return Parse::kBadFormat;
  auto whole = [](std::string_view p, int64_t& v) {
    if (p.empty() || p.size() > 18) return false;
    v = 0;
    for (char c : p) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      v = v * 10 + (c - '0');
    }
    return true;
  };
  int64_t hour = 0, minute = 0, second = 0;
  double fraction = 0;
  if (!whole(parts[0], hour)) return Parse::kBadFormat;
  std::string_view last = parts[count - 1];
  size_t dot = last.find('.');
  std::string_view last_whole = last.substr(0, dot);
  if (!whole(last_whole, count == 2 ? minute : second)) return Parse::kBadFormat;
  if (dot != std::string_view::npos) {
    std::string_view digits = last.substr(dot + 1);
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return Parse::kBadFormat;
    }
    fraction = std::strtod(("0." + std::string(digits)).c_str(), nullptr);
  }
  if (count == 3 && !whole(parts[1], minute)) return Parse::kBadFormat;
  if (count == 2 && (dot != std::string_view::npos || range == (kMaskMinute | kMaskSecond))) {
    // mm:ss[.fff]
    second = minute;
    minute = hour;
    hour = 0;
  } else if (count == 2 && dot != std::string_view::npos) {
    return Parse::kBadFormat;
  }
  if (minute > 59 || second > 59) return Parse::kOverflow;
  micros = static_cast<__int128>(hour) * kMicrosPerHour + minute * kMicrosPerMinute +
           second * kMicrosPerSecond + static_cast<__int128>(std::rint(fraction * 1e6));
  return Parse::kOk;
}

// The unit a bare number stands for under a typmod range (its rightmost field).
Unit RangeDefaultUnit(int32_t range) {
  switch (range) {
    case kMaskYear:
      return Unit::kYear;
    case kMaskMonth:
    case kMaskYear | kMaskMonth:
      return Unit::kMonth;
    case kMaskDay:
      return Unit::kDay;
    case kMaskHour:
    case kMaskDay | kMaskHour:
      return Unit::kHour;
    case kMaskMinute:
    case kMaskHour | kMaskMinute:
    case kMaskDay | kMaskHour | kMaskMinute:
      return Unit::kMinute;
    default:
      return Unit::kSecond;
  }
}

struct Token {
  enum Kind { kNumber, kTime, kYearMonth, kWord, kAt } kind;
  std::string_view text;
};

// Splits input into numbers (with embedded '.', ':' and '-'), words and '@'.
bool Tokenize(std::string_view s, std::vector<Token>& tokens) {
  size_t i = 0;
  auto is_digit = [&](size_t k) {
    return k < s.size() && (std::isdigit(static_cast<unsigned char>(s[k])) || s[k] == '.');
  };
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '@') {
      tokens.push_back({Token::kAt, s.substr(i, 1)});
      ++i;
    } else if (is_digit(i) || ((c == '+' || c == '-') && is_digit(i + 1))) {
      size_t start = i++;
      bool time = false;
      bool year_month = false;
      while (i < s.size() && (is_digit(i) || s[i] == ':' || s[i] == '-')) {
        time = time || s[i] == ':';
        year_month = year_month || s[i] == '-';
        ++i;
      }
      if (time && year_month) return false;
      tokens.push_back({time ? Token::kTime : (year_month ? Token::kYearMonth : Token::kNumber),
                        s.substr(start, i - start)});
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t start = i;
      while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
      tokens.push_back({Token::kWord, s.substr(start, i - start)});
    } else if (std::ispunct(static_cast<unsigned char>(c)) && c != '+' && c != '-') {
      ++i;  // other punctuation only delimits fields, as in ParseDateTime (`1 mon, 2 days`)
    } else {
      return false;
    }
    if (tokens.size() > 64) return false;
  }
  return true;
}

// PostgreSQL's DecodeInterval: fields right to left, a bare number taking the unit written
// after it (or the typmod's rightmost field), `ago` negating the result.
Parse DecodePostgres(std::string_view text, int32_t range, Accumulator& acc) {
  std::vector<Token> tokens;
  if (!Tokenize(text, tokens)) return Parse::kBadFormat;
  Unit pending = Unit::kSecond;  // unit for the next number to the left, when has_pending
  bool has_pending = false;
  bool pending_reserved = false;  // after `ago` a number needs an explicit unit
  bool ago = false;
  uint32_t seen = 0;
  for (size_t k = tokens.size(); k-- > 0;) {
    const Token& t = tokens[k];
    uint32_t bits = 0;
    switch (t.kind) {
      case Token::kAt:
        has_pending = false;
        pending_reserved = false;
        continue;
      case Token::kWord: {
        if (Lower(t.text) == "ago") {
          ago = true;
          has_pending = false;
          pending_reserved = true;
          continue;
        }
        std::optional<Unit> unit = LookupUnit(t.text);
        if (!unit || *unit == Unit::kEpoch) return Parse::kBadFormat;
        pending = *unit;
        has_pending = true;
        pending_reserved = false;
        continue;
      }
      case Token::kTime: {
        bool negative = t.text[0] == '-';
        std::string_view body = t.text;
        if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
        __int128 micros = 0;
        Parse p = ParseTimeField(body, range, micros);
        if (p != Parse::kOk) return p;
        acc.micros += negative ? -micros : micros;
        bits = kBitHour | kBitMinute | kBitSecond | kBitMilli | kBitMicro;
        pending = Unit::kDay;
        has_pending = true;
        pending_reserved = false;
        break;
      }
      case Token::kYearMonth: {
        std::string_view body = t.text;
        bool negative = body[0] == '-';
        if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
        size_t dash = body.find('-');
        bool overflow = false;
        std::optional<Number> years = ParseNumber(body.substr(0, dash), overflow);
        std::optional<Number> months = ParseNumber(body.substr(dash + 1), overflow);
        if (!years || !months || years->has_fraction || months->has_fraction ||
            body.substr(dash + 1).find_first_of("+-") != std::string_view::npos) {
          return Parse::kBadFormat;
        }
        if (overflow) return Parse::kOverflow;
        __int128 total = static_cast<__int128>(years->whole) * 12 + months->whole;
        acc.months += negative ? -total : total;
        bits = kBitMonth;
        pending = Unit::kMonth;
        has_pending = true;
        pending_reserved = false;
        break;
      }
      case Token::kNumber: {
        if (pending_reserved) return Parse::kBadFormat;
        bool overflow = false;
        std::optional<Number> n = ParseNumber(t.text, overflow);
        if (!n) return Parse::kBadFormat;
        if (overflow) return Parse::kOverflow;
        Unit unit = has_pending ? pending : RangeDefaultUnit(range);
        if (!AddUnit(acc, unit, *n, bits)) return Parse::kBadFormat;
        // After an hour, a bare number to its left is a day (SQL's `D H`).
        pending = unit == Unit::kHour ? Unit::kDay : unit;
        has_pending = true;
        break;
      }
    }
    if ((bits & seen) != 0) return Parse::kBadFormat;
    seen |= bits;
  }
  if (seen == 0) return Parse::kBadFormat;
  if (ago) {
    acc.years = -acc.years;
    acc.months = -acc.months;
    acc.days = -acc.days;
    acc.micros = -acc.micros;
  }
  return Parse::kOk;
}

// An ISO 8601 number: strtod's syntax (so `10.5e4` too), truncated toward zero into whole and
// fraction (ParseISO8601Number). `length` is the number of characters read.
Parse IsoNumber(std::string_view s, size_t at, Number& n, size_t& length) {
  std::string text(s.substr(at, std::min<size_t>(s.size() - at, 64)));
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.' ||
                        text[0] == '-' || text[0] == '+')) {
    return Parse::kBadFormat;
  }
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || errno != 0) return Parse::kBadFormat;
  if (std::isnan(v) || v < -1.0e15 || v > 1.0e15) return Parse::kOverflow;
  length = static_cast<size_t>(end - text.c_str());
  double whole = std::trunc(v);
  n = Number{static_cast<int64_t>(whole), v - whole, v != whole};
  return Parse::kOk;
}

// ISO 8601 "format with designators" (P1Y2M3W4DT5H6M7.5S) and the "alternative format",
// extended (P0001-02-03T04:05:06) or basic (P00010203T040506). PostgreSQL's
// DecodeISO8601Interval.
Parse DecodeIso8601(std::string_view s, Accumulator& acc) {
  size_t i = 1;  // past 'P'
  bool date_part = true;
  bool have_field = false;
  if (i >= s.size()) return Parse::kBadFormat;
  uint32_t bits = 0;
  auto next = [&](Number& n) {
    size_t length = 0;
    Parse p = IsoNumber(s, i, n, length);
    if (p == Parse::kOk) i += length;
    return p;
  };
  auto at = [&](size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < s.size()) {
    if (s[i] == 'T' || s[i] == 't') {
      if (!date_part) return Parse::kBadFormat;
      date_part = false;
      have_field = false;
      ++i;
      continue;
    }
    size_t field_start = i;
    Number n;
    if (Parse p = next(n); p != Parse::kOk) return p;
    size_t field_length = i - field_start;
    char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(at(i))));
    if (unit != '\0') ++i;
    if (date_part) {
      switch (unit) {
        case 'Y':
          AddUnit(acc, Unit::kYear, n, bits);
          break;
        case 'M':
          AddUnit(acc, Unit::kMonth, n, bits);
          break;
        case 'W':
          AddUnit(acc, Unit::kWeek, n, bits);
          break;
        case 'D':
          AddUnit(acc, Unit::kDay, n, bits);
          break;
        case 'T':
        case '\0':
          if (field_length == 8 && !n.has_fraction && n.whole >= 0) {  // YYYYMMDD
            acc.years += n.whole / 10000;
            acc.months += n.whole / 100 % 100;
            acc.days += n.whole % 100;
            if (unit == '\0') return Parse::kOk;
            date_part = false;
            have_field = false;
            continue;
          }
          [[fallthrough]];
        case '-': {  // YYYY-MM-DD, any number of digits
          if (have_field) return Parse::kBadFormat;
          AddUnit(acc, Unit::kYear, n, bits);
          if (unit == '\0') return Parse::kOk;
          if (unit == 'T') {
            date_part = false;
            have_field = false;
            continue;
          }
          if (Parse p = next(n); p != Parse::kOk) return p;
          AddUnit(acc, Unit::kMonth, n, bits);
          if (at(i) == '\0') return Parse::kOk;
          if (at(i) == 'T') {
            ++i;
            date_part = false;
            have_field = false;
            continue;
          }
          if (at(i) != '-') return Parse::kBadFormat;
          ++i;
          if (Parse p = next(n); p != Parse::kOk) return p;
          AddUnit(acc, Unit::kDay, n, bits);
          if (at(i) == '\0') return Parse::kOk;
          if (at(i) == 'T') {
            ++i;
            date_part = false;
            have_field = false;
            continue;
          }
          return Parse::kBadFormat;
        }
        default:
          return Parse::kBadFormat;
      }
    } else {
      switch (unit) {
        case 'H':
          AddUnit(acc, Unit::kHour, n, bits);
          break;
        case 'M':
          AddUnit(acc, Unit::kMinute, n, bits);
          break;
        case 'S':
          AddUnit(acc, Unit::kSecond, n, bits);
          break;
        case '\0':
          if (field_length == 6 && n.whole >= 0) {  // HHMMSS[.fff]
            acc.micros += static_cast<__int128>(n.whole / 10000) * kMicrosPerHour +
                          static_cast<__int128>(n.whole / 100 % 100) * kMicrosPerMinute +
                          static_cast<__int128>(n.whole % 100) * kMicrosPerSecond;
            AddFractionMicros(acc, n.fraction, kMicrosPerSecond);
            return Parse::kOk;
          }
          [[fallthrough]];
        case ':': {  // hh:mm:ss, any number of digits
          if (have_field) return Parse::kBadFormat;
          AddUnit(acc, Unit::kHour, n, bits);
          if (unit == '\0') return Parse::kOk;
          if (Parse p = next(n); p != Parse::kOk) return p;
          AddUnit(acc, Unit::kMinute, n, bits);
          if (at(i) == '\0') return Parse::kOk;
          if (at(i) != ':') return Parse::kBadFormat;
          ++i;
          if (Parse p = next(n); p != Parse::kOk) return p;
          AddUnit(acc, Unit::kSecond, n, bits);
          if (at(i) == '\0') return Parse::kOk;
          return Parse::kBadFormat;
        }
        default:
          return Parse::kBadFormat;
      }
    }
    have_field = true;
  }
  return Parse::kOk;
}

// Interval fields broken down as PostgreSQL's interval2itm: all share the sign of their field.
struct Broken {
  int64_t years, months, days, hours, minutes, seconds, micros;
};

Broken Breakdown(const Interval& v) {
  Broken b{};
  b.years = v.months / 12;
  b.months = v.months % 12;
  b.days = v.days;
  int64_t t = v.micros;
  b.hours = t / kMicrosPerHour;
  t -= b.hours * kMicrosPerHour;
  b.minutes = t / kMicrosPerMinute;
  t -= b.minutes * kMicrosPerMinute;
  b.seconds = t / kMicrosPerSecond;
  b.micros = t - b.seconds * kMicrosPerSecond;
  return b;
}

// Seconds with up to six fraction digits, trailing zeros dropped (AppendSeconds).
std::string Seconds(int64_t seconds, int64_t micros, bool zero_pad) {
  std::string out =
      zero_pad ? fmt::format("{:02}", std::llabs(seconds)) : fmt::format("{}", std::llabs(seconds));
  if (micros != 0) {
    std::string digits = fmt::format("{:06}", std::llabs(micros));
    digits.erase(digits.find_last_not_of('0') + 1);
    out += "." + digits;
  }
  return out;
}

std::string FormatPostgres(const Broken& b) {
  std::string out;
  bool is_zero = true;
  bool is_before = false;
  auto part = [&](int64_t value, std::string_view unit) {
    if (value == 0) return;
    out += fmt::format("{}{}{} {}{}", is_zero ? "" : " ", is_before && value > 0 ? "+" : "", value,
                       unit, value != 1 ? "s" : "");
    is_before = value < 0;
    is_zero = false;
  };
  part(b.years, "year");
  part(b.months, "mon");
  part(b.days, "day");
  if (is_zero || b.hours != 0 || b.minutes != 0 || b.seconds != 0 || b.micros != 0) {
    bool minus = b.hours < 0 || b.minutes < 0 || b.seconds < 0 || b.micros < 0;
    out += fmt::format("{}{}{:02}:{:02}:", is_zero ? "" : " ", minus ? "-" : (is_before ? "+" : ""),
                       std::llabs(b.hours), std::llabs(b.minutes));
    out += Seconds(b.seconds, b.micros, true);
  }
  return out;
}

std::string FormatVerbose(const Broken& b) {
  std::string out = "@";
  bool is_zero = true;
  bool is_before = false;
  auto part = [&](int64_t value, std::string_view unit) {
    if (value == 0) return;
    if (is_zero) {
      is_before = value < 0;
      value = std::llabs(value);
    } else if (is_before) {
      value = -value;
    }
    out += fmt::format(" {} {}{}", value, unit, value == 1 ? "" : "s");
    is_zero = false;
  };
  part(b.years, "year");
  part(b.months, "mon");
  part(b.days, "day");
  part(b.hours, "hour");
  part(b.minutes, "min");
  if (b.seconds != 0 || b.micros != 0) {
    out += " ";
    if (b.seconds < 0 || (b.seconds == 0 && b.micros < 0)) {
      if (is_zero) {
        is_before = true;
      } else if (!is_before) {
        out += "-";
      }
    } else if (is_before) {
      out += "-";
    }
    out += Seconds(b.seconds, b.micros, false);
    out += fmt::format(" sec{}", std::llabs(b.seconds) != 1 || b.micros != 0 ? "s" : "");
    is_zero = false;
  }
  if (is_zero) out += " 0";
  if (is_before) out += " ago";
  return out;
}

std::string FormatSqlStandard(Broken b) {
  bool has_negative = b.years < 0 || b.months < 0 || b.days < 0 || b.hours < 0 || b.minutes < 0 ||
                      b.seconds < 0 || b.micros < 0;
  bool has_positive = b.years > 0 || b.months > 0 || b.days > 0 || b.hours > 0 || b.minutes > 0 ||
                      b.seconds > 0 || b.micros > 0;
  bool has_year_month = b.years != 0 || b.months != 0;
  bool has_day_time =
      b.days != 0 || b.hours != 0 || b.minutes != 0 || b.seconds != 0 || b.micros != 0;
  bool standard = !(has_negative && has_positive) && !(has_year_month && has_day_time);
  std::string out;
  if (has_negative && standard) {
    out = "-";
    b = Broken{-b.years, -b.months, -b.days, -b.hours, -b.minutes, -b.seconds, -b.micros};
  }
  if (!has_negative && !has_positive) return "0";
  if (!standard) {
    char year_sign = b.years < 0 || b.months < 0 ? '-' : '+';
    char day_sign = b.days < 0 ? '-' : '+';
    char second_sign = b.hours < 0 || b.minutes < 0 || b.seconds < 0 || b.micros < 0 ? '-' : '+';
    return out +
           fmt::format("{}{}-{} {}{} {}{}:{:02}:", year_sign, std::llabs(b.years),
                       std::llabs(b.months), day_sign, std::llabs(b.days), second_sign,
                       std::llabs(b.hours), std::llabs(b.minutes)) +
           Seconds(b.seconds, b.micros, true);
  }
  if (has_year_month) return out + fmt::format("{}-{}", b.years, b.months);
  if (b.days != 0) {
    return out + fmt::format("{} {}:{:02}:", b.days, b.hours, b.minutes) +
           Seconds(b.seconds, b.micros, true);
  }
  return out + fmt::format("{}:{:02}:", b.hours, b.minutes) + Seconds(b.seconds, b.micros, true);
}

std::string FormatIso8601(const Broken& b) {
  if (b.years == 0 && b.months == 0 && b.days == 0 && b.hours == 0 && b.minutes == 0 &&
      b.seconds == 0 && b.micros == 0) {
    return "PT0S";
  }
  std::string out = "P";
  auto part = [&](int64_t value, char unit) {
    if (value != 0) out += fmt::format("{}{}", value, unit);
  };
  part(b.years, 'Y');
  part(b.months, 'M');
  part(b.days, 'D');
  if (b.hours != 0 || b.minutes != 0 || b.seconds != 0 || b.micros != 0) out += "T";
  part(b.hours, 'H');
  part(b.minutes, 'M');
  if (b.seconds != 0 || b.micros != 0) {
    if (b.seconds < 0 || b.micros < 0) out += "-";
    out += Seconds(b.seconds, b.micros, false) + "S";
  }
  return out;
}

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

Result<Interval> Checked(__int128 months, __int128 days, __int128 micros) {
  if (months < std::numeric_limits<int32_t>::min() ||
      months > std::numeric_limits<int32_t>::max() || days < std::numeric_limits<int32_t>::min() ||
      days > std::numeric_limits<int32_t>::max() || micros < std::numeric_limits<int64_t>::min() ||
      micros > std::numeric_limits<int64_t>::max()) {
    return OutOfRange();
  }
  return Interval{static_cast<int32_t>(months), static_cast<int32_t>(days),
                  static_cast<int64_t>(micros)};
}

bool FitsInt32(double v) { return !std::isnan(v) && v >= -2147483648.0 && v <= 2147483647.0; }
bool FitsInt64(double v) {
  return !std::isnan(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0;
}
// PostgreSQL's TSROUND: round to 6 fraction digits.
double TsRound(double v) { return std::rint(v * 1e6) / 1e6; }

// interval_mul / interval_div: fractional months spill into days, fractional days into time.
Result<Interval> Scale(double month_value, double day_value, double time_value) {
  if (!FitsInt32(month_value) || !FitsInt32(day_value)) return OutOfRange();
  auto months = static_cast<int32_t>(month_value);
  auto days = static_cast<int32_t>(day_value);
  double month_remainder_days = TsRound((month_value - months) * kDaysPerMonth);
  double second_remainder =
      TsRound((day_value - days + month_remainder_days - static_cast<int>(month_remainder_days)) *
              kSecondsPerDay);
  __int128 day_total = days;
  if (std::fabs(second_remainder) >= kSecondsPerDay) {
    auto whole = static_cast<int>(second_remainder / kSecondsPerDay);
    day_total += whole;
    second_remainder -= static_cast<double>(whole) * kSecondsPerDay;
  }
  day_total += static_cast<int32_t>(month_remainder_days);
  double micros = std::rint(time_value + second_remainder * kMicrosPerSecond);
  if (!FitsInt64(micros)) return OutOfRange();
  return Checked(months, day_total, static_cast<__int128>(micros));
}

// Timestamp validity: infinities or [kMinTimestamp, kEndTimestamp).
bool ValidTimestamp(__int128 v) { return v >= kMinTimestamp && v < kEndTimestamp; }
bool FiniteTimestamp(int64_t v) { return v != kTimestampInfinity && v != kTimestampMinusInfinity; }

// A timestamp broken into civil fields (astronomical year) plus time of day.
struct Civil {
  int64_t year, month, day, hour, minute, second, micros;
};

Civil CivilFromTimestamp(int64_t ts) {
  int64_t days = ts / kMicrosPerDay - (ts % kMicrosPerDay < 0 ? 1 : 0);
  int64_t time = ts - days * kMicrosPerDay;
  CivilDate d = CivilFromPostgresDays(days);
  return Civil{d.year,
               d.month,
               d.day,
               time / kMicrosPerHour,
               time / kMicrosPerMinute % 60,
               time / kMicrosPerSecond % 60,
               time % kMicrosPerSecond};
}

// ---- SQL functions ----

const Interval& Arg(std::span<const Value> args, size_t i) { return args[i].interval_value(); }

Result<Value> IntervalValue(Result<Interval> r) {
  if (!r.ok()) return r.status();
  return Value::FromInterval(*r);
}

template <int kWhich>  // 0 =, 1 <>, 2 <, 3 <=, 4 >, 5 >=
Result<Value> Compare(std::span<const Value> args, FunctionContext&) {
  int c = CompareIntervals(Arg(args, 0), Arg(args, 1));
  bool r = kWhich == 0   ? c == 0
           : kWhich == 1 ? c != 0
           : kWhich == 2 ? c < 0
           : kWhich == 3 ? c <= 0
           : kWhich == 4 ? c > 0
                         : c >= 0;
  return Value::Bool(r);
}

Result<Value> Plus(std::span<const Value> args, FunctionContext&) {
  return IntervalValue(AddIntervals(Arg(args, 0), Arg(args, 1)));
}
Result<Value> Minus(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Interval negated, NegateInterval(Arg(args, 1)));
  return IntervalValue(AddIntervals(Arg(args, 0), negated));
}
Result<Value> Negate(std::span<const Value> args, FunctionContext&) {
  return IntervalValue(NegateInterval(Arg(args, 0)));
}
Result<Value> Times(std::span<const Value> args, FunctionContext&) {
  return IntervalValue(MultiplyInterval(Arg(args, 0), args[1].float_value()));
}
Result<Value> TimesReversed(std::span<const Value> args, FunctionContext&) {
  return IntervalValue(MultiplyInterval(Arg(args, 1), args[0].float_value()));
}
Result<Value> Divide(std::span<const Value> args, FunctionContext&) {
  return IntervalValue(DivideInterval(Arg(args, 0), args[1].float_value()));
}

// A date as the timestamp of its midnight (date2timestamp).
Result<int64_t> DateToTimestamp(int64_t date) {
  if (date == kDateInfinity) return kTimestampInfinity;
  if (date == kDateMinusInfinity) return kTimestampMinusInfinity;
  __int128 ts = static_cast<__int128>(date) * kMicrosPerDay;
  if (!ValidTimestamp(ts)) return Status::Sql("22008", "date out of range for timestamp");
  return static_cast<int64_t>(ts);
}

// timestamp/timestamptz/date +/- interval; kDateArg says the first argument is a date,
// kReversed that the interval comes first.
template <TypeId kResult, bool kDateArg, bool kSubtract, bool kReversed>
Result<Value> TimestampInterval(std::span<const Value> args, FunctionContext&) {
  const Value& point = args[kReversed ? 1 : 0];
  Interval span = Arg(args, kReversed ? 0 : 1);
  int64_t ts = point.int_value();
  if (kDateArg) {
    ASSIGN_OR_RETURN(ts, DateToTimestamp(ts));
  }
  if (kSubtract) {
    ASSIGN_OR_RETURN(span, NegateInterval(span));
  }
  ASSIGN_OR_RETURN(int64_t result, AddIntervalToTimestamp(ts, span));
  return Value::Int(kResult, result);
}

// timestamp - timestamp: the difference in microseconds, justified into days (timestamp_mi).
Result<Value> TimestampDifference(std::span<const Value> args, FunctionContext&) {
  int64_t a = args[0].int_value();
  int64_t b = args[1].int_value();
  if (!FiniteTimestamp(a) || !FiniteTimestamp(b)) {
    return Status::Sql("22008", "cannot subtract infinite timestamps");
  }
  __int128 diff = static_cast<__int128>(a) - b;
  ASSIGN_OR_RETURN(Interval r, Checked(0, 0, diff));
  int64_t whole_days = r.micros / kMicrosPerDay;
  r.micros -= whole_days * kMicrosPerDay;
  r.days = static_cast<int32_t>(whole_days);
  if (r.days > 0 && r.micros < 0) {
    r.micros += kMicrosPerDay;
    r.days--;
  } else if (r.days < 0 && r.micros > 0) {
    r.micros -= kMicrosPerDay;
    r.days++;
  }
  return Value::FromInterval(r);
}

// time +/- interval: only the time field counts, wrapping around midnight.
template <bool kSubtract, bool kReversed>
Result<Value> TimeInterval(std::span<const Value> args, FunctionContext&) {
  int64_t time = args[kReversed ? 1 : 0].int_value();
  int64_t span = Arg(args, kReversed ? 0 : 1).micros % kMicrosPerDay;
  int64_t r = (kSubtract ? time - span : time + span) % kMicrosPerDay;
  if (r < 0) r += kMicrosPerDay;
  return Value::Int(TypeId::kTime, r);
}

Result<Interval> JustifyHours(Interval r) {
  int64_t whole_days = r.micros / kMicrosPerDay;
  r.micros -= whole_days * kMicrosPerDay;
  ASSIGN_OR_RETURN(r, Checked(r.months, static_cast<__int128>(r.days) + whole_days, r.micros));
  if (r.days > 0 && r.micros < 0) {
    r.micros += kMicrosPerDay;
    r.days--;
  } else if (r.days < 0 && r.micros > 0) {
    r.micros -= kMicrosPerDay;
    r.days++;
  }
  return r;
}

Result<Interval> JustifyDays(Interval r) {
  int32_t whole_months = r.days / static_cast<int32_t>(kDaysPerMonth);
  r.days -= whole_months * static_cast<int32_t>(kDaysPerMonth);
  ASSIGN_OR_RETURN(r, Checked(static_cast<__int128>(r.months) + whole_months, r.days, r.micros));
  if (r.months > 0 && r.days < 0) {
    r.days += kDaysPerMonth;
    r.months--;
  } else if (r.months < 0 && r.days > 0) {
    r.days -= kDaysPerMonth;
    r.months++;
  }
  return r;
}

Result<Interval> JustifyInterval(Interval r) {
  // Months first when days and time share a sign, so that a full days field cannot overflow.
  if ((r.days > 0 && r.micros > 0) || (r.days < 0 && r.micros < 0)) {
    int32_t months = r.days / static_cast<int32_t>(kDaysPerMonth);
    r.days -= months * static_cast<int32_t>(kDaysPerMonth);
    ASSIGN_OR_RETURN(r, Checked(static_cast<__int128>(r.months) + months, r.days, r.micros));
  }
  int64_t whole_days = r.micros / kMicrosPerDay;
  r.micros -= whole_days * kMicrosPerDay;
  ASSIGN_OR_RETURN(r, Checked(r.months, static_cast<__int128>(r.days) + whole_days, r.micros));
  int32_t whole_months = r.days / static_cast<int32_t>(kDaysPerMonth);
  r.days -= whole_months * static_cast<int32_t>(kDaysPerMonth);
  ASSIGN_OR_RETURN(r, Checked(static_cast<__int128>(r.months) + whole_months, r.days, r.micros));
  if (r.months > 0 && (r.days < 0 || (r.days == 0 && r.micros < 0))) {
    r.days += kDaysPerMonth;
    r.months--;
  } else if (r.months < 0 && (r.days > 0 || (r.days == 0 && r.micros > 0))) {
    r.days -= kDaysPerMonth;
    r.months++;
  }
  if (r.days > 0 && r.micros < 0) {
    r.micros += kMicrosPerDay;
    r.days--;
  } else if (r.days < 0 && r.micros > 0) {
    r.micros -= kMicrosPerDay;
    r.days++;
  }
  return r;
}

template <int kWhich>  // 0 hours, 1 days, 2 interval
Result<Value> Justify(std::span<const Value> args, FunctionContext&) {
  const Interval& v = Arg(args, 0);
  return IntervalValue(kWhich == 0   ? JustifyHours(v)
                       : kWhich == 1 ? JustifyDays(v)
                                     : JustifyInterval(v));
}

// age(a, b): the symbolic difference in years, months and days (timestamp_age).
Result<Interval> Age(int64_t a, int64_t b) {
  if (!FiniteTimestamp(a) || !FiniteTimestamp(b)) return TimestampOutOfRange();
  Civil x = CivilFromTimestamp(a);
  Civil y = CivilFromTimestamp(b);
  int64_t micros = x.micros - y.micros;
  int64_t sec = x.second - y.second, min = x.minute - y.minute, hour = x.hour - y.hour;
  int64_t day = x.day - y.day, mon = x.month - y.month, year = x.year - y.year;
  bool flip = a < b;
  auto negate_all = [&] {
    micros = -micros, sec = -sec, min = -min, hour = -hour, day = -day, mon = -mon, year = -year;
  };
  if (flip) negate_all();
  while (micros < 0) micros += kMicrosPerSecond, --sec;
  while (sec < 0) sec += 60, --min;
  while (min < 0) min += 60, --hour;
  while (hour < 0) hour += 24, --day;
  while (day < 0) {
    const Civil& from = flip ? x : y;
    day += DaysInCivilMonth(from.year, from.month);
    --mon;
  }
  while (mon < 0) mon += 12, --year;
  if (flip) negate_all();
  return Checked(static_cast<__int128>(year) * 12 + mon, day,
                 static_cast<__int128>((hour * 60 + min) * 60 + sec) * kMicrosPerSecond + micros);
}

Result<Value> AgeOf(std::span<const Value> args, FunctionContext&) {
  return IntervalValue(Age(args[0].int_value(), args[1].int_value()));
}

// age(ts): from midnight of the transaction's date.
Result<Value> AgeFromToday(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(uint64_t nanos, c.TransactionStartUnixNanos());
  int64_t now = TimestampFromUnixNanos(nanos, TypeId::kTimestamp).int_value();
  int64_t midnight = (now / kMicrosPerDay - (now % kMicrosPerDay < 0 ? 1 : 0)) * kMicrosPerDay;
  return IntervalValue(Age(midnight, args[0].int_value()));
}

Result<Unit> PartUnit(std::string_view name) {
  std::optional<Unit> unit = LookupUnit(name);
  if (!unit) {
    return Status::Sql("22023",
                       fmt::format("unit \"{}\" not recognized for type interval", Lower(name)));
  }
  if (*unit == Unit::kWeek || *unit == Unit::kTimezone) {
    return Status::Sql("0A000",
                       fmt::format("unit \"{}\" not supported for type interval", Lower(name)));
  }
  return *unit;
}

// An exact decimal `value / 10^scale` with `scale` fraction digits (int64_div_fast_to_numeric).
Result<Value> ScaledNumeric(__int128 value, int scale) {
  bool negative = value < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(value) : value;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  while (digits.size() <= static_cast<size_t>(scale)) digits.insert(digits.begin(), '0');
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  ASSIGN_OR_RETURN(Numeric n, Numeric::Parse((negative ? "-" : "") + digits));
  return Value::FromNumeric(std::move(n));
}

// extract(field FROM interval) (numeric) and date_part(text, interval) (float8).
template <bool kNumeric>
Result<Value> Part(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Unit unit, PartUnit(args[0].string_value()));
  const Interval& v = Arg(args, 1);
  Broken b = Breakdown(v);
  int64_t integer = 0;
  switch (unit) {
    case Unit::kMicrosecond: {
      int64_t us = b.seconds * kMicrosPerSecond + b.micros;
      if (kNumeric) return ScaledNumeric(us, 0);
      return Value::Float(TypeId::kFloat8, static_cast<double>(us));
    }
    case Unit::kMillisecond: {
      int64_t us = b.seconds * kMicrosPerSecond + b.micros;
      if (kNumeric) return ScaledNumeric(us, 3);
      return Value::Float(TypeId::kFloat8, b.seconds * 1000.0 + b.micros / 1000.0);
    }
    case Unit::kSecond: {
      int64_t us = b.seconds * kMicrosPerSecond + b.micros;
      if (kNumeric) return ScaledNumeric(us, 6);
      return Value::Float(TypeId::kFloat8, b.seconds + b.micros / 1000000.0);
    }
    case Unit::kEpoch: {
      // 365.25-day years and 30-day months, in integers by scaling everything by 4.
      __int128 day_month_seconds =
          (static_cast<__int128>(1461) * (v.months / 12) +
           static_cast<__int128>(120) * (v.months % 12) + static_cast<__int128>(4) * v.days) *
          (kSecondsPerDay / 4);
      if (kNumeric) return ScaledNumeric(day_month_seconds * kMicrosPerSecond + v.micros, 6);
      return Value::Float(TypeId::kFloat8, static_cast<double>(v.micros) / 1000000.0 +
                                               static_cast<double>(day_month_seconds));
    }
    case Unit::kMinute:
      integer = b.minutes;
      break;
    case Unit::kHour:
      integer = b.hours;
      break;
    case Unit::kDay:
      integer = b.days;
      break;
    case Unit::kMonth:
      integer = b.months;
      break;
    case Unit::kQuarter:
      integer = b.months / 3 + 1;
      break;
    case Unit::kYear:
      integer = b.years;
      break;
    case Unit::kDecade:
      integer = b.years / 10;
      break;
    case Unit::kCentury:
      integer = b.years / 100;
      break;
    case Unit::kMillennium:
      integer = b.years / 1000;
      break;
    case Unit::kWeek:
    case Unit::kTimezone:
      break;
  }
  if (kNumeric) return ScaledNumeric(integer, 0);
  return Value::Float(TypeId::kFloat8, static_cast<double>(integer));
}

// date_trunc(text, interval): zeroes the fields below the unit (interval_trunc).
Result<Value> Truncate(std::span<const Value> args, FunctionContext&) {
  std::string name = Lower(args[0].string_value());
  std::optional<Unit> unit = LookupUnit(name);
  if (!unit) {
    return Status::Sql("22023", fmt::format("unit \"{}\" not recognized for type interval", name));
  }
  if (*unit == Unit::kWeek || *unit == Unit::kEpoch || *unit == Unit::kTimezone) {
    Status s =
        Status::Sql("0A000", fmt::format("unit \"{}\" not supported for type interval", name));
    if (*unit == Unit::kWeek)
      return std::move(s).WithDetail("Months usually have fractional weeks.");
    return s;
  }
  Broken b = Breakdown(Arg(args, 1));
  int64_t us = b.seconds * kMicrosPerSecond + b.micros;
  switch (*unit) {
    case Unit::kMillennium:
      b.years = b.years / 1000 * 1000;
      [[fallthrough]];
    case Unit::kCentury:
      b.years = b.years / 100 * 100;
      [[fallthrough]];
    case Unit::kDecade:
      b.years = b.years / 10 * 10;
      [[fallthrough]];
    case Unit::kYear:
      b.months = 0;
      [[fallthrough]];
    case Unit::kQuarter:
      b.months = 3 * (b.months / 3);
      [[fallthrough]];
    case Unit::kMonth:
      b.days = 0;
      [[fallthrough]];
    case Unit::kDay:
      b.hours = 0;
      [[fallthrough]];
    case Unit::kHour:
      b.minutes = 0;
      [[fallthrough]];
    case Unit::kMinute:
      us = 0;
      [[fallthrough]];
    case Unit::kSecond:
      us = us / kMicrosPerSecond * kMicrosPerSecond;
      [[fallthrough]];
    case Unit::kMillisecond:
      us = us / 1000 * 1000;
      [[fallthrough]];
    default:
      break;
  }
  return IntervalValue(Checked(static_cast<__int128>(b.years) * 12 + b.months, b.days,
                               static_cast<__int128>(b.hours) * kMicrosPerHour +
                                   static_cast<__int128>(b.minutes) * kMicrosPerMinute + us));
}

// make_interval(years, months, weeks, days, hours, mins, secs), trailing arguments defaulting
// to zero.
Result<Value> MakeInterval(std::span<const Value> args, FunctionContext&) {
  std::array<int64_t, 6> ints{};
  for (size_t i = 0; i < args.size() && i < ints.size(); ++i) ints[i] = args[i].int_value();
  double secs = args.size() == 7 ? args[6].float_value() : 0.0;
  if (std::isinf(secs) || std::isnan(secs)) return OutOfRange();
  double micros = std::rint(secs * kMicrosPerSecond);
  if (!FitsInt64(micros)) return OutOfRange();
  __int128 months = static_cast<__int128>(ints[0]) * 12 + ints[1];
  __int128 days = static_cast<__int128>(ints[2]) * 7 + ints[3];
  __int128 time = static_cast<__int128>(ints[4]) * kMicrosPerHour +
                  static_cast<__int128>(ints[5]) * kMicrosPerMinute + static_cast<__int128>(micros);
  return IntervalValue(Checked(months, days, time));
}

// interval(interval, typmod int4, is_explicit bool): the type modifier's coercion.
Result<Value> ApplyTypmod(std::span<const Value> args, FunctionContext&) {
  return IntervalValue(
      ApplyIntervalTypmod(Arg(args, 0), static_cast<int32_t>(args[1].int_value())));
}

Result<Value> IsFinite(std::span<const Value>, FunctionContext&) { return Value::Bool(true); }

// date_bin(stride, source, origin): the start of the stride-wide bin holding source, bins
// aligned on origin (timestamp_bin / timestamptz_bin).
template <TypeId kResult>
Result<Value> Bin(std::span<const Value> args, FunctionContext&) {
  const Interval& stride = Arg(args, 0);
  int64_t source = args[1].int_value();
  int64_t origin = args[2].int_value();
  if (!FiniteTimestamp(source)) return Value::Int(kResult, source);
  if (!FiniteTimestamp(origin)) return Status::Sql("22008", "origin out of range");
  if (stride.months != 0) {
    return Status::Sql("0A000",
                       "timestamps cannot be binned into intervals containing months or years");
  }
  __int128 width = static_cast<__int128>(stride.days) * kMicrosPerDay + stride.micros;
  if (width > std::numeric_limits<int64_t>::max()) return OutOfRange();
  if (width <= 0) return Status::Sql("22023", "stride must be greater than zero");
  __int128 diff = static_cast<__int128>(source) - origin;
  __int128 delta = diff - diff % width;
  if (diff < 0 && diff % width != 0) delta -= width;  // the bin starts before source
  __int128 result = origin + delta;
  if (!ValidTimestamp(result)) return TimestampOutOfRange();
  return Value::Int(kResult, static_cast<int64_t>(result));
}

// interval_hash: equal intervals ('1 mon', '30 days') hash alike.
Result<Value> Hash(std::span<const Value> args, FunctionContext&) {
  __int128 span = IntervalSpanMicros(Arg(args, 0));
  uint64_t h = static_cast<uint64_t>(span) ^ static_cast<uint64_t>(span >> 64);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return Value::Int(TypeId::kInt4, static_cast<int32_t>(static_cast<uint32_t>(h)));
}

}  // namespace

const TypeInfo& IntervalTypeInfo() { return kIntervalType; }

Result<Interval> ParseInterval(std::string_view text, int32_t typmod) {
  auto bad = [&] {
    return Status::Sql("22007",
                       fmt::format("invalid input syntax for type interval: \"{}\"", text));
  };
  auto overflow = [&] {
    return Status::Sql("22015", fmt::format("interval field value out of range: \"{}\"", text));
  };
  if (text.size() > kMaxInputBytes) return bad();
  std::string_view trimmed = text;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
    trimmed.remove_prefix(1);
  }
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) {
    trimmed.remove_suffix(1);
  }
  Accumulator acc;
  Parse p = DecodePostgres(trimmed, TypmodRange(typmod), acc);
  if (p == Parse::kBadFormat && !trimmed.empty() && (trimmed[0] == 'P' || trimmed[0] == 'p')) {
    acc = Accumulator{};
    p = DecodeIso8601(trimmed, acc);
  }
  if (p == Parse::kBadFormat) return bad();
  if (p == Parse::kOverflow) return overflow();
  auto fits_int32 = [](__int128 v) {
    return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
  };
  if (!fits_int32(acc.years) || !fits_int32(acc.months)) return overflow();
  Result<Interval> fields = Checked(0, acc.days, acc.micros);
  if (!fields.ok()) return overflow();
  ASSIGN_OR_RETURN(Interval r, Checked(acc.years * 12 + acc.months, acc.days, acc.micros));
  return ApplyIntervalTypmod(r, typmod);
}

std::string FormatInterval(const Interval& interval, IntervalStyle style) {
  Broken b = Breakdown(interval);
  switch (style) {
    case IntervalStyle::kPostgres:
      return FormatPostgres(b);
    case IntervalStyle::kPostgresVerbose:
      return FormatVerbose(b);
    case IntervalStyle::kSqlStandard:
      return FormatSqlStandard(b);
    case IntervalStyle::kIso8601:
      return FormatIso8601(b);
  }
  return FormatPostgres(b);
}

Result<Interval> ReceiveIntervalBinary(std::string_view bytes) {
  if (bytes.size() != 16) return Status::Sql("22P03", "incorrect binary data format");
  auto read = [&](size_t at, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
    return v;
  };
  return Interval{static_cast<int32_t>(read(12, 4)), static_cast<int32_t>(read(8, 4)),
                  static_cast<int64_t>(read(0, 8))};
}

std::string SendIntervalBinary(const Interval& interval) {
  std::string out;
  PutBigEndian(out, static_cast<uint64_t>(interval.micros), 8);
  PutBigEndian(out, static_cast<uint32_t>(interval.days), 4);
  PutBigEndian(out, static_cast<uint32_t>(interval.months), 4);
  return out;
}

__int128 IntervalSpanMicros(const Interval& v) {
  return (static_cast<__int128>(v.months) * kDaysPerMonth + v.days) * kMicrosPerDay + v.micros;
}

int CompareIntervals(const Interval& a, const Interval& b) {
  __int128 x = IntervalSpanMicros(a);
  __int128 y = IntervalSpanMicros(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

Result<int32_t> IntervalTypmodFromModifiers(std::span<const int64_t> modifiers) {
  auto invalid = [] { return Status::Sql("22023", "invalid INTERVAL type modifier"); };
  if (modifiers.empty() || modifiers.size() > 2) return invalid();
  int64_t range = modifiers[0];
  static constexpr int32_t kRanges[] = {
      kFullRange,
      kMaskYear,
      kMaskMonth,
      kMaskDay,
      kMaskHour,
      kMaskMinute,
      kMaskSecond,
      kMaskYear | kMaskMonth,
      kMaskDay | kMaskHour,
      kMaskDay | kMaskHour | kMaskMinute,
      kMaskDay | kMaskHour | kMaskMinute | kMaskSecond,
      kMaskHour | kMaskMinute,
      kMaskHour | kMaskMinute | kMaskSecond,
      kMaskMinute | kMaskSecond,
  };
  bool known = false;
  for (int32_t r : kRanges) known = known || r == range;
  if (!known) return invalid();
  int64_t precision = kFullPrecision;
  if (modifiers.size() == 2) {
    precision = modifiers[1];
    if (range != kFullRange && (range & kMaskSecond) == 0) {
      return Status::Sql("22023", "interval precision specified twice");
    }
    if (precision < 0) {
      return Status::Sql("22023",
                         fmt::format("INTERVAL({}) precision must not be negative", precision));
    }
    // PostgreSQL warns and reduces larger precisions to the maximum.
    if (precision > kMaxPrecision) precision = kMaxPrecision;
  }
  return static_cast<int32_t>((range << 16) | precision);
}

Result<Interval> ApplyIntervalTypmod(const Interval& interval, int32_t typmod) {
  if (typmod < 0) return interval;
  Interval r = interval;
  int32_t range = TypmodRange(typmod);
  int32_t precision = TypmodPrecision(typmod);
  auto truncate_time = [&r](int64_t unit) { r.micros = r.micros / unit * unit; };
  if (range == kFullRange) {
    // nothing to drop
  } else if (range == kMaskYear) {
    r.months = r.months / 12 * 12;
    r.days = 0;
    r.micros = 0;
  } else if (range == kMaskMonth || range == (kMaskYear | kMaskMonth)) {
    r.days = 0;
    r.micros = 0;
  } else if (range == kMaskDay) {
    r.micros = 0;
  } else if (range == kMaskHour || range == (kMaskDay | kMaskHour)) {
    truncate_time(kMicrosPerHour);
  } else if (range == kMaskMinute || range == (kMaskHour | kMaskMinute) ||
             range == (kMaskDay | kMaskHour | kMaskMinute)) {
    truncate_time(kMicrosPerMinute);
  }
  if (precision != kFullPrecision && (range == kFullRange || (range & kMaskSecond) != 0)) {
    static constexpr int64_t kScales[] = {1'000'000, 100'000, 10'000, 1'000, 100, 10, 1};
    int64_t scale = kScales[std::min(precision, kMaxPrecision)];
    int64_t offset = scale / 2;
    __int128 t = r.micros;
    t = t >= 0 ? (t + offset) / scale * scale : -((-t + offset) / scale * scale);
    if (t > std::numeric_limits<int64_t>::max() || t < std::numeric_limits<int64_t>::min()) {
      return OutOfRange();
    }
    r.micros = static_cast<int64_t>(t);
  }
  return r;
}

Result<Interval> AddIntervals(const Interval& a, const Interval& b) {
  return Checked(static_cast<__int128>(a.months) + b.months, static_cast<__int128>(a.days) + b.days,
                 static_cast<__int128>(a.micros) + b.micros);
}

Result<Interval> NegateInterval(const Interval& a) {
  return Checked(-static_cast<__int128>(a.months), -static_cast<__int128>(a.days),
                 -static_cast<__int128>(a.micros));
}

Result<Interval> MultiplyInterval(const Interval& a, double factor) {
  return Scale(a.months * factor, a.days * factor, static_cast<double>(a.micros) * factor);
}

Result<Interval> DivideInterval(const Interval& a, double divisor) {
  if (divisor == 0.0) return Status::Sql("22012", "division by zero");
  return Scale(a.months / divisor, a.days / divisor, static_cast<double>(a.micros) / divisor);
}

Result<int64_t> AddIntervalToTimestamp(int64_t timestamp, const Interval& interval) {
  if (!FiniteTimestamp(timestamp)) return timestamp;
  __int128 ts = timestamp;
  if (interval.months != 0) {
    Civil c = CivilFromTimestamp(timestamp);
    int64_t total = c.year * 12 + (c.month - 1) + interval.months;
    int64_t year = total / 12 - (total % 12 < 0 ? 1 : 0);
    int64_t month = total - year * 12 + 1;
    int64_t day = std::min(c.day, DaysInCivilMonth(year, month));
    __int128 days = PostgresDaysFromCivil(year, month, day);
    int64_t time_of_day = ((c.hour * 60 + c.minute) * 60 + c.second) * kMicrosPerSecond + c.micros;
    ts = days * kMicrosPerDay + time_of_day;
    if (!ValidTimestamp(ts)) return TimestampOutOfRange();
  }
  ts += static_cast<__int128>(interval.days) * kMicrosPerDay;
  if (interval.days != 0 && !ValidTimestamp(ts)) return TimestampOutOfRange();
  ts += interval.micros;
  if (!ValidTimestamp(ts)) return TimestampOutOfRange();
  return static_cast<int64_t>(ts);
}

bool CanCastInterval(TypeId from, TypeId to, CastContext context) {
  if (from == TypeId::kTime && to == TypeId::kInterval) return true;
  if (from == TypeId::kInterval && to == TypeId::kTime) return context >= CastContext::kAssignment;
  return false;
}

Result<Value> CastIntervalValue(const Value& value, TypeId to) {
  if (value.type() == TypeId::kTime && to == TypeId::kInterval) {
    return Value::FromInterval(Interval{0, 0, value.int_value()});
  }
  if (value.type() == TypeId::kInterval && to == TypeId::kTime) {
    int64_t t = value.interval_value().micros % kMicrosPerDay;
    if (t < 0) t += kMicrosPerDay;
    return Value::Int(TypeId::kTime, t);
  }
  return Status::Sql(
      "42846", fmt::format("cannot cast type {} to {}", GetTypeInfo(value.type()).display_name,
                           GetTypeInfo(to).display_name));
}

void RegisterIntervalFunctions(const FunctionAdder& add) {
  constexpr TypeId I = TypeId::kInterval;
  constexpr TypeId kTs = TypeId::kTimestamp;
  constexpr TypeId kTz = TypeId::kTimestampTz;
  constexpr TypeId kDate = TypeId::kDate;
  constexpr TypeId kTime = TypeId::kTime;
  constexpr TypeId kF8 = TypeId::kFloat8;
  constexpr TypeId kI4 = TypeId::kInt4;
  add("=", {I, I}, TypeId::kBool, Compare<0>, true);
  add("<>", {I, I}, TypeId::kBool, Compare<1>, true);
  add("<", {I, I}, TypeId::kBool, Compare<2>, true);
  add("<=", {I, I}, TypeId::kBool, Compare<3>, true);
  add(">", {I, I}, TypeId::kBool, Compare<4>, true);
  add(">=", {I, I}, TypeId::kBool, Compare<5>, true);
  add("+", {I, I}, I, Plus, true);
  add("-", {I, I}, I, Minus, true);
  add("-", {I}, I, Negate, true);
  add("*", {I, kF8}, I, Times, true);
  add("*", {kF8, I}, I, TimesReversed, true);
  add("/", {I, kF8}, I, Divide, true);
  add("+", {kTs, I}, kTs, TimestampInterval<kTs, false, false, false>, true);
  add("-", {kTs, I}, kTs, TimestampInterval<kTs, false, true, false>, true);
  add("+", {I, kTs}, kTs, TimestampInterval<kTs, false, false, true>, true);
  add("+", {kTz, I}, kTz, TimestampInterval<kTz, false, false, false>, true);
  add("-", {kTz, I}, kTz, TimestampInterval<kTz, false, true, false>, true);
  add("+", {I, kTz}, kTz, TimestampInterval<kTz, false, false, true>, true);
  add("+", {kDate, I}, kTs, TimestampInterval<kTs, true, false, false>, true);
  add("-", {kDate, I}, kTs, TimestampInterval<kTs, true, true, false>, true);
  add("+", {I, kDate}, kTs, TimestampInterval<kTs, true, false, true>, true);
  add("-", {kTs, kTs}, I, TimestampDifference, true);
  add("-", {kTz, kTz}, I, TimestampDifference, true);
  add("+", {kTime, I}, kTime, TimeInterval<false, false>, true);
  add("-", {kTime, I}, kTime, TimeInterval<true, false>, true);
  add("+", {I, kTime}, kTime, TimeInterval<false, true>, true);
  add("justify_hours", {I}, I, Justify<0>, false);
  add("justify_days", {I}, I, Justify<1>, false);
  add("justify_interval", {I}, I, Justify<2>, false);
  add("age", {kTs, kTs}, I, AgeOf, false);
  add("age", {kTz, kTz}, I, AgeOf, false);
  add("age", {kTs}, I, AgeFromToday, false);
  add("age", {kTz}, I, AgeFromToday, false);
  add("date_part", {TypeId::kText, I}, kF8, Part<false>, false);
  add("extract", {TypeId::kText, I}, TypeId::kNumeric, Part<true>, false);
  add("date_trunc", {TypeId::kText, I}, I, Truncate, false);
  add("isfinite", {I}, TypeId::kBool, IsFinite, false);
  add("interval_hash", {I}, kI4, Hash, false);
  add("date_bin", {I, kTs, kTs}, kTs, Bin<kTs>, false);
  add("date_bin", {I, kTz, kTz}, kTz, Bin<kTz>, false);
  add("interval", {I, kI4, TypeId::kBool}, I, ApplyTypmod, false);
  std::vector<TypeId> make_args;
  add("make_interval", make_args, I, MakeInterval, false);
  for (int i = 0; i < 6; ++i) {
    make_args.push_back(kI4);
    add("make_interval", make_args, I, MakeInterval, false);
  }
  make_args.push_back(kF8);
  add("make_interval", make_args, I, MakeInterval, false);
}

}  // namespace borealis::sql
