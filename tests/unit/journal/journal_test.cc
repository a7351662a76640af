#include "journal/journal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "runtime/random.h"
#include "runtime/simulated_disk.h"

namespace borealis::journal {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("borealis-journal-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(root_);
    options_.directory = (root_ / "journal").string();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::unique_ptr<Journal> OpenJournal() {
    auto journal = Journal::Open(&disk_, options_);
    EXPECT_TRUE(journal.ok()) << journal.status().ToString();
    return journal.ok() ? std::move(journal).value() : nullptr;
  }

  std::vector<std::string> Segments() {
    std::vector<std::string> names;
    for (auto& e : std::filesystem::directory_iterator(options_.directory)) {
      names.push_back(e.path().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::vector<Entry> ReadAll(Journal& journal, uint64_t from = 1) {
    auto entries = journal.Read(from, 1 << 20, UINT64_MAX);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    return entries.ok() ? std::move(entries).value() : std::vector<Entry>();
  }

  runtime::PosixDisk disk_;
  JournalOptions options_;
  std::filesystem::path root_;
};

// Bulk entries (a million-row commit) are written from their own buffer, not cached after they
// are durable, and read back alone from the segment; small entries around them still come from
// the cache or from disk in batches. Everything survives a reopen.
TEST_F(JournalTest, BulkEntriesBetweenSmallOnes) {
  options_.tail_cache_bytes = 8 << 20;  // a 3 MB entry is over a quarter of it: not cached
  std::string bulk(3 << 20, '\0');
  for (size_t i = 0; i < bulk.size(); ++i) bulk[i] = static_cast<char>(i * 7);
  {
    auto journal = OpenJournal();
    ASSERT_TRUE(journal);
    ASSERT_TRUE(journal->Append(10, EntryKind::kCommit, "before").ok());
    ASSERT_TRUE(journal->Append(20, EntryKind::kCommit, bulk).ok());
    ASSERT_TRUE(journal->Append(30, EntryKind::kCommit, "after").ok());
    ASSERT_EQ(journal->Sync().value(), 3u);
    ASSERT_TRUE(journal->Append(40, EntryKind::kCommit, bulk + "2").ok());
    ASSERT_TRUE(journal->Append(50, EntryKind::kHeartbeat, "").ok());
    ASSERT_EQ(journal->Sync().value(), 5u);
    for (uint64_t max_bytes : {uint64_t{1}, uint64_t{1} << 30}) {
      auto one = journal->Read(2, 10, max_bytes);
      ASSERT_TRUE(one.ok());
      ASSERT_FALSE(one->empty());
      EXPECT_EQ((*one)[0].payload, bulk);
    }
    auto tail = ReadAll(*journal, 4);
    ASSERT_EQ(tail.size(), 2u);
    EXPECT_EQ(tail[0].payload, bulk + "2");
    EXPECT_EQ(tail[1].kind, EntryKind::kHeartbeat);
  }
  auto reopened = OpenJournal();
  ASSERT_TRUE(reopened);
  auto all = ReadAll(*reopened);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].payload, "before");
  EXPECT_EQ(all[1].payload, bulk);
  EXPECT_EQ(all[2].payload, "after");
  EXPECT_EQ(all[3].payload, bulk + "2");
  for (uint64_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].position, i + 1);
}

TEST_F(JournalTest, AppendSyncRead) {
  auto journal = OpenJournal();
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->Append(10, EntryKind::kCommit, "a").value(), 1u);
  EXPECT_EQ(journal->Append(20, EntryKind::kHeartbeat, "").value(), 2u);
  EXPECT_EQ(journal->durable_position(), 0u);
  EXPECT_TRUE(ReadAll(*journal).empty());  // nothing durable yet
  EXPECT_EQ(journal->Sync().value(), 2u);
  EXPECT_EQ(journal->watermark(), 20u);
  auto entries = ReadAll(*journal);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].payload, "a");
  EXPECT_EQ(entries[1].kind, EntryKind::kHeartbeat);
}

