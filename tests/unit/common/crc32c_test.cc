#include "common/crc32c.h"

#include <gtest/gtest.h>

namespace borealis {
namespace {

TEST(Crc32cTest, KnownVectors) {
  // The standard check value of CRC-32C over "123456789" (RFC 3720, appendix B.4 family).
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4: 32 bytes of zeros
}

TEST(Crc32cTest, ExtendsIncrementally) {
  EXPECT_EQ(Crc32c("6789", Crc32c("12345")), Crc32c("123456789"));
}

// The hardware path (8 bytes at a time, then a byte tail) agrees with the table at every length
// and alignment, also when extending a running checksum.
TEST(Crc32cTest, MatchesPortableAtEveryLengthAndOffset) {
  std::string data(300, '\0');
  uint32_t x = 12345;
  for (char& c : data) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 16);
  }
  for (size_t offset = 0; offset < 9; ++offset) {
    for (size_t length = 0; offset + length <= data.size(); length += 7) {
      std::string_view piece(data.data() + offset, length);
      ASSERT_EQ(Crc32c(piece), Crc32cPortable(piece)) << offset << " " << length;
      ASSERT_EQ(Crc32c(piece, 0xDEADBEEFu), Crc32cPortable(piece, 0xDEADBEEFu));
    }
  }
  EXPECT_EQ(Crc32cPortable("123456789"), 0xE3069283u);
}

}  // namespace
}  // namespace borealis
