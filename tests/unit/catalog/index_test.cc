// Secondary indexes: descriptors, names, entries, maintenance, the access-path rule, and the
// ASYNC / CHECK text helpers of the parser (issue 4).
#include <gtest/gtest.h>

#include <map>

#include "catalog/indexes.h"
#include "catalog/store.h"
#include "sql/ast_index.h"
#include "sql/exec/constraints.h"
#include "sql/exec/executor.h"
#include "sql/parser.h"
#include "sql/planner/plan.h"

namespace borealis {
namespace {

using catalog::IndexColumn;
using catalog::IndexDescriptor;
using catalog::TableDescriptor;
using sql::TypeId;
using sql::Value;

// A transaction over an in-memory map (no conflicts): enough for catalog and index code.
class MemoryTxn : public txn::KvTransaction {
 public:
  Result<std::optional<std::string>> Get(std::string key) override {
    auto it = data_.find(key);
    if (it == data_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<std::vector<txn::Row>> Scan(std::string begin, std::string end, size_t limit,
                                     bool reverse) override {
    EXPECT_FALSE(reverse);
    std::vector<txn::Row> rows;
    for (auto it = data_.lower_bound(begin);
         it != data_.end() && (end.empty() || it->first < end) && rows.size() < limit; ++it) {
      rows.push_back({it->first, it->second});
    }
    return rows;
  }
  Status Put(std::string key, std::string value) override {
    data_[std::move(key)] = std::move(value);
    return Status::Ok();
  }
  Status Delete(std::string key) override {
    data_.erase(key);
    return Status::Ok();
  }
  void Lock(std::string) override {}
  void AddCheckKey(std::string) override {}

  size_t CountIn(const encoding::KeySpan& span) const {
    size_t n = 0;
    for (const auto& [key, value] : data_) n += span.Contains(key);
    return n;
  }

 private:
  std::map<std::string, std::string> data_;
};

// t (a int4 primary key, b text, c int8).
TableDescriptor Table() {
  TableDescriptor table;
  table.id = 200;
  table.name = "t";
  table.columns.push_back({1, "a", 23, -1, true, std::nullopt, false});
  table.columns.push_back({2, "b", 25, -1, false, std::nullopt, false});
  table.columns.push_back({3, "c", 20, -1, false, std::nullopt, false});
  table.primary_key = {1};
  table.next_column_id = 4;
  return table;
}

sql::planner::TableInfo Info(TableDescriptor table) {
  auto shared = std::make_shared<const TableDescriptor>(std::move(table));
  Result<sql::planner::TableInfo> info = sql::planner::MakeTableInfo(shared, shared->name);
  BOREALIS_CHECK(info.ok(), info.status().ToString());
  return std::move(info).value();
}

sql::exec::Row MakeRow(int64_t a, std::optional<std::string> b, std::optional<int64_t> c) {
  return {Value::Int(TypeId::kInt4, a),
          b ? Value::String(TypeId::kText, *b) : Value::Null(TypeId::kText),
          c ? Value::Int(TypeId::kInt8, *c) : Value::Null(TypeId::kInt8)};
}

TEST(IndexDescriptorTest, RoundTripsIndexesChecksAndKeyName) {
  TableDescriptor table = Table();
  table.primary_key_name = "t_pk";
  table.indexes.push_back({2, "t_b_idx", {{2, false, false}}, false, false});
  table.indexes.push_back({4, "t_c_b_key", {{3, true, true}, {2, false, true}}, true, true});
  table.next_index_id = 5;
  table.checks.push_back({"t_a_check", "a > 0"});
  std::string bytes = catalog::EncodeDescriptor(table);
  Result<TableDescriptor> decoded = catalog::DecodeDescriptor(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, table);
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(catalog::DecodeDescriptor(bytes.substr(0, n)).ok()) << n;
  }
  table.indexes[0].columns[0].column_id = 9;  // no such column
  EXPECT_EQ(catalog::DecodeDescriptor(catalog::EncodeDescriptor(table)).status().code(),
            Code::kCorruption);
  table.indexes[0].columns[0].column_id = 2;
  table.indexes[0].id = 7;  // not below next_index_id
  EXPECT_EQ(catalog::DecodeDescriptor(catalog::EncodeDescriptor(table)).status().code(),
            Code::kCorruption);
}

TEST(IndexDescriptorTest, NamesAndDefinitions) {
  TableDescriptor table = Table();
  EXPECT_EQ(table.PrimaryKeyName(), "t_pkey");
  IndexDescriptor index{2, "t_c_b_idx", {{3, true, true}, {2, false, true}}, true, false};
  EXPECT_EQ(catalog::IndexDefinition(table, index),
            "CREATE UNIQUE INDEX t_c_b_idx ON public.t USING btree (c DESC, b NULLS FIRST)");
  index.columns = {{3, true, false}};
  index.unique = false;
  index.name = "Odd";
  EXPECT_EQ(catalog::IndexDefinition(table, index),
            "CREATE INDEX \"Odd\" ON public.t USING btree (c DESC NULLS LAST)");

  EXPECT_EQ(catalog::MakeObjectName("t", "a_b", "idx"), "t_a_b_idx");
  EXPECT_EQ(catalog::MakeObjectName("t", "", "pkey"), "t_pkey");
  std::string long_table(60, 't');
  std::string long_column(60, 'c');
  std::string name = catalog::MakeObjectName(long_table, long_column, "key");
  EXPECT_EQ(name.size(), 63u);
  EXPECT_EQ(name, std::string(29, 't') + "_" + std::string(29, 'c') + "_key");
}

TEST(IndexCatalogTest, AddLookupChooseAndDrop) {
  MemoryTxn txn;
  Result<TableDescriptor> created = catalog::CreateTable(txn, Table());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  // The primary key's index name is a relation.
  auto pkey = catalog::LookupRelation(txn, "public", "t_pkey");
  ASSERT_TRUE(pkey.ok() && pkey->has_value());
  EXPECT_EQ((*pkey)->index_id, catalog::kPrimaryIndexId);

  auto first = catalog::ChooseRelationName(txn, "public", "t", "b", "idx", {});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "t_b_idx");
  Result<TableDescriptor> added =
      catalog::AddIndex(txn, *created, IndexDescriptor{0, *first, {{2, false, false}}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->version, created->version + 1);
  EXPECT_EQ(added->indexes.back().id, catalog::kFirstSecondaryIndexId);
  auto second = catalog::ChooseRelationName(txn, "public", "t", "b", "idx", {"t_b_idx1"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, "t_b_idx2");
  // A taken name is 42P07; an index name is not a table for the descriptor cache.
  Result<TableDescriptor> again =
      catalog::AddIndex(txn, *added, IndexDescriptor{0, "t", {{2, false, false}}});
  EXPECT_EQ(again.status().sqlstate(), "42P07");
  catalog::DescriptorCache cache;
  auto not_a_table = cache.Lookup(txn, "public", "t_b_idx");
  ASSERT_TRUE(not_a_table.ok());
  EXPECT_EQ(*not_a_table, nullptr);
  auto table = cache.Lookup(txn, "public", "t");
  ASSERT_TRUE(table.ok() && *table != nullptr);
  EXPECT_EQ((*table)->indexes.size(), 1u);

  Result<TableDescriptor> dropped = catalog::DropIndex(txn, *added, added->indexes[0].id);
  ASSERT_TRUE(dropped.ok());
  EXPECT_TRUE(dropped->indexes.empty());
  auto gone = catalog::LookupRelation(txn, "public", "t_b_idx");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  ASSERT_TRUE(catalog::DropTable(txn, *dropped).ok());
  auto pkey_gone = catalog::LookupRelation(txn, "public", "t_pkey");
  ASSERT_TRUE(pkey_gone.ok());
  EXPECT_FALSE(pkey_gone->has_value());
}

TEST(IndexEntryTest, UniqueKeysCollideExceptForNulls) {
  TableDescriptor descriptor = Table();
  descriptor.indexes.push_back({2, "t_b_key", {{2, false, false}}, true, true});
  descriptor.indexes.push_back({3, "t_c_idx", {{3, true, true}}, false, false});
  descriptor.next_index_id = 4;
  sql::planner::TableInfo table = Info(descriptor);
  const IndexDescriptor& unique = table.descriptor->indexes[0];
  const IndexDescriptor& plain = table.descriptor->indexes[1];

  auto x1 = sql::exec::EncodeIndexEntry(table, unique, MakeRow(1, "x", 5));
  auto x2 = sql::exec::EncodeIndexEntry(table, unique, MakeRow(2, "x", 5));
  auto null1 = sql::exec::EncodeIndexEntry(table, unique, MakeRow(1, std::nullopt, 5));
  auto null2 = sql::exec::EncodeIndexEntry(table, unique, MakeRow(2, std::nullopt, 5));
  ASSERT_TRUE(x1.ok() && x2.ok() && null1.ok() && null2.ok());
  EXPECT_EQ(x1->key, x2->key);  // a concurrent duplicate writes the same key
  EXPECT_NE(null1->key, null2->key);
  auto p1 = sql::exec::EncodePrimaryKey(table, MakeRow(1, "x", 5));
  ASSERT_TRUE(p1.ok());
  for (const auto* entry : {&*x1, &*null1}) {
    auto pk = sql::exec::PrimaryKeyOfEntry(table, unique, entry->key, entry->value);
    ASSERT_TRUE(pk.ok()) << pk.status().ToString();
    EXPECT_EQ(*pk, *p1);
  }
  auto plain1 = sql::exec::EncodeIndexEntry(table, plain, MakeRow(1, "x", 5));
  auto plain2 = sql::exec::EncodeIndexEntry(table, plain, MakeRow(2, "x", 5));
  auto plain3 = sql::exec::EncodeIndexEntry(table, plain, MakeRow(3, "x", 6));
  ASSERT_TRUE(plain1.ok() && plain2.ok() && plain3.ok());
  EXPECT_NE(plain1->key, plain2->key);
  EXPECT_LT(plain3->key, plain1->key);  // c DESC
  auto pk = sql::exec::PrimaryKeyOfEntry(table, plain, plain1->key, plain1->value);
  ASSERT_TRUE(pk.ok());
  EXPECT_EQ(*pk, *p1);
}

TEST(IndexEntryTest, MaintenanceAndBackfill) {
  TableDescriptor descriptor = Table();
  descriptor.indexes.push_back({2, "t_b_key", {{2, false, false}}, true, true});
  descriptor.next_index_id = 3;
  sql::planner::TableInfo table = Info(descriptor);
  encoding::KeySpan span = encoding::IndexSpan(200, 2);
  MemoryTxn txn;
  // InsertRow/UpdateRow fit the row in place (sql/exec/executor.h): pass copies.
  auto insert = [&](sql::exec::Row row) { return sql::exec::InsertRow(txn, table, row); };
  auto update = [&](const sql::exec::Row& old_row, sql::exec::Row row) {
    return sql::exec::UpdateRow(txn, table, old_row, row);
  };
  ASSERT_TRUE(insert(MakeRow(1, "x", 1)).ok());
  ASSERT_TRUE(insert(MakeRow(2, std::nullopt, 1)).ok());
  ASSERT_TRUE(insert(MakeRow(3, std::nullopt, 1)).ok());
  Status duplicate = insert(MakeRow(4, "x", 1));
  EXPECT_EQ(duplicate.sqlstate(), "23505");
  EXPECT_EQ(duplicate.message(), "duplicate key value violates unique constraint \"t_b_key\"");
  EXPECT_EQ(duplicate.detail(), "Key (b)=(x) already exists.");
  EXPECT_EQ(txn.CountIn(span), 3u);
  // An update that keeps b rewrites nothing; one that changes it moves the entry.
  ASSERT_TRUE(update(MakeRow(1, "x", 1), MakeRow(1, "x", 2)).ok());
  ASSERT_TRUE(update(MakeRow(1, "x", 2), MakeRow(1, "y", 2)).ok());
  ASSERT_TRUE(insert(MakeRow(4, "x", 1)).ok());
  ASSERT_TRUE(sql::exec::DeleteRow(txn, table, MakeRow(2, std::nullopt, 1)).ok());
  EXPECT_EQ(txn.CountIn(span), 3u);

  // Backfill of a second unique index over c: rows 1 (c=2), 3 and 4 (c=1) collide.
  descriptor.indexes.push_back({3, "t_c_idx", {{3, false, false}}, true, false});
  descriptor.next_index_id = 4;
  sql::planner::TableInfo wider = Info(descriptor);
  Status build = sql::exec::BuildIndex(txn, wider, wider.descriptor->indexes[1]);
  EXPECT_EQ(build.sqlstate(), "23505");
  EXPECT_EQ(build.message(), "could not create unique index \"t_c_idx\"");
  EXPECT_EQ(build.detail(), "Key (c)=(1) is duplicated.");
}

TEST(IndexEntryTest, CheckConstraintsFailOnlyWhenFalse) {
  TableDescriptor descriptor = Table();
  descriptor.checks.push_back({"t_c_check", "c > 0"});
  sql::planner::TableInfo table = Info(descriptor);
  EXPECT_TRUE(sql::exec::CheckConstraints(table, MakeRow(1, "x", 1), nullptr).ok());
  EXPECT_TRUE(sql::exec::CheckConstraints(table, MakeRow(1, "x", std::nullopt), nullptr).ok());
  Status failed = sql::exec::CheckConstraints(table, MakeRow(1, "x", -1), nullptr);
  EXPECT_EQ(failed.sqlstate(), "23514");
  EXPECT_EQ(failed.message(), "new row for relation \"t\" violates check constraint \"t_c_check\"");
  EXPECT_EQ(failed.detail(), "Failing row contains (1, x, -1).");
}

std::string PlanFor(const TableDescriptor& descriptor, const std::string& where) {
  sql::planner::TableInfo table = Info(descriptor);
  Result<sql::ParseResult> parsed = sql::Parse("SELECT 1 FROM t WHERE " + where);
  BOREALIS_CHECK(parsed.ok());
  const auto& select = parsed->statements[0].statement->As<sql::SelectStatement>();
  sql::Binder binder(parsed->source, {});
  binder.SetScope(&table.scope);
  Result<sql::BoundExprPtr> predicate = binder.BindCondition(*select.where, "WHERE");
  BOREALIS_CHECK(predicate.ok(), predicate.status().ToString());
  sql::planner::PlanPtr plan =
      sql::planner::MakeFilter(sql::planner::MakeScan(table), std::move(predicate).value());
  sql::planner::Optimize(*plan);
  return sql::planner::Explain(*plan);
}

TEST(IndexSelectionTest, EqualityPrefixAndRanges) {
  TableDescriptor descriptor = Table();
  descriptor.indexes.push_back({2, "t_b_c_idx", {{2, false, false}, {3, false, false}}});
  descriptor.indexes.push_back({3, "t_c_idx", {{3, true, true}}});
  descriptor.next_index_id = 4;
  EXPECT_EQ(PlanFor(descriptor, "a = 1 AND c = 2"), "Filter\n  Scan t point get (1 key columns)\n");
  EXPECT_EQ(PlanFor(descriptor, "b = 'x'"),
            "Filter\n  Scan t index scan t_b_c_idx (1 key columns)\n");
  EXPECT_EQ(PlanFor(descriptor, "b = 'x' AND c > 3"),
            "Filter\n  Scan t index scan t_b_c_idx (range) (1 key columns)\n");
  EXPECT_EQ(PlanFor(descriptor, "c BETWEEN 1 AND 5"),
            "Filter\n  Scan t index scan t_c_idx (range)\n");
  EXPECT_EQ(PlanFor(descriptor, "5 > c"), "Filter\n  Scan t index scan t_c_idx (range)\n");
  EXPECT_EQ(PlanFor(descriptor, "c = a"), "Filter\n  Scan t full scan\n");
  EXPECT_EQ(PlanFor(descriptor, "a > 3 AND a <= 5"),
            "Filter\n  Scan t index scan t_pkey (range)\n");
  EXPECT_EQ(PlanFor(descriptor, "a > 3 AND c > 5"),
            "Filter\n  Scan t index scan t_pkey (range)\n");  // no fetch per row
  EXPECT_EQ(PlanFor(descriptor, "a > 3 AND c = 5"),
            "Filter\n  Scan t index scan t_c_idx (1 key columns)\n");
  EXPECT_EQ(PlanFor(descriptor, "b = 'x' OR c = 1"), "Filter\n  Scan t full scan\n");
  EXPECT_EQ(PlanFor(descriptor, "c = 1.5"), "Filter\n  Scan t full scan\n");  // numeric compare
}

// Limit <- Sort(keys) <- [Filter(where) <-] Scan, optimized.
std::string OrderedPlanFor(const TableDescriptor& descriptor, const std::string& where,
                           std::vector<std::pair<int, bool>> keys, bool limit = true) {
  static sql::planner::TableInfo* table = nullptr;
  delete table;
  table = new sql::planner::TableInfo(Info(descriptor));
  sql::planner::PlanPtr plan = sql::planner::MakeScan(*table);
  std::shared_ptr<const std::string> source;
  if (!where.empty()) {
    Result<sql::ParseResult> parsed = sql::Parse("SELECT 1 FROM t WHERE " + where);
    BOREALIS_CHECK(parsed.ok());
    const auto& select = parsed->statements[0].statement->As<sql::SelectStatement>();
    sql::Binder binder(parsed->source, {});
    binder.SetScope(&table->scope);
    Result<sql::BoundExprPtr> predicate = binder.BindCondition(*select.where, "WHERE");
    BOREALIS_CHECK(predicate.ok());
    plan = sql::planner::MakeFilter(std::move(plan), std::move(predicate).value());
  }
  auto sort = std::make_unique<sql::planner::PlanNode>(sql::planner::PlanKind::kSort);
  for (auto [column, descending] : keys) {
    auto expr = std::make_unique<sql::BoundExpr>();
    expr->kind = sql::BoundKind::kColumn;
    expr->column_index = column;
    expr->type = table->scope.columns[column].type;
    sort->sort_keys.push_back(sql::planner::SortKey{std::move(expr), descending, descending});
  }
  sort->child = std::move(plan);
  plan = std::move(sort);
  if (limit) {
    auto node = std::make_unique<sql::planner::PlanNode>(sql::planner::PlanKind::kLimit);
    node->child = std::move(plan);
    plan = std::move(node);
  }
  sql::planner::Optimize(*plan);
  return sql::planner::Explain(*plan);
}

TEST(IndexSelectionTest, OrderedScansReplaceSortUnderLimit) {
  TableDescriptor descriptor = Table();
  descriptor.indexes.push_back({2, "t_b_c_idx", {{2, false, false}, {3, false, false}}});
  descriptor.indexes.push_back({3, "t_c_idx", {{3, true, true}}});
  descriptor.next_index_id = 4;
  EXPECT_EQ(OrderedPlanFor(descriptor, "", {{2, true}}), "Limit\n  Scan t index scan t_c_idx\n");
  EXPECT_EQ(OrderedPlanFor(descriptor, "", {{2, false}}),
            "Limit\n  Scan t index scan t_c_idx backward\n");
  EXPECT_EQ(OrderedPlanFor(descriptor, "b = 'x'", {{2, false}}),
            "Limit\n  Filter\n    Scan t index scan t_b_c_idx (1 key columns)\n");
  EXPECT_EQ(OrderedPlanFor(descriptor, "b > 'x'", {{1, true}, {2, true}}),
            "Limit\n  Filter\n    Scan t index scan t_b_c_idx (range) backward\n");
  EXPECT_EQ(OrderedPlanFor(descriptor, "", {{0, true}}),
            "Limit\n  Scan t index scan t_pkey backward\n");
  // Mixed directions, a non-prefix key, or no LIMIT keep the Sort.
  EXPECT_EQ(OrderedPlanFor(descriptor, "", {{1, false}, {2, true}}),
            "Limit\n  Sort (2 keys)\n    Scan t full scan\n");
  EXPECT_EQ(OrderedPlanFor(descriptor, "", {{2, true}}, false),
            "Sort (1 keys)\n  Scan t full scan\n");
  EXPECT_EQ(
      OrderedPlanFor(descriptor, "c = 3", {{1, false}}),
      "Limit\n  Sort (1 keys)\n    Filter\n      Scan t index scan t_c_idx (1 key columns)\n");
}

TEST(IndexSyntaxTest, AsyncKeywordIsBlankedOnlyAfterCreateIndex) {
  sql::BlankedAsync blanked =
      sql::BlankAsyncKeywords("create unique index ASYNC i on t (a); select 'create index async'");
  EXPECT_EQ(blanked.text, "create unique index       i on t (a); select 'create index async'");
  ASSERT_EQ(blanked.offsets.size(), 1u);
  EXPECT_EQ(blanked.offsets[0], 20u);
  EXPECT_TRUE(sql::BlankAsyncKeywords("select async from t").offsets.empty());
  EXPECT_EQ(sql::BlankAsyncKeywords("CREATE /* c */ INDEX\n async ON t(a)").offsets.size(), 1u);

  Result<sql::ParseResult> parsed = sql::Parse("CREATE INDEX ASYNC ON t (a DESC NULLS LAST)");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& create = parsed->statements[0].statement->As<sql::CreateIndexStatement>();
  EXPECT_TRUE(create.async);
  EXPECT_FALSE(create.name.has_value());
  ASSERT_EQ(create.columns.size(), 1u);
  EXPECT_TRUE(create.columns[0].descending);
  EXPECT_EQ(create.columns[0].nulls_first, std::optional<bool>(false));
}

TEST(IndexSyntaxTest, CheckConditionText) {
  std::string sql = "CREATE TABLE t (a int CONSTRAINT c CHECK ( a > ')' AND (a < 5) ), b int)";
  EXPECT_EQ(sql::CheckConditionText(sql, static_cast<int>(sql.find("CONSTRAINT"))),
            std::optional<std::string>("a > ')' AND (a < 5)"));
  EXPECT_EQ(sql::CheckConditionText("check", 0), std::nullopt);
  Result<sql::ParseResult> parsed =
      sql::Parse("CREATE TABLE t (a int UNIQUE CHECK (a > 0), b int, UNIQUE (a, b))");
  ASSERT_TRUE(parsed.ok());
  const auto& create = parsed->statements[0].statement->As<sql::CreateTableStatement>();
  ASSERT_EQ(create.constraints.size(), 3u);
  EXPECT_EQ(create.constraints[1].check_text, "a > 0");
  EXPECT_EQ(create.constraints[2].columns, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace borealis
