// The plan cache (qp/plan_cache.h): the bounded LRU (hits, misses, eviction by entries and by
// bytes), contexts, the parse cache's bound, and a plan's dependencies: recorded while a real
// statement is bound over an in-memory catalog, still holding after nothing changed, stale
// after another transaction's DDL (a column added, the table dropped, a temporary table
// shadowing it), and a scan making a binding uncacheable.
#include "qp/plan_cache.h"

#include <gtest/gtest.h>

#include <map>

#include "catalog/store.h"

namespace borealis::qp {
namespace {

class MemoryTxn : public txn::KvTransaction {
 public:
  explicit MemoryTxn(std::map<std::string, std::string>* data) : data_(data) {}
  Result<std::optional<std::string>> Get(std::string key) override {
    ++reads;
    auto it = data_->find(key);
    if (it == data_->end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<std::vector<txn::Row>> Scan(std::string begin, std::string end, size_t limit,
                                     bool) override {
    std::vector<txn::Row> rows;
    for (auto it = data_->lower_bound(begin);
         it != data_->end() && (end.empty() || it->first < end) && rows.size() < limit; ++it) {
      rows.push_back({it->first, it->second});
    }
    return rows;
  }
  Status Put(std::string key, std::string value) override {
    (*data_)[std::move(key)] = std::move(value);
    return Status::Ok();
  }
  Status Delete(std::string key) override {
    data_->erase(key);
    return Status::Ok();
  }
  void Lock(std::string) override {}
  void AddCheckKey(std::string) override {}
  bool HasOwnWrite(std::string_view) const override { return false; }

  int reads = 0;

 private:
  std::map<std::string, std::string>* data_;
};

TEST(BoundedLruTest, HitMissAndEvictionByEntries) {
  BoundedLru<int> lru(2, 1000);
  EXPECT_EQ(lru.Find("a"), nullptr);
  lru.Insert("a", 1, 10);
  lru.Insert("b", 2, 10);
  ASSERT_NE(lru.Find("a"), nullptr);  // a is now the most recently used
  lru.Insert("c", 3, 10);             // evicts b
  EXPECT_EQ(lru.Find("b"), nullptr);
  ASSERT_NE(lru.Find("a"), nullptr);
  EXPECT_EQ(*lru.Find("c"), 3);
  EXPECT_EQ(lru.size(), 2u);
  EXPECT_EQ(lru.bytes(), 20u);
  EXPECT_EQ(lru.evictions(), 1u);
  lru.Insert("a", 4, 15);  // replaces
  EXPECT_EQ(*lru.Find("a"), 4);
  EXPECT_EQ(lru.bytes(), 25u);
  EXPECT_TRUE(lru.Erase("a"));
  EXPECT_FALSE(lru.Erase("a"));
  lru.Clear();
  EXPECT_EQ(lru.size(), 0u);
  EXPECT_EQ(lru.bytes(), 0u);
}

TEST(BoundedLruTest, EvictionByBytesAndOversizedEntries) {
  BoundedLru<std::string> lru(100, 100);
  lru.Insert("a", "x", 40);
  lru.Insert("b", "y", 40);
  lru.Insert("c", "z", 40);  // 120 > 100: a goes
  EXPECT_EQ(lru.Find("a"), nullptr);
  EXPECT_EQ(lru.bytes(), 80u);
  lru.Insert("huge", "w", 101);  // larger than the whole cache: not kept, nothing evicted
  EXPECT_EQ(lru.Find("huge"), nullptr);
  EXPECT_EQ(lru.size(), 2u);
  for (int i = 0; i < 1000; ++i) lru.Insert(std::to_string(i), "v", 7);
  EXPECT_LE(lru.bytes(), 100u);
  EXPECT_EQ(lru.size(), 14u);
}

TEST(PlanCacheTest, KeysAreAdmittedTheSecondTimeTheyAreOffered) {
  PlanCache cache;
  EXPECT_FALSE(cache.Admit("SELECT 1"));
  EXPECT_FALSE(cache.Admit("SELECT 2"));
  EXPECT_TRUE(cache.Admit("SELECT 1"));
  EXPECT_FALSE(cache.Admit("SELECT 1"));  // admitted once: offered anew
  for (size_t i = 0; i < 2 * kMaxAdmissionFilterKeys; ++i) cache.Admit(std::to_string(i));
  EXPECT_FALSE(cache.Admit("SELECT 2"));  // the filter forgot it (bounded)
}

TEST(PlanCacheTest, ParsesAreBoundedAndCounted) {
  PlanCache cache(PlanCache::Limits{4, 1 << 20, 2, 1 << 20});
  EXPECT_EQ(cache.FindParse("SELECT 1"), nullptr);
  Result<sql::ParseResult> parsed = sql::Parse("SELECT 1");
  ASSERT_TRUE(parsed.ok());
  cache.InsertParse("SELECT 1", *parsed);
  ASSERT_NE(cache.FindParse("SELECT 1"), nullptr);
  EXPECT_EQ(cache.FindParse("SELECT 1")->statements.size(), 1u);
  cache.InsertParse("SELECT 2", *parsed);
  cache.InsertParse("SELECT 3", *parsed);
  EXPECT_EQ(cache.parse_count(), 2u);
  EXPECT_EQ(cache.FindParse("SELECT 1"), nullptr);
  cache.InsertParse(std::string(kMaxCachedQueryBytes + 1, ' '), *parsed);
  EXPECT_EQ(cache.parse_count(), 2u);
  EXPECT_EQ(cache.stats().parse_hits, 2u);
  EXPECT_EQ(cache.stats().parse_misses, 2u);
}

// A table statement bound over an in-memory catalog, through the session's transaction view.
class PlanDependencyTest : public ::testing::Test {
 protected:
  void SetUp() override { CreateTable("public", {"a"}); }

  void CreateTable(const std::string& schema, std::vector<std::string> columns) {
    MemoryTxn txn(&catalog_);
    catalog::TableDescriptor table;
    table.schema = schema;
    table.name = "t";
    for (const std::string& name : columns) {
      catalog::ColumnDescriptor column;
      column.id = table.next_column_id++;
      column.name = name;
      column.type_oid = 23;
      table.columns.push_back(column);
    }
    table.primary_key = {1};
    Result<catalog::TableDescriptor> created = catalog::CreateTable(txn, std::move(table));
    ASSERT_TRUE(created.ok()) << created.status().message();
    table_ = *created;
  }

  void DropTable() {
    MemoryTxn txn(&catalog_);
    ASSERT_TRUE(catalog::DropTable(txn, table_).ok());
  }

  // Binds `sql` in a new transaction; returns the plan and what binding read.
  Result<CachedPlan> Bind(const std::string& sql, const std::string& temp_schema = "") {
    MemoryTxn txn(&catalog_);
    SessionKv session;
    session.Reset(&txn);
    session.set_temp_schema(temp_schema);
    RecordingKv recorder(session);
    Result<sql::ParseResult> parsed = sql::Parse(sql);
    if (!parsed.ok()) return parsed.status();
    Result<std::shared_ptr<const TablePlan>> plan = BindTableStatement(
        *parsed->statements[0].statement, parsed->source, {}, recorder, descriptors_);
    if (!plan.ok()) return plan.status();
    if (!recorder.cacheable()) return Status::Sql("XX000", "not cacheable");
    return CachedPlan{*plan, recorder.TakeDependencies(), temp_schema};
  }

  Status StillHolds(const CachedPlan& cached) {
    MemoryTxn txn(&catalog_);
    return ExpectDependencies(txn, cached.dependencies);
  }

  std::map<std::string, std::string> catalog_;
  catalog::DescriptorCache descriptors_;
  catalog::TableDescriptor table_;
};

TEST_F(PlanDependencyTest, HoldsUntilAnotherTransactionChangesTheTable) {
  Result<CachedPlan> cached = Bind("SELECT * FROM t");
  ASSERT_TRUE(cached.ok()) << cached.status().message();
  EXPECT_EQ(cached->plan->column_names, std::vector<std::string>{"a"});
  EXPECT_FALSE(cached->dependencies.empty());
  EXPECT_TRUE(StillHolds(*cached).ok());
  // Another session adds a column (a new descriptor version): the plan is stale.
  DropTable();
  CreateTable("public", {"a", "b"});
  Status held = StillHolds(*cached);
  EXPECT_TRUE(txn::KvTransaction::IsStaleExpectation(held)) << held.message();
  descriptors_.Clear();
  Result<CachedPlan> fresh = Bind("SELECT * FROM t");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->plan->column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(StillHolds(*fresh).ok());
  DropTable();
  EXPECT_TRUE(txn::KvTransaction::IsStaleExpectation(StillHolds(*fresh)));
}

TEST_F(PlanDependencyTest, AWarmDescriptorCacheLeavesOneExpectation) {
  ASSERT_TRUE(Bind("SELECT a FROM t WHERE a = $1").ok());  // warms the descriptor cache
  Result<CachedPlan> cached = Bind("SELECT a FROM t WHERE a = $1");
  ASSERT_TRUE(cached.ok());
  ASSERT_EQ(cached->dependencies.size(), 1u);
  EXPECT_EQ(cached->dependencies[0].key, catalog::SchemaVersionKey(table_.id));
}

TEST_F(PlanDependencyTest, ATemporaryTableCreatedLaterShadowsTheCachedOne) {
  const std::string temp = "pg_temp_7";
  Result<CachedPlan> cached = Bind("SELECT * FROM t", temp);
  ASSERT_TRUE(cached.ok()) << cached.status().message();
  bool expects_free_temp_name = false;
  for (const PlanDependency& dependency : cached->dependencies) {
    expects_free_temp_name |= !dependency.value.has_value();
  }
  EXPECT_TRUE(expects_free_temp_name);
  EXPECT_TRUE(StillHolds(*cached).ok());
  CreateTable(temp, {"a", "z"});
  EXPECT_TRUE(txn::KvTransaction::IsStaleExpectation(StillHolds(*cached)));
  Result<CachedPlan> fresh = Bind("SELECT * FROM t", temp);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->plan->column_names, (std::vector<std::string>{"a", "z"}));
}

TEST(RecordingKvTest, ScansAndWritesAreNotCacheable) {
  std::map<std::string, std::string> data{{"k", "v"}};
  MemoryTxn txn(&data);
  SessionKv session;
  session.Reset(&txn);
  RecordingKv reads(session);
  ASSERT_TRUE(reads.Get("k").ok());
  ASSERT_TRUE(reads.Get("missing").ok());
  ASSERT_TRUE(reads.Get("k").ok());  // recorded once
  EXPECT_TRUE(reads.cacheable());
  std::vector<PlanDependency> dependencies = reads.TakeDependencies();
  ASSERT_EQ(dependencies.size(), 2u);
  EXPECT_EQ(dependencies[0].value, std::optional<std::string>("v"));
  EXPECT_EQ(dependencies[1].value, std::nullopt);
  EXPECT_TRUE(ExpectDependencies(txn, dependencies).ok());
  data["missing"] = "now here";
  EXPECT_TRUE(txn::KvTransaction::IsStaleExpectation(ExpectDependencies(txn, dependencies)));

  RecordingKv scans(session);
  ASSERT_TRUE(scans.Scan("a", "z", 10).ok());
  EXPECT_FALSE(scans.cacheable());
  RecordingKv writes(session);
  ASSERT_TRUE(writes.Put("x", "y").ok());
  EXPECT_FALSE(writes.cacheable());
}

TEST(RecordingKvTest, TooManyReadsAreNotCacheable) {
  std::map<std::string, std::string> data;
  MemoryTxn txn(&data);
  SessionKv session;
  session.Reset(&txn);
  RecordingKv reads(session);
  for (size_t i = 0; i <= kMaxPlanDependencies; ++i) ASSERT_TRUE(reads.Get(std::to_string(i)).ok());
  EXPECT_FALSE(reads.cacheable());
}

TEST_F(PlanDependencyTest, PlansAreCachedByKeyAndContextWithinTheByteBound) {
  Result<CachedPlan> small = Bind("SELECT a FROM t");
  Result<CachedPlan> large = Bind(
      "SELECT a, a + 1, a + 2, a * 3, a - 4 FROM t WHERE a > 1 AND a < 100 ORDER BY a DESC, 2");
  ASSERT_TRUE(small.ok() && large.ok());
  size_t small_bytes = EstimatePlanBytes(*small->plan);
  size_t large_bytes = EstimatePlanBytes(*large->plan);
  EXPECT_LT(small_bytes, large_bytes);

  PlanCache cache(PlanCache::Limits{100, 3 * large_bytes, 10, 1 << 20});
  EXPECT_EQ(cache.FindPlan("k1", ""), nullptr);
  cache.InsertPlan("k1", *small);
  const CachedPlan* hit = cache.FindPlan("k1", "");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->plan, small->plan);  // shared, not copied
  // Another binding context (e.g. after the session's first temporary table) drops it.
  EXPECT_EQ(cache.FindPlan("k1", "pg_temp_3"), nullptr);
  EXPECT_EQ(cache.FindPlan("k1", ""), nullptr);
  for (int i = 0; i < 20; ++i) {
    CachedPlan copy = *large;
    copy.context = "";
    cache.InsertPlan("large" + std::to_string(i), std::move(copy));
  }
  EXPECT_LE(cache.plan_bytes(), 3 * large_bytes);
  EXPECT_LT(cache.plan_count(), 4u);
  EXPECT_GT(cache.evictions(), 0u);
  EXPECT_EQ(cache.stats().plan_hits, 1u);
  cache.ClearPlans();
  EXPECT_EQ(cache.plan_count(), 0u);
}

}  // namespace
}  // namespace borealis::qp
