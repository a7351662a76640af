#include "encoding/row.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace borealis::encoding {
namespace {

constexpr uint32_t kCanonicalFloat4NaN = 0x7fc00000;
constexpr uint64_t kCanonicalFloat8NaN = 0x7ff8000000000000;

// Numeric payload: kind byte, then for finite values uvarint scale, uvarint digit count and
// the digits as BCD (two per byte, high nibble first, a zero nibble pads an odd count).
constexpr uint8_t kNumericPositive = 0;
constexpr uint8_t kNumericNegative = 1;
constexpr uint8_t kNumericNaN = 2;
constexpr uint8_t kNumericPositiveInfinity = 3;
constexpr uint8_t kNumericNegativeInfinity = 4;

Status CorruptRow(std::string_view what) {
  return Status::Corruption("malformed row: " + std::string(what));
}

std::string EncodeNumericPayload(const Decimal& value) {
  std::string out;
  switch (value.kind) {
    case Decimal::Kind::kNaN:
      out.push_back(static_cast<char>(kNumericNaN));
      return out;
    case Decimal::Kind::kPositiveInfinity:
      out.push_back(static_cast<char>(kNumericPositiveInfinity));
      return out;
    case Decimal::Kind::kNegativeInfinity:
      out.push_back(static_cast<char>(kNumericNegativeInfinity));
      return out;
    case Decimal::Kind::kFinite:
      break;
  }
  out.push_back(static_cast<char>(value.negative ? kNumericNegative : kNumericPositive));
  AppendUvarint(out, static_cast<uint64_t>(value.scale));
  AppendUvarint(out, value.digits.size());
  for (size_t i = 0; i < value.digits.size(); i += 2) {
    int high = value.digits[i] - '0';
    int low = i + 1 < value.digits.size() ? value.digits[i + 1] - '0' : 0;
    out.push_back(static_cast<char>(high << 4 | low));
  }
  return out;
}

Result<Decimal> DecodeNumericPayload(std::string_view payload) {
  ByteReader in(payload);
  ASSIGN_OR_RETURN(uint8_t kind, in.ReadByte());
  Decimal value;
  switch (kind) {
    case kNumericNaN:
      value = Decimal::NaN();
      break;
    case kNumericPositiveInfinity:
      value = Decimal::Infinity(false);
      break;
    case kNumericNegativeInfinity:
      value = Decimal::Infinity(true);
      break;
    case kNumericPositive:
    case kNumericNegative: {
      ASSIGN_OR_RETURN(uint64_t scale, in.ReadUvarint());
      ASSIGN_OR_RETURN(uint64_t digit_count, in.ReadUvarint());
      if (scale > static_cast<uint64_t>(Decimal::kMaxScale)) return CorruptRow("numeric scale");
      // Bounds the allocation below by the payload size before anything is allocated.
      if (digit_count > 2 * in.remaining().size()) return CorruptRow("numeric digit count");
      ASSIGN_OR_RETURN(std::string_view packed, in.ReadBytes((digit_count + 1) / 2));
      value.negative = kind == kNumericNegative;
      value.scale = static_cast<int32_t>(scale);
      value.digits.reserve(digit_count);
      for (size_t i = 0; i < digit_count; ++i) {
        uint8_t byte = static_cast<uint8_t>(packed[i / 2]);
        uint8_t digit = i % 2 == 0 ? byte >> 4 : byte & 0x0f;
        if (digit > 9) return CorruptRow("numeric digit");
        value.digits.push_back(static_cast<char>('0' + digit));
      }
      if (digit_count % 2 == 1 && (static_cast<uint8_t>(packed.back()) & 0x0f) != 0) {
        return CorruptRow("numeric padding");
      }
      break;
    }
    default:
      return CorruptRow("numeric kind");
  }
  if (!in.empty()) return CorruptRow("numeric trailing bytes");
  if (!value.Validate().ok()) return CorruptRow("numeric value: " + value.Validate().message());
  return value;
}

void AppendHeader(std::string& out, uint32_t delta, RowTag tag) {
  AppendUvarint(out, static_cast<uint64_t>(delta) << kRowTagBits | static_cast<uint8_t>(tag));
}

void AppendPayload(std::string& out, const Datum& value) {
  switch (value.type()) {
    case ColumnType::kBool:
      return;
    case ColumnType::kInt2:
    case ColumnType::kInt4:
    case ColumnType::kInt8:
    case ColumnType::kOid:
    case ColumnType::kDate:
    case ColumnType::kTime:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz:
      AppendUvarint(out, ZigZagEncode(value.int_value()));
      return;
    case ColumnType::kFloat4: {
      double v = value.float_value();
      uint32_t bits =
          std::isnan(v) ? kCanonicalFloat4NaN : std::bit_cast<uint32_t>(static_cast<float>(v));
      AppendLittleEndian(out, bits, 4);
      return;
    }
    case ColumnType::kFloat8: {
      double v = value.float_value();
      AppendLittleEndian(out, std::isnan(v) ? kCanonicalFloat8NaN : std::bit_cast<uint64_t>(v), 8);
      return;
    }
    case ColumnType::kNumeric: {
      std::string payload = EncodeNumericPayload(value.decimal_value());
      AppendUvarint(out, payload.size());
      out.append(payload);
      return;
    }
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBpchar:
    case ColumnType::kBytea:
      AppendUvarint(out, value.bytes_value().size());
      out.append(value.bytes_value());
      return;
    case ColumnType::kInterval: {
      const Interval& iv = value.interval_value();
      AppendUvarint(out, ZigZagEncode(iv.months));
      AppendUvarint(out, ZigZagEncode(iv.days));
      AppendUvarint(out, ZigZagEncode(iv.micros));
      return;
    }
    case ColumnType::kUuid:
      out.append(value.bytes_value());
      return;
  }
  BOREALIS_CHECK(false, "unknown column type", static_cast<int>(value.type()));
}

// The tag a non-null value of `type` is written with (bool accepts kFalse too).
RowTag ExpectedTag(ColumnType type) {
  switch (type) {
    case ColumnType::kBool:
      return RowTag::kTrue;
    case ColumnType::kFloat4:
      return RowTag::kFloat4;
    case ColumnType::kFloat8:
      return RowTag::kFloat8;
    case ColumnType::kNumeric:
      return RowTag::kNumeric;
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBpchar:
    case ColumnType::kBytea:
      return RowTag::kBytes;
    case ColumnType::kInterval:
      return RowTag::kInterval;
    case ColumnType::kUuid:
      return RowTag::kUuid;
    default:
      return RowTag::kInt;
  }
}

RowTag TagFor(const Datum& value) {
  if (value.is_null()) return RowTag::kNull;
  if (value.type() == ColumnType::kBool) {
    return value.bool_value() ? RowTag::kTrue : RowTag::kFalse;
  }
  return ExpectedTag(value.type());
}

// Reads a varint from a payload that must consist of exactly the varints read.
Result<int64_t> ReadZigZag(ByteReader& in) {
  ASSIGN_OR_RETURN(uint64_t v, in.ReadUvarint());
  return ZigZagDecode(v);
}

Result<Datum> DecodeInt(const RowEntry& entry, ColumnType type) {
  ByteReader in(entry.payload);
  ASSIGN_OR_RETURN(int64_t v, ReadZigZag(in));
  Datum datum = Datum::Int(type, v);
  if (!ValidateDatum(datum).ok()) return CorruptRow("integer out of range for type");
  return datum;
}

Result<Datum> DecodeFloat(const RowEntry& entry, ColumnType type) {
  if (type == ColumnType::kFloat4) {
    uint32_t bits = static_cast<uint32_t>(LoadLittleEndian(entry.payload));
    float v = std::bit_cast<float>(bits);
    if (std::isnan(v) && bits != kCanonicalFloat4NaN) return CorruptRow("non-canonical NaN");
    return Datum::Float(type, v);
  }
  uint64_t bits = LoadLittleEndian(entry.payload);
  double v = std::bit_cast<double>(bits);
  if (std::isnan(v) && bits != kCanonicalFloat8NaN) return CorruptRow("non-canonical NaN");
  return Datum::Float(type, v);
}

Result<Datum> DecodeIntervalPayload(std::string_view payload) {
  ByteReader in(payload);
  ASSIGN_OR_RETURN(int64_t months, ReadZigZag(in));
  ASSIGN_OR_RETURN(int64_t days, ReadZigZag(in));
  ASSIGN_OR_RETURN(int64_t micros, ReadZigZag(in));
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (months < kMin || months > kMax || days < kMin || days > kMax) {
    return CorruptRow("interval field out of range");
  }
  return Datum::FromInterval(
      Interval{static_cast<int32_t>(months), static_cast<int32_t>(days), micros});
}

}  // namespace

