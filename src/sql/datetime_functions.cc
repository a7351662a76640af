#include "sql/datetime_functions.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "fmt/format.h"
#include "sql/datetime.h"
#include "sql/datetime_units.h"
#include "sql/functions.h"
#include "sql/interval.h"
#include "sql/numeric.h"

namespace borealis::sql {
namespace {

constexpr int64_t kDateInfinity = std::numeric_limits<int32_t>::max();
constexpr int64_t kDateMinusInfinity = std::numeric_limits<int32_t>::min();
constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();
constexpr int64_t kTimestampMinusInfinity = std::numeric_limits<int64_t>::min();
constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kJulianOfPostgresEpoch = 2'451'545;  // 2000-01-01
constexpr int64_t kMinDays = -2'451'545;               // 4714-11-24 BC (Julian day 0)
constexpr int64_t kMaxTimestampDays = 106'751'983;     // 294277-01-01, exclusive
constexpr int64_t kMaxDateDays = 2'145'031'949;        // 5874898-01-01, exclusive
constexpr TypeId kTs = TypeId::kTimestamp;
constexpr TypeId kTz = TypeId::kTimestampTz;

using Field = DateTimeField;
using FieldName = DateTimeFieldName;

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string_view TypeName(TypeId type) { return GetTypeInfo(type).display_name; }

Status NotRecognized(std::string_view unit, TypeId type) {
  return Status::Sql("22023",
                     fmt::format("unit \"{}\" not recognized for type {}", unit, TypeName(type)));
}
Status NotSupported(std::string_view unit, TypeId type) {
  return Status::Sql("0A000",
                     fmt::format("unit \"{}\" not supported for type {}", unit, TypeName(type)));
}
Status TimestampOutOfRange() { return Status::Sql("22008", "timestamp out of range"); }

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// An exact decimal value / 10^scale (PostgreSQL's int64_div_fast_to_numeric).
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

// The calendar fields of a day number (days since 2000-01-01), as extract sees them.
struct DayFields {
  int64_t days;
  CivilDate civil;  // astronomical year
  int64_t IsoDow() const {
    int64_t dow = days + 6 - FloorDiv(days + 6, 7) * 7;  // 2000-01-01 was a Saturday (6)
    return dow == 0 ? 7 : dow;
  }
  int64_t Dow() const { return IsoDow() % 7; }
  int64_t Doy() const { return days - PostgresDaysFromCivil(civil.year, 1, 1) + 1; }
  // ISO 8601: the week (and its year) is the one holding this week's Thursday.
  int64_t IsoThursday() const { return days - (IsoDow() - 1) + 3; }
  int64_t IsoYear() const { return CivilFromPostgresDays(IsoThursday()).year; }
  int64_t IsoWeek() const {
    return (IsoThursday() - PostgresDaysFromCivil(IsoYear(), 1, 1)) / 7 + 1;
  }
};

DayFields FieldsOfDays(int64_t days) { return DayFields{days, CivilFromPostgresDays(days)}; }

// Year-based fields with PostgreSQL's BC adjustments (year 0 of the astronomical count is 1 BC).
int64_t SqlYear(int64_t y) { return y > 0 ? y : y - 1; }
int64_t Decade(int64_t y) { return y >= 0 ? y / 10 : -((8 - (y - 1)) / 10); }
int64_t Century(int64_t y) { return y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100); }
int64_t Millennium(int64_t y) { return y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000); }

// The integer value of a calendar field of a day, or nullopt for the others.
std::optional<int64_t> DayField(Field field, const DayFields& d) {
  switch (field) {
    case Field::kDay:
      return d.civil.day;
    case Field::kMonth:
      return d.civil.month;
    case Field::kQuarter:
      return (d.civil.month - 1) / 3 + 1;
    case Field::kWeek:
      return d.IsoWeek();
    case Field::kYear:
      return SqlYear(d.civil.year);
    case Field::kDecade:
      return Decade(d.civil.year);
    case Field::kCentury:
      return Century(d.civil.year);
    case Field::kMillennium:
      return Millennium(d.civil.year);
    case Field::kIsoYear:
      return SqlYear(d.IsoYear());
    case Field::kDow:
      return d.Dow();
    case Field::kIsoDow:
      return d.IsoDow();
    case Field::kDoy:
      return d.Doy();
    default:
      return std::nullopt;
  }
}

