#include "adjudicator/conflict_set.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace borealis::adjudicator {
namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& keys) {
  return {keys.begin(), keys.end()};
}

TEST(ConflictSetTest, FirstCommitterWins) {
  ConflictSet set;
  std::vector<std::string> a = {"a"};
  set.Record(10, Views(a));
  EXPECT_EQ(set.Check(9, Views(a)).outcome, CheckOutcome::kConflict);
  EXPECT_EQ(set.Check(9, Views(a)).conflicting_commit, 10u);
  EXPECT_EQ(set.Check(10, Views(a)).outcome, CheckOutcome::kOk);  // committed before t_start
  std::vector<std::string> b = {"b", "a"};
  CheckResult result = set.Check(5, Views(b));
  EXPECT_EQ(result.outcome, CheckOutcome::kConflict);
  EXPECT_EQ(result.key_index, 1u);
}

TEST(ConflictSetTest, TrimRejectsOldTransactionsAndFreesMemory) {
  ConflictSet set;
  std::vector<std::string> a = {"a", "b"};
  set.Record(10, Views(a));
  set.Record(20, Views(a));
  set.Trim(15);
  EXPECT_EQ(set.Check(14, Views(a)).outcome, CheckOutcome::kTooOld);
  EXPECT_EQ(set.Check(15, Views(a)).outcome, CheckOutcome::kConflict);
  set.Trim(20);
  EXPECT_EQ(set.exact_key_count(), 0u);
  EXPECT_EQ(set.Check(20, Views(a)).outcome, CheckOutcome::kOk);
}

TEST(ConflictSetTest, SummaryIsConservativeWhenFull) {
  ConflictSet set(ConflictSetOptions{.max_exact_keys = 4, .summary_buckets = 8});
  for (int i = 0; i < 100; ++i) {
    std::vector<std::string> key = {"k" + std::to_string(i)};
    set.Record(100 + i, Views(key));
  }
  EXPECT_LE(set.exact_key_count(), 4u);
  EXPECT_TRUE(set.summary_in_use());
  std::vector<std::string> first = {"k0"};
  EXPECT_EQ(set.Check(99, Views(first)).outcome, CheckOutcome::kConflict);
  EXPECT_EQ(set.Check(199, Views(first)).outcome, CheckOutcome::kOk);
}

// The brute-force model: every (key, t_commit) ever recorded above the horizon.
class Model {
 public:
  void Record(Timestamp t, const std::vector<std::string>& keys) {
    for (const auto& k : keys) history_.emplace(k, t);
  }
  void Trim(Timestamp horizon) { horizon_ = std::max(horizon_, horizon); }
  CheckOutcome Check(Timestamp t_start, const std::vector<std::string>& keys) const {
    if (t_start < horizon_) return CheckOutcome::kTooOld;
    for (const auto& k : keys) {
      auto range = history_.equal_range(k);
      for (auto it = range.first; it != range.second; ++it) {
        if (it->second > t_start) return CheckOutcome::kConflict;
      }
    }
    return CheckOutcome::kOk;
  }

 private:
  std::multimap<std::string, Timestamp> history_;
  Timestamp horizon_ = 0;
};

// Random histories: with room for every key the set must agree with the model exactly; with a
// tiny exact map it must never miss a conflict the model sees.
void RunRandomHistory(uint64_t seed, ConflictSetOptions options, bool expect_exact) {
  std::mt19937_64 random(seed);
  ConflictSet set(options);
  Model model;
  Timestamp now = 1;
  Timestamp horizon = 0;
  int false_positives = 0;
  for (int step = 0; step < 3000; ++step) {
    std::vector<std::string> keys;
    size_t count = 1 + random() % 4;
    for (size_t i = 0; i < count; ++i) keys.push_back("key" + std::to_string(random() % 64));
    Timestamp t_start = now > 50 ? now - random() % 50 : random() % (now + 1);
    CheckOutcome expected = model.Check(t_start, keys);
    CheckOutcome actual = set.Check(t_start, Views(keys)).outcome;
    if (expect_exact) {
      ASSERT_EQ(actual, expected) << "seed " << seed << " step " << step;
    } else if (expected != CheckOutcome::kOk) {
      ASSERT_EQ(actual, expected) << "missed a conflict: seed " << seed << " step " << step;
    } else if (actual != CheckOutcome::kOk) {
      ++false_positives;
    }
    if (actual == CheckOutcome::kOk) {
      now += 1 + random() % 3;
      set.Record(now, Views(keys));
      model.Record(now, keys);
    }
    if (random() % 100 == 0 && now > 40) {
      horizon = std::max(horizon, now - 40);
      set.Trim(horizon);
      model.Trim(horizon);
    }
  }
  if (expect_exact) {
    EXPECT_EQ(false_positives, 0);
  }
}

TEST(ConflictSetModelTest, ExactWhenRoomy) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    RunRandomHistory(seed, ConflictSetOptions{.max_exact_keys = 1024, .summary_buckets = 64},
                     /*expect_exact=*/true);
  }
}

TEST(ConflictSetModelTest, NeverMissesAConflictWhenSummarizing) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    RunRandomHistory(seed, ConflictSetOptions{.max_exact_keys = 8, .summary_buckets = 16},
                     /*expect_exact=*/false);
  }
}

TEST(ConflictSetDeathTest, CommitTimestampsMustNotGoBackwards) {
  ConflictSet set;
  std::vector<std::string> a = {"a"};
  set.Record(10, Views(a));
  EXPECT_DEATH(set.Record(9, Views(a)), "t_commit went backwards");
}

}  // namespace
}  // namespace borealis::adjudicator