ColumnType NaturalType(RowTag tag) {
  switch (tag) {
    case RowTag::kFalse:
    case RowTag::kTrue:
      return ColumnType::kBool;
    case RowTag::kInt:
      return ColumnType::kInt8;
    case RowTag::kFloat4:
      return ColumnType::kFloat4;
    case RowTag::kFloat8:
      return ColumnType::kFloat8;
    case RowTag::kBytes:
      return ColumnType::kBytea;
    case RowTag::kNumeric:
      return ColumnType::kNumeric;
    case RowTag::kInterval:
      return ColumnType::kInterval;
    case RowTag::kUuid:
      return ColumnType::kUuid;
    case RowTag::kNull:
      break;
  }
  BOREALIS_CHECK(false, "NaturalType of a NULL tag");
  return ColumnType::kInt8;
}

Status RowEncoder::Add(uint32_t column_id, const Datum& value) {
  BOREALIS_CHECK(column_id > last_column_id_, "column ids must increase:", column_id,
                 last_column_id_);
  RETURN_IF_ERROR(ValidateDatum(value));
  AppendHeader(entries_, column_id - last_column_id_, TagFor(value));
  if (!value.is_null()) AppendPayload(entries_, value);
  last_column_id_ = column_id;
  ++entry_count_;
  return Status::Ok();
}