bool IsMonotonic(Field field) {
  return field == Field::kYear || field == Field::kDecade || field == Field::kCentury ||
         field == Field::kMillennium || field == Field::kJulian || field == Field::kIsoYear ||
         field == Field::kEpoch;
}

Result<Value> Number(bool numeric, int64_t integer) {
  if (numeric) return ScaledNumeric(integer, 0);
  return Value::Float(TypeId::kFloat8, static_cast<double>(integer));
}

// extract/date_part of an infinite value: ±Infinity for the monotonic fields, else NULL.
Result<Value> InfinitePart(Field field, bool positive, bool numeric) {
  TypeId result = numeric ? TypeId::kNumeric : TypeId::kFloat8;
  if (!IsMonotonic(field)) return Value::Null(result);
  if (numeric) {
    return Status::Sql("0A000", "numeric infinity is not supported (extract of an infinite value)");
  }
  double inf = std::numeric_limits<double>::infinity();
  return Value::Float(TypeId::kFloat8, positive ? inf : -inf);
}

// Fields of a time of day (microseconds since midnight), shared by time and timestamps.
std::optional<Result<Value>> TimeOfDayField(Field field, int64_t time, bool numeric) {
  int64_t second_micros = time % (60 * kMicrosPerSecond);  // seconds and fraction
  switch (field) {
    case Field::kMicroseconds:
      return Number(numeric, second_micros);
    case Field::kMilliseconds:
      if (numeric) return ScaledNumeric(second_micros, 3);
      return Value::Float(TypeId::kFloat8, second_micros / kMicrosPerSecond * 1000.0 +
                                               (second_micros % kMicrosPerSecond) / 1000.0);
    case Field::kSecond:
      if (numeric) return ScaledNumeric(second_micros, 6);
      return Value::Float(TypeId::kFloat8, static_cast<double>(second_micros / kMicrosPerSecond) +
                                               (second_micros % kMicrosPerSecond) / 1000000.0);
    case Field::kMinute:
      return Number(numeric, time / (60 * kMicrosPerSecond) % 60);
    case Field::kHour:
      return Number(numeric, time / (3600 * kMicrosPerSecond));
    default:
      return std::nullopt;
  }
}

// extract(field FROM timestamp|timestamptz) and date_part (timestamp_part_common).
Result<Value> TimestampPart(std::string_view unit_text, int64_t ts, TypeId type, bool numeric) {
  std::string unit = Lower(unit_text);
  const FieldName* name = LookupDateTimeField(unit);
  if (name == nullptr) return NotRecognized(unit, type);
  Field field = name->field;
  bool zone_field =
      field == Field::kTimezone || field == Field::kTimezoneHour || field == Field::kTimezoneMinute;
  if (zone_field && type != kTz) return NotSupported(unit, type);
  if (ts == kTimestampInfinity || ts == kTimestampMinusInfinity) {
    return InfinitePart(field, ts > 0, numeric);
  }
  int64_t days = FloorDiv(ts, kMicrosPerDay);
  int64_t time = ts - days * kMicrosPerDay;
  if (zone_field) return Number(numeric, 0);  // the session time zone is UTC
  if (std::optional<Result<Value>> r = TimeOfDayField(field, time, numeric)) return *r;
  DayFields d = FieldsOfDays(days);
  if (std::optional<int64_t> v = DayField(field, d)) return Number(numeric, *v);
  if (field == Field::kEpoch) {
    __int128 unix_micros =
        static_cast<__int128>(ts) + static_cast<__int128>(kPostgresEpochUnixSeconds) * 1000000;
    if (numeric) return ScaledNumeric(unix_micros, 6);
    return Value::Float(TypeId::kFloat8, static_cast<double>(unix_micros) / 1000000.0);
  }
  // Julian: the day number plus the fraction of the day.
  int64_t julian = days + kJulianOfPostgresEpoch;
  if (!numeric) {
    return Value::Float(TypeId::kFloat8, static_cast<double>(julian) +
                                             (static_cast<double>(time / kMicrosPerSecond) +
                                              (time % kMicrosPerSecond) / 1000000.0) /
                                                 static_cast<double>(kSecondsPerDay));
  }
  ASSIGN_OR_RETURN(Numeric fraction,
                   Numeric::Divide(Numeric::FromInt64(time), Numeric::FromInt64(kMicrosPerDay)));
  ASSIGN_OR_RETURN(Numeric sum, Numeric::Add(Numeric::FromInt64(julian), fraction));
  return Value::FromNumeric(std::move(sum));
}

