#include "sql/datetime_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fmt/format.h"
#include "sql/datetime.h"
#include "sql/number_format.h"  // kMaxFormatBytes

namespace borealis::sql {
namespace {

using T = TypeId;

constexpr int64_t kJulianDayOfPostgresEpoch = 2451545;  // 2000-01-01
constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr size_t kMaxNumberDigits = 18;  // an unbounded numeric field reads at most this many
// PostgreSQL's ranges in days since 2000-01-01: from 4714-11-24 BC; timestamps end before
// 294277-01-01, dates before 5874898-01-01.
constexpr int64_t kMinDays = -2451545;
constexpr int64_t kEndTimestampDays = 106751983;
constexpr int64_t kEndDateDays = 2145031949;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDayNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kRomanMonths = {"I",   "II",   "III", "IV", "V",  "VI",
                                                           "VII", "VIII", "IX",  "X",  "XI", "XII"};

enum class Kind {
  kLiteral,
  kHour12,
  kHour24,
  kMinute,
  kSecond,
  kMillis,
  kMicros,
  kFraction,  // FF1..FF6: `digits`
  kSecondsOfDay,
  kMeridiem,
  kEra,
  kYearComma,
  kYear,  // YYYY, YYY, YY, Y: `digits`
  kIsoYear,
  kMonthName,
  kMonthAbbreviation,
  kMonth,
  kDayName,
  kDayAbbreviation,
  kDayOfYear,
  kIsoDayOfYear,
  kDay,
  kDayOfWeek,
  kIsoDayOfWeek,
  kWeekOfMonth,
  kWeekOfYear,
  kIsoWeek,
  kCentury,
  kJulian,
  kQuarter,
  kRomanMonth,
  kZone,
  kZoneHours,
  kZoneMinutes,
  kOffset,
};

// How a keyword's letters are cased in the output: "MONTH", "Month", "month".
enum class Casing { kUpper, kCapitalized, kLower };

struct Keyword {
  std::string_view text;
  Kind kind;
  int digits = 0;  // field width (0: as wide as the value)
  Casing casing = Casing::kUpper;
  bool dotted = false;  // A.M., B.C.
};

// PostgreSQL's keywords; the numeric ones also exist in lower case. Longest match wins.
std::vector<Keyword> MakeKeywords() {
  std::vector<Keyword> k = {
      {"A.D.", Kind::kEra, 0, Casing::kUpper, true},
      {"a.d.", Kind::kEra, 0, Casing::kLower, true},
      {"AD", Kind::kEra},
      {"ad", Kind::kEra, 0, Casing::kLower},
      {"B.C.", Kind::kEra, 0, Casing::kUpper, true},
      {"b.c.", Kind::kEra, 0, Casing::kLower, true},
      {"BC", Kind::kEra},
      {"bc", Kind::kEra, 0, Casing::kLower},
      {"A.M.", Kind::kMeridiem, 0, Casing::kUpper, true},
      {"a.m.", Kind::kMeridiem, 0, Casing::kLower, true},
      {"P.M.", Kind::kMeridiem, 0, Casing::kUpper, true},
      {"p.m.", Kind::kMeridiem, 0, Casing::kLower, true},
      {"AM", Kind::kMeridiem},
      {"am", Kind::kMeridiem, 0, Casing::kLower},
      {"PM", Kind::kMeridiem},
      {"pm", Kind::kMeridiem, 0, Casing::kLower},
      {"MONTH", Kind::kMonthName},
      {"Month", Kind::kMonthName, 0, Casing::kCapitalized},
      {"month", Kind::kMonthName, 0, Casing::kLower},
      {"MON", Kind::kMonthAbbreviation},
      {"Mon", Kind::kMonthAbbreviation, 0, Casing::kCapitalized},
      {"mon", Kind::kMonthAbbreviation, 0, Casing::kLower},
      {"DAY", Kind::kDayName},
      {"Day", Kind::kDayName, 0, Casing::kCapitalized},
      {"day", Kind::kDayName, 0, Casing::kLower},
      {"DY", Kind::kDayAbbreviation},
      {"Dy", Kind::kDayAbbreviation, 0, Casing::kCapitalized},
      {"dy", Kind::kDayAbbreviation, 0, Casing::kLower},
      {"RM", Kind::kRomanMonth},
      {"rm", Kind::kRomanMonth, 0, Casing::kLower},
      {"TZH", Kind::kZoneHours},
      {"TZM", Kind::kZoneMinutes},
      {"TZ", Kind::kZone},
      {"tz", Kind::kZone, 0, Casing::kLower},
      {"OF", Kind::kOffset},
  };
  const std::vector<Keyword> numeric = {
      {"HH24", Kind::kHour24, 2},     {"HH12", Kind::kHour12, 2},
      {"HH", Kind::kHour12, 2},       {"MI", Kind::kMinute, 2},
      {"SSSSS", Kind::kSecondsOfDay}, {"SSSS", Kind::kSecondsOfDay},
      {"SS", Kind::kSecond, 2},       {"MS", Kind::kMillis, 3},
      {"US", Kind::kMicros, 6},       {"FF1", Kind::kFraction, 1},
      {"FF2", Kind::kFraction, 2},    {"FF3", Kind::kFraction, 3},
      {"FF4", Kind::kFraction, 4},    {"FF5", Kind::kFraction, 5},
      {"FF6", Kind::kFraction, 6},    {"Y,YYY", Kind::kYearComma},
      {"YYYY", Kind::kYear, 4},       {"YYY", Kind::kYear, 3},
      {"YY", Kind::kYear, 2},         {"Y", Kind::kYear, 1},
      {"IYYY", Kind::kIsoYear, 4},    {"IYY", Kind::kIsoYear, 3},
      {"IY", Kind::kIsoYear, 2},      {"I", Kind::kIsoYear, 1},
      {"MM", Kind::kMonth, 2},        {"IDDD", Kind::kIsoDayOfYear, 3},
      {"DDD", Kind::kDayOfYear, 3},   {"DD", Kind::kDay, 2},
      {"D", Kind::kDayOfWeek, 1},     {"ID", Kind::kIsoDayOfWeek, 1},
      {"WW", Kind::kWeekOfYear, 2},   {"W", Kind::kWeekOfMonth, 1},
      {"IW", Kind::kIsoWeek, 2},      {"CC", Kind::kCentury, 2},
      {"J", Kind::kJulian},           {"Q", Kind::kQuarter, 1},
  };
  static std::deque<std::string> lowered;  // owns the lower-case spellings (stable addresses)
  for (const Keyword& upper : numeric) {
    k.push_back(upper);
    Keyword lower = upper;
    std::string text(upper.text);
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    lowered.push_back(std::move(text));
    lower.text = lowered.back();
    k.push_back(lower);
  }
  std::stable_sort(k.begin(), k.end(), [](const Keyword& a, const Keyword& b) {
    return a.text.size() > b.text.size();
  });
  return k;
}

const std::vector<Keyword>& Keywords() {
  static const std::vector<Keyword> keywords = MakeKeywords();
  return keywords;
}

struct Node {
  Keyword keyword{"", Kind::kLiteral};
  std::string literal;  // kLiteral
  bool quoted = false;  // from "..." (to_date skips as many characters)
  bool fill = false;    // FM
  int ordinal = 0;      // 0, 1 (TH), 2 (th)
};

Result<std::vector<Node>> ParseFormat(std::string_view format) {
  if (format.size() > kMaxFormatBytes) {
    return Status::Sql("54000", fmt::format("date/time format longer than {} bytes is not "
                                            "supported (kMaxFormatBytes)",
                                            kMaxFormatBytes));
  }
  std::vector<Node> nodes;
  bool fill = false;
  size_t i = 0;
  while (i < format.size()) {
    std::string_view rest = format.substr(i);
    if (rest.starts_with("FM") || rest.starts_with("fm")) {
      fill = true;
      i += 2;
      continue;
    }
    if (rest.starts_with("FX") || rest.starts_with("fx") || rest.starts_with("TM") ||
        rest.starts_with("tm")) {
      i += 2;  // exact spacing and translation modes: accepted, no effect here
      continue;
    }
    const Keyword* match = nullptr;
    for (const Keyword& k : Keywords()) {
      if (rest.starts_with(k.text)) {
        match = &k;
        break;
      }
    }
    Node node;
    if (match != nullptr) {
      node.keyword = *match;
      node.fill = fill;
      fill = false;
      i += match->text.size();
      std::string_view after = format.substr(i);
      if (after.starts_with("TH") || after.starts_with("th")) {
        node.ordinal = after[0] == 'T' ? 1 : 2;
        i += 2;
      } else if (after.starts_with("SP") || after.starts_with("sp")) {
        i += 2;  // spell mode: PostgreSQL does not implement it either
      }
      nodes.push_back(std::move(node));
      continue;
    }
    node.literal.clear();
    if (format[i] == '"') {
      node.quoted = true;
      ++i;
      while (i < format.size() && format[i] != '"') {
        if (format[i] == '\\' && i + 1 < format.size()) ++i;
        node.literal.push_back(format[i++]);
      }
      ++i;  // the closing quote (if any)
    } else if (format[i] == '\\' && i + 1 < format.size() && format[i + 1] == '"') {
      node.literal = "\"";
      i += 2;
    } else {
      node.literal = std::string(1, format[i++]);
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

// ---------------------------------------------------------------------------------------------
// Output.

struct Broken {
  int64_t days = 0;  // since 2000-01-01
  CivilDate date{};
  int64_t hour = 0, minute = 0, second = 0, micros = 0;
  bool has_zone = false;
};

int64_t FloorMod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

Broken BreakDown(int64_t timestamp, bool has_zone) {
  Broken b;
  b.days = timestamp >= 0 ? timestamp / kMicrosPerDay
                          : -((-timestamp + kMicrosPerDay - 1) / kMicrosPerDay);
  int64_t time = timestamp - b.days * kMicrosPerDay;
  b.date = CivilFromPostgresDays(b.days);
  b.hour = time / (3600 * kMicrosPerSecond);
  b.minute = time / (60 * kMicrosPerSecond) % 60;
  b.second = time / kMicrosPerSecond % 60;
  b.micros = time % kMicrosPerSecond;
  b.has_zone = has_zone;
  return b;
}

// ISO 8601 week date of a day: the ISO year, week (1..53) and weekday (1 = Monday).
struct IsoWeekDate {
  int64_t year, week, weekday;
};

IsoWeekDate IsoWeek(int64_t days) {
  int64_t weekday = FloorMod(days + 5, 7) + 1;  // 2000-01-01 was a Saturday (6)
  int64_t thursday = days - weekday + 4;
  int64_t year = CivilFromPostgresDays(thursday).year;
  int64_t week = (thursday - PostgresDaysFromCivil(year, 1, 1)) / 7 + 1;
  return IsoWeekDate{year, week, weekday};
}

// Days since 2000-01-01 of the Monday that starts ISO week 1 of `iso_year`.
int64_t IsoYearStart(int64_t iso_year) {
  int64_t january4 = PostgresDaysFromCivil(iso_year, 1, 4);
  return january4 - (FloorMod(january4 + 5, 7));
}

int64_t DisplayYear(int64_t year) { return year <= 0 ? 1 - year : year; }

std::string Ordinal(int64_t v, int ordinal) {
  int64_t last2 = std::abs(v) % 100;
  int64_t last = std::abs(v) % 10;
  std::string_view suffix = (last2 >= 11 && last2 <= 13) ? "th"
                            : last == 1                  ? "st"
                            : last == 2                  ? "nd"
                            : last == 3                  ? "rd"
                                                         : "th";
  std::string s(suffix);
  if (ordinal == 1) std::transform(s.begin(), s.end(), s.begin(), ::toupper);
  return s;
}

// `width` digits at least (the sign not counted, as printf's "%.*d" that PostgreSQL uses).
std::string Number(int64_t v, int width, const Node& node) {
  std::string s = node.fill || width == 0 ? fmt::format("{}", v)
                  : v < 0                 ? fmt::format("-{:0{}}", -v, width)
                                          : fmt::format("{:0{}}", v, width);
  if (node.ordinal != 0) s += Ordinal(v, node.ordinal);
  return s;
}

std::string Cased(std::string_view name, Casing casing, size_t pad, bool fill) {
  std::string s(name);
  for (size_t i = 0; i < s.size(); ++i) {
    bool upper = casing == Casing::kUpper || (casing == Casing::kCapitalized && i == 0);
    s[i] = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(s[i]))
                                   : std::tolower(static_cast<unsigned char>(s[i])));
  }
  if (!fill && s.size() < pad) s.append(pad - s.size(), ' ');
  return s;
}

std::string Render(const std::vector<Node>& nodes, const Broken& b) {
  std::string out;
  int64_t weekday = FloorMod(b.days + 6, 7);  // 0 = Sunday
  int64_t yday = b.days - PostgresDaysFromCivil(b.date.year, 1, 1) + 1;
  for (const Node& n : nodes) {
    const Keyword& k = n.keyword;
    switch (k.kind) {
      case Kind::kLiteral:
        out += n.literal;
        break;
      case Kind::kHour12:
        out += Number(b.hour % 12 == 0 ? 12 : b.hour % 12, 2, n);
        break;
      case Kind::kHour24:
        out += Number(b.hour, 2, n);
        break;
      case Kind::kMinute:
        out += Number(b.minute, 2, n);
        break;
      case Kind::kSecond:
        out += Number(b.second, 2, n);
        break;
      case Kind::kMillis:
        out += Number(b.micros / 1000, 3, n);
        break;
      case Kind::kMicros:
        out += Number(b.micros, 6, n);
        break;
      case Kind::kFraction: {
        int64_t divisor = 1;
        for (int i = k.digits; i < 6; ++i) divisor *= 10;
        out += Number(b.micros / divisor, k.digits, n);
        break;
      }
      case Kind::kSecondsOfDay:
        out += Number(b.hour * 3600 + b.minute * 60 + b.second, 0, n);
        break;
      case Kind::kMeridiem: {
        bool pm = b.hour >= 12;
        std::string_view text = k.dotted ? (pm ? "P.M." : "A.M.") : (pm ? "PM" : "AM");
        out += Cased(text, k.casing, 0, true);
        break;
      }
      case Kind::kEra: {
        bool bc = b.date.year <= 0;
        std::string_view text = k.dotted ? (bc ? "B.C." : "A.D.") : (bc ? "BC" : "AD");
        out += Cased(text, k.casing, 0, true);
        break;
      }
      case Kind::kYearComma: {
        int64_t y = DisplayYear(b.date.year);
        out += fmt::format("{},{:03}", y / 1000, y % 1000);
        if (n.ordinal != 0) out += Ordinal(y, n.ordinal);
        break;
      }
      case Kind::kYear:
      case Kind::kIsoYear: {
        int64_t year = k.kind == Kind::kYear ? b.date.year : IsoWeek(b.days).year;
        int64_t y = DisplayYear(year);
        if (k.digits == 4) {
          out += Number(y, y <= 9999 ? 4 : 0, n);
        } else {
          int64_t modulus = k.digits == 3 ? 1000 : k.digits == 2 ? 100 : 10;
          out += Number(y % modulus, k.digits, n);
        }
        break;
      }
      case Kind::kMonthName:
        out += Cased(kMonthNames[b.date.month - 1], k.casing, 9, n.fill);
        break;
      case Kind::kMonthAbbreviation:
        out += Cased(kMonthNames[b.date.month - 1].substr(0, 3), k.casing, 0, true);
        break;
      case Kind::kMonth:
        out += Number(b.date.month, 2, n);
        break;
      case Kind::kDayName:
        out += Cased(kDayNames[weekday], k.casing, 9, n.fill);
        break;
      case Kind::kDayAbbreviation:
        out += Cased(kDayNames[weekday].substr(0, 3), k.casing, 0, true);
        break;
      case Kind::kDayOfYear:
        out += Number(yday, 3, n);
        break;
      case Kind::kIsoDayOfYear: {
        IsoWeekDate iso = IsoWeek(b.days);
        out += Number((iso.week - 1) * 7 + iso.weekday, 3, n);
        break;
      }
      case Kind::kDay:
        out += Number(b.date.day, 2, n);
        break;
      case Kind::kDayOfWeek:
        out += Number(weekday + 1, 0, n);
        break;
      case Kind::kIsoDayOfWeek:
        out += Number(weekday == 0 ? 7 : weekday, 0, n);
        break;
      case Kind::kWeekOfMonth:
        out += Number((b.date.day - 1) / 7 + 1, 0, n);
        break;
      case Kind::kWeekOfYear:
        out += Number((yday - 1) / 7 + 1, 2, n);
        break;
      case Kind::kIsoWeek:
        out += Number(IsoWeek(b.days).week, 2, n);
        break;
      case Kind::kCentury: {
        int64_t y = b.date.year;
        out += Number(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100), 2, n);
        break;
      }
      case Kind::kJulian:
        out += Number(b.days + kJulianDayOfPostgresEpoch, 0, n);
        break;
      case Kind::kQuarter:
        out += Number((b.date.month - 1) / 3 + 1, 0, n);
        break;
      case Kind::kRomanMonth:
        out += Cased(kRomanMonths[b.date.month - 1], k.casing, 4, n.fill);
        break;
      case Kind::kZone:
        if (b.has_zone) out += Cased("UTC", k.casing, 0, true);
        break;
      case Kind::kZoneHours:
      case Kind::kOffset:
        out += "+00";
        break;
      case Kind::kZoneMinutes:
        out += "00";
        break;
    }
  }
  return out;
}

bool IsInfinite(int64_t timestamp) { return timestamp == INT64_MIN || timestamp == INT64_MAX; }

Result<Value> TimestampToChar(std::span<const Value> args, FunctionContext&) {
  int64_t timestamp = args[0].int_value();
  const std::string& format = args[1].string_value();
  if (IsInfinite(timestamp) || format.empty()) return Value::Null(T::kText);
  ASSIGN_OR_RETURN(std::vector<Node> nodes, ParseFormat(format));
  return Value::String(T::kText,
                       Render(nodes, BreakDown(timestamp, args[0].type() == T::kTimestampTz)));
}

// ---------------------------------------------------------------------------------------------
// Input (to_date, to_timestamp).

struct Fields {
  std::optional<int64_t> year;
  int year_digits = 4;  // of the field that set `year` (YY: 2-digit years near 2020)
  bool bc = false;
  std::optional<int64_t> century;
  std::optional<int64_t> month;
  std::optional<int64_t> day;
  std::optional<int64_t> day_of_year;
  std::optional<int64_t> julian;
  std::optional<int64_t> iso_year;
  std::optional<int64_t> iso_week;
  std::optional<int64_t> iso_weekday;
  std::optional<int64_t> hour;
  bool hour12 = false;
  std::optional<bool> pm;
  int64_t minute = 0, second = 0, micros = 0;
  std::optional<int64_t> seconds_of_day;
  int64_t zone_seconds = 0;
};

class Scanner {
 public:
  explicit Scanner(std::string_view input) : input_(input) {}
  bool done() const { return pos_ >= input_.size(); }
  char peek() const { return input_[pos_]; }
  std::string_view rest() const { return input_.substr(pos_); }
  void advance(size_t n) { pos_ = std::min(input_.size(), pos_ + n); }
  void SkipSpaces() {
    while (!done() && std::isspace(static_cast<unsigned char>(peek()))) ++pos_;
  }

