#include "qp/sequences.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "fmt/format.h"
#include "qp/system_catalog.h"
#include "txn/client.h"
#include "txn/sync_client.h"

namespace borealis::qp {
namespace {

Status NotASequence(uint32_t id) {
  return Status::Sql("42809", fmt::format("relation with OID {} is not a sequence", TableOid(id)));
}

bool IsDataConflict(const Status& status) {
  return status.sqlstate() == "40001" && status.message() == txn::kDataConflictMessage;
}

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Result<BlockAndState> ComputeBlock(const catalog::SequenceDescriptor& sequence,
                                   const catalog::SequenceState& state) {
  const int64_t increment = sequence.increment;
  const int64_t max = sequence.max_value;
  const int64_t min = sequence.min_value;
  BOREALIS_CHECK(increment != 0 && sequence.cache >= 1, sequence.name);
  int64_t next = state.last_value;
  int64_t result = next;
  int64_t last = next;
  int64_t fetch = sequence.cache;
  int64_t count = 0;
  if (!state.is_called) {
    count = 1;  // the first value is last_value itself
    --fetch;
  }
  while (fetch > 0) {
    if (increment > 0) {
      if ((max >= 0 && next > max - increment) || (max < 0 && next + increment > max)) {
        if (count > 0) break;
        if (!sequence.cycle) {
          return Status::Sql("2200H", fmt::format("nextval: reached maximum value of sequence "
                                                  "\"{}\" ({})",
                                                  sequence.name, max));
        }
        next = min;
      } else {
        next += increment;
      }
    } else {
      if ((min < 0 && next < min - increment) || (min >= 0 && next + increment < min)) {
        if (count > 0) break;
        if (!sequence.cycle) {
          return Status::Sql("2200H", fmt::format("nextval: reached minimum value of sequence "
                                                  "\"{}\" ({})",
                                                  sequence.name, min));
        }
        next = max;
      } else {
        next += increment;
      }
    }
    --fetch;
    ++count;
    last = next;
    if (count == 1) result = next;
  }
  BlockAndState out;
  out.block = SequenceBlock{result, last, increment};
  out.state = catalog::SequenceState{last, true, state.version};
  return out;
}

SequenceBlock TakeFromRun(SequenceBlock& run, int64_t count) {
  BOREALIS_CHECK(count >= 1);
  __int128 remaining = (static_cast<__int128>(run.last) - run.first) / run.increment + 1;
  BOREALIS_CHECK(remaining >= 1, run.first, run.last);
  __int128 take = std::min<__int128>(remaining, count);
  SequenceBlock block{run.first, static_cast<int64_t>(run.first + (take - 1) * run.increment),
                      run.increment};
  if (take == remaining) {
    run.first = run.last;
    run.last = run.last - run.increment;  // empty
  } else {
    run.first = block.last + run.increment;
  }
  return block;
}

std::optional<uint32_t> SequenceIdOfOid(uint32_t oid) {
  std::optional<std::pair<uint32_t, uint32_t>> split = SplitUserOid(oid);
  if (!split || split->second != 0) return std::nullopt;
  return split->first;
}

Status RunAllocationTransaction(txn::SyncTxnClient* client, uint64_t seed,
                                const std::function<Status(txn::SyncTxnClient::Txn&)>& body) {
  if (client == nullptr) return Status::Sql("0A000", "sequences need a transaction core");
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<txn::SyncTxnClient::Txn> txn = client->Begin();
    RETURN_IF_ERROR(body(*txn));
    Result<txn::Timestamp> committed = txn->Commit();
    if (committed.ok()) return Status::Ok();
    if (!IsDataConflict(committed.status()) || attempt + 1 >= kMaxAllocationAttempts) {
      return committed.status();
    }
    uint64_t bound = static_cast<uint64_t>(kAllocationRetryJitterMaxUs) *
                     static_cast<uint64_t>(std::min(attempt + 1, 8));
    std::this_thread::sleep_for(std::chrono::microseconds(Mix(seed + attempt) % bound));
  }
}

Result<SequenceBlock> SequenceAllocator::Allocate(uint32_t id, uint64_t seed) {
  // One refill per sequence at a time in this QP; a waiter then finds the new run.
  std::lock_guard stripe(locks_[id % kAllocationLockStripes]);
  {
    std::lock_guard lock(runs_mutex_);
    auto it = runs_.find(id);
    if (it != runs_.end() && it->second.has_values) {
      Run& run = it->second;
      SequenceBlock block = TakeFromRun(run.values, run.cache);
      run.has_values = run.values.increment > 0 ? run.values.first <= run.values.last
                                                : run.values.first >= run.values.last;
      return block;
    }
  }
  SequenceBlock reserved;
  int64_t cache = 1;
  int64_t prefetch = 1;
  uint64_t refill_ns = 0;
  RETURN_IF_ERROR(
      RunAllocationTransaction(client_, seed, [&](txn::SyncTxnClient::Txn& txn) -> Status {
        ASSIGN_OR_RETURN(std::optional<catalog::SequenceState> state,
                         catalog::ReadSequenceState(txn, id));
        if (!state) return NotASequence(id);
        ASSIGN_OR_RETURN(std::optional<catalog::SequenceDescriptor> sequence,
                         catalog::ReadSequence(txn, id));
        if (!sequence) return NotASequence(id);
        refill_ns = txn.t_start();
        {
          std::lock_guard lock(runs_mutex_);
          const Run& previous = runs_[id];
          bool hot = previous.last_refill_ns != 0 && refill_ns >= previous.last_refill_ns &&
                     refill_ns - previous.last_refill_ns < kHotRefillWindowNs;
          prefetch = hot ? std::min(previous.prefetch * 2, kMaxPrefetchValues) : 1;
        }
        cache = sequence->cache;
        catalog::SequenceDescriptor reserving = *sequence;
        reserving.cache = std::max(cache, prefetch);
        ASSIGN_OR_RETURN(BlockAndState next, ComputeBlock(reserving, *state));
        reserved = next.block;
        return txn.Put(catalog::SequenceStateKey(id), catalog::EncodeSequenceState(next.state));
      }));
  SequenceBlock block = TakeFromRun(reserved, cache);
  std::lock_guard lock(runs_mutex_);
  Run& run = runs_[id];
  run.values = reserved;
  run.has_values =
      reserved.increment > 0 ? reserved.first <= reserved.last : reserved.first >= reserved.last;
  run.cache = cache;
  run.prefetch = prefetch;
  run.last_refill_ns = refill_ns;
  return block;
}

void SequenceAllocator::ForgetAll() {
  std::lock_guard lock(runs_mutex_);
  runs_.clear();
}

Status SequenceAllocator::Set(uint32_t id, int64_t value, bool is_called, uint64_t seed) {
  std::lock_guard stripe(locks_[id % kAllocationLockStripes]);
  {
    std::lock_guard lock(runs_mutex_);
    runs_.erase(id);
  }
  return RunAllocationTransaction(client_, seed, [&](txn::SyncTxnClient::Txn& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<catalog::SequenceState> state,
                     catalog::ReadSequenceState(txn, id));
    if (!state) return NotASequence(id);
    ASSIGN_OR_RETURN(std::optional<catalog::SequenceDescriptor> sequence,
                     catalog::ReadSequence(txn, id));
    if (!sequence) return NotASequence(id);
    if (value < sequence->min_value || value > sequence->max_value) {
      return Status::Sql(
          "22003", fmt::format("setval: value {} is out of bounds for sequence "
                               "\"{}\" ({}..{})",
                               value, sequence->name, sequence->min_value, sequence->max_value));
    }
    catalog::SequenceState next{value, is_called, state->version};
    return txn.Put(catalog::SequenceStateKey(id), catalog::EncodeSequenceState(next));
  });
}

