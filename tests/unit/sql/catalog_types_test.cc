// Catalog types (sql/catalog_types.h) and catalog functions that need no catalog; expected
// texts come from PostgreSQL 15.
#include "sql/catalog_types.h"

#include <gtest/gtest.h>

#include "sql/catalog_functions.h"
#include "sql/value.h"

namespace borealis::sql {
namespace {

std::string RoundTrip(TypeId type, std::string_view text) {
  Result<Value> value = ParseText(type, text);
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  if (!value.ok()) return "";
  return FormatText(*value, OutputOptions{});
}

TEST(CatalogTypesTest, ArrayTextIsCanonical) {
  EXPECT_EQ(RoundTrip(TypeId::kTextArray, "{a, \"b c\" ,NULL,\"NULL\",\"\"}"),
            "{a,\"b c\",NULL,\"NULL\",\"\"}");
  EXPECT_EQ(RoundTrip(TypeId::kInt4Array, "{ 1 ,2}"), "{1,2}");
  EXPECT_EQ(RoundTrip(TypeId::kTextArray, "{}"), "{}");
  EXPECT_EQ(RoundTrip(TypeId::kTextArray, "{\"a\\\"b\"}"), "{\"a\\\"b\"}");
}

TEST(CatalogTypesTest, MalformedArrays) {
  for (const char* bad : {"1,2", "{1,2", "{1,}", "{1}x"}) {
    Result<Value> value = ParseText(TypeId::kInt4Array, bad);
    EXPECT_EQ(value.status().sqlstate(), "22P02") << bad;
  }
  EXPECT_EQ(ParseText(TypeId::kInt4Array, "{1,x}").status().sqlstate(), "22P02");
  EXPECT_EQ(ParseText(TypeId::kInt4Array, "{{1}}").status().sqlstate(), "0A000");
}

TEST(CatalogTypesTest, ArrayElementsAndTypes) {
  Result<Value> array = ParseText(TypeId::kOidArray, "{1,NULL,3}");
  ASSERT_TRUE(array.ok());
  Result<std::vector<Value>> elements = ArrayElements(*array);
  ASSERT_TRUE(elements.ok());
  ASSERT_EQ(elements->size(), 3u);
  EXPECT_EQ((*elements)[0].int_value(), 1);
  EXPECT_TRUE((*elements)[1].is_null());
  EXPECT_EQ(ArrayTypeOf(TypeId::kName), TypeId::kNameArray);
  EXPECT_EQ(ArrayElementType(TypeId::kCharArray), TypeId::kChar);
  EXPECT_EQ(GetTypeInfo(TypeId::kTextArray).name, "_text");
  EXPECT_EQ(TypeFromOid(2205), TypeId::kRegclass);
}

TEST(CatalogTypesTest, CharAndVectors) {
  EXPECT_EQ(RoundTrip(TypeId::kChar, "r"), "r");
  EXPECT_EQ(RoundTrip(TypeId::kChar, ""), "");
  EXPECT_EQ(RoundTrip(TypeId::kInt2Vector, "1  2 3"), "1 2 3");
  Result<Value> vector = ParseText(TypeId::kOidVector, "23 25");
  ASSERT_TRUE(vector.ok());
  Result<Value> array = CastValue(*vector, TypeId::kOidArray);
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(FormatText(*array, OutputOptions{}), "{23,25}");
  EXPECT_EQ(ParseText(TypeId::kPgNodeTree, "x").status().sqlstate(), "0A000");
}

TEST(CatalogTypesTest, OidAliasCasts) {
  EXPECT_TRUE(CanCast(TypeId::kRegclass, TypeId::kOid, CastContext::kImplicit));
  EXPECT_TRUE(CanCast(TypeId::kOid, TypeId::kRegclass, CastContext::kImplicit));
  EXPECT_TRUE(CanCast(TypeId::kInt4, TypeId::kRegclass, CastContext::kImplicit));
  EXPECT_FALSE(CanCast(TypeId::kRegclass, TypeId::kInt4, CastContext::kImplicit));
  EXPECT_TRUE(CastNeedsCatalog(TypeId::kUnknown, TypeId::kRegclass));
  EXPECT_TRUE(CastNeedsCatalog(TypeId::kRegclass, TypeId::kText));
  EXPECT_FALSE(CastNeedsCatalog(TypeId::kOid, TypeId::kRegclass));
  Result<Value> regclass = CastValue(Value::Int(TypeId::kOid, 1259), TypeId::kRegclass);
  ASSERT_TRUE(regclass.ok());
  EXPECT_EQ(regclass->int_value(), 1259);
  // Without the catalog, regclass prints its number ("-" for 0, like regclassout).
  EXPECT_EQ(FormatText(*regclass, OutputOptions{}), "1259");
  EXPECT_EQ(FormatText(Value::Int(TypeId::kRegclass, 0), OutputOptions{}), "-");
}

TEST(CatalogFunctionsTest, FormatTypeAndDeparse) {
  EXPECT_EQ(FormatType(23, std::nullopt), "integer");
  EXPECT_EQ(FormatType(1043, 24), "character varying(20)");
  EXPECT_EQ(FormatType(1700, ((10 << 16) | 2) + 4), "numeric(10,2)");
  EXPECT_EQ(FormatType(1042, std::nullopt), "character");
  EXPECT_EQ(FormatType(1042, -1), "bpchar");
  EXPECT_EQ(FormatType(1042, 5), "character(1)");
  EXPECT_EQ(FormatType(1009, -1), "text[]");
  EXPECT_EQ(DeparseConstant(TypeId::kText, "x"), "'x'::text");
  EXPECT_EQ(DeparseConstant(TypeId::kText, "it's"), "'it''s'::text");
  EXPECT_EQ(DeparseConstant(TypeId::kInt4, "5"), "5");
  EXPECT_EQ(DeparseConstant(TypeId::kInt4, "-5"), "'-5'::integer");
  EXPECT_EQ(DeparseConstant(TypeId::kInt8, "5"), "'5'::bigint");
  EXPECT_EQ(DeparseConstant(TypeId::kNumeric, "1.5"), "1.5");
  EXPECT_EQ(DeparseConstant(TypeId::kNumeric, "5"), "'5'::numeric");
  EXPECT_EQ(DeparseConstant(TypeId::kBool, "t"), "true");
  EXPECT_EQ(DeparseConstant(TypeId::kFloat8, "1.5"), "'1.5'::double precision");
}

}  // namespace
}  // namespace borealis::sql