std::string RowEncoder::Finish() && {
  std::string row;
  row.reserve(kMaxVarintSizeBytes + entries_.size());
  AppendUvarint(row, entry_count_);
  row.append(entries_);
  return row;
}

Result<std::string> EncodeRow(std::span<const RowColumn> columns) {
  std::vector<const RowColumn*> sorted;
  sorted.reserve(columns.size());
  for (const RowColumn& column : columns) sorted.push_back(&column);
  std::sort(sorted.begin(), sorted.end(),
            [](const RowColumn* a, const RowColumn* b) { return a->column_id < b->column_id; });
  RowEncoder encoder;
  uint32_t last_column_id = 0;
  for (const RowColumn* column : sorted) {
    if (column->column_id == 0) return Status::InvalidArgument("row column id 0");
    if (column->column_id == last_column_id) {
      return Status::InvalidArgument("duplicate row column id " +
                                     std::to_string(column->column_id));
    }
    RETURN_IF_ERROR(encoder.Add(column->column_id, column->value));
    last_column_id = column->column_id;
  }
  return std::move(encoder).Finish();
}

Result<std::optional<RowEntry>> RowReader::Next() {
  if (!entries_left_) {
    ASSIGN_OR_RETURN(uint64_t count, reader_.ReadUvarint());
    // Every entry takes at least one byte.
    if (count > reader_.remaining().size()) return CorruptRow("entry count past the end");
    entries_left_ = count;
  }
  if (*entries_left_ == 0) {
    if (!reader_.empty()) return CorruptRow("bytes after the last entry");
    return std::optional<RowEntry>();
  }
  --*entries_left_;
  ASSIGN_OR_RETURN(uint64_t header, reader_.ReadUvarint());
  uint64_t delta = header >> kRowTagBits;
  uint8_t tag = header & ((1u << kRowTagBits) - 1);
  if (delta == 0) return CorruptRow("column ids not increasing");
  if (delta > std::numeric_limits<uint32_t>::max() - last_column_id_) {
    return CorruptRow("column id out of range");
  }
  if (tag > kRowMaxTag) return CorruptRow("unknown tag " + std::to_string(tag));
  RowEntry entry;
  entry.column_id = last_column_id_ + static_cast<uint32_t>(delta);
  entry.tag = static_cast<RowTag>(tag);
  std::string_view start = reader_.remaining();
  switch (entry.tag) {
    case RowTag::kNull:
    case RowTag::kFalse:
    case RowTag::kTrue:
      break;
    case RowTag::kInt:
      RETURN_IF_ERROR(reader_.ReadUvarint().status());
      break;
    case RowTag::kInterval:
      for (int i = 0; i < 3; ++i) RETURN_IF_ERROR(reader_.ReadUvarint().status());
      break;
    case RowTag::kFloat4:
      RETURN_IF_ERROR(reader_.ReadBytes(4).status());
      break;
    case RowTag::kFloat8:
      RETURN_IF_ERROR(reader_.ReadBytes(8).status());
      break;
    case RowTag::kUuid:
      RETURN_IF_ERROR(reader_.ReadBytes(kUuidSizeBytes).status());
      break;
    case RowTag::kBytes:
    case RowTag::kNumeric: {
      ASSIGN_OR_RETURN(uint64_t size_bytes, reader_.ReadUvarint());
      if (size_bytes > reader_.remaining().size()) return CorruptRow("length past the end");
      ASSIGN_OR_RETURN(entry.payload, reader_.ReadBytes(size_bytes));
      last_column_id_ = entry.column_id;
      return std::optional<RowEntry>(entry);
    }
  }
  entry.payload = start.substr(0, start.size() - reader_.remaining().size());
  last_column_id_ = entry.column_id;
  return std::optional<RowEntry>(entry);
}

