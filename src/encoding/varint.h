// Integer codecs shared by the key and row formats.
//
// Contract: every Append* writes exactly one encoding per value and ByteReader accepts only that
// encoding (a non-minimal varint is Corruption), so decode-then-encode reproduces the input
// bytes. A ByteReader never reads past the end of its input; on success a Read* advances past
// the bytes consumed, after an error the reader's position is unspecified. Append* append to a
// buffer owned by the caller (the encoders' builders). Pure functions, thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::encoding {

inline constexpr size_t kMaxVarintSizeBytes = 10;

// LEB128: 7 bits per byte, least significant group first (row format).
void AppendUvarint(std::string& out, uint64_t value);

// Zigzag maps small magnitudes of either sign to small unsigned values.
inline uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t ZigZagDecode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Order-preserving unsigned varint (key format; memcmp order == numeric order):
//   value <= 240:  one byte, the value
//   otherwise:     byte 240 + n (n = 1..8 significant bytes), then n bytes big-endian
inline constexpr uint8_t kOrderedUvarintMaxSingleByte = 240;
void AppendOrderedUvarint(std::string& out, uint64_t value);

// Fixed width big-endian / little-endian.
void AppendBigEndian(std::string& out, uint64_t value, int size_bytes);
uint64_t LoadBigEndian(std::string_view bytes);  // REQUIRES: bytes.size() <= 8
void AppendLittleEndian(std::string& out, uint64_t value, int size_bytes);
uint64_t LoadLittleEndian(std::string_view bytes);  // REQUIRES: bytes.size() <= 8

// A cursor over untrusted bytes. Does not own them.
class ByteReader {
 public:
  explicit ByteReader(std::string_view input) : input_(input) {}

  std::string_view remaining() const { return input_; }
  bool empty() const { return input_.empty(); }
  size_t consumed_bytes(std::string_view whole) const { return whole.size() - input_.size(); }

  Result<uint8_t> ReadByte();
  Result<std::string_view> ReadBytes(size_t size_bytes);
  Result<uint64_t> ReadUvarint();
  Result<uint64_t> ReadOrderedUvarint();

 private:
  std::string_view input_;
};

}  // namespace borealis::encoding
