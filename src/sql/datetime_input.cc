#include "sql/datetime_input.h"

#include <cctype>
#include <limits>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "sql/binder.h"
#include "sql/datetime.h"

namespace borealis::sql {
namespace {

constexpr size_t kMaxFields = 25;        // PostgreSQL's MAXDATEFIELDS
constexpr size_t kMaxInputLength = 256;  // longer inputs are invalid syntax
constexpr int64_t kMaxFieldDigits = 9;   // a field fits int32 as in PostgreSQL
constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kJulianOfPostgresEpoch = 2'451'545;
constexpr int64_t kDateInfinity = std::numeric_limits<int32_t>::max();
constexpr int64_t kDateMinusInfinity = std::numeric_limits<int32_t>::min();
constexpr int64_t kTimestampInfinity = std::numeric_limits<int64_t>::max();
constexpr int64_t kTimestampMinusInfinity = std::numeric_limits<int64_t>::min();
constexpr int64_t kMinDays = -2'451'545;            // 4714-11-24 BC
constexpr int64_t kMaxTimestampDays = 106'751'983;  // 294277-01-01, exclusive
constexpr int64_t kMaxDateDays = 2'145'031'949;     // 5874898-01-01, exclusive

// Field bits (PostgreSQL's DTK_M masks, reduced to what decoding needs).
enum : uint32_t {
  kYear = 1u << 0,
  kMonth = 1u << 1,
  kDay = 1u << 2,
  kDoy = 1u << 3,
  kTime = 1u << 4,  // hour, minute and second come together
  kZone = 1u << 5,
  kMeridian = 1u << 6,
  kEra = 1u << 7,
  kDow = 1u << 8,
  kDateMask = kYear | kMonth | kDay,
};

enum class Error {
  kOk,
  kBadFormat,        // 22007
  kFieldOverflow,    // 22008
  kMdFieldOverflow,  // 22008 with the DateStyle hint
  kZoneOverflow,     // 22009
  kZoneUnsupported,  // 0A000
  kNeedsNow,         // 0A000
};

enum class Special { kNone, kNow, kEpoch, kInfinity, kMinusInfinity };
enum class Meridian { k24, kAm, kPm };

enum class TokenKind { kNumber, kDate, kTime, kString, kZone };
struct Token {
  TokenKind kind;
  std::string text;  // letters lowercased
};

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::optional<int64_t> MonthOf(std::string_view word);

// PostgreSQL's ParseDateTime: splits the input into typed fields; other punctuation and spaces
// separate fields.
bool Tokenize(std::string_view s, std::vector<Token>& out) {
  size_t i = 0;
  auto take = [&](auto pred) {
    std::string t;
    while (i < s.size() && pred(s[i])) t.push_back(Lower(s[i++]));
    return t;
  };
  while (i < s.size()) {
    if (out.size() >= kMaxFields) return false;
    char c = s[i];
    if (IsDigit(c)) {
      std::string t = take(IsDigit);
      if (i < s.size() && s[i] == ':') {
        t += take([](char x) { return IsDigit(x) || x == ':' || x == '.'; });
        out.push_back({TokenKind::kTime, t});
      } else if (i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
        char delim = s[i++];
        t.push_back(delim);
        TokenKind kind = TokenKind::kDate;
        if (i < s.size() && IsDigit(s[i])) {
          if (delim == '.') kind = TokenKind::kNumber;
          t += take(IsDigit);
          if (i < s.size() && s[i] == delim) {
            kind = TokenKind::kDate;
            t += take([delim](char x) { return IsDigit(x) || x == delim; });
          }
        } else {
          t += take([delim](char x) { return IsDigit(x) || IsAlpha(x) || x == delim; });
        }
        out.push_back({kind, t});
      } else {
        out.push_back({TokenKind::kNumber, t});
      }
    } else if (c == '.' && i + 1 < s.size() && IsDigit(s[i + 1])) {
      ++i;
      out.push_back({TokenKind::kNumber, "." + take(IsDigit)});
    } else if (IsAlpha(c)) {
      std::string t = take(IsAlpha);
      if (i + 1 < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.') && IsDigit(s[i + 1]) &&
          MonthOf(t)) {
        char delim = s[i];  // a date with a leading month name: Mar-09-2010
        t += take([delim](char x) { return IsDigit(x) || IsAlpha(x) || x == delim; });
        out.push_back({TokenKind::kDate, t});
      } else if (i + 1 < s.size() && s[i] == '/' && IsAlpha(s[i + 1])) {
        // A zone name such as America/New_York.
        t += take([](char x) { return IsAlpha(x) || x == '/' || x == '_'; });
        out.push_back({TokenKind::kString, t});
      } else {
        out.push_back({TokenKind::kString, t});
      }
    } else if (c == '+' || c == '-') {
      ++i;
      if (i < s.size() && IsDigit(s[i])) {
        std::string t(1, c);
        t += take([](char x) { return IsDigit(x) || x == ':' || x == '.'; });
        out.push_back({TokenKind::kZone, t});
      } else if (i < s.size() && IsAlpha(s[i])) {
        out.push_back({TokenKind::kString, std::string(1, c) + take(IsAlpha)});
      } else {
        return false;
      }
    } else if (std::isspace(static_cast<unsigned char>(c)) ||
               std::ispunct(static_cast<unsigned char>(c))) {
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

struct Decoded {
  uint32_t fmask = 0;
  int64_t year = 0, month = 0, day = 0, doy = 0;
  bool is2digits = false, bc = false, julian = false;
  int64_t hour = 0, minute = 0, second = 0, micros = 0;
  int64_t zone_seconds = 0;  // east of UTC
  Meridian meridian = Meridian::k24;
  Special special = Special::kNone;
  // What made the value depend on the session (DateTimeTextDependsOnSession).
  bool order_dependent = false;
  bool needs_now = false;
};

std::optional<int64_t> ParseInt(std::string_view digits) {
  if (digits.empty() || digits.size() > static_cast<size_t>(kMaxFieldDigits)) return std::nullopt;
  int64_t v = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// ".789" into microseconds, rounded half up at the seventh digit.
std::optional<int64_t> ParseFraction(std::string_view dot_digits) {
  if (dot_digits.size() < 2 || dot_digits[0] != '.') return std::nullopt;
  std::string_view f = dot_digits.substr(1);
  int64_t us = 0;
  for (size_t k = 0; k < f.size(); ++k) {
    if (!IsDigit(f[k])) return std::nullopt;
  }
  for (size_t k = 0; k < 6; ++k) us = us * 10 + (k < f.size() ? f[k] - '0' : 0);
  if (f.size() > 6 && f[6] >= '5') ++us;
  return us;
}

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::string_view kMonthNames[] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};

std::optional<int64_t> MonthOf(std::string_view word) {
  for (int m = 0; m < 12; ++m) {
    if (word == kMonths[m] || word == kMonthNames[m]) return m + 1;
  }
  if (word == "sept") return 9;
  return std::nullopt;
}

bool IsDayName(std::string_view w) {
  for (std::string_view d :
       {"sun", "sunday", "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu",
        "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday"}) {
    if (w == d) return true;
  }
  return false;
}

// A run of digits as hhmmss/hhmm or yyyymmdd/yymmdd (PostgreSQL's DecodeNumberField).
Error DecodeNumberField(std::string_view str, uint32_t fmask, uint32_t& tmask, Decoded& d) {
  size_t dot = str.find('.');
  int64_t fraction = 0;
  if (dot != std::string_view::npos) {
    std::optional<int64_t> f = ParseFraction(str.substr(dot));
    if (!f) return Error::kBadFormat;
    fraction = *f;
    str = str.substr(0, dot);
  } else if ((fmask & kDateMask) != kDateMask && str.size() >= 6) {
    std::optional<int64_t> day = ParseInt(str.substr(str.size() - 2));
    std::optional<int64_t> month = ParseInt(str.substr(str.size() - 4, 2));
    std::optional<int64_t> year = ParseInt(str.substr(0, str.size() - 4));
    if (!day || !month || !year) return Error::kBadFormat;
    d.day = *day;
    d.month = *month;
    d.year = *year;
    d.is2digits = str.size() - 4 == 2;
    tmask = kDateMask;
    return Error::kOk;
  }
  if ((fmask & kTime) == 0 && (str.size() == 6 || str.size() == 4)) {
    d.hour = *ParseInt(str.substr(0, 2));
    d.minute = *ParseInt(str.substr(2, 2));
    d.second = str.size() == 6 ? *ParseInt(str.substr(4, 2)) : 0;
    d.micros = fraction;
    tmask = kTime;
    return Error::kOk;
  }
  return Error::kBadFormat;
}

// One numeric date field, placed by what is known so far and the DateStyle order (PostgreSQL's
// DecodeNumber).
Error DecodeNumber(std::string_view str, bool have_text_month, uint32_t fmask, uint32_t& tmask,
                   Decoded& d, DateOrder order) {
  size_t dot = str.find('.');
  if (dot != std::string_view::npos) {
    // More than two digits before the point: a run-together date or time.
    if (dot > 2) return DecodeNumberField(str, fmask, tmask, d);
    return Error::kBadFormat;
  }
  std::optional<int64_t> parsed = ParseInt(str);
  if (!parsed) return Error::kFieldOverflow;
  int64_t v = *parsed;
  size_t flen = str.size();
  tmask = 0;
  if (flen == 3 && (fmask & kDateMask) == kYear && v >= 1 && v <= 366) {
    tmask = kDoy | kMonth | kDay;
    d.doy = v;
    return Error::kOk;
  }
  switch (fmask & kDateMask) {
    case 0:
      if (flen >= 3 || order == DateOrder::kYmd) {
        tmask = kYear;
      } else if (order == DateOrder::kDmy) {
        tmask = kDay;
      } else {
        tmask = kMonth;
      }
      if (flen < 3) d.order_dependent = true;
      break;
    case kYear:
      tmask = kMonth;
      break;
    case kMonth:
      if (have_text_month) {
        tmask = (flen >= 3 || order == DateOrder::kYmd) ? kYear : kDay;
        if (flen < 3) d.order_dependent = true;
      } else {
        tmask = kDay;
      }
      break;
    case kYear | kMonth:
      if (have_text_month && flen >= 3 && d.is2digits) {
        // DD-MON-YYYY in YMD order: the first number was the day.
        tmask = kDay;
        d.day = d.year;
        d.year = v;
        d.is2digits = false;
        return Error::kOk;
      }
      tmask = kDay;
      break;
    case kDay:
      tmask = kMonth;
      break;
    case kMonth | kDay:
      tmask = kYear;
      break;
    case kDateMask:
      return DecodeNumberField(str, fmask, tmask, d);
    default:
      return Error::kBadFormat;
  }
  if (tmask == kYear) {
    d.year = v;
    d.is2digits = flen <= 2;
  } else if (tmask == kMonth) {
    d.month = v;
  } else {
    d.day = v;
  }
  return Error::kOk;
}

// A date written as one field: 2010-03-09, 03/09/2010, 09.03.2010, 9-Mar-2010, 1999.008
// (PostgreSQL's DecodeDate). Must give a whole date.
Error DecodeDate(std::string_view str, uint32_t& fmask, Decoded& d, DateOrder order) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < str.size()) {
    while (i < str.size() && !IsDigit(str[i]) && !IsAlpha(str[i])) ++i;
    size_t start = i;
    if (i < str.size() && IsDigit(str[i])) {
      while (i < str.size() && IsDigit(str[i])) ++i;
    } else {
      while (i < str.size() && IsAlpha(str[i])) ++i;
    }
    if (i > start) fields.push_back(str.substr(start, i - start));
    if (fields.size() > kMaxFields) return Error::kBadFormat;
  }
  bool have_text_month = false;
  std::vector<bool> used(fields.size(), false);
  for (size_t k = 0; k < fields.size(); ++k) {
    if (!IsAlpha(fields[k][0])) continue;
    std::optional<int64_t> month = MonthOf(fields[k]);
    if (!month || (fmask & kMonth) != 0) return Error::kBadFormat;
    d.month = *month;
    fmask |= kMonth;
    have_text_month = true;
    used[k] = true;
  }
  for (size_t k = 0; k < fields.size(); ++k) {
    if (used[k]) continue;
    uint32_t dmask = 0;
    Error e = DecodeNumber(fields[k], have_text_month, fmask, dmask, d, order);
    if (e != Error::kOk) return e;
    if ((fmask & dmask) != 0) return Error::kBadFormat;
    fmask |= dmask;
  }
  if ((fmask & kDateMask) != kDateMask) return Error::kBadFormat;
  return Error::kOk;
}

// hh:mm, hh:mm:ss[.f], or mm:ss.f (PostgreSQL's DecodeTime).
Error DecodeTime(std::string_view str, Decoded& d) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= str.size(); ++i) {
    if (i == str.size() || str[i] == ':') {
      parts.push_back(str.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() < 2 || parts.size() > 3) return Error::kBadFormat;
  std::string_view last = parts.back();
  int64_t fraction = 0;
  size_t dot = last.find('.');
  if (dot != std::string_view::npos) {
    std::optional<int64_t> f = ParseFraction(last.substr(dot));
    if (!f) return Error::kBadFormat;
    fraction = *f;
    parts.back() = last.substr(0, dot);
  }
  std::vector<int64_t> values;
  for (std::string_view p : parts) {
    std::optional<int64_t> v = ParseInt(p);
    if (!v) return Error::kBadFormat;
    values.push_back(*v);
  }
  if (parts.size() == 2 && dot != std::string_view::npos) {
    d.hour = 0;  // mm:ss.f
    d.minute = values[0];
    d.second = values[1];
  } else {
    d.hour = values[0];
    d.minute = values[1];
    d.second = parts.size() == 3 ? values[2] : 0;
  }
  d.micros = fraction;
  if (d.minute > 59 || d.second > 60) return Error::kFieldOverflow;
  return Error::kOk;
}

// +hh, +hhmm, +hh:mm[:ss] (PostgreSQL's DecodeTimezone).
Error DecodeZone(std::string_view str, Decoded& d) {
  int sign = str[0] == '-' ? -1 : 1;
  std::string_view body = str.substr(1);
  int64_t h = 0, m = 0, s = 0;
  size_t colon = body.find(':');
  if (colon != std::string_view::npos) {
    std::optional<int64_t> hours = ParseInt(body.substr(0, colon));
    std::string_view rest = body.substr(colon + 1);
    size_t colon2 = rest.find(':');
    std::optional<int64_t> minutes = ParseInt(rest.substr(0, colon2));
    std::optional<int64_t> seconds = colon2 == std::string_view::npos
                                         ? std::optional<int64_t>(0)
                                         : ParseInt(rest.substr(colon2 + 1));
    if (!hours || !minutes || !seconds) return Error::kBadFormat;
    h = *hours;
    m = *minutes;
    s = *seconds;
  } else {
    std::optional<int64_t> v = ParseInt(body);
    if (!v) return Error::kBadFormat;
    if (body.size() > 2) {
      h = *v / 100;
      m = *v % 100;
      if (body.size() > 4) return Error::kBadFormat;
    } else {
      h = *v;
    }
  }
  if (h > 15 || m >= 60 || s >= 60) return Error::kZoneOverflow;
  d.zone_seconds = sign * (h * 3600 + m * 60 + s);
  return Error::kOk;
}

// Common zone abbreviations of PostgreSQL's Default timezone_abbreviations set, with their
// fixed offsets east of UTC in minutes (PostgreSQL docs, appendix B.4).
struct ZoneAbbreviation {
  std::string_view name;
  int minutes;
};
constexpr ZoneAbbreviation kZoneAbbreviations[] = {
    {"pst", -480}, {"pdt", -420}, {"mst", -420}, {"mdt", -360}, {"cst", -360},  {"cdt", -300},
    {"est", -300}, {"edt", -240}, {"ast", -240}, {"adt", -180}, {"akst", -540}, {"akdt", -480},
    {"hst", -600}, {"nst", -210}, {"ndt", -150}, {"wet", 0},    {"west", 60},   {"bst", 60},
    {"cet", 60},   {"cest", 120}, {"met", 60},   {"mest", 120}, {"eet", 120},   {"eest", 180},
    {"msk", 180},  {"ist", 120},  {"jst", 540},  {"kst", 540},  {"hkt", 480},   {"awst", 480},
    {"acst", 570}, {"acdt", 630}, {"aest", 600}, {"aedt", 660}, {"nzst", 720},  {"nzdt", 780},
};

std::optional<int64_t> ZoneAbbreviationSeconds(std::string_view w) {
  for (const ZoneAbbreviation& z : kZoneAbbreviations) {
    if (z.name == w) return z.minutes * 60;
  }
  return std::nullopt;
}

bool IsUtcName(std::string_view w) {
  for (std::string_view z : {"z", "zulu", "utc", "gmt", "ut", "uct"}) {
    if (w == z) return true;
  }
  return false;
}

// PostgreSQL's DecodeDateTime/DecodeTimeOnly over the fields; `is_time` reads bare numbers as
// times of day.
Error Decode(const std::vector<Token>& tokens, bool is_time, const DateTimeInputOptions& options,
             Decoded& d) {
  bool have_text_month = false;
  enum class Pending { kNone, kJulian, kIsoTime } pending = Pending::kNone;
  bool after_zone_word = false;
  for (const Token& t : tokens) {
    uint32_t tmask = 0;
    Error e = Error::kOk;
    bool zone_word = false;
    switch (t.kind) {
      case TokenKind::kDate:
        if (pending != Pending::kNone) return Error::kBadFormat;
        {
          uint32_t fmask = d.fmask;
          e = DecodeDate(t.text, fmask, d, options.order);
          tmask = fmask & ~d.fmask;
        }
        break;
      case TokenKind::kTime:
        if (pending == Pending::kJulian) return Error::kBadFormat;
        pending = Pending::kNone;
        e = DecodeTime(t.text, d);
        tmask = kTime;
        break;
      case TokenKind::kZone:
        if (pending != Pending::kNone) return Error::kBadFormat;
        e = DecodeZone(t.text, d);
        tmask = kZone;
        if (after_zone_word && e == Error::kOk) {
          // `GMT+8`, `PST+8`, `MST+7:00`: a POSIX zone, whose offset counts west of UTC.
          d.zone_seconds = -d.zone_seconds;
          tmask = 0;
        }
        break;
      case TokenKind::kNumber: {
        std::string_view s = t.text;
        size_t dot = s.find('.');
        if (pending == Pending::kJulian) {
          pending = Pending::kNone;
          std::optional<int64_t> j = ParseInt(s.substr(0, dot));
          if (!j) return Error::kBadFormat;
          if (dot != std::string_view::npos) {
            std::optional<int64_t> f = ParseFraction(s.substr(dot));
            if (!f) return Error::kBadFormat;
            int64_t day_micros = *f * 86'400;  // the fraction of a day
            d.hour = day_micros / 3'600'000'000;
            d.minute = day_micros / 60'000'000 % 60;
            d.second = day_micros / kMicrosPerSecond % 60;
            d.micros = day_micros % kMicrosPerSecond;
            tmask |= kTime;
          }
          CivilDate c = CivilFromPostgresDays(*j - kJulianOfPostgresEpoch);
          d.year = c.year;
          d.month = c.month;
          d.day = c.day;
          d.julian = true;
          tmask |= kDateMask;
          break;
        }
        if (pending == Pending::kIsoTime) {
          pending = Pending::kNone;
          e = DecodeNumberField(s, d.fmask | kDateMask, tmask, d);
          break;
        }
        uint32_t fmask = is_time ? d.fmask | kDateMask : d.fmask;
        if (dot != std::string_view::npos && (fmask & kDateMask) == 0) {
          uint32_t m = d.fmask;
          e = DecodeDate(s, m, d, options.order);
          tmask = m & ~d.fmask;
        } else if (dot != std::string_view::npos && dot > 2) {
          e = DecodeNumberField(s, fmask, tmask, d);
        } else if (s.size() >= 6 && ((fmask & kDateMask) == 0 || (fmask & kTime) == 0)) {
          e = DecodeNumberField(s, fmask, tmask, d);
        } else {
          e = DecodeNumber(s, have_text_month, fmask, tmask, d, options.order);
        }
        break;
      }
      case TokenKind::kString: {
        if (pending != Pending::kNone) return Error::kBadFormat;
        std::string_view w = t.text;
        if (w == "now") {
          d.special = Special::kNow;
          d.needs_now = true;
          tmask = kDateMask | kTime | kZone;
        } else if (w == "today" || w == "tomorrow" || w == "yesterday") {
          if (is_time) return Error::kBadFormat;
          d.needs_now = true;
          int64_t now = options.now.value_or(0);  // without one: kNeedsNow once the rest parses
          int64_t now_days = now / kMicrosPerDay - (now % kMicrosPerDay < 0);
          int64_t days = now_days + (w == "tomorrow" ? 1 : w == "yesterday" ? -1 : 0);
          CivilDate c = CivilFromPostgresDays(days);
          d.year = c.year;
          d.month = c.month;
          d.day = c.day;
          d.julian = true;  // an astronomical year, as a Julian day gives
          tmask = kDateMask;
        } else if (w == "epoch" || w == "infinity" || w == "+infinity" || w == "-infinity") {
          d.special = w == "epoch"       ? Special::kEpoch
                      : w == "-infinity" ? Special::kMinusInfinity
                                         : Special::kInfinity;
          tmask = kDateMask | kTime | kZone;
        } else if (w == "allballs") {
          d.hour = d.minute = d.second = d.micros = 0;
          tmask = kTime;
        } else if (w == "am" || w == "pm") {
          d.meridian = w == "am" ? Meridian::kAm : Meridian::kPm;
          tmask = kMeridian;
        } else if (w == "bc" || w == "ad") {
          d.bc = w == "bc";
          tmask = kEra;
        } else if (w == "t") {
          pending = Pending::kIsoTime;
        } else if (w == "j" || w == "jd" || w == "julian") {
          pending = Pending::kJulian;
        } else if (w == "at" || w == "on") {
          // ignored noise words
        } else if (IsUtcName(w)) {
          d.zone_seconds = 0;
          tmask = kZone;
          zone_word = true;
        } else if (std::optional<int64_t> month = MonthOf(w)) {
          tmask = kMonth;
          if ((d.fmask & kMonth) != 0 && !have_text_month && (d.fmask & kDay) == 0 &&
              d.month >= 1 && d.month <= 31) {
            d.day = d.month;  // "9 Mar": the number taken for a month was the day
            tmask = kDay;
          }
          d.month = *month;
          have_text_month = true;
        } else if (std::optional<int64_t> offset = ZoneAbbreviationSeconds(w)) {
          d.zone_seconds = *offset;
          tmask = kZone;
          zone_word = true;
        } else if (IsDayName(w)) {
          tmask = kDow;
        } else if (w.find('/') != std::string_view::npos) {
          return Error::kZoneUnsupported;
        } else {
          return Error::kBadFormat;
        }
        break;
      }
    }
    if (e != Error::kOk) return e;
    if ((tmask & d.fmask) != 0) return Error::kBadFormat;
    d.fmask |= tmask;
    after_zone_word = zone_word;
  }
  if (pending != Pending::kNone) return Error::kBadFormat;
  if (d.special != Special::kNone) {
    if (d.fmask != (kDateMask | kTime | kZone)) return Error::kBadFormat;
    if (d.special == Special::kNow && !options.now) return Error::kNeedsNow;
    return Error::kOk;
  }
  if (is_time && (d.fmask & kTime) == 0) return Error::kBadFormat;
  // ValidateDate.
  if ((d.fmask & kYear) != 0) {
    if (d.julian) {
      // astronomical already
    } else if (d.bc) {
      if (d.year <= 0) return Error::kFieldOverflow;
      d.year = -(d.year - 1);
    } else if (d.is2digits) {
      d.year += d.year < 70 ? 2000 : 1900;
    } else if (d.year <= 0) {
      return Error::kFieldOverflow;
    }
  }
  if ((d.fmask & kDoy) != 0) {
    CivilDate c = CivilFromPostgresDays(PostgresDaysFromCivil(d.year, 1, 1) + d.doy - 1);
    d.year = c.year;
    d.month = c.month;
    d.day = c.day;
  }
  if ((d.fmask & kMonth) != 0 && (d.month < 1 || d.month > 12)) return Error::kMdFieldOverflow;
  if ((d.fmask & kDay) != 0 && (d.day < 1 || d.day > 31)) return Error::kMdFieldOverflow;
  if ((d.fmask & kDateMask) == kDateMask && d.day > DaysInCivilMonth(d.year, d.month)) {
    return Error::kFieldOverflow;
  }
  // AM/PM.
  if (d.meridian != Meridian::k24 && d.hour > 12) return Error::kFieldOverflow;
  if (d.meridian == Meridian::kAm && d.hour == 12) d.hour = 0;
  if (d.meridian == Meridian::kPm && d.hour != 12) d.hour += 12;
  if (d.hour > 24 || (d.hour == 24 && (d.minute != 0 || d.second != 0 || d.micros != 0))) {
    return Error::kFieldOverflow;
  }
  if (is_time) {
    if ((d.fmask & kTime) == 0) return Error::kBadFormat;
  } else if ((d.fmask & kDateMask) != kDateMask) {
    return Error::kBadFormat;
  }
  if (d.needs_now && !options.now) return Error::kNeedsNow;
  return Error::kOk;
}

Status ErrorStatus(Error e, TypeId type, std::string_view text) {
  switch (e) {
    case Error::kFieldOverflow:
      return Status::Sql("22008", fmt::format("date/time field value out of range: \"{}\"", text));
    case Error::kMdFieldOverflow:
      return Status::Sql("22008", fmt::format("date/time field value out of range: \"{}\"", text))
          .WithHint("Perhaps you need a different \"datestyle\" setting.");
    case Error::kZoneOverflow:
      return Status::Sql("22009", fmt::format("time zone displacement out of range: \"{}\"", text));
    case Error::kZoneUnsupported:
      return Status::Sql("0A000", fmt::format("time zone names are not supported (only UTC and "
                                              "numeric offsets): \"{}\"",
                                              text));
    case Error::kNeedsNow:
      return Status::Sql(
          "0A000", fmt::format("\"{}\" needs the current time, which is not known here", text));
    default: {
      // The names PostgreSQL's input functions pass to DateTimeParseError.
      std::string_view name = type == TypeId::kTime          ? "time"
                              : type == TypeId::kTimestamp   ? "timestamp"
                              : type == TypeId::kTimestampTz ? "timestamp with time zone"
                                                             : "date";
      return Status::Sql("22007",
                         fmt::format("invalid input syntax for type {}: \"{}\"", name, text));
    }
  }
}

// The fields and the session's order decoded; `e` reports the first problem.
Error DecodeText(TypeId type, std::string_view text, const DateTimeInputOptions& options,
                 Decoded& d) {
  if (text.size() > kMaxInputLength) return Error::kBadFormat;
  std::vector<Token> tokens;
  if (!Tokenize(text, tokens) || tokens.empty()) return Error::kBadFormat;
  return Decode(tokens, type == TypeId::kTime, options, d);
}

}  // namespace

Result<Value> ParseDateTimeInput(TypeId type, std::string_view text,
                                 const DateTimeInputOptions& options) {
  Decoded d;
  Error e = DecodeText(type, text, options, d);
  if (e != Error::kOk) return ErrorStatus(e, type, text);
  bool is_date = type == TypeId::kDate;
  switch (d.special) {
    case Special::kInfinity:
    case Special::kMinusInfinity: {
      if (type == TypeId::kTime) return ErrorStatus(Error::kBadFormat, type, text);
      bool plus = d.special == Special::kInfinity;
      if (is_date) return Value::Int(type, plus ? kDateInfinity : kDateMinusInfinity);
      return Value::Int(type, plus ? kTimestampInfinity : kTimestampMinusInfinity);
    }
    case Special::kEpoch:
      if (type == TypeId::kTime) return ErrorStatus(Error::kBadFormat, type, text);
      if (is_date) return Value::Int(type, -kPostgresEpochUnixSeconds / 86'400);
      return Value::Int(type, -kPostgresEpochUnixSeconds * kMicrosPerSecond);
    case Special::kNow: {
      int64_t now = *options.now;
      int64_t days = now / kMicrosPerDay - (now % kMicrosPerDay < 0);
      if (is_date) return Value::Int(type, days);
      if (type == TypeId::kTime) return Value::Int(type, now - days * kMicrosPerDay);
      return Value::Int(type, now);
    }
    case Special::kNone:
      break;
  }
  int64_t time = ((d.hour * 60 + d.minute) * 60 + d.second) * kMicrosPerSecond + d.micros;
  if (type == TypeId::kTime) {
    if (time > kMicrosPerDay) return ErrorStatus(Error::kFieldOverflow, type, text);
    return Value::Int(type, time);
  }
  int64_t days = PostgresDaysFromCivil(d.year, d.month, d.day);
  if (is_date) {
    if (days < kMinDays || days >= kMaxDateDays) {
      return Status::Sql("22008", fmt::format("date out of range: \"{}\"", text));
    }
    return Value::Int(type, days);
  }
  if (days < kMinDays || days >= kMaxTimestampDays) {
    return Status::Sql("22008", fmt::format("timestamp out of range: \"{}\"", text));
  }
  int64_t micros = days * kMicrosPerDay + time;
  if (type == TypeId::kTimestampTz && (d.fmask & kZone) != 0) {
    micros -= d.zone_seconds * kMicrosPerSecond;
  }
  return Value::Int(type, micros);
}

bool DateTimeTextDependsOnSession(std::string_view text) {
  Decoded d;
  DecodeText(TypeId::kTimestamp, text, DateTimeInputOptions{}, d);
  Decoded t;
  DecodeText(TypeId::kTime, text, DateTimeInputOptions{}, t);
  if (d.needs_now || t.needs_now) return true;
  if (!d.order_dependent) return false;
  // Order-dependent fields that give the same value (or the same error) in every order do not
  // make the value depend on the session: `Feb 29 1997` fails at bind time, with its position.
  auto outcome = [text](DateOrder order) {
    Result<Value> r = ParseDateTimeInput(TypeId::kTimestamp, text, DateTimeInputOptions{order});
    return r.ok() ? std::to_string(r->int_value()) : r.status().sqlstate();
  };
  std::string mdy = outcome(DateOrder::kMdy);
  return outcome(DateOrder::kDmy) != mdy || outcome(DateOrder::kYmd) != mdy;
}

Result<Value> ParseDateTimeInContext(TypeId type, std::string_view text, FunctionContext& context) {
  DateTimeInputOptions options;
  options.order = context.output_options().date_order;
  Decoded probe;
  DecodeText(type, text, options, probe);
  if (probe.needs_now) {
    ASSIGN_OR_RETURN(uint64_t nanos, context.TransactionStartUnixNanos());
    options.now = TimestampFromUnixNanos(nanos, TypeId::kTimestamp).int_value();
  }
  return ParseDateTimeInput(type, text, options);
}

}  // namespace borealis::sql
