#include "encoding/key.h"

#include <bit>
#include <cmath>
#include <limits>

namespace borealis::encoding {
namespace {

// Strings: 0x00 inside the value is escaped as 0x00 0xff; the value ends with 0x00 0x01. The
// terminator sorts below every escaped or plain byte, so a prefix sorts first.
constexpr uint8_t kEscape = 0x00;
constexpr uint8_t kEscapedNul = 0xff;
constexpr uint8_t kStringEnd = 0x01;

// Numeric class tags, in value order (NaN sorts above +Infinity, as in PostgreSQL).
constexpr uint8_t kNumericNegativeInfinity = 0x01;
constexpr uint8_t kNumericNegative = 0x02;
constexpr uint8_t kNumericZero = 0x03;
constexpr uint8_t kNumericPositive = 0x04;
constexpr uint8_t kNumericPositiveInfinity = 0x05;
constexpr uint8_t kNumericNaN = 0x06;
// Digit pairs are stored as 1 + 10 * first + second (1..100); 0 ends the digits.
constexpr uint8_t kNumericDigitsEnd = 0x00;
constexpr uint8_t kNumericMaxPairByte = 100;

constexpr uint32_t kCanonicalFloat4NaN = 0x7fc00000;
constexpr uint64_t kCanonicalFloat8NaN = 0x7ff8000000000000;

Status CorruptKey(std::string_view what) {
  return Status::Corruption("malformed key: " + std::string(what));
}

void AppendOrderedSigned(std::string& out, int64_t value, int size_bytes) {
  uint64_t sign_bit = uint64_t{1} << (8 * size_bytes - 1);
  AppendBigEndian(out, static_cast<uint64_t>(value) ^ sign_bit, size_bytes);
}

// IEEE 754 bits made memcmp-ordered: positives get the sign bit set, negatives are inverted.
uint64_t OrderedFloatBits(uint64_t bits, int size_bytes) {
  uint64_t sign_bit = uint64_t{1} << (8 * size_bytes - 1);
  uint64_t all = size_bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size_bytes)) - 1;
  return (bits & sign_bit) ? (~bits & all) : (bits | sign_bit);
}

uint64_t FloatBitsFromOrdered(uint64_t ordered, int size_bytes) {
  uint64_t sign_bit = uint64_t{1} << (8 * size_bytes - 1);
  uint64_t all = size_bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size_bytes)) - 1;
  return (ordered & sign_bit) ? (ordered & ~sign_bit) : (~ordered & all);
}

void AppendFloat(std::string& out, ColumnType type, double value) {
  if (value == 0) value = 0;  // -0 == 0
  if (type == ColumnType::kFloat4) {
    uint32_t bits = std::isnan(value) ? kCanonicalFloat4NaN
                                      : std::bit_cast<uint32_t>(static_cast<float>(value));
    AppendBigEndian(out, OrderedFloatBits(bits, 4), 4);
  } else {
    uint64_t bits = std::isnan(value) ? kCanonicalFloat8NaN : std::bit_cast<uint64_t>(value);
    AppendBigEndian(out, OrderedFloatBits(bits, 8), 8);
  }
}

void AppendString(std::string& out, std::string_view value) {
  while (true) {
    size_t nul = value.find('\0');
    out.append(value.substr(0, nul));
    if (nul == std::string_view::npos) break;
    out.push_back(static_cast<char>(kEscape));
    out.push_back(static_cast<char>(kEscapedNul));
    value.remove_prefix(nul + 1);
  }
  out.push_back(static_cast<char>(kEscape));
  out.push_back(static_cast<char>(kStringEnd));
}