SessionSequences::Entry& SessionSequences::EntryFor(uint32_t id) {
  auto it = entries_.find(id);
  if (it != entries_.end()) return it->second;
  if (entries_.size() >= kMaxSessionSequences) entries_.erase(entries_.begin());
  return entries_[id];
}

Result<int64_t> SessionSequences::Next(uint32_t id, uint64_t seed) {
  auto it = entries_.find(id);
  if (it != entries_.end() && it->second.last_valid && it->second.last != it->second.cached) {
    it->second.last += it->second.increment;
    last_used_ = id;
    return it->second.last;
  }
  ASSIGN_OR_RETURN(SequenceBlock block, allocator_->Allocate(id, seed));
  Entry& entry = EntryFor(id);
  entry.last = block.first;
  entry.cached = block.last;
  entry.increment = block.increment;
  entry.last_valid = true;
  last_used_ = id;
  return block.first;
}

Result<int64_t> SessionSequences::Current(uint32_t id, const std::string& name) const {
  auto it = entries_.find(id);
  if (it == entries_.end() || !it->second.last_valid) {
    return Status::Sql("55000", fmt::format("currval of sequence \"{}\" is not yet defined in "
                                            "this session",
                                            name));
  }
  return it->second.last;
}

Result<int64_t> SessionSequences::Set(uint32_t id, int64_t value, bool is_called, uint64_t seed) {
  RETURN_IF_ERROR(allocator_->Set(id, value, is_called, seed));
  Entry& entry = EntryFor(id);
  if (is_called) {
    entry.last = value;
    entry.last_valid = true;
  }
  entry.cached = entry.last;  // forget the rest of the block, as PostgreSQL's do_setval
  return value;
}

Result<int64_t> SessionSequences::Last() const {
  auto it = entries_.find(last_used_);
  if (last_used_ == 0 || it == entries_.end() || !it->second.last_valid) {
    return Status::Sql("55000", "lastval is not yet defined in this session");
  }
  return it->second.last;
}

void SessionSequences::Forget(uint32_t id) {
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second.cached = it->second.last;
}

}  // namespace borealis::qp
