// SyncTxnClient against a real embedded transaction core (CoreNode on loopback, RocksDB and
// journal in a temporary directory): read-your-writes, snapshot reads, conflicts (OC000),
// lock-only keys, and concurrent transactions from several threads. Each test runs over TCP and
// over in-process delivery (the roles and the client in one LocalHub, as `borealis start` does).
#include "txn/sync_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "runtime/local_transport.h"
#include "server/core_node.h"

namespace borealis::txn {
namespace {

class SyncClientTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("borealis-sync-client-" + std::to_string(std::random_device{}()));
    server::CoreNodeOptions options;
    options.data_dir = dir_.string();
    options.roles = {server::Role::kJournal, server::Role::kAdjudicator, server::Role::kCrossbar,
                     server::Role::kStorage};
    runtime::LocalHub* hub = GetParam() ? &hub_ : nullptr;
    options.local_hub = hub;
    auto node = server::CoreNode::Start(options);
    ASSERT_TRUE(node.ok()) << node.status().ToString();
    node_ = std::move(node).value();
    auto client = SyncTxnClient::Start({.adjudicator_endpoint = node_->endpoints().adjudicator,
                                        .storage_endpoint = node_->endpoints().storage},
                                       "127.0.0.1:0", hub);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();
  }
  void TearDown() override {
    client_.reset();
    node_.reset();
    std::filesystem::remove_all(dir_);
  }

  runtime::LocalHub hub_;  // outlives the node and the client
  std::filesystem::path dir_;
  std::unique_ptr<server::CoreNode> node_;
  std::unique_ptr<SyncTxnClient> client_;
};