 private:
  std::string_view input_;
  size_t pos_ = 0;
};

Status InvalidValue(std::string_view value, std::string_view field, std::string_view detail) {
  return Status::Sql("22007", fmt::format("invalid value \"{}\" for \"{}\"", value, field))
      .WithDetail(std::string(detail));
}

// A numeric field: at most `width` digits when the next node is another field (fixed-width
// input such as YYYYMMDD), otherwise as many digits as there are.
Result<int64_t> ReadNumber(Scanner& in, const Node& node, bool bounded, bool allow_sign) {
  std::string_view field = node.keyword.text;
  in.SkipSpaces();
  size_t remaining = in.rest().size();
  if (remaining == 0 ||
      (bounded && remaining < static_cast<size_t>(std::max(node.keyword.digits, 1)))) {
    return Status::Sql("22007",
                       fmt::format("source string too short for \"{}\" formatting field", field))
        .WithDetail(fmt::format("Field requires {} characters, but only {} remain.",
                                std::max(node.keyword.digits, 1), remaining))
        .WithHint("If your source string is not fixed-width, try using the \"FM\" modifier.");
  }
  bool negative = false;
  if (allow_sign && (in.peek() == '-' || in.peek() == '+')) {
    negative = in.peek() == '-';
    in.advance(1);
  }
  size_t limit = bounded && node.keyword.digits > 0 ? static_cast<size_t>(node.keyword.digits)
                                                    : kMaxNumberDigits;
  std::string_view rest = in.rest();
  size_t n = 0;
  while (n < rest.size() && n < limit && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
  if (n == 0) {
    size_t shown = std::min(rest.size(), static_cast<size_t>(std::max(node.keyword.digits, 1)));
    return InvalidValue(rest.substr(0, shown), field, "Value must be an integer.");
  }
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + (rest[i] - '0');
  in.advance(n);
  if (node.ordinal != 0) {  // "1st", "2ND"
    std::string_view after = in.rest();
    if (after.size() >= 2 && std::isalpha(static_cast<unsigned char>(after[0])) &&
        std::isalpha(static_cast<unsigned char>(after[1]))) {
      in.advance(2);
    }
  }
  return negative ? -v : v;
}

// The longest of `names` (or their first three letters) that starts the input, ignoring case.
Result<int64_t> ReadName(Scanner& in, const Node& node, std::span<const std::string_view> names,
                         bool abbreviated_only) {
  in.SkipSpaces();
  std::string_view rest = in.rest();
  auto starts_with = [&rest](std::string_view name) {
    if (rest.size() < name.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(rest[i])) !=
          std::tolower(static_cast<unsigned char>(name[i]))) {
        return false;
      }
    }
    return true;
  };
  for (int pass = abbreviated_only ? 1 : 0; pass < 2; ++pass) {
    for (size_t i = 0; i < names.size(); ++i) {
      std::string_view name = pass == 0 ? names[i] : names[i].substr(0, 3);
      if (pass == 1 && name == "May" && !abbreviated_only && starts_with(names[i])) continue;
      if (starts_with(name)) {
        in.advance(name.size());
        return static_cast<int64_t>(i);
      }
    }
  }
  return InvalidValue(rest.substr(0, std::min<size_t>(rest.size(), 3)), node.keyword.text,
                      "The given value did not match any of the allowed values for this field.");
}

// Reads one of two spellings ("AM"/"PM", "A.M."/"P.M.", "BC"/"AD"): true for the second.
Result<bool> ReadChoice(Scanner& in, const Node& node, std::string_view first,
                        std::string_view second) {
  std::array<std::string_view, 2> choices = {first, second};
  ASSIGN_OR_RETURN(int64_t which, ReadName(in, node, choices, false));
  return which == 1;
}

Status ReadField(Scanner& in, const Node& node, bool bounded, Fields& f) {
  const Keyword& k = node.keyword;
  switch (k.kind) {
    case Kind::kLiteral:
      return Status::Ok();
    case Kind::kHour12:
    case Kind::kHour24: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.hour = v;
      f.hour12 = k.kind == Kind::kHour12;
      return Status::Ok();
    }
    case Kind::kMinute: {
      ASSIGN_OR_RETURN(f.minute, ReadNumber(in, node, bounded, false));
      return Status::Ok();
    }
    case Kind::kSecond: {
      ASSIGN_OR_RETURN(f.second, ReadNumber(in, node, bounded, false));
      return Status::Ok();
    }
    case Kind::kMillis:
    case Kind::kMicros:
    case Kind::kFraction: {
      Scanner probe = in;
      probe.SkipSpaces();
      size_t before = probe.rest().size();
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      // Like PostgreSQL, MS and US read the digits as a fraction: "5" in MS is 500 ms.
      int digits = static_cast<int>(before - in.rest().size());
      int scale = k.kind == Kind::kMillis ? 3 : 6;
      if (k.kind == Kind::kFraction) scale = k.digits;
      if (digits > scale) {
        return Status::Sql("22008", fmt::format("date/time field value out of range: \"{}\"", v));
      }
      for (int i = digits; i < 6; ++i) v *= 10;
      f.micros = v;
      return Status::Ok();
    }
    case Kind::kSecondsOfDay: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.seconds_of_day = v;
      return Status::Ok();
    }
    case Kind::kMeridiem: {
      ASSIGN_OR_RETURN(bool pm, k.dotted ? ReadChoice(in, node, "A.M.", "P.M.")
                                         : ReadChoice(in, node, "AM", "PM"));
      f.pm = pm;
      return Status::Ok();
    }
    case Kind::kEra: {
      ASSIGN_OR_RETURN(bool bc, k.dotted ? ReadChoice(in, node, "A.D.", "B.C.")
                                         : ReadChoice(in, node, "AD", "BC"));
      f.bc = bc;
      return Status::Ok();
    }
    case Kind::kYearComma: {
      ASSIGN_OR_RETURN(int64_t thousands, ReadNumber(in, node, false, false));
      if (in.done() || in.peek() != ',') {
        return InvalidValue(in.rest().substr(0, std::min<size_t>(in.rest().size(), 5)), k.text,
                            "Value must be an integer.");
      }
      in.advance(1);
      Node rest = node;
      rest.keyword.digits = 3;
      ASSIGN_OR_RETURN(int64_t units, ReadNumber(in, rest, true, false));
      f.year = thousands * 1000 + units;
      f.year_digits = 4;
      return Status::Ok();
    }
    case Kind::kYear:
    case Kind::kIsoYear: {
      Scanner probe = in;
      probe.SkipSpaces();
      size_t before = probe.rest().size();
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, k.digits == 4));
      int digits = static_cast<int>(before - in.rest().size());
      if (k.kind == Kind::kYear) {
        f.year = v;
        f.year_digits = std::min(k.digits, digits);
      } else {
        f.iso_year = v;
      }
      return Status::Ok();
    }
    case Kind::kMonthName:
    case Kind::kMonthAbbreviation: {
      ASSIGN_OR_RETURN(int64_t m,
                       ReadName(in, node, kMonthNames, k.kind == Kind::kMonthAbbreviation));
      f.month = m + 1;
      return Status::Ok();
    }
    case Kind::kMonth: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.month = v;
      return Status::Ok();
    }
    case Kind::kDayName:
    case Kind::kDayAbbreviation: {
      ASSIGN_OR_RETURN(int64_t d, ReadName(in, node, kDayNames, k.kind == Kind::kDayAbbreviation));
      (void)d;  // the weekday does not decide the date (as in PostgreSQL)
      return Status::Ok();
    }
    case Kind::kDayOfYear: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.day_of_year = v;
      return Status::Ok();
    }
    case Kind::kIsoDayOfYear: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.iso_week = (v - 1) / 7 + 1;
      f.iso_weekday = (v - 1) % 7 + 1;
      return Status::Ok();
    }
    case Kind::kDay: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.day = v;
      return Status::Ok();
    }
    case Kind::kIsoDayOfWeek: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.iso_weekday = v;
      return Status::Ok();
    }
    case Kind::kIsoWeek: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.iso_week = v;
      return Status::Ok();
    }
    case Kind::kDayOfWeek:
    case Kind::kWeekOfMonth:
    case Kind::kWeekOfYear:
    case Kind::kQuarter: {  // read and ignored, as PostgreSQL ignores them for the date
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      (void)v;
      return Status::Ok();
    }
    case Kind::kCentury: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, true));
      f.century = v;
      return Status::Ok();
    }
    case Kind::kJulian: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.julian = v;
      return Status::Ok();
    }
    case Kind::kRomanMonth: {
      in.SkipSpaces();
      std::string_view rest = in.rest();
      size_t best = 0;
      int64_t month = 0;
      for (size_t i = 0; i < kRomanMonths.size(); ++i) {
        std::string_view r = kRomanMonths[i];
        if (r.size() <= best || rest.size() < r.size()) continue;
        bool same = true;
        for (size_t j = 0; j < r.size(); ++j) {
          same = same && std::toupper(static_cast<unsigned char>(rest[j])) == r[j];
        }
        if (same) {
          best = r.size();
          month = static_cast<int64_t>(i) + 1;
        }
      }
      if (best == 0) {
        return InvalidValue(rest.substr(0, std::min<size_t>(rest.size(), 4)), k.text,
                            "The given value did not match any of the allowed values for this "
                            "field.");
      }
      in.advance(best);
      f.month = month;
      return Status::Ok();
    }
    case Kind::kZoneHours: {
      in.SkipSpaces();
      bool negative = !in.done() && in.peek() == '-';
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, true));
      f.zone_seconds += (negative ? -1 : 1) * std::abs(v) * 3600;
      return Status::Ok();
    }
    case Kind::kZoneMinutes: {
      ASSIGN_OR_RETURN(int64_t v, ReadNumber(in, node, bounded, false));
      f.zone_seconds += (f.zone_seconds < 0 ? -60 : 60) * v;
      return Status::Ok();
    }
    case Kind::kZone:
    case Kind::kOffset:
      return Status::Sql("0A000", fmt::format("formatting field \"{}\" is only supported in "
                                              "to_char",
                                              k.text));
  }
  return Status::Ok();
}