std::string_view StripTrailingSpaces(std::string_view value) {
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

// 0.d1 d2 ... dn * 10^exponent with d1 != 0 and dn != 0: class tag, exponent (int32, ordered),
// digit pairs, end byte; everything after the tag inverted for negative values.
void AppendNumeric(std::string& out, const Decimal& value) {
  switch (value.kind) {
    case Decimal::Kind::kNaN:
      out.push_back(static_cast<char>(kNumericNaN));
      return;
    case Decimal::Kind::kPositiveInfinity:
      out.push_back(static_cast<char>(kNumericPositiveInfinity));
      return;
    case Decimal::Kind::kNegativeInfinity:
      out.push_back(static_cast<char>(kNumericNegativeInfinity));
      return;
    case Decimal::Kind::kFinite:
      break;
  }
  if (value.is_zero()) {
    out.push_back(static_cast<char>(kNumericZero));
    return;
  }
  out.push_back(static_cast<char>(value.negative ? kNumericNegative : kNumericPositive));
  size_t start = out.size();
  std::string_view digits = value.digits;
  int64_t exponent = static_cast<int64_t>(digits.size()) - value.scale;
  while (digits.back() == '0') digits.remove_suffix(1);
  AppendOrderedSigned(out, exponent, 4);
  for (size_t i = 0; i < digits.size(); i += 2) {
    int first = digits[i] - '0';
    int second = i + 1 < digits.size() ? digits[i + 1] - '0' : 0;
    out.push_back(static_cast<char>(1 + 10 * first + second));
  }
  out.push_back(static_cast<char>(kNumericDigitsEnd));
  if (value.negative) {
    for (size_t i = start; i < out.size(); ++i) out[i] = static_cast<char>(~out[i]);
  }
}

// Interval: the comparison span as a 128-bit ordered integer.
void AppendInterval(std::string& out, const Interval& value) {
  unsigned __int128 bits = static_cast<unsigned __int128>(value.SpanMicroseconds());
  bits ^= static_cast<unsigned __int128>(1) << 127;
  AppendBigEndian(out, static_cast<uint64_t>(bits >> 64), 8);
  AppendBigEndian(out, static_cast<uint64_t>(bits), 8);
}

void AppendValue(std::string& out, const Datum& datum) {
  switch (datum.type()) {
    case ColumnType::kBool:
      out.push_back(datum.bool_value() ? 1 : 0);
      return;
    case ColumnType::kInt2:
      AppendOrderedSigned(out, datum.int_value(), 2);
      return;
    case ColumnType::kInt4:
    case ColumnType::kDate:
      AppendOrderedSigned(out, datum.int_value(), 4);
      return;
    case ColumnType::kInt8:
    case ColumnType::kTime:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz:
      AppendOrderedSigned(out, datum.int_value(), 8);
      return;
    case ColumnType::kOid:
      AppendBigEndian(out, static_cast<uint64_t>(datum.int_value()), 4);
      return;
    case ColumnType::kFloat4:
    case ColumnType::kFloat8:
      AppendFloat(out, datum.type(), datum.float_value());
      return;
    case ColumnType::kNumeric:
      AppendNumeric(out, datum.decimal_value());
      return;
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBytea:
      AppendString(out, datum.bytes_value());
      return;
    case ColumnType::kBpchar:
      AppendString(out, StripTrailingSpaces(datum.bytes_value()));
      return;
    case ColumnType::kInterval:
      AppendInterval(out, datum.interval_value());
      return;
    case ColumnType::kUuid:
      out.append(datum.bytes_value());
      return;
  }
  BOREALIS_CHECK(false, "unknown column type", static_cast<int>(datum.type()));
}

// Reads one column's value bytes, undoing the DESC inversion (mask 0xff) on the fly.
class ColumnReader {
 public:
  ColumnReader(ByteReader& reader, uint8_t mask) : reader_(reader), mask_(mask) {}

  Result<uint8_t> ReadByte() {
    ASSIGN_OR_RETURN(uint8_t byte, reader_.ReadByte());
    return static_cast<uint8_t>(byte ^ mask_);
  }
  // REQUIRES: size_bytes <= 8.
  Result<uint64_t> ReadBigEndian(size_t size_bytes) {
    ASSIGN_OR_RETURN(std::string_view bytes, reader_.ReadBytes(size_bytes));
    uint64_t value = LoadBigEndian(bytes);
    if (mask_ != 0)
      value = ~value & (size_bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size_bytes)) - 1);
    return value;
  }
  Result<int64_t> ReadOrderedSigned(size_t size_bytes) {
    ASSIGN_OR_RETURN(uint64_t bits, ReadBigEndian(size_bytes));
    uint64_t sign_bit = uint64_t{1} << (8 * size_bytes - 1);
    bits ^= sign_bit;
    // Sign-extend from size_bytes.
    if (size_bytes < 8 && (bits & sign_bit)) bits |= ~((sign_bit << 1) - 1);
    return static_cast<int64_t>(bits);
  }

 private:
  ByteReader& reader_;
  uint8_t mask_;
};

