// The in-memory engine: an ordered map from key to its versions (newest first).
#include <algorithm>
#include <iterator>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "common/check.h"
#include "storage/engine.h"

namespace borealis::storage {
namespace {

struct Version {
  Timestamp t_commit;
  std::optional<std::string> value;
};

using VersionMap = std::map<std::string, std::vector<Version>, std::less<>>;

}  // namespace

struct MemoryEngineDurableState {
  VersionMap data;
  AppliedState state;
  Timestamp gc_horizon = 0;
};

namespace {

class MemoryEngine final : public Engine {
 public:
  explicit MemoryEngine(std::shared_ptr<MemoryEngineDurableState> durable)
      : durable_(std::move(durable)) {
    if (durable_) {
      data_ = durable_->data;
      state_ = durable_->state;
      gc_horizon_ = durable_->gc_horizon;
    }
  }

  Status Apply(uint64_t position, Timestamp t_commit,
               std::span<const Mutation> mutations) override {
    std::unique_lock lock(mutex_);
    BOREALIS_CHECK(position > state_.position, "position must increase:", position,
                   state_.position);
    BOREALIS_CHECK(t_commit > state_.watermark, "t_commit at or below the watermark:", t_commit,
                   state_.watermark);
    WriteVersions(t_commit, mutations);
    state_ = AppliedState{position, t_commit};
    return Status::Ok();
  }

  Status ApplyPart(Timestamp t_commit, std::span<const Mutation> mutations) override {
    std::unique_lock lock(mutex_);
    BOREALIS_CHECK(t_commit > state_.watermark, "t_commit at or below the watermark:", t_commit,
                   state_.watermark);
    WriteVersions(t_commit, mutations);
    return Status::Ok();
  }

  // REQUIRES: mutex_ held exclusively.
  void WriteVersions(Timestamp t_commit, std::span<const Mutation> mutations) {
    for (const Mutation& m : mutations) {
      auto it = data_.find(m.key);
      if (it == data_.end()) it = data_.emplace(std::string(m.key), std::vector<Version>()).first;
      auto& versions = it->second;
      std::optional<std::string> value;
      if (m.value.has_value()) value.emplace(*m.value);
      if (!versions.empty() && versions.front().t_commit == t_commit) {
        versions.front().value = std::move(value);  // the same key twice in one entry: last wins
      } else {
        versions.insert(versions.begin(), Version{t_commit, std::move(value)});
      }
    }
  }

  Status AdvanceWatermark(Timestamp watermark) override {
    std::unique_lock lock(mutex_);
    state_.watermark = std::max(state_.watermark, watermark);
    return Status::Ok();
  }

  AppliedState applied() const override {
    std::shared_lock lock(mutex_);
    return state_;
  }

  Result<std::optional<KeyValue>> Get(std::string_view key, Timestamp as_of) const override {
    std::shared_lock lock(mutex_);
    RETURN_IF_ERROR(CheckReadable(as_of));
    auto it = data_.find(std::string(key));
    if (it == data_.end()) return std::optional<KeyValue>();
    return Visible(it->first, it->second, as_of);
  }

  Result<std::vector<KeyValue>> Scan(const ScanRange& range, Timestamp as_of) const override {
    std::shared_lock lock(mutex_);
    RETURN_IF_ERROR(CheckReadable(as_of));
    std::vector<KeyValue> out;
    auto begin = data_.lower_bound(range.begin);
    auto end = range.end.empty() ? data_.end() : data_.lower_bound(range.end);
    if (range.direction == ScanDirection::kForward) {
      for (auto it = begin; it != end && out.size() < range.limit; ++it) {
        if (auto kv = Visible(it->first, it->second, as_of)) out.push_back(std::move(*kv));
      }
    } else {
      for (auto it = std::make_reverse_iterator(end);
           it != std::make_reverse_iterator(begin) && out.size() < range.limit; ++it) {
        if (auto kv = Visible(it->first, it->second, as_of)) out.push_back(std::move(*kv));
      }
    }
    return out;
  }

  Result<uint64_t> SyncApplied() override {
    std::shared_lock lock(mutex_);
    if (!durable_) return uint64_t{0};
    durable_->data = data_;
    durable_->state = state_;
    durable_->gc_horizon = gc_horizon_;
    return state_.position;
  }

  Status CollectGarbage(Timestamp horizon) override {
    std::unique_lock lock(mutex_);
    if (horizon <= gc_horizon_) return Status::Ok();
    gc_horizon_ = horizon;
    for (auto it = data_.begin(); it != data_.end();) {
      auto& versions = it->second;
      // Keep every version above the horizon plus the newest one at or below it.
      auto keep = std::find_if(versions.begin(), versions.end(),
                               [&](const Version& v) { return v.t_commit <= horizon; });
      if (keep != versions.end()) versions.erase(std::next(keep), versions.end());
      if (versions.size() == 1 && !versions.front().value.has_value() &&
          versions.front().t_commit <= horizon) {
        it = data_.erase(it);  // a tombstone nobody can see past
      } else {
        ++it;
      }
    }
    return Status::Ok();
  }

  Timestamp gc_horizon() const override {
    std::shared_lock lock(mutex_);
    return gc_horizon_;
  }

 private:
  Status CheckReadable(Timestamp as_of) const {
    if (as_of < gc_horizon_) {
      return Status::InvalidArgument("snapshot too old: read at " + std::to_string(as_of) +
                                     " is below the garbage-collection horizon " +
                                     std::to_string(gc_horizon_));
    }
    return Status::Ok();
  }

  static std::optional<KeyValue> Visible(const std::string& key,
                                         const std::vector<Version>& versions, Timestamp as_of) {
    for (const Version& v : versions) {
      if (v.t_commit > as_of) continue;
      if (!v.value.has_value()) return std::nullopt;
      return KeyValue{key, *v.value, v.t_commit};
    }
    return std::nullopt;
  }

  std::shared_ptr<MemoryEngineDurableState> durable_;
  mutable std::shared_mutex mutex_;
  VersionMap data_;  // versions newest first
  AppliedState state_;
  Timestamp gc_horizon_ = 0;
};

}  // namespace

std::shared_ptr<MemoryEngineDurableState> NewMemoryEngineDurableState() {
  return std::make_shared<MemoryEngineDurableState>();
}

std::unique_ptr<Engine> NewMemoryEngine(std::shared_ptr<MemoryEngineDurableState> durable) {
  return std::make_unique<MemoryEngine>(std::move(durable));
}

}  // namespace borealis::storage
