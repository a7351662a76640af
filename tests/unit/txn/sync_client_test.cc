// SyncTxnClient against a real embedded transaction core (CoreNode on loopback, RocksDB and
// journal in a temporary directory): read-your-writes, snapshot reads, conflicts (OC000),
// lock-only keys, and concurrent transactions from several threads.
#include "txn/sync_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "server/core_node.h"

namespace borealis::txn {
namespace {

class SyncClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("borealis-sync-client-" + std::to_string(std::random_device{}()));
    server::CoreNodeOptions options;
    options.data_dir = dir_.string();
    options.roles = {server::Role::kJournal, server::Role::kAdjudicator, server::Role::kCrossbar,
                     server::Role::kStorage};
    auto node = server::CoreNode::Start(options);
    ASSERT_TRUE(node.ok()) << node.status().ToString();
    node_ = std::move(node).value();
    auto client = SyncTxnClient::Start({.adjudicator_endpoint = node_->endpoints().adjudicator,
                                        .storage_endpoint = node_->endpoints().storage});
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();
  }
  void TearDown() override {
    client_.reset();
    node_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::CoreNode> node_;
  std::unique_ptr<SyncTxnClient> client_;
};

TEST_F(SyncClientTest, ReadYourWritesSnapshotsAndConflicts) {
  auto writer = client_->Begin();
  ASSERT_TRUE(writer->Put("k/a", "1").ok());
  ASSERT_TRUE(writer->Put("k/b", "2").ok());
  EXPECT_EQ(writer->Get("k/a").value(), std::optional<std::string>("1"));
  ASSERT_TRUE(writer->Commit().ok());

  auto old_snapshot = client_->Begin();
  auto reader = client_->Begin();
  EXPECT_EQ(reader->Get("k/a").value(), std::optional<std::string>("1"));
  auto rows = reader->Scan("k/", "k0", 10).value();
  ASSERT_EQ(rows.size(), 2u);

  auto first = client_->Begin();
  auto second = client_->Begin();
  ASSERT_TRUE(first->Put("k/a", "first").ok());
  ASSERT_TRUE(second->Put("k/a", "second").ok());
  ASSERT_TRUE(first->Commit().ok());
  Result<Timestamp> lost = second->Commit();
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().sqlstate(), "40001");
  EXPECT_EQ(lost.status().message(), kDataConflictMessage);

  // A snapshot taken before the update still reads the old value.
  EXPECT_EQ(old_snapshot->Get("k/a").value(), std::optional<std::string>("1"));
  EXPECT_EQ(client_->Begin()->Get("k/a").value(), std::optional<std::string>("first"));
}

TEST_F(SyncClientTest, LockOnlyKeysConflictLikeWrites) {
  auto locker = client_->Begin();
  auto deleter = client_->Begin();
  locker->Lock("row/1");
  ASSERT_TRUE(locker->Put("other/1", "x").ok());
  ASSERT_TRUE(locker->Commit().ok());
  ASSERT_TRUE(deleter->Delete("row/1").ok());
  EXPECT_EQ(deleter->Commit().status().sqlstate(), "40001");
  EXPECT_EQ(client_->Begin()->Get("row/1").value(), std::nullopt);  // no version was created
}

TEST_F(SyncClientTest, ConcurrentCountersLoseNoUpdate) {
  constexpr int kThreads = 4;
  constexpr int kIncrementsPerThread = 25;
  {
    auto init = client_->Begin();
    ASSERT_TRUE(init->Put("counter", "0").ok());
    ASSERT_TRUE(init->Commit().ok());
  }
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        while (true) {
          auto txn = client_->Begin();
          auto value = txn->Get("counter");
          if (!value.ok()) continue;
          BOREALIS_CHECK(txn->Put("counter", std::to_string(std::stoi(**value) + 1)).ok());
          if (txn->Commit().ok()) break;
        }
        ++committed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(committed.load(), kThreads * kIncrementsPerThread);
  EXPECT_EQ(client_->Begin()->Get("counter").value(),
            std::optional<std::string>(std::to_string(kThreads * kIncrementsPerThread)));
}

}  // namespace
}  // namespace borealis::txn

namespace borealis::txn {
namespace {

// A bulk load is real: one transaction of a million rows goes through the adjudicator, the
// journal, the crossbar and storage (pgbench -i -s 10 is a million rows in one transaction).
TEST_F(SyncClientTest, AMillionRowTransactionCommitsAndIsReadable) {
  constexpr int kRows = 1'000'000;
  auto load = client_->Begin();
  for (int i = 0; i < kRows; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "bulk/%08d", i);
    ASSERT_TRUE(load->Put(key, "aid-balance-filler-" + std::to_string(i)).ok());
  }
  Result<Timestamp> committed = load->Commit();
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  auto reader = client_->Begin();
  EXPECT_EQ(reader->Get("bulk/00000000").value(),
            std::optional<std::string>("aid-balance-filler-0"));
  EXPECT_EQ(reader->Get("bulk/00999999").value(),
            std::optional<std::string>("aid-balance-filler-999999"));
  auto tail = reader->Scan("bulk/00999990", "bulk0", 100).value();
  EXPECT_EQ(tail.size(), 10u);
}

}  // namespace
}  // namespace borealis::txn