Result<Datum> ReadFloat(ColumnReader& in, ColumnType type) {
  if (type == ColumnType::kFloat4) {
    ASSIGN_OR_RETURN(uint64_t ordered, in.ReadBigEndian(4));
    uint32_t bits = static_cast<uint32_t>(FloatBitsFromOrdered(ordered, 4));
    float value = std::bit_cast<float>(bits);
    if (std::isnan(value) && bits != kCanonicalFloat4NaN) return CorruptKey("non-canonical NaN");
    if (bits == 0x80000000u) return CorruptKey("negative zero");
    return Datum::Float(type, value);
  }
  ASSIGN_OR_RETURN(uint64_t ordered, in.ReadBigEndian(8));
  uint64_t bits = FloatBitsFromOrdered(ordered, 8);
  double value = std::bit_cast<double>(bits);
  if (std::isnan(value) && bits != kCanonicalFloat8NaN) return CorruptKey("non-canonical NaN");
  if (bits == uint64_t{1} << 63) return CorruptKey("negative zero");
  return Datum::Float(type, value);
}

Result<std::string> ReadString(ColumnReader& in) {
  std::string value;
  while (true) {
    ASSIGN_OR_RETURN(uint8_t byte, in.ReadByte());
    if (byte != kEscape) {
      value.push_back(static_cast<char>(byte));
      continue;
    }
    ASSIGN_OR_RETURN(uint8_t next, in.ReadByte());
    if (next == kStringEnd) return value;
    if (next != kEscapedNul) return CorruptKey("bad string escape");
    value.push_back('\0');
  }
}

