// Test helpers for src/encoding: random values with edge cases, and an independent model of
// PostgreSQL's ordering (plain comparisons, a digit-string decimal comparator and 128-bit
// interval spans; nothing here looks at encoded bytes).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "encoding/datum.h"
#include "encoding/key.h"

namespace borealis::encoding::testing {

inline constexpr ColumnType kAllTypes[] = {
    ColumnType::kBool,     ColumnType::kInt2,    ColumnType::kInt4,      ColumnType::kInt8,
    ColumnType::kOid,      ColumnType::kFloat4,  ColumnType::kFloat8,    ColumnType::kNumeric,
    ColumnType::kText,     ColumnType::kVarchar, ColumnType::kBpchar,    ColumnType::kBytea,
    ColumnType::kDate,     ColumnType::kTime,    ColumnType::kTimestamp, ColumnType::kTimestampTz,
    ColumnType::kInterval, ColumnType::kUuid,
};

inline int Sign(long long v) { return (v > 0) - (v < 0); }

template <typename T>
T Pick(std::mt19937_64& rng, const std::vector<T>& pool) {
  return pool[rng() % pool.size()];
}

inline int64_t RandomInRange(std::mt19937_64& rng, int64_t min, int64_t max) {
  std::uniform_int_distribution<int64_t> dist(min, max);
  return dist(rng);
}

inline int64_t RandomInt(std::mt19937_64& rng, int64_t min, int64_t max) {
  switch (rng() % 4) {
    case 0:
      return Pick<int64_t>(rng, {min, max, 0, 1, -1 < min ? 0 : -1, min + 1, max - 1});
    case 1:
      return std::clamp<int64_t>(RandomInRange(rng, -300, 300), min, max);
    default:
      return RandomInRange(rng, min, max);
  }
}

inline double RandomDouble(std::mt19937_64& rng, bool float4) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  switch (rng() % 4) {
    case 0:
      return Pick<double>(
          rng, {0.0, -0.0, kNaN, -kNaN, kInf, -kInf, 1.0, -1.0, std::numeric_limits<float>::min(),
                -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(), 0.5,
                -0.5});
    case 1:
      return static_cast<double>(RandomInRange(rng, -20, 20)) / 4;
    default:
      if (float4) {
        uint32_t bits = static_cast<uint32_t>(rng());
        return static_cast<double>(std::bit_cast<float>(bits));
      }
      return std::bit_cast<double>(static_cast<uint64_t>(rng()));
  }
}

inline std::string RandomBytes(std::mt19937_64& rng, size_t max_size) {
  static const char kAlphabet[] = {'\0', '\x01', 'a', 'b', ' ', '\xfe', '\xff'};
  std::string s(rng() % (max_size + 1), ' ');
  for (char& c : s) c = kAlphabet[rng() % sizeof(kAlphabet)];
  return s;
}

inline Decimal RandomDecimal(std::mt19937_64& rng) {
  switch (rng() % 20) {
    case 0:
      return Decimal::NaN();
    case 1:
      return Decimal::Infinity(rng() % 2 == 0);
    case 2:
    case 3:
    case 4:
    case 5: {  // small pool: many equal values with different scales (1.5 == 1.50)
      static const char* kPool[] = {"0",     "0.00",   "1.5",    "1.50",  "1.500",  "15",  "150",
                                    "0.15",  "-1.5",   "-1.50",  "-15",   "-0.150", "100", "1e2",
                                    "0.001", "0.0010", "-0.001", "99.99", "100.00", "-100"};
      return Decimal::Parse(kPool[rng() % std::size(kPool)]).value();
    }
    case 6: {  // extremes of PostgreSQL's range
      Decimal d;
      d.negative = rng() % 2 == 0;
      if (rng() % 2 == 0) {
        d.digits = "1";
        d.scale = Decimal::kMaxScale;
      } else {
        d.digits = "9" + std::string(Decimal::kMaxIntegerDigits - 1, rng() % 2 ? '0' : '9');
      }
      return d;
    }
    default: {
      Decimal d;
      size_t digits = rng() % 40;
      for (size_t i = 0; i < digits; ++i) {
        int digit = static_cast<int>(rng() % 10);
        if (i == 0 && digit == 0) digit = 1 + static_cast<int>(rng() % 9);
        // Trailing zeros are common in real data and interesting for the order.
        if (rng() % 4 == 0 && i > 0) digit = 0;
        d.digits.push_back(static_cast<char>('0' + digit));
      }
      d.scale = static_cast<int32_t>(rng() % 45);
      d.negative = !d.digits.empty() && rng() % 2 == 0;
      return d;
    }
  }
}

inline Interval RandomInterval(std::mt19937_64& rng) {
  constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();
  if (rng() % 3 == 0) {
    // Few distinct fields so that equal spans ('1 mon' == '30 days') come up often.
    return Interval{static_cast<int32_t>(RandomInRange(rng, -2, 2)),
                    static_cast<int32_t>(Pick<int64_t>(rng, {0, 30, -30, 1, 60})),
                    Pick<int64_t>(rng, {0, kMicrosecondsPerDay, -kMicrosecondsPerDay, 1})};
  }
  return Interval{
      static_cast<int32_t>(RandomInt(rng, kMin32, kMax32)),
      static_cast<int32_t>(RandomInt(rng, kMin32, kMax32)),
      RandomInt(rng, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max())};
}

