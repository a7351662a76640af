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

}  // namespace
}  // namespace borealis
