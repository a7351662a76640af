// libFuzzer target: the key and row decoders of src/encoding. The first byte picks the codec.
// Keys: the next byte gives the column count and one byte per column its type, direction and
// NULL order; the rest is the key. Rows: the rest is the row, read schema-less and with a
// schema taken from the input. Any input must decode or give Corruption, never crash or
// over-read; whatever decodes must hold valid values and re-encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "encoding/datum.h"
#include "encoding/key.h"
#include "encoding/row.h"

namespace {

using namespace borealis::encoding;

constexpr size_t kFuzzMaxKeyColumns = 4;

KeyColumn ColumnFromByte(uint8_t byte) {
  KeyColumn column;
  column.type = static_cast<ColumnType>(byte % kColumnTypeCount);
  column.direction = (byte & 0x20) ? Direction::kDescending : Direction::kAscending;
  column.null_order = static_cast<NullOrder>((byte >> 6) % 3);
  return column;
}

void FuzzKey(std::string_view input) {
  if (input.empty()) return;
  size_t count = 1 + static_cast<uint8_t>(input[0]) % kFuzzMaxKeyColumns;
  input.remove_prefix(1);
  if (input.size() < count) return;
  std::vector<KeyColumn> columns;
  for (size_t i = 0; i < count; ++i) columns.push_back(ColumnFromByte(input[i]));
  input.remove_prefix(count);

  auto decoded = DecodeKey(input, columns);
  if (!decoded.ok()) {
    BOREALIS_CHECK(decoded.status().code() == borealis::Code::kCorruption);
    return;
  }
  for (const Datum& value : decoded->values) BOREALIS_CHECK(ValidateDatum(value).ok());
  auto again =
      EncodeKey(decoded->prefix.table_id, decoded->prefix.index_id, columns, decoded->values);
  BOREALIS_CHECK(again.ok(), again.status().ToString());
  BOREALIS_CHECK(*again == input, "key did not round-trip");
  // The key lies inside its index's span and inside the span of each of its prefixes.
  BOREALIS_CHECK(IndexSpan(decoded->prefix.table_id, decoded->prefix.index_id).Contains(input));
  for (size_t k = 0; k <= count; ++k) {
    auto span = PrefixSpan(decoded->prefix.table_id, decoded->prefix.index_id, columns,
                           std::span<const Datum>(decoded->values).first(k));
    BOREALIS_CHECK(span.ok() && span->Contains(input));
  }
}

void FuzzRow(std::string_view input) {
  auto untyped = DecodeRowUntyped(input);
  if (untyped.ok()) {
    for (const RowColumn& column : *untyped) BOREALIS_CHECK(ValidateDatum(column.value).ok());
    auto again = EncodeRow(*untyped);
    BOREALIS_CHECK(again.ok(), again.status().ToString());
    BOREALIS_CHECK(*again == input, "row did not round-trip");
  } else {
    BOREALIS_CHECK(untyped.status().code() == borealis::Code::kCorruption);
  }
  // Typed reads with a schema derived from the input itself: ids 1..8, types from the bytes.
  std::vector<RowColumnSpec> specs;
  for (uint32_t id = 1; id <= 8; ++id) {
    uint8_t byte = id < input.size() ? static_cast<uint8_t>(input[id]) : 0;
    specs.push_back(RowColumnSpec{id, static_cast<ColumnType>(byte % kColumnTypeCount)});
  }
  auto typed = DecodeRow(input, specs);
  if (typed.ok()) {
    for (const std::optional<Datum>& value : *typed) {
      if (value) BOREALIS_CHECK(ValidateDatum(*value).ok());
    }
  }
  for (const RowColumnSpec& spec : specs) {
    auto value = DecodeRowColumn(input, spec.column_id, spec.type);
    if (value.ok() && value->has_value()) BOREALIS_CHECK(ValidateDatum(**value).ok());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    FuzzKey(input);
  } else {
    FuzzRow(input);
  }
  return 0;
}
