#include "sql/datetime_units.h"

#include <cctype>
#include <string>

namespace borealis::sql {
namespace {

constexpr DateTimeFieldName kFieldNames[] = {
    {"c", DateTimeField::kCentury, true},
    {"cent", DateTimeField::kCentury, true},
    {"centuries", DateTimeField::kCentury, true},
    {"century", DateTimeField::kCentury, true},
    {"d", DateTimeField::kDay, true},
    {"day", DateTimeField::kDay, true},
    {"days", DateTimeField::kDay, true},
    {"dec", DateTimeField::kDecade, true},
    {"decade", DateTimeField::kDecade, true},
    {"decades", DateTimeField::kDecade, true},
    {"decs", DateTimeField::kDecade, true},
    {"h", DateTimeField::kHour, true},
    {"hour", DateTimeField::kHour, true},
    {"hours", DateTimeField::kHour, true},
    {"hr", DateTimeField::kHour, true},
    {"hrs", DateTimeField::kHour, true},
    {"m", DateTimeField::kMinute, true},
    {"microsecon", DateTimeField::kMicroseconds, true},
    {"mil", DateTimeField::kMillennium, true},
    {"millennia", DateTimeField::kMillennium, true},
    {"millennium", DateTimeField::kMillennium, true},
    {"millisecon", DateTimeField::kMilliseconds, true},
    {"mils", DateTimeField::kMillennium, true},
    {"min", DateTimeField::kMinute, true},
    {"mins", DateTimeField::kMinute, true},
    {"minute", DateTimeField::kMinute, true},
    {"minutes", DateTimeField::kMinute, true},
    {"mon", DateTimeField::kMonth, true},
    {"mons", DateTimeField::kMonth, true},
    {"month", DateTimeField::kMonth, true},
    {"months", DateTimeField::kMonth, true},
    {"ms", DateTimeField::kMilliseconds, true},
    {"msec", DateTimeField::kMilliseconds, true},
    {"msecond", DateTimeField::kMilliseconds, true},
    {"mseconds", DateTimeField::kMilliseconds, true},
    {"msecs", DateTimeField::kMilliseconds, true},
    {"qtr", DateTimeField::kQuarter, true},
    {"quarter", DateTimeField::kQuarter, true},
    {"s", DateTimeField::kSecond, true},
    {"sec", DateTimeField::kSecond, true},
    {"second", DateTimeField::kSecond, true},
    {"seconds", DateTimeField::kSecond, true},
    {"secs", DateTimeField::kSecond, true},
    {"us", DateTimeField::kMicroseconds, true},
    {"usec", DateTimeField::kMicroseconds, true},
    {"usecond", DateTimeField::kMicroseconds, true},
    {"useconds", DateTimeField::kMicroseconds, true},
    {"usecs", DateTimeField::kMicroseconds, true},
    {"w", DateTimeField::kWeek, true},
    {"week", DateTimeField::kWeek, true},
    {"weeks", DateTimeField::kWeek, true},
    {"y", DateTimeField::kYear, true},
    {"year", DateTimeField::kYear, true},
    {"years", DateTimeField::kYear, true},
    {"yr", DateTimeField::kYear, true},
    {"yrs", DateTimeField::kYear, true},
    {"timezone", DateTimeField::kTimezone, true},
    {"timezone_h", DateTimeField::kTimezoneHour, true},
    {"timezone_m", DateTimeField::kTimezoneMinute, true},
    {"epoch", DateTimeField::kEpoch, false},
    {"dow", DateTimeField::kDow, false},
    {"doy", DateTimeField::kDoy, false},
    {"isodow", DateTimeField::kIsoDow, false},
    {"isoyear", DateTimeField::kIsoYear, false},
    {"j", DateTimeField::kJulian, false},
    {"jd", DateTimeField::kJulian, false},
    {"julian", DateTimeField::kJulian, false},
};

}  // namespace

const DateTimeFieldName* LookupDateTimeField(std::string_view word) {
  std::string key;
  for (char c : word.substr(0, 10)) {
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  for (const DateTimeFieldName& f : kFieldNames) {
    if (f.name == key) return &f;
  }
  return nullptr;
}

}  // namespace borealis::sql