// A valid non-null datum of `type`.
inline Datum RandomValue(std::mt19937_64& rng, ColumnType type) {
  constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
  switch (type) {
    case ColumnType::kBool:
      return Datum::Bool(rng() % 2 == 0);
    case ColumnType::kInt2:
      return Datum::Int(type, RandomInt(rng, -32768, 32767));
    case ColumnType::kInt4:
    case ColumnType::kDate:
      return Datum::Int(type, RandomInt(rng, INT32_MIN, INT32_MAX));
    case ColumnType::kOid:
      return Datum::Int(type, RandomInt(rng, 0, UINT32_MAX));
    case ColumnType::kTime:
      return Datum::Int(type, RandomInt(rng, 0, kMicrosecondsPerDay));
    case ColumnType::kInt8:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz:
      return Datum::Int(type, RandomInt(rng, kMin64, kMax64));
    case ColumnType::kFloat4:
      return Datum::Float(type, RandomDouble(rng, true));
    case ColumnType::kFloat8:
      return Datum::Float(type, RandomDouble(rng, false));
    case ColumnType::kNumeric:
      return Datum::Numeric(RandomDecimal(rng));
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBpchar:
    case ColumnType::kBytea:
      return Datum::Bytes(type, RandomBytes(rng, 6));
    case ColumnType::kInterval:
      return Datum::FromInterval(RandomInterval(rng));
    case ColumnType::kUuid: {
      std::string bytes(kUuidSizeBytes, '\0');
      for (char& c : bytes) c = Pick<char>(rng, {'\0', '\x01', '\x7f', '\x80', '\xff'});
      return Datum::Bytes(type, bytes);
    }
  }
  return Datum::Null(type);
}

inline Datum RandomValueOrNull(std::mt19937_64& rng, ColumnType type) {
  if (rng() % 8 == 0) return Datum::Null(type);
  return RandomValue(rng, type);
}

// ---- The model of PostgreSQL's order. ----

inline int CompareFloat(double a, double b) {
  // float8_cmp_internal: NaN equals NaN and sorts above everything; -0 == 0.
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) - std::isnan(b);
  return (a > b) - (a < b);
}

// Magnitude comparison of two finite decimals by aligning scales on digit strings.
inline int CompareDecimalMagnitude(const Decimal& a, const Decimal& b) {
  int32_t scale = std::max(a.scale, b.scale);
  std::string x = a.digits + std::string(scale - a.scale, '0');
  std::string y = b.digits + std::string(scale - b.scale, '0');
  x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
  y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  return Sign(x.compare(y));
}

inline int CompareDecimal(const Decimal& a, const Decimal& b) {
  auto rank = [](const Decimal& d) {
    switch (d.kind) {
      case Decimal::Kind::kNegativeInfinity:
        return 0;
      case Decimal::Kind::kFinite:
        return 1;
      case Decimal::Kind::kPositiveInfinity:
        return 2;
      case Decimal::Kind::kNaN:
        return 3;
    }
    return 0;
  };
  if (rank(a) != rank(b) || rank(a) != 1) return Sign(rank(a) - rank(b));
  int sign_a = a.is_zero() ? 0 : (a.negative ? -1 : 1);
  int sign_b = b.is_zero() ? 0 : (b.negative ? -1 : 1);
  if (sign_a != sign_b || sign_a == 0) return Sign(sign_a - sign_b);
  int magnitude = CompareDecimalMagnitude(a, b);
  return sign_a > 0 ? magnitude : -magnitude;
}

inline int CompareBytes(const std::string& a, const std::string& b) {
  size_t n = std::min(a.size(), b.size());
  int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return Sign(c);
  return Sign(static_cast<long long>(a.size()) - static_cast<long long>(b.size()));
}

inline std::string StripTrailingSpaces(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// SQL comparison of two non-null values of one type.
inline int CompareValues(const Datum& a, const Datum& b) {
  switch (a.type()) {
    case ColumnType::kBool:
      return a.bool_value() - b.bool_value();
    case ColumnType::kFloat4:
    case ColumnType::kFloat8:
      return CompareFloat(a.float_value(), b.float_value());
    case ColumnType::kNumeric:
      return CompareDecimal(a.decimal_value(), b.decimal_value());
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBytea:
    case ColumnType::kUuid:
      return CompareBytes(a.bytes_value(), b.bytes_value());
    case ColumnType::kBpchar:  // bpcharcmp ignores trailing spaces
      return CompareBytes(StripTrailingSpaces(a.bytes_value()),
                          StripTrailingSpaces(b.bytes_value()));
    case ColumnType::kInterval: {
      __int128 x = a.interval_value().SpanMicroseconds();
      __int128 y = b.interval_value().SpanMicroseconds();
      return (x > y) - (x < y);
    }
    default:
      return (a.int_value() > b.int_value()) - (a.int_value() < b.int_value());
  }
}

// ORDER BY comparison for one key column: NULL placement, then direction.
inline int CompareForColumn(const KeyColumn& column, const Datum& a, const Datum& b) {
  if (a.is_null() || b.is_null()) {
    if (a.is_null() && b.is_null()) return 0;
    int null_side = column.nulls_first() ? -1 : 1;
    return a.is_null() ? null_side : -null_side;
  }
  int c = CompareValues(a, b);
  return column.direction == Direction::kDescending ? -c : c;
}

inline std::vector<KeyColumn> AllColumnConfigs(ColumnType type) {
  return {
      KeyColumn{type, Direction::kAscending, NullOrder::kDefault},
      KeyColumn{type, Direction::kAscending, NullOrder::kNullsFirst},
      KeyColumn{type, Direction::kDescending, NullOrder::kDefault},
      KeyColumn{type, Direction::kDescending, NullOrder::kNullsLast},
  };
}

}  // namespace borealis::encoding::testing
