#include "common/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace borealis {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78u;

constexpr std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t value = i;
    for (int bit = 0; bit < 8; ++bit) value = (value & 1) ? (value >> 1) ^ kPolynomial : value >> 1;
    table[i] = value;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kTable = MakeTable();

// One byte at a time: ~0.5 GB/s. The portable fallback and the reference for the tests.
uint32_t TableCrc(std::string_view data, uint32_t crc) {
  for (unsigned char byte : data) crc = kTable[(crc ^ byte) & 0xff] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
// SSE 4.2's crc32 instruction computes this very polynomial (reflected, no final xor): eight
// bytes per instruction, several GB/s. Journal entries are checksummed on append, on recovery
// and on every cached read, so bulk commits spend most of their CPU here without it.
__attribute__((target("sse4.2"))) uint32_t HardwareCrc(std::string_view data, uint32_t crc) {
  const char* p = data.data();
  size_t n = data.size();
  uint64_t crc64 = crc;
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    crc64 = _mm_crc32_u64(crc64, word);
    p += 8;
    n -= 8;
  }
  crc = static_cast<uint32_t>(crc64);
  while (n > 0) {
    crc = _mm_crc32_u8(crc, static_cast<unsigned char>(*p));
    ++p;
    --n;
  }
  return crc;
}

const bool kHasSse42 = __builtin_cpu_supports("sse4.2");
#endif

}  // namespace

uint32_t Crc32c(std::string_view data, uint32_t crc) {
  crc = ~crc;
#if defined(__x86_64__)
  if (kHasSse42) return ~HardwareCrc(data, crc);
#endif
  return ~TableCrc(data, crc);
}

uint32_t Crc32cPortable(std::string_view data, uint32_t crc) { return ~TableCrc(data, ~crc); }

}  // namespace borealis