TEST_F(JournalTest, RecoversDurableEntriesAndDropsUnsynced) {
  {
    auto journal = OpenJournal();
    for (int i = 1; i <= 100; ++i) {
      ASSERT_TRUE(journal->Append(i * 10, EntryKind::kCommit, std::string(i, 'x')).ok());
    }
    ASSERT_TRUE(journal->Sync().ok());
    ASSERT_TRUE(journal->Append(5000, EntryKind::kCommit, "never synced").ok());
  }
  auto journal = OpenJournal();
  EXPECT_EQ(journal->durable_position(), 100u);
  EXPECT_EQ(journal->watermark(), 1000u);
  auto entries = ReadAll(*journal, 50);
  ASSERT_EQ(entries.size(), 51u);
  EXPECT_EQ(entries[0].payload, std::string(50, 'x'));
  EXPECT_EQ(journal->Append(1010, EntryKind::kCommit, "next").value(), 101u);
}

TEST_F(JournalTest, TruncatesATornTailAtEveryCutPoint) {
  {
    auto journal = OpenJournal();
    for (int i = 1; i <= 5; ++i)
      ASSERT_TRUE(journal->Append(i, EntryKind::kCommit, "payload").ok());
    ASSERT_TRUE(journal->Sync().ok());
  }
  std::string segment = Segments().back();
  uint64_t full = std::filesystem::file_size(segment);
  uint64_t entry_bytes = full / 5;
  std::ifstream in(segment, std::ios::binary);
  std::string original((std::istreambuf_iterator<char>(in)), {});
  for (uint64_t cut = 4 * entry_bytes; cut <= full; ++cut) {
    std::filesystem::resize_file(segment, cut);
    auto journal = OpenJournal();
    ASSERT_TRUE(journal);
    EXPECT_EQ(journal->durable_position(), cut == full ? 5u : 4u) << "cut " << cut;
    EXPECT_EQ(std::filesystem::file_size(segment), cut == full ? full : 4 * entry_bytes);
    journal.reset();
    std::ofstream out(segment, std::ios::binary | std::ios::trunc);
    out << original;
  }
}

TEST_F(JournalTest, ACorruptByteInTheTailIsTruncatedElsewhereIsCorruption) {
  options_.max_segment_bytes = 200;
  {
    auto journal = OpenJournal();
    for (int i = 1; i <= 40; ++i) {
      ASSERT_TRUE(journal->Append(i, EntryKind::kCommit, "0123456789").ok());
      ASSERT_TRUE(journal->Sync().ok());
    }
  }
  auto segments = Segments();
  ASSERT_GT(segments.size(), 2u);
  {
    std::fstream f(segments.front(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(30);
    f.put('!');
  }
  auto journal = Journal::Open(&disk_, options_);
  ASSERT_FALSE(journal.ok());
  EXPECT_EQ(journal.status().code(), Code::kCorruption);
}

TEST_F(JournalTest, RollsSegmentsAndTrims) {
  options_.max_segment_bytes = 256;
  auto journal = OpenJournal();
  for (int i = 1; i <= 100; ++i) {
    ASSERT_TRUE(journal->Append(i, EntryKind::kCommit, std::string(20, 'p')).ok());
    if (i % 7 == 0) {
      ASSERT_TRUE(journal->Sync().ok());
    }
  }
  ASSERT_TRUE(journal->Sync().ok());
  size_t before = Segments().size();
  EXPECT_GT(before, 5u);
  ASSERT_TRUE(journal->TrimBefore(60).ok());
  EXPECT_LT(Segments().size(), before);
  EXPECT_LE(journal->first_position(), 60u);
  EXPECT_EQ(journal->Read(1, 10, UINT64_MAX).status().code(), Code::kNotFound);
  journal.reset();
  journal = OpenJournal();
  auto entries = ReadAll(*journal, 60);
  ASSERT_EQ(entries.size(), 41u);
  EXPECT_EQ(entries.back().position, 100u);
}

TEST_F(JournalTest, ReadsOldEntriesFromDiskBeyondTheCache) {
  options_.tail_cache_bytes = 100;
  options_.max_segment_bytes = 1000;
  auto journal = OpenJournal();
  for (int i = 1; i <= 200; ++i) {
    ASSERT_TRUE(journal->Append(i, EntryKind::kCommit, std::to_string(i)).ok());
  }
  ASSERT_TRUE(journal->Sync().ok());
  for (uint64_t from : {1u, 17u, 100u, 199u}) {
    auto entries = journal->Read(from, 5, UINT64_MAX);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), from == 199 ? 2u : 5u);
    for (size_t i = 0; i < entries->size(); ++i) {
      EXPECT_EQ((*entries)[i].payload, std::to_string(from + i));
    }
  }
}

