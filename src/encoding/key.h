// Order-preserving key encoding (docs/design/encoding.md has the byte formats).
//
// Contract: for keys of one index, memcmp order of the encoded bytes equals the SQL order of
// the tuples (per column ASC/DESC, NULLS FIRST/LAST, collation C, PostgreSQL's rules for
// floats, numeric and interval), and two tuples encode to the same bytes exactly when SQL
// considers them equal (so a unique index is a unique key). A key is
//   ordered-uvarint(table id) ordered-uvarint(index id) column...
// and every column encoding is prefix-free, so the keys whose first k columns equal given
// values are exactly the keys that start with those k encoded columns.
//
// Decoding is strict: it accepts only bytes this encoder produces, so decode-then-encode
// gives back the input; anything else is Corruption, and no input is read past its end.
// Equal-but-distinguishable values share one key and decode to one representative (see
// KeyDecodingIsExact): the SQL layer keeps the exact value in the row when it matters.
//
// Pure functions; the builder and decoder are thread-compatible values.
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

enum class Direction : uint8_t { kAscending, kDescending };
// kDefault is PostgreSQL's: NULLS LAST for ASC, NULLS FIRST for DESC.
enum class NullOrder : uint8_t { kDefault, kNullsFirst, kNullsLast };

struct KeyColumn {
  ColumnType type = ColumnType::kInt8;
  Direction direction = Direction::kAscending;
  NullOrder null_order = NullOrder::kDefault;

  bool nulls_first() const {
    if (null_order == NullOrder::kDefault) return direction == Direction::kDescending;
    return null_order == NullOrder::kNullsFirst;
  }
};

// Marker byte in front of every key column (never inverted by DESC).
inline constexpr uint8_t kKeyNullFirstMarker = 0x00;
inline constexpr uint8_t kKeyValueMarker = 0x01;
inline constexpr uint8_t kKeyNullLastMarker = 0x02;

// False for types whose key holds one representative of an equality class: float4/float8
// (-0 reads as 0), numeric (display scale: 1.50 reads as 1.5), bpchar (trailing spaces are
// insignificant and dropped) and interval ('1 mon' reads as '30 days'; the decoded interval is
// the span split greedily into months, days and microseconds).
bool KeyDecodingIsExact(ColumnType type);

// Builds one key. Typical use:
//   KeyEncoder key(table_id, index_id);
//   RETURN_IF_ERROR(key.Append(column, datum));
//   std::string bytes = std::move(key).Finish();
class KeyEncoder {
 public:
  KeyEncoder() = default;  // no index prefix: encodes bare columns
  KeyEncoder(uint32_t table_id, uint32_t index_id);

  // Errors: InvalidArgument when datum's type differs from column.type or ValidateDatum fails
  // (the key is then unchanged).
  Status Append(const KeyColumn& column, const Datum& datum);

  const std::string& key() const { return key_; }
  std::string Finish() && { return std::move(key_); }

 private:
  std::string key_;
};

// The encoded (table id, index id) prefix shared by all keys of an index.
std::string EncodeIndexPrefix(uint32_t table_id, uint32_t index_id);

// Prefix plus all columns. REQUIRES: columns.size() == values.size().
Result<std::string> EncodeKey(uint32_t table_id, uint32_t index_id,
                              std::span<const KeyColumn> columns, std::span<const Datum> values);

// The smallest key greater than every key that starts with `prefix` (strip trailing 0xff bytes
// and increment the last byte); nullopt when no such key exists (prefix empty or all 0xff).
std::optional<std::string> PrefixEnd(std::string_view prefix);
// The smallest key greater than `key` itself: key + "\0".
std::string KeySuccessor(std::string_view key);

// A half-open key range [begin, end).
struct KeySpan {
  std::string begin;
  std::string end;
  bool Contains(std::string_view key) const { return key >= begin && key < end; }
};

// All keys of one index.
KeySpan IndexSpan(uint32_t table_id, uint32_t index_id);
// All keys of the index whose first values.size() columns equal `values` (NULL matches NULL:
// this is IS NULL / IS NOT DISTINCT FROM, SQL `=` never matches NULL and is the caller's to
// rule out). REQUIRES: values.size() <= columns.size().
Result<KeySpan> PrefixSpan(uint32_t table_id, uint32_t index_id, std::span<const KeyColumn> columns,
                           std::span<const Datum> values);

// Reads keys back, one column at a time.
struct IndexPrefix {
  uint32_t table_id = 0;
  uint32_t index_id = 0;
};

class KeyDecoder {
 public:
  explicit KeyDecoder(std::string_view bytes) : reader_(bytes) {}

  Result<IndexPrefix> ReadIndexPrefix();
  // Decodes the next column as `column`. Errors: Corruption.
  Result<Datum> Read(const KeyColumn& column);

  std::string_view remaining() const { return reader_.remaining(); }
  bool done() const { return reader_.empty(); }

 private:
  ByteReader reader_;
};

struct DecodedKey {
  IndexPrefix prefix;
  std::vector<Datum> values;
};
// Decodes a whole key: prefix and exactly `columns` (trailing bytes are Corruption).
Result<DecodedKey> DecodeKey(std::string_view key, std::span<const KeyColumn> columns);

}  // namespace borealis::encoding
