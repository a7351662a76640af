#include "txn/write_set.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace borealis::txn {
namespace {

TEST(WriteSetTest, LastWriteWinsAndLocksNeverDowngrade) {
  WriteSet set;
  set.Put("a", "1");
  set.Put("a", "2");
  set.Lock("a");
  set.Lock("b");
  set.Delete("c");
  EXPECT_EQ(set.size(), 3u);
  EXPECT_EQ(set.modified_count(), 2u);
  EXPECT_EQ(set.Find("a")->kind, WriteKind::kPut);
  EXPECT_EQ(set.Find("a")->value, "2");
  EXPECT_EQ(set.Find("b")->kind, WriteKind::kLock);
  set.Put("b", "x");  // a write replaces the lock
  EXPECT_EQ(set.Find("b")->kind, WriteKind::kPut);
  EXPECT_EQ(set.modified_count(), 3u);
  EXPECT_FALSE(set.Find("zz").has_value());
}

TEST(WriteSetTest, EncodeDecodeRoundTrip) {
  WriteSet set;
  set.Put(std::string("k\0ey", 4), std::string(300, 'v'));
  set.Delete("gone");
  set.Lock("locked");
  set.Put("", "");
  auto decoded = WriteSet::Decode(set.Encode());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->Encode(), set.Encode());
  EXPECT_EQ(decoded->Find(std::string("k\0ey", 4))->value, std::string(300, 'v'));
  EXPECT_EQ(decoded->Find("gone")->kind, WriteKind::kDelete);
  EXPECT_EQ(decoded->Find("locked")->kind, WriteKind::kLock);
}

TEST(WriteSetTest, RejectsEveryTruncationAndGarbage) {
  WriteSet set;
  set.Put("alpha", "one");
  set.Delete("beta");
  set.Lock("gamma");
  std::string encoded = set.Encode();
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    EXPECT_FALSE(ParseEncodedWriteSet(encoded.substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(ParseEncodedWriteSet(encoded + "x").ok());
  std::mt19937 random(3);
  for (int i = 0; i < 2000; ++i) {
    std::string garbage(random() % 40, '\0');
    for (char& c : garbage) c = static_cast<char>(random());
    (void)ParseEncodedWriteSet(garbage);  // must not crash or over-read (ASan checks)
  }
}

TEST(WriteSetTest, AMillionRowsStayCompact) {
  WriteSet set;
  for (int i = 0; i < 1'000'000; ++i) {
    set.Put("key" + std::to_string(i), "value-of-some-size-" + std::to_string(i));
  }
  std::string encoded = set.Encode();
  EXPECT_LT(encoded.size(), set.bytes() + 3 * set.size() + 16);
  EXPECT_EQ(encoded.size(), set.EncodedSize());
  // The arena holds the data plus a 3-byte header per entry; the index and the key order add
  // at most 8 x 8/3 + 8 bytes per key (no allocation per key, unlike a map node and a string).
  EXPECT_LT(set.memory_bytes(), set.bytes() + 3 * set.size() + 30 * set.size() + (2 << 20));
  auto parsed = ParseEncodedWriteSet(encoded);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size(), 1'000'000u);
}

// The model: a std::map with the same rules. Random puts, deletes, locks (with rewrites of
// every length, so in-place updates, appends and compaction all happen), checked after every
// operation by Find and, every few operations, by ordered range reads in both directions
// (which sort the pending keys into runs and merge them) and by Encode against the model.
TEST(WriteSetTest, MatchesAMapOnRandomOperations) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 random(seed);
    WriteSet set;
    std::map<std::string, std::pair<WriteKind, std::string>> model;
    size_t key_space = 1 + random() % 400;
    auto random_key = [&] { return "k" + std::to_string(random() % key_space); };
    for (int op = 0; op < 3000; ++op) {
      std::string key = random_key();
      uint32_t choice = random() % 10;
      if (choice < 6) {
        std::string value(random() % (choice == 0 ? 3000 : 12), static_cast<char>('a' + op % 26));
        set.Put(key, value);
        model[key] = {WriteKind::kPut, value};
      } else if (choice < 8) {
        set.Delete(key);
        model[key] = {WriteKind::kDelete, ""};
      } else {
        set.Lock(key);
        model.try_emplace(key, WriteKind::kLock, "");
      }
      std::optional<EncodedWrite> found = set.Find(key);
      ASSERT_TRUE(found.has_value()) << seed << " " << op;
      ASSERT_EQ(found->kind, model[key].first);
      ASSERT_EQ(found->value, model[key].second);
      if (op % 37 != 0) continue;
      size_t modified = 0;
      uint64_t bytes = 0;
      for (const auto& [k, write] : model) {
        modified += write.first != WriteKind::kLock;
        bytes += k.size() + write.second.size();
      }
      ASSERT_EQ(set.size(), model.size());
      ASSERT_EQ(set.modified_count(), modified);
      ASSERT_EQ(set.bytes(), bytes);
      std::string begin = random_key();
      std::string end = random() % 4 == 0 ? "" : random_key();
      for (bool reverse : {false, true}) {
        std::vector<std::string> expected;
        for (const auto& [k, write] : model) {
          if (k >= begin && (end.empty() || k < end)) expected.push_back(k);
        }
        if (reverse) std::reverse(expected.begin(), expected.end());
        size_t stop_after = random() % (expected.size() + 2);
        std::vector<std::string> seen;
        set.ForEachInRange(begin, end, reverse, [&](const EncodedWrite& write) {
          seen.emplace_back(write.key);
          EXPECT_EQ(write.kind, model[std::string(write.key)].first);
          EXPECT_EQ(write.value, model[std::string(write.key)].second);
          return seen.size() < stop_after;
        });
        expected.resize(std::min(expected.size(), std::max<size_t>(stop_after, 1)));
        if (expected.size() > seen.size()) expected.resize(seen.size());
        ASSERT_EQ(seen, expected) << seed << " " << op << " [" << begin << ", " << end << ")";
      }
      WriteSet model_set;
      for (const auto& [k, write] : model) {
        if (write.first == WriteKind::kPut) model_set.Put(k, write.second);
        if (write.first == WriteKind::kDelete) model_set.Delete(k);
        if (write.first == WriteKind::kLock) model_set.Lock(k);
      }
      ASSERT_EQ(set.Encode(), model_set.Encode()) << seed << " " << op;
      ASSERT_EQ(set.EncodedSize(), set.Encode().size());
    }
  }
}