Result<Datum> DecodeRowEntry(const RowEntry& entry, ColumnType type) {
  if (entry.tag == RowTag::kNull) return Datum::Null(type);
  RowTag expected = ExpectedTag(type);
  bool matches =
      entry.tag == expected || (type == ColumnType::kBool && entry.tag == RowTag::kFalse);
  if (!matches) {
    return CorruptRow("column " + std::to_string(entry.column_id) + " of type " +
                      std::string(ColumnTypeName(type)) + " has tag " +
                      std::to_string(static_cast<int>(entry.tag)));
  }
  switch (entry.tag) {
    case RowTag::kFalse:
    case RowTag::kTrue:
      return Datum::Bool(entry.tag == RowTag::kTrue);
    case RowTag::kInt:
      return DecodeInt(entry, type);
    case RowTag::kFloat4:
    case RowTag::kFloat8:
      return DecodeFloat(entry, type);
    case RowTag::kBytes:
      return Datum::Bytes(type, std::string(entry.payload));
    case RowTag::kUuid:
      return Datum::Bytes(type, std::string(entry.payload));
    case RowTag::kNumeric: {
      ASSIGN_OR_RETURN(Decimal value, DecodeNumericPayload(entry.payload));
      return Datum::Numeric(std::move(value));
    }
    case RowTag::kInterval:
      return DecodeIntervalPayload(entry.payload);
    case RowTag::kNull:
      break;
  }
  return CorruptRow("unreachable tag");
}

Result<std::optional<Datum>> DecodeRowColumn(std::string_view row, uint32_t column_id,
                                             ColumnType type) {
  RowReader reader(row);
  while (true) {
    ASSIGN_OR_RETURN(std::optional<RowEntry> entry, reader.Next());
    if (!entry || entry->column_id > column_id) return std::optional<Datum>();
    if (entry->column_id == column_id) {
      ASSIGN_OR_RETURN(Datum value, DecodeRowEntry(*entry, type));
      return std::optional<Datum>(std::move(value));
    }
  }
}

Result<std::vector<std::optional<Datum>>> DecodeRow(std::string_view row,
                                                    std::span<const RowColumnSpec> columns) {
  // Spec positions in id order, merged with the entries (also in id order).
  std::vector<size_t> order(columns.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return columns[a].column_id < columns[b].column_id; });
  std::vector<std::optional<Datum>> values(columns.size());
  size_t next = 0;
  RowReader reader(row);
  while (true) {
    ASSIGN_OR_RETURN(std::optional<RowEntry> entry, reader.Next());
    if (!entry) break;
    while (next < order.size() && columns[order[next]].column_id < entry->column_id) ++next;
    if (next < order.size() && columns[order[next]].column_id == entry->column_id) {
      ASSIGN_OR_RETURN(Datum value, DecodeRowEntry(*entry, columns[order[next]].type));
      values[order[next]] = std::move(value);
    }
  }
  return values;
}

Result<std::vector<RowColumn>> DecodeRowUntyped(std::string_view row) {
  std::vector<RowColumn> columns;
  RowReader reader(row);
  while (true) {
    ASSIGN_OR_RETURN(std::optional<RowEntry> entry, reader.Next());
    if (!entry) return columns;
    ColumnType type = entry->tag == RowTag::kNull ? ColumnType::kInt8 : NaturalType(entry->tag);
    ASSIGN_OR_RETURN(Datum value, DecodeRowEntry(*entry, type));
    columns.push_back(RowColumn{entry->column_id, std::move(value)});
  }
}

}  // namespace borealis::encoding
