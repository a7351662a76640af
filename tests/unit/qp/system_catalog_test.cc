// qp/system_catalog.h: name resolution of the catalog relations and the OID scheme. Rows are
// covered end to end by tests/sql/catalog/*.test and tests/e2e/psql_describe.sh.
#include "qp/system_catalog.h"

#include <gtest/gtest.h>

namespace borealis::qp {
namespace {

sql::TableRef Ref(std::string schema, std::string name) {
  sql::TableRef ref;
  ref.schema = std::move(schema);
  ref.name = std::move(name);
  return ref;
}

TEST(SystemCatalogTest, ResolvesPgCatalogQualifiedAndUnqualified) {
  for (const char* schema : {"", "pg_catalog"}) {
    std::unique_ptr<sql::planner::TableInfo> info = ResolveSystemTable(Ref(schema, "pg_class"));
    ASSERT_NE(info, nullptr) << schema;
    ASSERT_NE(info->virtual_table, nullptr);
    EXPECT_EQ(info->scope.table_name, "pg_class");
    EXPECT_EQ(info->scope.columns[0].name, "oid");
    EXPECT_EQ(info->scope.columns[0].type, sql::TypeId::kOid);
    EXPECT_EQ(info->scope.columns[1].name, "relname");
    EXPECT_EQ(info->scope.columns[1].type, sql::TypeId::kName);
    EXPECT_TRUE(info->key_columns.empty());
  }
}

TEST(SystemCatalogTest, InformationSchemaOnlyWhenQualified) {
  EXPECT_NE(ResolveSystemTable(Ref("information_schema", "columns")), nullptr);
  EXPECT_EQ(ResolveSystemTable(Ref("", "columns")), nullptr);  // not on the search path
  EXPECT_EQ(ResolveSystemTable(Ref("public", "pg_class")), nullptr);
  EXPECT_EQ(ResolveSystemTable(Ref("pg_catalog", "no_such_catalog")), nullptr);
}

TEST(SystemCatalogTest, AliasNamesTheScope) {
  sql::TableRef ref = Ref("", "pg_attribute");
  ref.alias = "a";
  std::unique_ptr<sql::planner::TableInfo> info = ResolveSystemTable(ref);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->scope.table_name, "a");
  EXPECT_EQ(info->scope.columns[0].table, "a");
}

TEST(SystemCatalogTest, UserOidsRoundTrip) {
  EXPECT_EQ(TableOid(catalog::kFirstUserTableId), kFirstUserOid);
  uint32_t oid = TableOid(catalog::kFirstUserTableId + 7);
  EXPECT_EQ(oid, kFirstUserOid + 7 * kOidsPerTable);
  auto split = SplitUserOid(oid + 3);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->first, catalog::kFirstUserTableId + 7);
  EXPECT_EQ(split->second, 3u);
  EXPECT_FALSE(SplitUserOid(1259).has_value());  // pg_class itself
}

}  // namespace
}  // namespace borealis::qp