using Model = std::map<std::string, std::pair<WriteKind, std::string>>;

// Everything observable of `set` equals `model`: lookups, counters, order, encoding.
void ExpectSame(const WriteSet& set, const Model& model, const std::string& where) {
  size_t modified = 0;
  uint64_t bytes = 0;
  WriteSet model_set;
  for (const auto& [k, write] : model) {
    modified += write.first != WriteKind::kLock;
    bytes += k.size() + write.second.size();
    if (write.first == WriteKind::kPut) model_set.Put(k, write.second);
    if (write.first == WriteKind::kDelete) model_set.Delete(k);
    if (write.first == WriteKind::kLock) model_set.Lock(k);
    std::optional<EncodedWrite> found = set.Find(k);
    ASSERT_TRUE(found.has_value()) << where << " " << k;
    ASSERT_EQ(found->kind, write.first) << where << " " << k;
    ASSERT_EQ(found->value, write.second) << where << " " << k;
  }
  ASSERT_EQ(set.size(), model.size()) << where;
  ASSERT_EQ(set.modified_count(), modified) << where;
  ASSERT_EQ(set.bytes(), bytes) << where;
  std::vector<std::string> keys;
  set.ForEachInRange({}, {}, true, [&](const EncodedWrite& write) {
    keys.emplace_back(write.key);
    return true;
  });
  std::vector<std::string> expected;
  for (auto it = model.rbegin(); it != model.rend(); ++it) expected.push_back(it->first);
  ASSERT_EQ(keys, expected) << where;
  ASSERT_EQ(set.Encode(), model_set.Encode()) << where;
  ASSERT_EQ(set.EncodedSize(), set.Encode().size()) << where;
}

