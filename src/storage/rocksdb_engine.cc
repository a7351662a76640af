// The RocksDB engine. Column family "versions" uses RocksDB's user-defined u64 timestamps
// (timestamp = t_commit, 8 bytes little-endian) so RocksDB itself answers "as of t" reads and
// drops versions below full_history_ts_low during compaction. The default column family holds
// the applied state, written in the same WriteBatch as the mutations it describes.
#include <rocksdb/comparator.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "common/check.h"
#include "storage/engine.h"

namespace rocksdb {
// Exported by librocksdb 7.8 but not declared in its public headers (see PITFALLS.md).
const Comparator* BytewiseComparatorWithU64Ts();
}  // namespace rocksdb

namespace borealis::storage {
namespace {

constexpr char kVersionsFamily[] = "versions";
constexpr char kAppliedKey[] = "applied_state";
constexpr char kGcHorizonKey[] = "gc_horizon";

std::string EncodeTimestamp(Timestamp t) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((t >> (8 * i)) & 0xff);
  return out;
}

Timestamp DecodeTimestamp(rocksdb::Slice s) {
  BOREALIS_CHECK_EQ(s.size(), 8u);
  Timestamp t = 0;
  for (int i = 7; i >= 0; --i) t = (t << 8) | static_cast<uint8_t>(s.data()[i]);
  return t;
}

std::string EncodeApplied(const AppliedState& state) {
  return EncodeTimestamp(state.position) + EncodeTimestamp(state.watermark);
}

Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Status::Corruption(s.ToString());
  if (s.IsIOError()) return Status::IoError(s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(s.ToString());
  return Status::Internal(s.ToString());
}

class RocksDbEngine final : public Engine {
 public:
  RocksDbEngine(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> cfs)
      : db_(std::move(db)), meta_(cfs[0]), versions_(cfs[1]) {}

  ~RocksDbEngine() override {
    db_->DestroyColumnFamilyHandle(meta_);
    db_->DestroyColumnFamilyHandle(versions_);
    db_->Close().PermitUncheckedError();
  }

  Status Load() {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta_, kAppliedKey, &value);
    if (s.ok()) {
      BOREALIS_CHECK_EQ(value.size(), 16u);
      state_.position = DecodeTimestamp(rocksdb::Slice(value.data(), 8));
      state_.watermark = DecodeTimestamp(rocksdb::Slice(value.data() + 8, 8));
    } else if (!s.IsNotFound()) {
      return FromRocks(s);
    }
    // The horizon is kept in our own metadata: librocksdb asserts in GetFullHistoryTsLow()
    // when no low bound was ever set.
    s = db_->Get(rocksdb::ReadOptions(), meta_, kGcHorizonKey, &value);
    if (s.ok()) {
      gc_horizon_ = DecodeTimestamp(value);
      return FromRocks(db_->IncreaseFullHistoryTsLow(versions_, value));
    }
    return s.IsNotFound() ? Status::Ok() : FromRocks(s);
  }

  Status Apply(uint64_t position, Timestamp t_commit,
               std::span<const Mutation> mutations) override {
    std::lock_guard writer(write_mutex_);
    AppliedState state = applied();
    BOREALIS_CHECK(position > state.position, "position must increase:", position, state.position);
    BOREALIS_CHECK(t_commit > state.watermark, "t_commit at or below the watermark:", t_commit,
                   state.watermark);
    rocksdb::WriteBatch batch(0, 0, 0, /*default_cf_ts_sz=*/0);
    RETURN_IF_ERROR(AddMutations(batch, t_commit, mutations));
    return WriteState(batch, AppliedState{position, t_commit});
  }

  Status ApplyPart(Timestamp t_commit, std::span<const Mutation> mutations) override {
    std::lock_guard writer(write_mutex_);
    BOREALIS_CHECK(t_commit > applied().watermark, "t_commit at or below the watermark:", t_commit,
                   applied().watermark);
    rocksdb::WriteBatch batch(0, 0, 0, /*default_cf_ts_sz=*/0);
    RETURN_IF_ERROR(AddMutations(batch, t_commit, mutations));
    return FromRocks(db_->Write(rocksdb::WriteOptions(), &batch));
  }

  Status AdvanceWatermark(Timestamp watermark) override {
    std::lock_guard writer(write_mutex_);
    AppliedState state = applied();
    if (watermark <= state.watermark) return Status::Ok();
    rocksdb::WriteBatch batch;
    return WriteState(batch, AppliedState{state.position, watermark});
  }

  AppliedState applied() const override {
    std::lock_guard lock(state_mutex_);
    return state_;
  }

  Result<std::optional<KeyValue>> Get(std::string_view key, Timestamp as_of) const override {
    RETURN_IF_ERROR(CheckReadable(as_of));
    std::string ts = EncodeTimestamp(as_of);
    rocksdb::Slice ts_slice(ts);
    rocksdb::ReadOptions options;
    options.timestamp = &ts_slice;
    std::string value;
    std::string found_ts;
    rocksdb::Status s =
        db_->Get(options, versions_, rocksdb::Slice(key.data(), key.size()), &value, &found_ts);
    if (s.IsNotFound()) return std::optional<KeyValue>();
    RETURN_IF_ERROR(FromRocks(s));
    return std::optional<KeyValue>(
        KeyValue{std::string(key), std::move(value), DecodeTimestamp(found_ts)});
  }