// extract(field FROM date) (extract_date): calendar fields only, all integers.
Result<Value> ExtractDate(std::span<const Value> args, FunctionContext&) {
  std::string unit = Lower(args[0].string_value());
  const FieldName* name = LookupDateTimeField(unit);
  if (name == nullptr) return NotRecognized(unit, TypeId::kDate);
  Field field = name->field;
  bool calendar = field == Field::kEpoch || field == Field::kJulian ||
                  DayField(field, FieldsOfDays(0)).has_value();
  if (!calendar) return NotSupported(unit, TypeId::kDate);
  int64_t days = args[1].int_value();
  if (days == kDateInfinity || days == kDateMinusInfinity) {
    return InfinitePart(field, days > 0, true);
  }
  if (field == Field::kEpoch) {
    return ScaledNumeric((static_cast<__int128>(days) * kSecondsPerDay + kPostgresEpochUnixSeconds),
                         0);
  }
  if (field == Field::kJulian) return ScaledNumeric(days + kJulianOfPostgresEpoch, 0);
  return ScaledNumeric(*DayField(field, FieldsOfDays(days)), 0);
}

// date_part(text, date) is PostgreSQL's SQL function date_part($1, $2::timestamp).
Result<Value> DatePartDate(std::span<const Value> args, FunctionContext&) {
  int64_t days = args[1].int_value();
  int64_t ts = days == kDateInfinity        ? kTimestampInfinity
               : days == kDateMinusInfinity ? kTimestampMinusInfinity
                                            : days * kMicrosPerDay;
  if (days >= kMaxTimestampDays && days != kDateInfinity) {
    return Status::Sql("22008", "date out of range for timestamp");
  }
  return TimestampPart(args[0].string_value(), ts, kTs, false);
}

template <TypeId kType, bool kNumeric>
Result<Value> PartOfTimestamp(std::span<const Value> args, FunctionContext&) {
  return TimestampPart(args[0].string_value(), args[1].int_value(), kType, kNumeric);
}

// extract/date_part of time (time_part_common).
template <bool kNumeric>
Result<Value> PartOfTime(std::span<const Value> args, FunctionContext&) {
  std::string unit = Lower(args[0].string_value());
  const FieldName* name = LookupDateTimeField(unit);
  if (name == nullptr) return NotRecognized(unit, TypeId::kTime);
  int64_t time = args[1].int_value();
  if (name->field == Field::kEpoch) {
    if (kNumeric) return ScaledNumeric(time, 6);
    return Value::Float(TypeId::kFloat8, static_cast<double>(time) / 1000000.0);
  }
  if (std::optional<Result<Value>> r = TimeOfDayField(name->field, time, kNumeric)) return *r;
  return NotSupported(unit, TypeId::kTime);
}

// A time zone name as date_trunc and make_timestamptz take it: the UTC spellings, or a numeric
// offset. Returns the offset east of UTC in seconds; `posix` reads "+2" as two hours west, as
// PostgreSQL does for zone names (date_trunc) but not for make_timestamptz.
Result<int64_t> ZoneOffsetSeconds(std::string_view zone, bool posix) {
  std::string z = Lower(zone);
  for (std::string_view utc :
       {"utc", "etc/utc", "gmt", "etc/gmt", "z", "zulu", "uct", "universal", "etc/universal",
        "etc/uct", "etc/zulu", "greenwich", "gmt0", "etc/gmt0", "etc/greenwich"}) {
    if (z == utc) return 0;
  }
  if (!z.empty() && (z[0] == '+' || z[0] == '-')) {
    size_t i = 1;
    int64_t parts[3] = {0, 0, 0};
    size_t part = 0;
    bool digits = false;
    for (; i < z.size() && part < 3; ++i) {
      if (std::isdigit(static_cast<unsigned char>(z[i])) && parts[part] < 100) {
        parts[part] = parts[part] * 10 + (z[i] - '0');
        digits = true;
      } else if (z[i] == ':' && digits) {
        ++part;
        digits = false;
      } else {
        break;
      }
    }
    if (i == z.size() && digits && parts[0] <= 15 && parts[1] < 60 && parts[2] < 60) {
      int64_t seconds = parts[0] * 3600 + parts[1] * 60 + parts[2];
      bool east = (z[0] == '+') != posix;
      return east ? seconds : -seconds;
    }
  }
  return Status::Sql("0A000", fmt::format("time zone \"{}\" is not supported (only UTC and numeric "
                                          "offsets are)",
                                          zone));
}