Result<Decimal> ReadNumericMagnitude(ColumnReader& in, bool negative) {
  uint8_t mask = negative ? 0xff : 0x00;
  ASSIGN_OR_RETURN(uint64_t exponent_bits, in.ReadBigEndian(4));
  if (negative) exponent_bits = ~exponent_bits & 0xffffffff;
  int64_t exponent = static_cast<int32_t>(static_cast<uint32_t>(exponent_bits) ^ 0x80000000u);
  std::string digits;
  while (true) {
    ASSIGN_OR_RETURN(uint8_t byte, in.ReadByte());
    byte ^= mask;
    if (byte == kNumericDigitsEnd) break;
    if (byte > kNumericMaxPairByte) return CorruptKey("bad numeric digit pair");
    int pair = byte - 1;
    if (digits.empty() && pair / 10 == 0) return CorruptKey("numeric leading zero");
    digits.push_back(static_cast<char>('0' + pair / 10));
    digits.push_back(static_cast<char>('0' + pair % 10));
    // Keys are bounded by the store, but keep the work bounded for hostile input too.
    if (digits.size() > static_cast<size_t>(Decimal::kMaxIntegerDigits + Decimal::kMaxScale)) {
      return CorruptKey("numeric too long");
    }
  }
  if (digits.empty()) return CorruptKey("numeric without digits");
  if (digits.back() == '0') digits.pop_back();  // padding of an odd digit count
  if (digits.back() == '0') return CorruptKey("numeric trailing zero");
  int64_t scale = static_cast<int64_t>(digits.size()) - exponent;
  if (exponent > Decimal::kMaxIntegerDigits || scale > Decimal::kMaxScale) {
    return CorruptKey("numeric out of range");
  }
  Decimal value;
  value.negative = negative;
  if (scale < 0) {
    digits.append(static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  value.digits = std::move(digits);
  value.scale = static_cast<int32_t>(scale);
  return value;
}

Result<Decimal> ReadNumeric(ColumnReader& in) {
  ASSIGN_OR_RETURN(uint8_t tag, in.ReadByte());
  switch (tag) {
    case kNumericNegativeInfinity:
      return Decimal::Infinity(true);
    case kNumericPositiveInfinity:
      return Decimal::Infinity(false);
    case kNumericNaN:
      return Decimal::NaN();
    case kNumericZero:
      return Decimal{};
    case kNumericNegative:
      return ReadNumericMagnitude(in, true);
    case kNumericPositive:
      return ReadNumericMagnitude(in, false);
    default:
      return CorruptKey("bad numeric tag");
  }
}

// The span split greedily (months, then days, then microseconds), saturating each field.
Result<Interval> IntervalFromSpan(__int128 span) {
  constexpr __int128 kMonth = static_cast<__int128>(kDaysPerMonth) * kMicrosecondsPerDay;
  auto clamp32 = [](__int128 v) {
    constexpr __int128 kMin = std::numeric_limits<int32_t>::min();
    constexpr __int128 kMax = std::numeric_limits<int32_t>::max();
    return static_cast<int32_t>(v < kMin ? kMin : (v > kMax ? kMax : v));
  };
  Interval value;
  value.months = clamp32(span / kMonth);
  span -= static_cast<__int128>(value.months) * kMonth;
  value.days = clamp32(span / kMicrosecondsPerDay);
  span -= static_cast<__int128>(value.days) * kMicrosecondsPerDay;
  if (span < std::numeric_limits<int64_t>::min() || span > std::numeric_limits<int64_t>::max()) {
    return CorruptKey("interval out of range");
  }
  value.micros = static_cast<int64_t>(span);
  return value;
}

Result<Datum> ReadValue(ColumnReader& in, ColumnType type) {
  switch (type) {
    case ColumnType::kBool: {
      ASSIGN_OR_RETURN(uint8_t byte, in.ReadByte());
      if (byte > 1) return CorruptKey("bad bool");
      return Datum::Bool(byte == 1);
    }
    case ColumnType::kInt2: {
      ASSIGN_OR_RETURN(int64_t v, in.ReadOrderedSigned(2));
      return Datum::Int(type, v);
    }
    case ColumnType::kInt4:
    case ColumnType::kDate: {
      ASSIGN_OR_RETURN(int64_t v, in.ReadOrderedSigned(4));
      return Datum::Int(type, v);
    }
    case ColumnType::kInt8:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz: {
      ASSIGN_OR_RETURN(int64_t v, in.ReadOrderedSigned(8));
      return Datum::Int(type, v);
    }
    case ColumnType::kTime: {
      ASSIGN_OR_RETURN(int64_t v, in.ReadOrderedSigned(8));
      if (v < 0 || v > kMicrosecondsPerDay) return CorruptKey("time out of range");
      return Datum::Int(type, v);
    }
    case ColumnType::kOid: {
      ASSIGN_OR_RETURN(uint64_t v, in.ReadBigEndian(4));
      return Datum::Int(type, static_cast<int64_t>(v));
    }
    case ColumnType::kFloat4:
    case ColumnType::kFloat8:
      return ReadFloat(in, type);
    case ColumnType::kNumeric: {
      ASSIGN_OR_RETURN(Decimal v, ReadNumeric(in));
      return Datum::Numeric(std::move(v));
    }
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBytea:
    case ColumnType::kBpchar: {
      ASSIGN_OR_RETURN(std::string v, ReadString(in));
      if (type == ColumnType::kBpchar && !v.empty() && v.back() == ' ') {
        return CorruptKey("bpchar with trailing space");
      }
      return Datum::Bytes(type, std::move(v));
    }
    case ColumnType::kInterval: {
      ASSIGN_OR_RETURN(uint64_t high, in.ReadBigEndian(8));
      ASSIGN_OR_RETURN(uint64_t low, in.ReadBigEndian(8));
      unsigned __int128 bits = (static_cast<unsigned __int128>(high) << 64) | low;
      bits ^= static_cast<unsigned __int128>(1) << 127;
      ASSIGN_OR_RETURN(Interval v, IntervalFromSpan(static_cast<__int128>(bits)));
      return Datum::FromInterval(v);
    }
    case ColumnType::kUuid: {
      std::string v;
      for (size_t i = 0; i < kUuidSizeBytes; ++i) {
        ASSIGN_OR_RETURN(uint8_t byte, in.ReadByte());
        v.push_back(static_cast<char>(byte));
      }
      return Datum::Bytes(type, std::move(v));
    }
  }
  return CorruptKey("unknown column type");
}

}  // namespace

bool KeyDecodingIsExact(ColumnType type) {
  switch (type) {
    case ColumnType::kFloat4:
    case ColumnType::kFloat8:
    case ColumnType::kNumeric:
    case ColumnType::kBpchar:
    case ColumnType::kInterval:
      return false;
    default:
      return true;
  }
}

KeyEncoder::KeyEncoder(uint32_t table_id, uint32_t index_id)
    : key_(EncodeIndexPrefix(table_id, index_id)) {}

Status KeyEncoder::Append(const KeyColumn& column, const Datum& datum) {
  if (datum.type() != column.type) {
    return Status::InvalidArgument("key column of type " +
                                   std::string(ColumnTypeName(column.type)) + " given a " +
                                   std::string(ColumnTypeName(datum.type())));
  }
  RETURN_IF_ERROR(ValidateDatum(datum));
  if (datum.is_null()) {
    key_.push_back(
        static_cast<char>(column.nulls_first() ? kKeyNullFirstMarker : kKeyNullLastMarker));
    return Status::Ok();
  }
  key_.push_back(static_cast<char>(kKeyValueMarker));
  size_t start = key_.size();
  AppendValue(key_, datum);
  if (column.direction == Direction::kDescending) {
    for (size_t i = start; i < key_.size(); ++i) key_[i] = static_cast<char>(~key_[i]);
  }
  return Status::Ok();
}

std::string EncodeIndexPrefix(uint32_t table_id, uint32_t index_id) {
  std::string prefix;
  AppendOrderedUvarint(prefix, table_id);
  AppendOrderedUvarint(prefix, index_id);
  return prefix;
}

Result<std::string> EncodeKey(uint32_t table_id, uint32_t index_id,
                              std::span<const KeyColumn> columns, std::span<const Datum> values) {
  BOREALIS_CHECK_EQ(columns.size(), values.size());
  KeyEncoder key(table_id, index_id);
  for (size_t i = 0; i < columns.size(); ++i) RETURN_IF_ERROR(key.Append(columns[i], values[i]));
  return std::move(key).Finish();
}

std::optional<std::string> PrefixEnd(std::string_view prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff) prefix.remove_suffix(1);
  if (prefix.empty()) return std::nullopt;
  std::string end(prefix);
  end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
  return end;
}

