#include "qp/row_ids.h"

#include <algorithm>

#include "catalog/descriptor.h"
#include "encoding/key.h"
#include "qp/sequences.h"

namespace borealis::qp {

std::string RowIdCounterKey() {
  return encoding::EncodeIndexPrefix(catalog::kSystemTableId, catalog::kRowIdCounterIndex);
}

int64_t RowIdAllocator::NextBlockSize(int64_t previous_block, uint64_t previous_ns,
                                      uint64_t now_ns) {
  bool hot = previous_ns != 0 && now_ns >= previous_ns && now_ns - previous_ns < kHotRowIdRefillNs;
  if (!hot || previous_block < kMinRowIdBlock) return kMinRowIdBlock;
  return std::min(previous_block * 2, kMaxRowIdBlock);
}

Result<int64_t> RowIdAllocator::Refill(uint64_t seed) {
  int64_t first = 0;
  int64_t block = 0;
  uint64_t refill_ns = 0;
  RETURN_IF_ERROR(
      RunAllocationTransaction(client_, seed, [&](txn::SyncTxnClient::Txn& txn) -> Status {
        ASSIGN_OR_RETURN(std::optional<std::string> stored, txn.Get(RowIdCounterKey()));
        int64_t last = 0;  // ids 1..last are taken
        if (stored) {
          ASSIGN_OR_RETURN(last, catalog::DecodeInt(*stored));
        }
        refill_ns = txn.t_start();
        block = NextBlockSize(block_, last_refill_ns_, refill_ns);
        if (last < 0 || last > kRandomRowIdBase - block) {
          return Status::Sql("2200H", "the hidden row-id counter is exhausted");
        }
        first = last + 1;
        return txn.Put(RowIdCounterKey(), catalog::EncodeInt(last + block));
      }));
  next_ = first;
  end_ = first + block;
  block_ = block;
  last_refill_ns_ = refill_ns;
  return first;
}

int64_t RowIdAllocator::Next(uint64_t seed) {
  std::lock_guard lock(mutex_);
  if (next_ < end_) return next_++;
  if (client_ != nullptr) {
    Result<int64_t> refilled = Refill(seed);
    if (refilled.ok()) return next_++;
  }
  return kRandomRowIdBase +
         static_cast<int64_t>(seed & (static_cast<uint64_t>(kRandomRowIdBase) - 1));
}

}  // namespace borealis::qp
