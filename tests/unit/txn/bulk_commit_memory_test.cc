// A million-row commit through every role of the embedded deployment (client, adjudicator,
// journal, crossbar, storage on RocksDB, all in this process), measuring the peak C++ heap with
// HeapMeter (heap_meter.h replaces operator new/delete in this binary only).
//
// The bound: from the first Put until the rows are readable, the heap never grows by more than
// kMaxHeapOverData times the encoded write set plus RocksDB's memtable budget
// (storage::kRocksDbMemtableBudgetBytes, fixed by the engine's options and independent of the
// transaction's size). Before the compact write set and the copy removal (2026-11-28) this
// commit peaked at 20.7x the data; see docs/design/transaction-core.md "Memory of bulk
// commits". HEAP_TIMELINE=1 also prints the heap whenever it moved by 4 MB (every 2 ms).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "heap_meter.h"
#include "server/core_node.h"
#include "storage/engine.h"
#include "txn/sync_client.h"

namespace borealis::txn {
namespace {

using testing::HeapMeter;

constexpr int kRows = 1'000'000;
constexpr double kMaxHeapOverData = 3.0;

size_t VarintBytes(uint64_t value) {
  size_t bytes = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++bytes;
  }
  return bytes;
}

double Megabytes(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

TEST(BulkCommitMemoryTest, AMillionRowCommitStaysWithinThreeTimesItsData) {
  auto dir = std::filesystem::temp_directory_path() /
             ("borealis-bulk-memory-" + std::to_string(std::random_device{}()));
  server::CoreNodeOptions options;
  options.data_dir = dir.string();
  options.roles = {server::Role::kJournal, server::Role::kAdjudicator, server::Role::kCrossbar,
                   server::Role::kStorage};
  auto node = server::CoreNode::Start(options);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  auto client = SyncTxnClient::Start({.adjudicator_endpoint = (*node)->endpoints().adjudicator,
                                      .storage_endpoint = (*node)->endpoints().storage});
  ASSERT_TRUE(client.ok()) << client.status().ToString();

  const int64_t base = HeapMeter::Current();
  std::jthread sampler([&](std::stop_token stop) {
    if (std::getenv("HEAP_TIMELINE") == nullptr) return;
    auto start = std::chrono::steady_clock::now();
    int64_t last = 0;
    while (!stop.stop_requested()) {
      int64_t now = HeapMeter::Current() - base;
      if (std::abs(now - last) > (4 << 20)) {
        auto elapsed = std::chrono::steady_clock::now() - start;
        std::printf("  t=%5lld ms heap %.1f MB\n",
                    static_cast<long long>(
                        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
                    Megabytes(now));
        last = now;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  const int64_t rss_base = testing::ProcessResidentBytes();
  HeapMeter::ResetPeak();
  uint64_t encoded_bytes = VarintBytes(kRows);
  {
    auto load = (*client)->Begin();
    for (int i = 0; i < kRows; ++i) {
      char key[32];
      std::snprintf(key, sizeof(key), "bulk/%08d", i);
      std::string value = "aid-balance-filler-" + std::to_string(i);
      encoded_bytes += 1 + VarintBytes(13) + 13 + VarintBytes(value.size()) + value.size();
      ASSERT_TRUE(load->Put(key, std::move(value)).ok());
    }
    const int64_t built = HeapMeter::Current() - base;
    const int64_t build_peak = HeapMeter::Peak() - base;
    HeapMeter::ResetPeak();
    Result<Timestamp> committed = load->Commit();
    ASSERT_TRUE(committed.ok()) << committed.status().ToString();
    const int64_t commit_peak = HeapMeter::Peak() - base;
    HeapMeter::ResetPeak();
    auto reader = (*client)->Begin();
    EXPECT_EQ(reader->Get("bulk/00999999").value(),
              std::optional<std::string>("aid-balance-filler-999999"));
    const int64_t apply_peak = HeapMeter::Peak() - base;
    const int64_t peak = std::max({build_peak, commit_peak, apply_peak});
    std::printf(
        "bulk commit of %d rows: encoded write set %.1f MB\n"
        "  write set built: %.1f MB live (peak %.1f MB)\n"
        "  commit (encode, adjudicate, journal): peak %.1f MB over the baseline\n"
        "  until readable (crossbar, storage apply): peak %.1f MB\n"
        "  overall peak %.1f MB = %.2f x encoded (bound %.1f x + memtable budget %.0f MB)\n"
        "  VmRSS before %.1f MB, VmHWM %.1f MB\n",
        kRows, Megabytes(static_cast<int64_t>(encoded_bytes)), Megabytes(built),
        Megabytes(build_peak), Megabytes(commit_peak), Megabytes(apply_peak), Megabytes(peak),
        static_cast<double>(peak) / static_cast<double>(encoded_bytes), kMaxHeapOverData,
        Megabytes(static_cast<int64_t>(storage::kRocksDbMemtableBudgetBytes)), Megabytes(rss_base),
        Megabytes(testing::ProcessPeakResidentBytes()));
    EXPECT_LE(static_cast<double>(peak),
              kMaxHeapOverData * static_cast<double>(encoded_bytes) +
                  static_cast<double>(storage::kRocksDbMemtableBudgetBytes));
    auto tail = reader->Scan("bulk/00999990", "bulk0", 100).value();
    EXPECT_EQ(tail.size(), 10u);
  }
  sampler.request_stop();
  sampler.join();
  client->reset();
  node->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace borealis::txn
