// uuid text forms (sql/uuid.h) and the DEFAULT-text scanner (sql/default_text.h).
#include "sql/uuid.h"

#include <gtest/gtest.h>

#include "sql/default_text.h"
#include "sql/value.h"

namespace borealis::sql {
namespace {

TEST(UuidTest, AcceptsPostgresInputForms) {
  const std::string canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  for (const char* text :
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}"}) {
    Result<std::string> bytes = ParseUuid(text);
    ASSERT_TRUE(bytes.ok()) << text;
    EXPECT_EQ(bytes->size(), kUuidBytes);
    EXPECT_EQ(FormatUuid(*bytes), canonical) << text;
  }
}

TEST(UuidTest, RejectsWhatPostgresRejects) {
  for (const char* text :
       {"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
        "a0eebc999-c0b-4ef8-bb6d-6bb9bd380a11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
        "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}) {
    Result<std::string> bytes = ParseUuid(text);
    ASSERT_FALSE(bytes.ok()) << text;
    EXPECT_EQ(bytes.status().sqlstate(), "22P02") << text;
  }
}

TEST(UuidTest, RandomUuidIsVersionFourVariantOne) {
  std::string bytes = RandomUuid(~0ULL, 0);
  std::string text = FormatUuid(bytes);
  EXPECT_EQ(text, "ffffffff-ffff-4fff-8000-000000000000");
}

TEST(UuidTest, ValueRoundTripsThroughTextAndBinary) {
  Result<Value> value = ParseText(TypeId::kUuid, "{00112233-4455-6677-8899-aabbccddeeff}");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(FormatText(*value, OutputOptions{}), "00112233-4455-6677-8899-aabbccddeeff");
  std::string wire = SendBinary(*value);
  EXPECT_EQ(wire.size(), kUuidBytes);
  Result<Value> back = ReceiveBinary(TypeId::kUuid, wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->string_value(), value->string_value());
  EXPECT_FALSE(ReceiveBinary(TypeId::kUuid, wire.substr(1)).ok());
}

std::optional<std::string> DefaultOf(const std::string& sql, const std::string& column) {
  return ColumnDefaultText(sql, sql.find(column));
}

TEST(DefaultTextTest, FindsTheExpressionAsWritten) {
  std::string sql =
      "CREATE TABLE t (a int DEFAULT 1 + 2, b text DEFAULT(now()), "
      "c text DEFAULT 'x, (y' || lower('Z') NOT NULL, d int DEFAULT (1) PRIMARY KEY, "
      "e bool default x IS NOT NULL, f int, g int DEFAULT $$a)$$ CHECK (g > 0), "
      "h int DEFAULT -1 /* c, ) */ + 2)";
  EXPECT_EQ(DefaultOf(sql, "a int"), "1 + 2");
  EXPECT_EQ(DefaultOf(sql, "b text"), "(now())");
  EXPECT_EQ(DefaultOf(sql, "c text"), "'x, (y' || lower('Z')");
  EXPECT_EQ(DefaultOf(sql, "d int"), "(1)");
  EXPECT_EQ(DefaultOf(sql, "e bool"), "x IS NOT NULL");
  EXPECT_EQ(DefaultOf(sql, "f int"), std::nullopt);
  EXPECT_EQ(DefaultOf(sql, "g int"), "$$a)$$");
  EXPECT_EQ(DefaultOf(sql, "h int"), "-1 /* c, ) */ + 2");
}

TEST(DefaultTextTest, UnterminatedQuotesGiveNothing) {
  std::string sql = "CREATE TABLE t (a text DEFAULT 'abc)";
  EXPECT_EQ(ColumnDefaultText(sql, sql.find("a text")), std::nullopt);
}

}  // namespace
}  // namespace borealis::sql