std::string KeySuccessor(std::string_view key) {
  std::string successor(key);
  successor.push_back('\0');
  return successor;
}

KeySpan IndexSpan(uint32_t table_id, uint32_t index_id) {
  std::string begin = EncodeIndexPrefix(table_id, index_id);
  // The first byte of an ordered uvarint of a u32 is at most 0xf4, so an end always exists.
  std::optional<std::string> end = PrefixEnd(begin);
  BOREALIS_CHECK(end.has_value());
  return KeySpan{std::move(begin), std::move(*end)};
}

Result<KeySpan> PrefixSpan(uint32_t table_id, uint32_t index_id, std::span<const KeyColumn> columns,
                           std::span<const Datum> values) {
  BOREALIS_CHECK_LE(values.size(), columns.size());
  ASSIGN_OR_RETURN(std::string begin,
                   EncodeKey(table_id, index_id, columns.first(values.size()), values));
  std::optional<std::string> end = PrefixEnd(begin);
  BOREALIS_CHECK(end.has_value());
  return KeySpan{std::move(begin), std::move(*end)};
}

Result<IndexPrefix> KeyDecoder::ReadIndexPrefix() {
  IndexPrefix prefix;
  ASSIGN_OR_RETURN(uint64_t table_id, reader_.ReadOrderedUvarint());
  ASSIGN_OR_RETURN(uint64_t index_id, reader_.ReadOrderedUvarint());
  if (table_id > std::numeric_limits<uint32_t>::max() ||
      index_id > std::numeric_limits<uint32_t>::max()) {
    return CorruptKey("table or index id out of range");
  }
  prefix.table_id = static_cast<uint32_t>(table_id);
  prefix.index_id = static_cast<uint32_t>(index_id);
  return prefix;
}

Result<Datum> KeyDecoder::Read(const KeyColumn& column) {
  ASSIGN_OR_RETURN(uint8_t marker, reader_.ReadByte());
  uint8_t null_marker = column.nulls_first() ? kKeyNullFirstMarker : kKeyNullLastMarker;
  if (marker == null_marker) return Datum::Null(column.type);
  if (marker != kKeyValueMarker) return CorruptKey("bad column marker");
  ColumnReader in(reader_, column.direction == Direction::kDescending ? 0xff : 0x00);
  return ReadValue(in, column.type);
}

Result<DecodedKey> DecodeKey(std::string_view key, std::span<const KeyColumn> columns) {
  KeyDecoder decoder(key);
  DecodedKey decoded;
  ASSIGN_OR_RETURN(decoded.prefix, decoder.ReadIndexPrefix());
  decoded.values.reserve(columns.size());
  for (const KeyColumn& column : columns) {
    ASSIGN_OR_RETURN(Datum value, decoder.Read(column));
    decoded.values.push_back(std::move(value));
  }
  if (!decoder.done()) return CorruptKey("trailing bytes");
  return decoded;
}

}  // namespace borealis::encoding
