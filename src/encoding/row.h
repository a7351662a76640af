// Row (value) encoding for the non-key columns (docs/design/encoding.md has the byte format).
//
// Contract: a row is uvarint(entry count) followed by that many entries in strictly
// increasing column id order, each
//   uvarint((column id - previous column id) << 4 | tag) payload
// where the tag alone says how long the payload is, so a reader skips columns it does not know
// (dropped, or added by a newer schema) without a schema. A column without an entry is absent:
// the reader reports it as such and the SQL layer supplies the column's value for rows written
// before it was added (NULL, or the ADD COLUMN default). An explicit NULL is a one-byte entry;
// a writer may leave out a NULL instead only for columns with no ADD COLUMN default.
//
// Decoding is strict: entries this encoder does not produce (non-minimal varints, unknown tags,
// lengths past the end, non-canonical NaN, bad numeric digits, values out of the requested
// type's range, ids not increasing) are Corruption, and no input is read past its end, so
// bytes from disk or the network are safe to decode. Decoding keeps exact representations:
// -0, numeric display scale, interval fields and bpchar padding all round-trip.
//
// Pure functions; the builder and reader are thread-compatible values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "encoding/datum.h"
#include "encoding/varint.h"

namespace borealis::encoding {

// The payload kinds. 10..15 are reserved: a reader cannot skip a tag it does not know.
enum class RowTag : uint8_t {
  kNull = 0,      // no payload
  kFalse = 1,     // no payload
  kTrue = 2,      // no payload
  kInt = 3,       // zigzag uvarint (int2/4/8, oid, date, time, timestamp[tz])
  kFloat4 = 4,    // 4 bytes little-endian IEEE 754
  kFloat8 = 5,    // 8 bytes little-endian IEEE 754
  kBytes = 6,     // uvarint length, bytes (text, varchar, bpchar, bytea)
  kNumeric = 7,   // uvarint length, numeric payload
  kInterval = 8,  // zigzag uvarint months, days, microseconds
  kUuid = 9,      // 16 bytes
};
inline constexpr int kRowTagBits = 4;
inline constexpr uint8_t kRowMaxTag = 9;

// The type a schema-less reader gives an entry (kInt -> kInt8, kBytes -> kBytea, ...).
// REQUIRES: tag != kNull.
ColumnType NaturalType(RowTag tag);

// Builds one row. Column ids must be added in strictly increasing order.
class RowEncoder {
 public:
  // REQUIRES: column_id > 0 and greater than the previous column id (checked).
  // Errors: InvalidArgument when ValidateDatum fails (the row is then unchanged).
  Status Add(uint32_t column_id, const Datum& value);

  std::string Finish() &&;

 private:
  std::string entries_;
  uint64_t entry_count_ = 0;
  uint32_t last_column_id_ = 0;
};

struct RowColumn {
  uint32_t column_id = 0;
  Datum value = Datum::Null(ColumnType::kInt8);
};
// Any order. Errors: InvalidArgument for column id 0, a duplicate id or an invalid datum.
Result<std::string> EncodeRow(std::span<const RowColumn> columns);

// One entry, not yet interpreted. `payload` points into the row (length prefixes excluded).
struct RowEntry {
  uint32_t column_id = 0;
  RowTag tag = RowTag::kNull;
  std::string_view payload;
};

// Walks the entries of a row. Checks framing (count, ids, tags, lengths; a row that ends early
// or has bytes after its last entry is Corruption); payload contents are checked by
// DecodeRowEntry.
class RowReader {
 public:
  explicit RowReader(std::string_view row) : reader_(row) {}
  // The next entry, or nullopt at the end of the row. Errors: Corruption.
  Result<std::optional<RowEntry>> Next();

 private:
  ByteReader reader_;
  std::optional<uint64_t> entries_left_;  // read with the first entry
  uint32_t last_column_id_ = 0;
};

// Interprets an entry as `type`. Errors: Corruption (tag not one of the type's, bad payload,
// out of the type's range).
Result<Datum> DecodeRowEntry(const RowEntry& entry, ColumnType type);

// One column: nullopt when the row has no entry for it. Stops at the first entry with a larger
// id, so it does not look at (or validate) the rest of the row.
Result<std::optional<Datum>> DecodeRowColumn(std::string_view row, uint32_t column_id,
                                             ColumnType type);

struct RowColumnSpec {
  uint32_t column_id = 0;
  ColumnType type = ColumnType::kInt8;
};
// The listed columns (any order, ids distinct), each nullopt when absent; entries for ids not
// listed are skipped. Validates the framing of the whole row.
Result<std::vector<std::optional<Datum>>> DecodeRow(std::string_view row,
                                                    std::span<const RowColumnSpec> columns);

// Every entry decoded with its NaturalType (kNull entries as NULL of kInt8), in id order. For
// tools and the fuzzer: re-encoding the result reproduces `row`.
Result<std::vector<RowColumn>> DecodeRowUntyped(std::string_view row);

}  // namespace borealis::encoding