TEST_F(JournalTest, TruncateAfterRemovesASuffix) {
  options_.max_segment_bytes = 128;
  auto journal = OpenJournal();
  for (int i = 1; i <= 30; ++i) ASSERT_TRUE(journal->Append(i, EntryKind::kCommit, "abc").ok());
  ASSERT_TRUE(journal->Sync().ok());
  ASSERT_TRUE(journal->TruncateAfter(12).ok());
  EXPECT_EQ(journal->durable_position(), 12u);
  EXPECT_EQ(journal->watermark(), 12u);
  EXPECT_EQ(journal->Append(13, EntryKind::kCommit, "new").value(), 13u);
  ASSERT_TRUE(journal->Sync().ok());
  journal.reset();
  journal = OpenJournal();
  auto entries = ReadAll(*journal);
  ASSERT_EQ(entries.size(), 13u);
  EXPECT_EQ(entries.back().payload, "new");
}

TEST_F(JournalTest, BackpressureWhenTooMuchIsPending) {
  options_.max_pending_entries = 3;
  auto journal = OpenJournal();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(journal->Append(i, EntryKind::kCommit, "").ok());
  EXPECT_EQ(journal->Append(4, EntryKind::kCommit, "").status().code(), Code::kResourceExhausted);
  ASSERT_TRUE(journal->Sync().ok());
  EXPECT_TRUE(journal->Append(4, EntryKind::kCommit, "").ok());
}

}  // namespace
}  // namespace borealis::journal

namespace borealis::journal {
namespace {

// Random appends, syncs and crashes over a disk that loses (or tears) unsynced writes: every
// acknowledged entry must survive every crash, in order, and nothing else may appear.
TEST(JournalCrashTest, AcknowledgedEntriesSurviveRandomCrashes) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    runtime::SeededRandom random(seed);
    runtime::SimulatedDisk disk(&random, runtime::SimulatedDiskOptions{});
    ASSERT_TRUE(disk.CreateDir("data").ok());
    ASSERT_TRUE(disk.SyncDir("/").ok());
    JournalOptions options;
    options.directory = "data/journal";
    options.max_segment_bytes = 300;
    std::vector<std::string> acknowledged;  // payloads by position - 1
    Timestamp timestamp = 0;
    for (int round = 0; round < 12; ++round) {
      auto opened = Journal::Open(&disk, options);
      ASSERT_TRUE(opened.ok()) << "seed " << seed << ": " << opened.status().ToString();
      auto journal = std::move(opened).value();
      ASSERT_GE(journal->durable_position(), acknowledged.size()) << "seed " << seed;
      auto entries = journal->Read(1, 1 << 20, UINT64_MAX);
      ASSERT_TRUE(entries.ok());
      for (size_t i = 0; i < acknowledged.size(); ++i) {
        ASSERT_EQ((*entries)[i].payload, acknowledged[i]) << "seed " << seed << " pos " << i + 1;
      }
      // Entries beyond the acknowledged ones were appended but not acknowledged: recovery may
      // keep them (they were synced before the crash hit) — they become acknowledged now.
      for (size_t i = acknowledged.size(); i < entries->size(); ++i) {
        acknowledged.push_back((*entries)[i].payload);
      }
      timestamp = std::max(timestamp, journal->watermark());
      int operations = 1 + static_cast<int>(random.Uniform(30));
      for (int op = 0; op < operations; ++op) {
        if (random.Uniform(3) == 0) {
          auto synced = journal->Sync();
          ASSERT_TRUE(synced.ok());
          auto all = journal->Read(acknowledged.size() + 1, 1 << 20, UINT64_MAX);
          ASSERT_TRUE(all.ok());
          for (auto& e : *all) acknowledged.push_back(e.payload);
        } else {
          std::string payload = "s" + std::to_string(seed) + "r" + std::to_string(round) + "o" +
                                std::to_string(op) + std::string(random.Uniform(40), 'x');
          ASSERT_TRUE(journal->Append(++timestamp, EntryKind::kCommit, payload).ok());
        }
      }
      journal.reset();
      disk.Crash();
    }
  }
}

}  // namespace
}  // namespace borealis::journal