// PostgreSQL's adjust_partial_year_to_2020: 2-digit years 70..99 are 19xx, others 20xx.
int64_t AdjustPartialYear(int64_t year, int digits) {
  if (digits == 2) return year < 70 ? year + 2000 : year < 100 ? year + 1900 : year;
  if (digits == 3) return year < 100 ? year + 2000 : year < 1000 ? year + 1000 : year;
  if (digits == 1) return year < 10 ? year + 2000 : year;
  return year;
}

Status OutOfRange(std::string_view input) {
  return Status::Sql("22008", fmt::format("date/time field value out of range: \"{}\"", input));
}

// The parsed fields as days since 2000-01-01 and microseconds since midnight.
Result<std::pair<int64_t, int64_t>> Compose(const Fields& f, std::string_view input) {
  int64_t days = 0;
  if (f.julian) {
    days = *f.julian - kJulianDayOfPostgresEpoch;
  } else if (f.iso_year && f.iso_week) {
    int64_t year = AdjustPartialYear(*f.iso_year, 4);
    days = IsoYearStart(year) + (*f.iso_week - 1) * 7 + (f.iso_weekday.value_or(1) - 1);
  } else {
    int64_t year = 0;  // 1 BC when no field gives the year, as in PostgreSQL
    if (f.year) {
      year = AdjustPartialYear(*f.year, f.year_digits);
      if (f.bc) year = 1 - year;  // astronomical year
    } else if (f.century) {
      year = *f.century > 0 ? (*f.century - 1) * 100 + 1 : *f.century * 100 + 1;
    }
    if (f.bc && f.year && *f.year <= 0) {
      return Status::Sql("22008", fmt::format("inconsistent use of year {} and \"BC\"", *f.year));
    }
    if (f.day_of_year && !f.month && !f.day) {
      int64_t length = PostgresDaysFromCivil(year + 1, 1, 1) - PostgresDaysFromCivil(year, 1, 1);
      if (*f.day_of_year < 1 || *f.day_of_year > length) return OutOfRange(input);
      days = PostgresDaysFromCivil(year, 1, 1) + *f.day_of_year - 1;
    } else {
      int64_t month = f.month.value_or(1);
      int64_t day = f.day.value_or(1);
      if (month < 1 || month > 12 || day < 1 || day > DaysInCivilMonth(year, month)) {
        return OutOfRange(input);
      }
      days = PostgresDaysFromCivil(year, month, day);
    }
  }
  int64_t hour = f.hour.value_or(0);
  if (f.hour && f.hour12 && (hour < 1 || hour > 12)) {
    return Status::Sql("22007", fmt::format("hour \"{}\" is invalid for the 12-hour clock", hour))
        .WithHint("Use the 24-hour clock, or give an hour between 1 and 12.");
  }
  if (f.pm) hour = hour % 12 + (*f.pm ? 12 : 0);
  int64_t time = 0;
  if (f.seconds_of_day) {
    time = *f.seconds_of_day * kMicrosPerSecond;
  } else {
    if (hour > 24 || f.minute > 59 || f.second > 60) return OutOfRange(input);
    time = ((hour * 60 + f.minute) * 60 + f.second) * kMicrosPerSecond;
  }
  return std::make_pair(days, time + f.micros - f.zone_seconds * kMicrosPerSecond);
}

