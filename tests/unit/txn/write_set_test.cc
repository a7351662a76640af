#include "txn/write_set.h"

#include <gtest/gtest.h>

#include <random>

namespace borealis::txn {
namespace {

TEST(WriteSetTest, LastWriteWinsAndLocksNeverDowngrade) {
  WriteSet set;
  set.Put("a", "1");
  set.Put("a", "2");
  set.Lock("a");
  set.Lock("b");
  set.Delete("c");
  EXPECT_EQ(set.size(), 3u);
  EXPECT_EQ(set.modified_count(), 2u);
  EXPECT_EQ(set.Find("a")->kind, WriteKind::kPut);
  EXPECT_EQ(set.Find("a")->value, "2");
  EXPECT_EQ(set.Find("b")->kind, WriteKind::kLock);
  set.Put("b", "x");  // a write replaces the lock
  EXPECT_EQ(set.Find("b")->kind, WriteKind::kPut);
  EXPECT_EQ(set.modified_count(), 3u);
  EXPECT_EQ(set.Find("zz"), nullptr);
}

TEST(WriteSetTest, EncodeDecodeRoundTrip) {
  WriteSet set;
  set.Put(std::string("k\0ey", 4), std::string(300, 'v'));
  set.Delete("gone");
  set.Lock("locked");
  set.Put("", "");
  auto decoded = WriteSet::Decode(set.Encode());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->Encode(), set.Encode());
  EXPECT_EQ(decoded->Find(std::string("k\0ey", 4))->value, std::string(300, 'v'));
  EXPECT_EQ(decoded->Find("gone")->kind, WriteKind::kDelete);
  EXPECT_EQ(decoded->Find("locked")->kind, WriteKind::kLock);
}

TEST(WriteSetTest, RejectsEveryTruncationAndGarbage) {
  WriteSet set;
  set.Put("alpha", "one");
  set.Delete("beta");
  set.Lock("gamma");
  std::string encoded = set.Encode();
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    EXPECT_FALSE(ParseEncodedWriteSet(encoded.substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(ParseEncodedWriteSet(encoded + "x").ok());
  std::mt19937 random(3);
  for (int i = 0; i < 2000; ++i) {
    std::string garbage(random() % 40, '\0');
    for (char& c : garbage) c = static_cast<char>(random());
    (void)ParseEncodedWriteSet(garbage);  // must not crash or over-read (ASan checks)
  }
}

TEST(WriteSetTest, AMillionRowsStayCompact) {
  WriteSet set;
  for (int i = 0; i < 1'000'000; ++i) {
    set.Put("key" + std::to_string(i), "value-of-some-size-" + std::to_string(i));
  }
  std::string encoded = set.Encode();
  EXPECT_LT(encoded.size(), set.bytes() + 3 * set.size() + 16);
  auto parsed = ParseEncodedWriteSet(encoded);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size(), 1'000'000u);
}

}  // namespace
}  // namespace borealis::txn