TEST_P(SyncClientTest, ReadYourWritesSnapshotsAndConflicts) {
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

TEST_P(SyncClientTest, LockOnlyKeysConflictLikeWrites) {
  auto locker = client_->Begin();
  auto deleter = client_->Begin();
  locker->Lock("row/1");
  ASSERT_TRUE(locker->Put("other/1", "x").ok());
  ASSERT_TRUE(locker->Commit().ok());
  ASSERT_TRUE(deleter->Delete("row/1").ok());
  EXPECT_EQ(deleter->Commit().status().sqlstate(), "40001");
  EXPECT_EQ(client_->Begin()->Get("row/1").value(), std::nullopt);  // no version was created
}

TEST_P(SyncClientTest, ConcurrentCountersLoseNoUpdate) {
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
TEST_P(SyncClientTest, AMillionRowTransactionCommitsAndIsReadable) {
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

namespace borealis::txn {
namespace {

// Scans merge the transaction's own writes with storage's rows. More own deletes than storage
// answers per request (kMaxScanRequestRows) must not end a page early or let a row jump ahead:
// the client continues after storage's last row. The load (over 1 MiB) is also staged at the
// adjudicator before its commit (kMinStagedCommitBytes).
TEST_P(SyncClientTest, ScansMergeOwnWritesAcrossManyStorageRequests) {
  constexpr int kRows = 30'000;
  auto key = [](int i) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "s/%06d", i);
    return std::string(buffer);
  };
  {
    auto load = client_->Begin();
    for (int i = 0; i < kRows; ++i) ASSERT_TRUE(load->Put(key(i), std::string(40, 'v')).ok());
    Result<Timestamp> committed = load->Commit();
    ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  }
  // Delete rows 0..19999 except multiples of `keep_every` (storage's last row of a full answer
  // is then deleted by the transaction, or kept), rewrite 25000, add one between rows.
  for (int keep_every : {1000, 3}) {
    auto txn = client_->Begin();
    for (int i = 0; i < 20'000; ++i) {
      if (i % keep_every != 0) {
        ASSERT_TRUE(txn->Delete(key(i)).ok());
      }
    }
    ASSERT_TRUE(txn->Put(key(25'000), "rewritten").ok());
    ASSERT_TRUE(txn->Put(key(20'000) + "x", "added").ok());
    std::vector<std::string> expected;
    for (int i = 0; i < kRows; ++i) {
      if (i >= 20'000 || i % keep_every == 0) expected.push_back(key(i));
      if (i == 20'000) expected.push_back(key(20'000) + "x");
    }
    for (bool reverse : {false, true}) {
      std::vector<std::string> want = expected;
      if (reverse) std::reverse(want.begin(), want.end());
      for (size_t limit : {size_t{1}, size_t{25}, size_t{1000}, size_t{15'000}}) {
        auto rows = txn->Scan("s/", "s0", limit, reverse);
        ASSERT_TRUE(rows.ok()) << rows.status().ToString();
        ASSERT_EQ(rows->size(), std::min(limit, want.size())) << reverse;
        for (size_t i = 0; i < rows->size(); ++i) {
          ASSERT_EQ((*rows)[i].key, want[i]) << keep_every << " " << reverse << " " << i;
        }
      }
    }
    // Paging the way the executor does (continue after the last key) sees every row once.
    std::vector<std::string> paged;
    std::string begin = "s/";
    while (true) {
      auto rows = txn->Scan(begin, "s0", 1000);
      ASSERT_TRUE(rows.ok());
      for (const Row& row : *rows) paged.push_back(row.key);
      if (rows->size() < 1000) break;
      begin = rows->back().key + std::string(1, '\0');
    }
    EXPECT_EQ(paged, expected);
    EXPECT_EQ(txn->Get(key(25'000)).value(), std::optional<std::string>("rewritten"));
    EXPECT_EQ(txn->Get(key(1)).value(), std::nullopt);
  }
}

// Deferred expectations (the descriptor cache's schema-version checks) travel with the next
// read, and a stale one fails that read or write before anything is read or buffered.
TEST_P(SyncClientTest, DeferredExpectationsAreCheckedByTheNextReadOrWrite) {
  auto setup = client_->Begin();
  ASSERT_TRUE(setup->Put("v/1", "one").ok());
  ASSERT_TRUE(setup->Put("row/1", "r").ok());
  ASSERT_TRUE(setup->Commit().ok());

  auto holds = client_->Begin();
  holds->DeferExpectations(true);
  ASSERT_TRUE(holds->Expect("v/1", "one").ok());
  EXPECT_TRUE(holds->has_expectations());
  EXPECT_EQ(holds->Get("row/1").value(), std::optional<std::string>("r"));
  EXPECT_FALSE(holds->has_expectations());

  auto stale_read = client_->Begin();
  stale_read->DeferExpectations(true);
  ASSERT_TRUE(stale_read->Expect("v/1", "two").ok());  // only recorded
  Result<std::optional<std::string>> row = stale_read->Get("row/1");
  ASSERT_FALSE(row.ok());
  EXPECT_TRUE(KvTransaction::IsStaleExpectation(row.status())) << row.status().ToString();
  EXPECT_EQ(stale_read->Get("row/1").value(), std::optional<std::string>("r"));  // dropped

  auto stale_write = client_->Begin();
  stale_write->DeferExpectations(true);
  ASSERT_TRUE(stale_write->Expect("v/missing", "x").ok());
  EXPECT_TRUE(KvTransaction::IsStaleExpectation(stale_write->Put("row/2", "w")));
  EXPECT_TRUE(stale_write->writes().empty());

  auto stale_commit = client_->Begin();
  stale_commit->DeferExpectations(true);
  ASSERT_TRUE(stale_commit->Expect("v/1", "two").ok());
  stale_commit->DeferExpectations(false);
  EXPECT_TRUE(KvTransaction::IsStaleExpectation(stale_commit->Commit().status()));

  auto immediate = client_->Begin();  // not deferred: checked at once
  EXPECT_TRUE(KvTransaction::IsStaleExpectation(immediate->Expect("v/1", "two")));
  EXPECT_TRUE(immediate->Expect("v/1", "one").ok());
  EXPECT_FALSE(immediate->has_expectations());
}

INSTANTIATE_TEST_SUITE_P(Transports, SyncClientTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("InProcess") : std::string("Tcp");
                         });

}  // namespace
}  // namespace borealis::txn