Result<std::pair<int64_t, int64_t>> ParseWithFormat(std::string_view input,
                                                    std::string_view format) {
  ASSIGN_OR_RETURN(std::vector<Node> nodes, ParseFormat(format));
  Scanner in(input);
  Fields fields;
  // Fields after the end of the input keep their defaults, as in PostgreSQL.
  for (size_t i = 0; i < nodes.size() && !in.done(); ++i) {
    const Node& node = nodes[i];
    if (node.keyword.kind == Kind::kLiteral) {
      for (char c : node.literal) {
        if (std::isspace(static_cast<unsigned char>(c))) {
          in.SkipSpaces();
        } else if (!in.done() && (node.quoted || in.peek() == c ||
                                  !std::isalnum(static_cast<unsigned char>(in.peek())))) {
          in.advance(1);  // the same character, or any separator for a separator
        }
      }
      continue;
    }
    bool bounded =
        !node.fill && i + 1 < nodes.size() && nodes[i + 1].keyword.kind != Kind::kLiteral;
    RETURN_IF_ERROR(ReadField(in, node, bounded, fields));
  }
  return Compose(fields, input);
}

Result<Value> ToDate(std::span<const Value> args, FunctionContext&) {
  const std::string& input = args[0].string_value();
  ASSIGN_OR_RETURN(auto parsed, ParseWithFormat(input, args[1].string_value()));
  if (parsed.first < kMinDays || parsed.first >= kEndDateDays) {
    return Status::Sql("22008", fmt::format("date out of range: \"{}\"", input));
  }
  return Value::Int(T::kDate, parsed.first);
}