// date_trunc on a timestamp's local fields (timestamp_trunc).
Result<int64_t> TruncateTimestamp(std::string_view unit_text, int64_t ts, TypeId type) {
  std::string unit = Lower(unit_text);
  const FieldName* name = LookupDateTimeField(unit);
  if (name == nullptr || !name->is_unit) return NotRecognized(unit, type);
  if (ts == kTimestampInfinity || ts == kTimestampMinusInfinity) return ts;
  int64_t days = FloorDiv(ts, kMicrosPerDay);
  int64_t time = ts - days * kMicrosPerDay;
  CivilDate c = CivilFromPostgresDays(days);
  int64_t y = c.year;
  auto first_of = [](int64_t year, int64_t month) { return PostgresDaysFromCivil(year, month, 1); };
  switch (name->field) {
    case Field::kMicroseconds:
      return ts;
    case Field::kMilliseconds:
      return days * kMicrosPerDay + time / 1000 * 1000;
    case Field::kSecond:
      return days * kMicrosPerDay + time / kMicrosPerSecond * kMicrosPerSecond;
    case Field::kMinute:
      return days * kMicrosPerDay + time / (60 * kMicrosPerSecond) * (60 * kMicrosPerSecond);
    case Field::kHour:
      return days * kMicrosPerDay + time / (3600 * kMicrosPerSecond) * (3600 * kMicrosPerSecond);
    case Field::kDay:
      return days * kMicrosPerDay;
    case Field::kWeek:
      days -= FieldsOfDays(days).IsoDow() - 1;
      break;
    case Field::kMonth:
      days = first_of(y, c.month);
      break;
    case Field::kQuarter:
      days = first_of(y, (c.month - 1) / 3 * 3 + 1);
      break;
    case Field::kYear:
      days = first_of(y, 1);
      break;
    // Decades start at years divisible by 10, centuries and millennia at year 1 (1 BC, 101
    // BC, ... going back), as PostgreSQL computes them on its BC-as-negative years.
    case Field::kDecade:
      days = first_of(y >= 0 ? y / 10 * 10 : -((8 - (y - 1)) / 10) * 10, 1);
      break;
    case Field::kCentury:
      days = first_of(y > 0 ? (y + 99) / 100 * 100 - 99 : -((99 - (y - 1)) / 100) * 100 + 1, 1);
      break;
    case Field::kMillennium:
      days =
          first_of(y > 0 ? (y + 999) / 1000 * 1000 - 999 : -((999 - (y - 1)) / 1000) * 1000 + 1, 1);
      break;
    default:
      return NotSupported(unit, type);
  }
  if (days < kMinDays) return TimestampOutOfRange();
  return days * kMicrosPerDay;
}

template <TypeId kType>
Result<Value> DateTrunc(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(int64_t r,
                   TruncateTimestamp(args[0].string_value(), args[1].int_value(), kType));
  return Value::Int(kType, r);
}

// date_trunc(text, timestamptz, zone): truncates the local time in `zone`.
Result<Value> DateTruncZone(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(int64_t offset, ZoneOffsetSeconds(args[2].string_value(), true));
  int64_t ts = args[1].int_value();
  if (ts == kTimestampInfinity || ts == kTimestampMinusInfinity) return args[1];
  int64_t shift = offset * kMicrosPerSecond;
  ASSIGN_OR_RETURN(int64_t r, TruncateTimestamp(args[0].string_value(), ts + shift, kTz));
  return Value::Int(kTz, r - shift);
}

