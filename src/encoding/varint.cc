#include "encoding/varint.h"

namespace borealis::encoding {

void AppendUvarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

Result<uint8_t> ByteReader::ReadByte() {
  if (input_.empty()) return Status::Corruption("truncated input");
  uint8_t byte = static_cast<uint8_t>(input_[0]);
  input_.remove_prefix(1);
  return byte;
}

Result<std::string_view> ByteReader::ReadBytes(size_t size_bytes) {
  if (input_.size() < size_bytes) return Status::Corruption("truncated input");
  std::string_view bytes = input_.substr(0, size_bytes);
  input_.remove_prefix(size_bytes);
  return bytes;
}

Result<uint64_t> ByteReader::ReadUvarint() {
  std::string_view& input = input_;
  uint64_t value = 0;
  for (size_t i = 0; i < kMaxVarintSizeBytes; ++i) {
    if (i >= input.size()) return Status::Corruption("truncated varint");
    uint8_t byte = static_cast<uint8_t>(input[i]);
    // The tenth byte holds only the top bit of a 64-bit value.
    if (i == kMaxVarintSizeBytes - 1 && byte > 1) return Status::Corruption("varint overflow");
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i > 0) return Status::Corruption("non-minimal varint");
      input.remove_prefix(i + 1);
      return value;
    }
  }
  return Status::Corruption("varint too long");
}

void AppendOrderedUvarint(std::string& out, uint64_t value) {
  if (value <= kOrderedUvarintMaxSingleByte) {
    out.push_back(static_cast<char>(value));
    return;
  }
  int size_bytes = 0;
  for (uint64_t v = value; v != 0; v >>= 8) ++size_bytes;
  out.push_back(static_cast<char>(kOrderedUvarintMaxSingleByte + size_bytes));
  AppendBigEndian(out, value, size_bytes);
}

Result<uint64_t> ByteReader::ReadOrderedUvarint() {
  std::string_view& input = input_;
  if (input.empty()) return Status::Corruption("truncated ordered varint");
  uint8_t first = static_cast<uint8_t>(input[0]);
  if (first <= kOrderedUvarintMaxSingleByte) {
    input.remove_prefix(1);
    return uint64_t{first};
  }
  size_t size_bytes = first - kOrderedUvarintMaxSingleByte;
  if (size_bytes > 8) return Status::Corruption("bad ordered varint length byte");
  if (input.size() < 1 + size_bytes) return Status::Corruption("truncated ordered varint");
  uint64_t value = LoadBigEndian(input.substr(1, size_bytes));
  bool minimal = static_cast<uint8_t>(input[1]) != 0 &&
                 (size_bytes > 1 || value > kOrderedUvarintMaxSingleByte);
  if (!minimal) return Status::Corruption("non-minimal ordered varint");
  input.remove_prefix(1 + size_bytes);
  return value;
}

void AppendBigEndian(std::string& out, uint64_t value, int size_bytes) {
  for (int i = size_bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(value >> (8 * i)));
}

uint64_t LoadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

void AppendLittleEndian(std::string& out, uint64_t value, int size_bytes) {
  for (int i = 0; i < size_bytes; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

uint64_t LoadLittleEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = bytes.size(); i > 0; --i)
    value = (value << 8) | static_cast<uint8_t>(bytes[i - 1]);
  return value;
}

}  // namespace borealis::encoding