Result<Value> ToTimestamp(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(auto parsed, ParseWithFormat(args[0].string_value(), args[1].string_value()));
  __int128 micros = static_cast<__int128>(parsed.first) * kMicrosPerDay + parsed.second;
  if (micros < static_cast<__int128>(kMinDays) * kMicrosPerDay ||
      micros >= static_cast<__int128>(kEndTimestampDays) * kMicrosPerDay) {
    return Status::Sql("22008", "timestamp out of range");
  }
  return Value::Int(T::kTimestampTz, static_cast<int64_t>(micros));
}

// to_timestamp(double precision): Unix epoch seconds.
Result<Value> ToTimestampFromEpoch(std::span<const Value> args, FunctionContext&) {
  double seconds = args[0].float_value();
  if (std::isnan(seconds)) return Status::Sql("22008", "timestamp cannot be NaN");
  if (std::isinf(seconds)) return Value::Int(T::kTimestampTz, seconds > 0 ? INT64_MAX : INT64_MIN);
  double micros = std::nearbyint((seconds - static_cast<double>(kPostgresEpochUnixSeconds)) * 1e6);
  constexpr double kMinMicros = static_cast<double>(kMinDays * kMicrosPerDay);
  constexpr double kEndMicros = static_cast<double>(kEndTimestampDays * kMicrosPerDay);
  if (!(micros >= kMinMicros && micros < kEndMicros)) {
    return Status::Sql("22008", fmt::format("timestamp out of range: \"{}\"", seconds));
  }
  return Value::Int(T::kTimestampTz, static_cast<int64_t>(micros));
}

}  // namespace

void RegisterDateTimeFormatFunctions(const FunctionAdder& add) {
  add("to_char", {T::kTimestamp, T::kText}, T::kText, TimestampToChar, false);
  add("to_char", {T::kTimestampTz, T::kText}, T::kText, TimestampToChar, false);
  add("to_date", {T::kText, T::kText}, T::kDate, ToDate, false);
  add("to_timestamp", {T::kText, T::kText}, T::kTimestampTz, ToTimestamp, false);
  add("to_timestamp", {T::kFloat8}, T::kTimestampTz, ToTimestampFromEpoch, false);
}

}  // namespace borealis::sql
