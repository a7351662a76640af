// The same suite runs against the in-memory and the RocksDB engine: they must agree.
#include "storage/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

namespace borealis::storage {
namespace {

class EngineFactory {
 public:
  virtual ~EngineFactory() = default;
  virtual std::unique_ptr<Engine> Open() = 0;
  virtual bool durable() const = 0;
};

class MemoryFactory : public EngineFactory {
 public:
  std::unique_ptr<Engine> Open() override { return NewMemoryEngine(); }
  bool durable() const override { return false; }
};

class RocksFactory : public EngineFactory {
 public:
  RocksFactory() {
    directory_ = std::filesystem::temp_directory_path() /
                 ("borealis-storage-test-" + std::to_string(std::random_device{}()));
  }
  ~RocksFactory() override { std::filesystem::remove_all(directory_); }
  std::unique_ptr<Engine> Open() override {
    auto engine = OpenRocksDbEngine(directory_.string());
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return std::move(engine).value();
  }
  bool durable() const override { return true; }

 private:
  std::filesystem::path directory_;
};

class EngineTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "memory") {
      factory_ = std::make_unique<MemoryFactory>();
    } else {
      factory_ = std::make_unique<RocksFactory>();
    }
    engine_ = factory_->Open();
  }

  void Put(uint64_t position, Timestamp t, std::vector<Mutation> mutations) {
    ASSERT_TRUE(engine_->Apply(position, t, mutations).ok());
  }

  std::optional<std::string> GetValue(std::string_view key, Timestamp t) {
    auto result = engine_->Get(key, t);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok() || !result->has_value()) return std::nullopt;
    return (*result)->value;
  }

  std::vector<std::string> ScanKeys(ScanRange range, Timestamp t) {
    auto result = engine_->Scan(range, t);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    std::vector<std::string> keys;
    if (result.ok()) {
      for (const auto& kv : *result) keys.push_back(kv.key + "=" + kv.value);
    }
    return keys;
  }

  std::unique_ptr<EngineFactory> factory_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(EngineTest, ReadsAsOfATimestamp) {
  Put(1, 10, {{"a", "a10"}, {"b", "b10"}});
  Put(2, 20, {{"a", "a20"}, {"b", std::nullopt}});
  EXPECT_EQ(GetValue("a", 9), std::nullopt);
  EXPECT_EQ(GetValue("a", 10), "a10");
  EXPECT_EQ(GetValue("a", 19), "a10");
  EXPECT_EQ(GetValue("a", 20), "a20");
  EXPECT_EQ(GetValue("b", 15), "b10");
  EXPECT_EQ(GetValue("b", 25), std::nullopt);  // deleted at 20
  auto kv = engine_->Get("a", 100);
  ASSERT_TRUE(kv.ok() && kv->has_value());
  EXPECT_EQ((*kv)->t_commit, 20u);
}

TEST_P(EngineTest, ScansForwardAndReverseWithLimits) {
  Put(1, 10, {{"k1", "1"}, {"k2", "2"}, {"k3", "3"}, {"k4", "4"}, {"z", "z"}});
  Put(2, 20, {{"k2", std::nullopt}, {"k5", "5"}});
  using V = std::vector<std::string>;
  EXPECT_EQ(ScanKeys({"k", "l", 10, ScanDirection::kForward}, 15),
            (V{"k1=1", "k2=2", "k3=3", "k4=4"}));
  EXPECT_EQ(ScanKeys({"k", "l", 10, ScanDirection::kForward}, 25),
            (V{"k1=1", "k3=3", "k4=4", "k5=5"}));
  EXPECT_EQ(ScanKeys({"k", "l", 2, ScanDirection::kForward}, 25), (V{"k1=1", "k3=3"}));
  EXPECT_EQ(ScanKeys({"k", "l", 3, ScanDirection::kReverse}, 25), (V{"k5=5", "k4=4", "k3=3"}));
  EXPECT_EQ(ScanKeys({"k2", "k4", 10, ScanDirection::kReverse}, 15), (V{"k3=3", "k2=2"}));
  EXPECT_EQ(ScanKeys({"k3", "", 10, ScanDirection::kForward}, 25),
            (V{"k3=3", "k4=4", "k5=5", "z=z"}));
}

TEST_P(EngineTest, TracksAppliedStateAndWatermark) {
  EXPECT_EQ(engine_->applied().position, 0u);
  Put(1, 10, {{"a", "1"}});
  ASSERT_TRUE(engine_->AdvanceWatermark(50).ok());
  EXPECT_EQ(engine_->applied().position, 1u);
  EXPECT_EQ(engine_->applied().watermark, 50u);
  EXPECT_TRUE(engine_->AdvanceWatermark(40).ok());  // never goes back
  EXPECT_EQ(engine_->applied().watermark, 50u);
  if (factory_->durable()) {
    engine_.reset();
    engine_ = factory_->Open();
    EXPECT_EQ(engine_->applied().position, 1u);
    EXPECT_EQ(engine_->applied().watermark, 50u);
    EXPECT_EQ(GetValue("a", 60), "1");
  }
}

TEST_P(EngineTest, GarbageCollectionKeepsWhatReadsAboveTheHorizonSee) {
  Put(1, 10, {{"a", "a10"}});
  Put(2, 20, {{"a", "a20"}});
  Put(3, 30, {{"a", "a30"}, {"gone", "x"}});
  Put(4, 35, {{"gone", std::nullopt}});
  ASSERT_TRUE(engine_->CollectGarbage(25).ok());
  EXPECT_EQ(engine_->gc_horizon(), 25u);
  EXPECT_EQ(GetValue("a", 25), "a20");
  EXPECT_EQ(GetValue("a", 30), "a30");
  EXPECT_EQ(GetValue("gone", 32), "x");
  EXPECT_FALSE(engine_->Get("a", 15).ok());  // below the horizon: snapshot too old
}

// Random operations compared against a simple model of versions.
TEST_P(EngineTest, AgreesWithAModelOnRandomHistories) {
  std::mt19937_64 random(7);
  std::map<std::string, std::map<Timestamp, std::optional<std::string>>> model;
  Timestamp t = 0;
  for (uint64_t position = 1; position <= 300; ++position) {
    t += 1 + random() % 5;
    std::vector<Mutation> batch;
    std::map<std::string, std::optional<std::string>> latest;
    for (int i = 0; i < 3; ++i) {
      std::string key = "key" + std::to_string(random() % 40);
      std::optional<std::string> value;
      if (random() % 4 != 0) value = "v" + std::to_string(random());
      latest[key] = value;
    }
    for (auto& [key, value] : latest) {
      batch.push_back({key, value});
      model[key][t] = value;
    }
    Put(position, t, batch);
    Timestamp read_at = random() % (t + 1);
    std::string key = "key" + std::to_string(random() % 40);
    std::optional<std::string> expected;
    for (auto& [ts, value] : model[key]) {
      if (ts <= read_at) expected = value;
    }
    ASSERT_EQ(GetValue(key, read_at), expected) << "position " << position;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineTest, ::testing::Values("memory", "rocksdb"));

}  // namespace
}  // namespace borealis::storage