TEST(WriteSetTest, RollbackToMarkRestoresExactly) {
  WriteSet set;
  set.Put("a", "1");
  set.Lock("l");
  size_t mark = set.SetMark();
  EXPECT_EQ(mark, 0u);
  set.Put("a", "2");  // same length: would be rewritten in place without the mark
  set.Put("l", "x");  // a lock becomes a write
  set.Delete("b");
  set.Put("c", std::string(5000, 'c'));  // a block of its own
  set.RollbackToMark(mark);
  EXPECT_EQ(set.mark_count(), 1u);  // ROLLBACK TO keeps the savepoint
  Model model{{"a", {WriteKind::kPut, "1"}}, {"l", {WriteKind::kLock, ""}}};
  ExpectSame(set, model, "first rollback");
  EXPECT_FALSE(set.Find("b").has_value());
  EXPECT_FALSE(set.Find("c").has_value());
  set.Put("b", "3");  // the set stays usable after the truncation
  set.ReleaseMark(mark);
  EXPECT_EQ(set.mark_count(), 0u);
  model["b"] = {WriteKind::kPut, "3"};
  ExpectSame(set, model, "released");
}

TEST(WriteSetTest, NestedMarksReleaseIntoTheEnclosingOne) {
  WriteSet set;
  set.Put("k", "0");
  size_t outer = set.SetMark();
  set.Put("k", "1");
  set.Put("n", "1");
  size_t inner = set.SetMark();
  set.Put("k", "2");
  set.Put("n", "22");
  set.Put("m", "2");
  set.ReleaseMark(inner);  // the writes stay, the outer mark can still undo them
  EXPECT_EQ(set.Find("k")->value, "2");
  EXPECT_EQ(set.Find("m")->value, "2");
  set.RollbackToMark(outer);
  ExpectSame(set, Model{{"k", {WriteKind::kPut, "0"}}}, "outer");
}

// Random writes with random SetMark / RollbackToMark / ReleaseMark against a stack of map
// snapshots; keys collide a lot (so rewrites, in place and appended, and index deletions with
// long probe chains all happen), values of every length (blocks of their own).
TEST(WriteSetTest, MarksMatchAMapOnRandomOperations) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    std::mt19937 random(seed);
    WriteSet set;
    Model model;
    std::vector<Model> snapshots;  // one per mark
    size_t key_space = 1 + random() % 300;
    for (int op = 0; op < 4000; ++op) {
      std::string where = std::to_string(seed) + "/" + std::to_string(op);
      uint32_t choice = random() % 100;
      if (choice < 4 && snapshots.size() < 20) {
        ASSERT_EQ(set.SetMark(), snapshots.size());
        snapshots.push_back(model);
      } else if (choice < 7 && !snapshots.empty()) {
        size_t mark = random() % snapshots.size();
        set.RollbackToMark(mark);
        snapshots.resize(mark + 1);
        model = snapshots[mark];
        ASSERT_NO_FATAL_FAILURE(ExpectSame(set, model, where + " rollback"));
      } else if (choice < 9 && !snapshots.empty()) {
        size_t mark = random() % snapshots.size();
        set.ReleaseMark(mark);
        snapshots.resize(mark);
      } else {
        std::string key = "k" + std::to_string(random() % key_space);
        uint32_t kind = random() % 10;
        if (kind < 6) {
          std::string value(random() % (kind == 0 ? 3000 : 4), static_cast<char>('a' + op % 26));
          set.Put(key, value);
          model[key] = {WriteKind::kPut, value};
        } else if (kind < 8) {
          set.Delete(key);
          model[key] = {WriteKind::kDelete, ""};
        } else {
          set.Lock(key);
          model.try_emplace(key, WriteKind::kLock, "");
        }
      }
      ASSERT_EQ(set.mark_count(), snapshots.size());
      if (op % 97 == 0) {
        ASSERT_NO_FATAL_FAILURE(ExpectSame(set, model, where));
      }
    }
    ASSERT_NO_FATAL_FAILURE(ExpectSame(set, model, std::to_string(seed) + " end"));
  }
}

}  // namespace
}  // namespace borealis::txn