// "%g" as PostgreSQL's snprintf prints a double, for the make_* messages.
std::string G(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{:g}", v);
}
std::string G02(double v) {
  std::string s = G(v);
  return s.size() < 2 ? std::string(2 - s.size(), '0') + s : s;
}

// The days of make_date's fields (negative years are BC); 22008 as PostgreSQL words it.
Result<int64_t> MakeDays(int64_t year, int64_t month, int64_t day) {
  Status bad = Status::Sql(
      "22008", fmt::format("date field value out of range: {}-{:02}-{:02}", year, month, day));
  if (year == 0 || month < 1 || month > 12 || day < 1) return bad;
  int64_t astronomical = year < 0 ? year + 1 : year;
  if (astronomical < -4713 || astronomical > 5874897) return bad;
  if (day > DaysInCivilMonth(astronomical, month)) return bad;
  return PostgresDaysFromCivil(astronomical, month, day);
}

// make_time's time of day; `sec` may be 60 (a leap second rolls over) but the total may not pass
// 24:00:00.
Result<int64_t> MakeTimeOfDay(int64_t hour, int64_t minute, double sec) {
  Status bad = Status::Sql(
      "22008", fmt::format("time field value out of range: {}:{:02}:{}", hour, minute, G02(sec)));
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59 || std::isnan(sec) || sec < 0 ||
      sec > 60) {
    return bad;
  }
  int64_t micros = (hour * 60 + minute) * 60 * kMicrosPerSecond +
                   static_cast<int64_t>(std::rint(sec * kMicrosPerSecond));
  if (micros > kMicrosPerDay) return bad;
  return micros;
}

Result<Value> MakeDate(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(int64_t days,
                   MakeDays(args[0].int_value(), args[1].int_value(), args[2].int_value()));
  if (days >= kMaxDateDays) return Status::Sql("22008", "date out of range");
  return Value::Int(TypeId::kDate, days);
}

Result<Value> MakeTime(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(int64_t micros,
                   MakeTimeOfDay(args[0].int_value(), args[1].int_value(), args[2].float_value()));
  return Value::Int(TypeId::kTime, micros);
}

// make_timestamp / make_timestamptz: fields in UTC, or in the zone of the seventh argument.
template <TypeId kType>
Result<Value> MakeTimestamp(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(int64_t days,
                   MakeDays(args[0].int_value(), args[1].int_value(), args[2].int_value()));
  int64_t hour = args[3].int_value();
  int64_t minute = args[4].int_value();
  double sec = args[5].float_value();
  // PostgreSQL's make_timestamp allows no 24:00 and no leap second.
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || std::isnan(sec) || sec < 0 ||
      sec >= 60) {
    return Status::Sql(
        "22008", fmt::format("time field value out of range: {}:{:02}:{}", hour, minute, G02(sec)));
  }
  ASSIGN_OR_RETURN(int64_t time, MakeTimeOfDay(hour, minute, sec));
  int64_t offset = 0;
  if (args.size() == 7) {
    ASSIGN_OR_RETURN(offset, ZoneOffsetSeconds(args[6].string_value(), false));
  }
  __int128 ts = static_cast<__int128>(days) * kMicrosPerDay + time - offset * kMicrosPerSecond;
  if (ts < static_cast<__int128>(kMinDays) * kMicrosPerDay ||
      ts >= static_cast<__int128>(kMaxTimestampDays) * kMicrosPerDay) {
    return Status::Sql("22008", fmt::format("timestamp out of range: {}-{:02}-{:02} {}:{:02}:{}",
                                            args[0].int_value(), args[1].int_value(),
                                            args[2].int_value(), hour, minute, G02(sec)));
  }
  return Value::Int(kType, static_cast<int64_t>(ts));
}

template <int64_t kPlus, int64_t kMinus>
Result<Value> IsFinite(std::span<const Value> args, FunctionContext&) {
  int64_t v = args[0].int_value();
  return Value::Bool(v != kPlus && v != kMinus);
}