  Result<std::vector<KeyValue>> Scan(const ScanRange& range, Timestamp as_of) const override {
    RETURN_IF_ERROR(CheckReadable(as_of));
    std::string ts = EncodeTimestamp(as_of);
    rocksdb::Slice ts_slice(ts);
    rocksdb::Slice lower(range.begin);
    rocksdb::Slice upper(range.end);
    rocksdb::ReadOptions options;
    options.timestamp = &ts_slice;
    options.iterate_lower_bound = &lower;
    if (!range.end.empty()) options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, versions_));
    std::vector<KeyValue> out;
    bool forward = range.direction == ScanDirection::kForward;
    if (forward) {
      it->Seek(lower);
    } else {
      it->SeekToLast();
    }
    for (; it->Valid() && out.size() < range.limit; forward ? it->Next() : it->Prev()) {
      out.push_back(
          KeyValue{it->key().ToString(), it->value().ToString(), DecodeTimestamp(it->timestamp())});
    }
    RETURN_IF_ERROR(FromRocks(it->status()));
    return out;
  }

  Result<uint64_t> SyncApplied() override {
    uint64_t position = applied().position;  // everything up to here is in the WAL already
    RETURN_IF_ERROR(FromRocks(db_->SyncWAL()));
    return position;
  }

  Status CollectGarbage(Timestamp horizon) override {
    std::lock_guard writer(write_mutex_);
    if (horizon <= gc_horizon_.load()) return Status::Ok();
    std::string encoded = EncodeTimestamp(horizon);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    RETURN_IF_ERROR(FromRocks(db_->Put(sync, meta_, kGcHorizonKey, encoded)));
    RETURN_IF_ERROR(FromRocks(db_->IncreaseFullHistoryTsLow(versions_, encoded)));
    gc_horizon_ = horizon;
    return Status::Ok();
  }

  Timestamp gc_horizon() const override { return gc_horizon_.load(); }

 private:
  Status CheckReadable(Timestamp as_of) const {
    Timestamp horizon = gc_horizon_.load();
    if (as_of < horizon) {
      return Status::InvalidArgument("snapshot too old: read at " + std::to_string(as_of) +
                                     " is below the garbage-collection horizon " +
                                     std::to_string(horizon));
    }
    return Status::Ok();
  }

  Status AddMutations(rocksdb::WriteBatch& batch, Timestamp t_commit,
                      std::span<const Mutation> mutations) {
    std::string ts = EncodeTimestamp(t_commit);
    for (const Mutation& m : mutations) {
      rocksdb::Slice key(m.key.data(), m.key.size());
      rocksdb::Status s =
          m.value.has_value()
              ? batch.Put(versions_, key, ts, rocksdb::Slice(m.value->data(), m.value->size()))
              : batch.Delete(versions_, key, ts);
      RETURN_IF_ERROR(FromRocks(s));
    }
    return Status::Ok();
  }

  // REQUIRES: write_mutex_ held.
  Status WriteState(rocksdb::WriteBatch& batch, const AppliedState& state) {
    RETURN_IF_ERROR(FromRocks(batch.Put(meta_, kAppliedKey, EncodeApplied(state))));
    // No sync: the journal holds durability. A lost WAL tail loses data and position
    // together, and the node replays from the journal (ARCHITECTURE §3 "Storage").
    RETURN_IF_ERROR(FromRocks(db_->Write(rocksdb::WriteOptions(), &batch)));
    std::lock_guard lock(state_mutex_);
    state_ = state;
    return Status::Ok();
  }

  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* meta_;
  rocksdb::ColumnFamilyHandle* versions_;
  std::mutex write_mutex_;
  mutable std::mutex state_mutex_;
  AppliedState state_;
  std::atomic<Timestamp> gc_horizon_{0};
};

}  // namespace

Result<std::unique_ptr<Engine>> OpenRocksDbEngine(const std::string& directory) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  rocksdb::ColumnFamilyOptions versions_options;
  versions_options.comparator = rocksdb::BytewiseComparatorWithU64Ts();
  // Bounded memtables (kRocksDbMemtableBudgetBytes): a bulk entry is applied in batches
  // (ApplyPart), so the memtables flush under it instead of growing to its size.
  versions_options.write_buffer_size = kRocksDbWriteBufferBytes;
  versions_options.max_write_buffer_number = kRocksDbMaxWriteBuffers;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {kVersionsFamily, versions_options},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, directory, families, &handles, &raw);
  if (!s.ok()) return FromRocks(s);
  auto engine = std::make_unique<RocksDbEngine>(std::unique_ptr<rocksdb::DB>(raw), handles);
  RETURN_IF_ERROR(engine->Load());
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace borealis::storage