// date + time (datetime_timestamp); kReversed: time + date.
template <bool kReversed>
Result<Value> DatePlusTime(std::span<const Value> args, FunctionContext&) {
  int64_t date = args[kReversed ? 1 : 0].int_value();
  int64_t time = args[kReversed ? 0 : 1].int_value();
  if (date == kDateInfinity) return Value::Int(kTs, kTimestampInfinity);
  if (date == kDateMinusInfinity) return Value::Int(kTs, kTimestampMinusInfinity);
  if (date >= kMaxTimestampDays) return Status::Sql("22008", "date out of range for timestamp");
  __int128 ts = static_cast<__int128>(date) * kMicrosPerDay + time;
  if (ts >= static_cast<__int128>(kMaxTimestampDays) * kMicrosPerDay) return TimestampOutOfRange();
  return Value::Int(kTs, static_cast<int64_t>(ts));
}

// time - time: an interval of microseconds (time_mi_time).
Result<Value> TimeMinusTime(std::span<const Value> args, FunctionContext&) {
  return Value::FromInterval(Interval{0, 0, args[0].int_value() - args[1].int_value()});
}

// integer + date (integer_pl_date).
Result<Value> IntegerPlusDate(std::span<const Value> args, FunctionContext&) {
  int64_t date = args[1].int_value();
  if (date == kDateInfinity || date == kDateMinusInfinity) return args[1];
  int64_t days = date + args[0].int_value();
  if (days < kMinDays || days >= kMaxDateDays - 1) return Status::Sql("22008", "date out of range");
  return Value::Int(TypeId::kDate, days);
}

}  // namespace

void RegisterDateTimeFunctions(const FunctionAdder& add) {
  constexpr TypeId kText = TypeId::kText;
  constexpr TypeId kNum = TypeId::kNumeric;
  constexpr TypeId kF8 = TypeId::kFloat8;
  constexpr TypeId kI4 = TypeId::kInt4;
  constexpr TypeId kDate = TypeId::kDate;
  constexpr TypeId kTime = TypeId::kTime;
  add("extract", {kText, kDate}, kNum, ExtractDate, false);
  add("extract", {kText, kTime}, kNum, PartOfTime<true>, false);
  add("extract", {kText, kTs}, kNum, PartOfTimestamp<kTs, true>, false);
  add("extract", {kText, kTz}, kNum, PartOfTimestamp<kTz, true>, false);
  add("date_part", {kText, kDate}, kF8, DatePartDate, false);
  add("date_part", {kText, kTime}, kF8, PartOfTime<false>, false);
  add("date_part", {kText, kTs}, kF8, PartOfTimestamp<kTs, false>, false);
  add("date_part", {kText, kTz}, kF8, PartOfTimestamp<kTz, false>, false);
  add("date_trunc", {kText, kTs}, kTs, DateTrunc<kTs>, false);
  add("date_trunc", {kText, kTz}, kTz, DateTrunc<kTz>, false);
  add("date_trunc", {kText, kTz, kText}, kTz, DateTruncZone, false);
  add("make_date", {kI4, kI4, kI4}, kDate, MakeDate, false);
  add("make_time", {kI4, kI4, kF8}, kTime, MakeTime, false);
  add("make_timestamp", {kI4, kI4, kI4, kI4, kI4, kF8}, kTs, MakeTimestamp<kTs>, false);
  add("make_timestamptz", {kI4, kI4, kI4, kI4, kI4, kF8}, kTz, MakeTimestamp<kTz>, false);
  add("make_timestamptz", {kI4, kI4, kI4, kI4, kI4, kF8, kText}, kTz, MakeTimestamp<kTz>, false);
  add("isfinite", {kDate}, TypeId::kBool, IsFinite<kDateInfinity, kDateMinusInfinity>, false);
  add("isfinite", {kTs}, TypeId::kBool, IsFinite<kTimestampInfinity, kTimestampMinusInfinity>,
      false);
  add("isfinite", {kTz}, TypeId::kBool, IsFinite<kTimestampInfinity, kTimestampMinusInfinity>,
      false);
  add("+", {kDate, kTime}, kTs, DatePlusTime<false>, true);
  add("+", {kTime, kDate}, kTs, DatePlusTime<true>, true);
  add("-", {kTime, kTime}, TypeId::kInterval, TimeMinusTime, true);
  add("+", {kI4, kDate}, kDate, IntegerPlusDate, true);
}

}  // namespace borealis::sql
