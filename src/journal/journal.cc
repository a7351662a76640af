#include "journal/journal.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "common/check.h"
#include "common/crc32c.h"

namespace borealis::journal {
namespace {

// Entry layout: u32 payload length | u32 CRC-32C | u64 position | u64 timestamp | u8 kind |
// payload. The CRC covers every byte after itself plus the length.
constexpr uint64_t kHeaderBytes = 4 + 4 + 8 + 8 + 1;
constexpr char kSegmentSuffix[] = ".log";

void PutFixed(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t GetFixed(const char* data, int bytes) {
  uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(data[i]);
  return value;
}

uint32_t EntryCrc(std::string_view length_bytes, std::string_view rest) {
  return Crc32c(rest, Crc32c(length_bytes));
}

// Payloads at least this large are written to the segment from their own buffer rather than
// copied into the batch's buffer first.
constexpr uint64_t kDirectWriteBytes = 1 << 20;
// Entries larger than this fraction of the tail cache are not cached (read back from the
// segment when needed): a bulk entry is not kept in memory after it is durable.
constexpr uint64_t kMaxCachedEntryFraction = 4;

// The header of an entry (length, CRC over everything after it including the payload, position,
// timestamp, kind): the payload follows it.
std::string EncodeHeader(const Entry& entry) {
  std::string out;
  out.reserve(kHeaderBytes);
  PutFixed(out, entry.payload.size(), 4);
  PutFixed(out, 0, 4);  // CRC placeholder
  PutFixed(out, entry.position, 8);
  PutFixed(out, entry.timestamp, 8);
  out.push_back(static_cast<char>(entry.kind));
  std::string_view header(out);
  uint32_t crc = Crc32c(entry.payload, EntryCrc(header.substr(0, 4), header.substr(8)));
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  return out;
}

struct EntryView {
  uint64_t position;
  Timestamp timestamp;
  EntryKind kind;
  std::string_view payload;
};

// Decodes the entry at `offset` of `data`; nullopt when it is torn, corrupt or absent.
std::optional<EntryView> DecodeEntryView(std::string_view data, uint64_t offset,
                                         uint64_t max_entry_bytes, uint64_t* next_offset) {
  if (data.size() < offset + kHeaderBytes) return std::nullopt;
  const char* header = data.data() + offset;
  uint64_t length = GetFixed(header, 4);
  if (length > max_entry_bytes || data.size() - offset - kHeaderBytes < length) return std::nullopt;
  std::string_view rest(header + 8, kHeaderBytes - 8 + length);
  if (EntryCrc(std::string_view(header, 4), rest) != GetFixed(header + 4, 4)) return std::nullopt;
  uint8_t kind = static_cast<uint8_t>(header[24]);
  if (kind < static_cast<uint8_t>(EntryKind::kCommit) ||
      kind > static_cast<uint8_t>(EntryKind::kFence)) {
    return std::nullopt;
  }
  *next_offset = offset + kHeaderBytes + length;
  return EntryView{GetFixed(header + 8, 8), GetFixed(header + 16, 8), static_cast<EntryKind>(kind),
                   std::string_view(header + kHeaderBytes, length)};
}

std::optional<Entry> DecodeEntry(std::string_view data, uint64_t offset, uint64_t max_entry_bytes,
                                 uint64_t* next_offset) {
  std::optional<EntryView> view = DecodeEntryView(data, offset, max_entry_bytes, next_offset);
  if (!view.has_value()) return std::nullopt;
  return Entry{view->position, view->timestamp, view->kind, std::string(view->payload)};
}

std::string SegmentName(uint64_t first_position) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020" PRIu64 "%s", first_position, kSegmentSuffix);
  return name;
}

std::optional<uint64_t> ParseSegmentName(const std::string& name) {
  if (name.size() != 20 + sizeof(kSegmentSuffix) - 1 || !name.ends_with(kSegmentSuffix)) {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (int i = 0; i < 20; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return value;
}

}  // namespace

Journal::Journal(runtime::Disk* disk, JournalOptions options)
    : disk_(disk), options_(std::move(options)) {}

Journal::~Journal() {
  if (active_) active_->Close().ok();
}

Result<std::unique_ptr<Journal>> Journal::Open(runtime::Disk* disk, JournalOptions options) {
  BOREALIS_CHECK(!options.directory.empty());
  std::unique_ptr<Journal> journal(new Journal(disk, std::move(options)));
  RETURN_IF_ERROR(journal->Recover());
  return journal;
}

Status Journal::Recover() {
  ASSIGN_OR_RETURN(bool exists, disk_->Exists(options_.directory));
  if (!exists) {
    RETURN_IF_ERROR(disk_->CreateDir(options_.directory));
    // The new directory's entry must be durable too, or a crash loses the whole journal.
    size_t slash = options_.directory.find_last_of('/');
    std::string parent = slash == std::string::npos ? "."
                         : slash == 0               ? "/"
                                                    : options_.directory.substr(0, slash);
    RETURN_IF_ERROR(disk_->SyncDir(parent));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> names, disk_->ListDir(options_.directory));
  for (const std::string& name : names) {
    if (auto first = ParseSegmentName(name)) {
      segments_.push_back(Segment{*first, options_.directory + "/" + name, {}, 0});
    }
  }
  std::sort(segments_.begin(), segments_.end(),
            [](const Segment& a, const Segment& b) { return a.first_position < b.first_position; });
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (i > 0 && segments_[i].first_position != last_position_ + 1) {
      return Status::Corruption("journal segment " + segments_[i].path + " starts at " +
                                std::to_string(segments_[i].first_position) + ", expected " +
                                std::to_string(last_position_ + 1));
    }
    if (i == 0) last_position_ = segments_[0].first_position - 1;
    RETURN_IF_ERROR(RecoverSegment(segments_[i], i + 1 == segments_.size()));
  }
  durable_position_ = last_position_;
  durable_timestamp_ = last_timestamp_;
  return OpenActive();
}

Status Journal::RecoverSegment(Segment& segment, bool is_last) {
  ASSIGN_OR_RETURN(auto file, disk_->Open(segment.path, runtime::OpenMode::kOpenExisting));
  ASSIGN_OR_RETURN(uint64_t size, file->Size());
  ASSIGN_OR_RETURN(std::string data, file->ReadAt(0, size));
  uint64_t offset = 0;
  while (offset < data.size()) {
    uint64_t next = 0;
    std::optional<EntryView> entry = DecodeEntryView(data, offset, options_.max_entry_bytes, &next);
    if (!entry.has_value()) break;
    if (entry->position != last_position_ + 1 || entry->timestamp <= last_timestamp_) {
      return Status::Corruption("journal entry out of order in " + segment.path + " at offset " +
                                std::to_string(offset));
    }
    segment.offsets.push_back(offset);
    if (entry->kind == EntryKind::kFence) last_fence_position_ = entry->position;
    last_position_ = entry->position;
    last_timestamp_ = entry->timestamp;
    offset = next;
  }
  if (offset < data.size()) {
    if (!is_last) {
      return Status::Corruption("journal segment " + segment.path + " is damaged at offset " +
                                std::to_string(offset));
    }
    // A torn or unsynced tail: it was never acknowledged, so it can go.
    RETURN_IF_ERROR(file->Truncate(offset));
    RETURN_IF_ERROR(file->Sync());
  }
  segment.size = offset;
  return file->Close();
}

Status Journal::OpenActive() {
  std::lock_guard sync(sync_mutex_);
  if (segments_.empty()) return StartSegment(last_position_ + 1);
  ASSIGN_OR_RETURN(active_, disk_->Open(segments_.back().path, runtime::OpenMode::kOpenExisting));
  return Status::Ok();
}

Status Journal::StartSegment(uint64_t first_position) {
  std::string path = options_.directory + "/" + SegmentName(first_position);
  if (active_) RETURN_IF_ERROR(active_->Close());
  ASSIGN_OR_RETURN(active_, disk_->Open(path, runtime::OpenMode::kCreateIfMissing));
  RETURN_IF_ERROR(active_->Truncate(0));
  RETURN_IF_ERROR(disk_->SyncDir(options_.directory));
  std::lock_guard lock(mutex_);
  segments_.push_back(Segment{first_position, path, {}, 0});
  return Status::Ok();
}

Result<uint64_t> Journal::Append(Timestamp timestamp, EntryKind kind, std::string payload) {
  if (payload.size() > options_.max_entry_bytes) {
    return Status::ResourceExhausted("journal entry of " + std::to_string(payload.size()) +
                                     " bytes exceeds max_entry_bytes " +
                                     std::to_string(options_.max_entry_bytes));
  }
  std::lock_guard lock(mutex_);
  BOREALIS_CHECK(timestamp > last_timestamp_, "journal timestamps must increase:", timestamp,
                 last_timestamp_);
  if (pending_.size() >= options_.max_pending_entries ||
      pending_bytes_ + payload.size() > options_.max_pending_bytes) {
    return Status::ResourceExhausted("journal append queue is full");
  }
  pending_bytes_ += payload.size();
  pending_.push_back(Entry{++last_position_, timestamp, kind, std::move(payload)});
  last_timestamp_ = timestamp;
  return last_position_;
}

Result<uint64_t> Journal::Sync() {
  std::lock_guard sync(sync_mutex_);
  std::vector<Entry> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    pending_bytes_ = 0;
  }
  if (batch.empty()) return durable_position();
  std::string buffer;
  size_t index = 0;
  while (index < batch.size()) {
    uint64_t segment_size;
    {
      std::lock_guard lock(mutex_);
      segment_size = segments_.back().size;
    }
    if (segment_size >= options_.max_segment_bytes) {
      // The full segment is synced before the next one exists, so only the last segment can
      // ever hold a torn tail.
      RETURN_IF_ERROR(active_->Sync());
      RETURN_IF_ERROR(StartSegment(batch[index].position));
      segment_size = 0;
    }
    buffer.clear();
    std::vector<uint64_t> offsets;
    uint64_t written = 0;  // bytes of this segment's round already in the file
    while (index < batch.size() && (offsets.empty() || segment_size + written + buffer.size() <
                                                           options_.max_segment_bytes)) {
      const Entry& entry = batch[index++];
      offsets.push_back(segment_size + written + buffer.size());
      std::string header = EncodeHeader(entry);
      if (entry.payload.size() < kDirectWriteBytes) {
        buffer.append(header);
        buffer.append(entry.payload);
        continue;
      }
      if (!buffer.empty()) {
        RETURN_IF_ERROR(active_->Append(buffer));
        written += buffer.size();
        buffer.clear();
      }
      RETURN_IF_ERROR(active_->Append(header));
      RETURN_IF_ERROR(active_->Append(entry.payload));
      written += header.size() + entry.payload.size();
    }
    if (!buffer.empty()) {
      RETURN_IF_ERROR(active_->Append(buffer));
      written += buffer.size();
    }
    std::lock_guard lock(mutex_);
    Segment& segment = segments_.back();
    segment.offsets.insert(segment.offsets.end(), offsets.begin(), offsets.end());
    segment.size += written;
  }
  RETURN_IF_ERROR(active_->Sync());
  std::lock_guard lock(mutex_);
  durable_position_ = batch.back().position;
  durable_timestamp_ = batch.back().timestamp;
  for (const Entry& entry : batch) {
    if (entry.kind == EntryKind::kFence) last_fence_position_ = entry.position;
  }
  CacheDurable(std::move(batch));
  return durable_position_;
}

void Journal::CacheDurable(std::vector<Entry> entries) {
  for (Entry& entry : entries) {
    if (entry.payload.size() > options_.tail_cache_bytes / kMaxCachedEntryFraction) {
      // Not kept: read back from its segment. The cache stays contiguous by restarting after it.
      tail_cache_.clear();
      tail_cache_bytes_ = 0;
      continue;
    }
    tail_cache_bytes_ += entry.payload.size();
    tail_cache_.push_back(std::move(entry));
  }
  while (!tail_cache_.empty() && tail_cache_bytes_ > options_.tail_cache_bytes) {
    tail_cache_bytes_ -= tail_cache_.front().payload.size();
    tail_cache_.pop_front();
  }
}

Result<std::vector<Entry>> Journal::Read(uint64_t from, size_t max_entries, uint64_t max_bytes) {
  {
    std::lock_guard lock(mutex_);
    if (from < FirstPositionLocked()) {
      return Status::NotFound("journal position " + std::to_string(from) +
                              " was trimmed; the first is " +
                              std::to_string(FirstPositionLocked()));
    }
    std::vector<Entry> out;
    if (from > durable_position_) return out;
    if (!tail_cache_.empty() && from >= tail_cache_.front().position) {
      uint64_t bytes = 0;
      for (size_t i = from - tail_cache_.front().position;
           i < tail_cache_.size() && out.size() < max_entries; ++i) {
        bytes += tail_cache_[i].payload.size();
        if (!out.empty() && bytes > max_bytes) break;
        out.push_back(tail_cache_[i]);
      }
      return out;
    }
  }
  // Older than the cache: read segment by segment.
  std::vector<Entry> out;
  uint64_t bytes = 0;
  while (out.size() < max_entries && bytes < max_bytes) {
    ASSIGN_OR_RETURN(std::vector<Entry> part,
                     ReadFromDisk(from + out.size(), max_entries - out.size(), max_bytes - bytes));
    if (part.empty()) break;
    for (Entry& entry : part) {
      bytes += entry.payload.size();
      out.push_back(std::move(entry));
    }
  }
  return out;
}

Result<std::vector<Entry>> Journal::ReadFromDisk(uint64_t from, size_t max_entries,
                                                 uint64_t max_bytes) {
  Segment segment;
  uint64_t durable;
  {
    std::lock_guard lock(mutex_);
    durable = durable_position_;
    auto it = std::upper_bound(
        segments_.begin(), segments_.end(), from,
        [](uint64_t position, const Segment& s) { return position < s.first_position; });
    BOREALIS_CHECK(it != segments_.begin());
    segment = *std::prev(it);
  }
  uint64_t index = from - segment.first_position;
  if (index >= segment.offsets.size()) return std::vector<Entry>();
  // Read only the entries that can be returned (at least one).
  auto entry_end = [&](uint64_t i) {
    return i + 1 < segment.offsets.size() ? segment.offsets[i + 1] : segment.size;
  };
  uint64_t begin = segment.offsets[index];
  uint64_t end = entry_end(index);
  size_t count = 1;
  while (index + count < segment.offsets.size() && count < max_entries &&
         entry_end(index + count) - begin <= max_bytes + kHeaderBytes * (count + 1)) {
    end = entry_end(index + count);
    ++count;
  }
  ASSIGN_OR_RETURN(auto file, disk_->Open(segment.path, runtime::OpenMode::kOpenExisting));
  ASSIGN_OR_RETURN(std::string data, file->ReadAt(begin, end - begin));
  RETURN_IF_ERROR(file->Close());
  std::vector<Entry> out;
  if (count == 1) {
    // One entry (a bulk one, typically): its payload is the buffer just read, header removed.
    uint64_t next = 0;
    std::optional<EntryView> view = DecodeEntryView(data, 0, options_.max_entry_bytes, &next);
    if (!view.has_value()) return Status::Corruption("journal read failed in " + segment.path);
    if (view->position > durable) return out;
    BOREALIS_CHECK_EQ(view->position, from);
    Entry entry{view->position, view->timestamp, view->kind, {}};
    uint64_t length = view->payload.size();
    data.erase(0, kHeaderBytes);
    data.resize(length);
    entry.payload = std::move(data);
    out.push_back(std::move(entry));
    return out;
  }
  uint64_t offset = 0;
  uint64_t bytes = 0;
  while (out.size() < max_entries && offset < data.size()) {
    uint64_t next = 0;
    std::optional<Entry> entry = DecodeEntry(data, offset, options_.max_entry_bytes, &next);
    if (!entry.has_value()) return Status::Corruption("journal read failed in " + segment.path);
    if (entry->position > durable) break;
    bytes += entry->payload.size();
    if (!out.empty() && bytes > max_bytes) break;
    BOREALIS_CHECK_EQ(entry->position, from + out.size());
    out.push_back(std::move(*entry));
    offset = next;
  }
  return out;
}

Status Journal::TrimBefore(uint64_t position) {
  std::lock_guard sync(sync_mutex_);
  std::vector<std::string> doomed;
  {
    std::lock_guard lock(mutex_);
    while (segments_.size() > 1 &&
           segments_[1].first_position <= position) {  // segment 0 ends below segments_[1]
      doomed.push_back(segments_.front().path);
      segments_.erase(segments_.begin());
    }
  }
  for (const std::string& path : doomed) RETURN_IF_ERROR(disk_->Remove(path));
  if (!doomed.empty()) RETURN_IF_ERROR(disk_->SyncDir(options_.directory));
  return Status::Ok();
}

Status Journal::TruncateAfter(uint64_t position) {
  std::lock_guard sync(sync_mutex_);
  std::vector<std::string> doomed;
  uint64_t cut_offset = 0;
  {
    std::lock_guard lock(mutex_);
    BOREALIS_CHECK(position + 1 >= FirstPositionLocked(), position, FirstPositionLocked());
    while (!pending_.empty() && pending_.back().position > position) {
      pending_bytes_ -= pending_.back().payload.size();
      pending_.pop_back();
    }
    while (!tail_cache_.empty() && tail_cache_.back().position > position) {
      tail_cache_bytes_ -= tail_cache_.back().payload.size();
      tail_cache_.pop_back();
    }
    if (durable_position_ <= position) {
      last_position_ = std::max(position, durable_position_);
      last_timestamp_ = pending_.empty() ? durable_timestamp_ : pending_.back().timestamp;
      return Status::Ok();
    }
    while (segments_.size() > 1 && segments_.back().first_position > position) {
      doomed.push_back(segments_.back().path);
      segments_.pop_back();
    }
    Segment& last = segments_.back();
    uint64_t keep = position + 1 - last.first_position;
    cut_offset = keep < last.offsets.size() ? last.offsets[keep] : last.size;
    last.offsets.resize(std::min<uint64_t>(keep, last.offsets.size()));
    last.size = cut_offset;
  }
  if (!doomed.empty()) {
    RETURN_IF_ERROR(active_->Close());
    for (const std::string& path : doomed) RETURN_IF_ERROR(disk_->Remove(path));
    RETURN_IF_ERROR(disk_->SyncDir(options_.directory));
    std::string path;
    {
      std::lock_guard lock(mutex_);
      path = segments_.back().path;
    }
    ASSIGN_OR_RETURN(active_, disk_->Open(path, runtime::OpenMode::kOpenExisting));
  }
  RETURN_IF_ERROR(active_->Truncate(cut_offset));
  RETURN_IF_ERROR(active_->Sync());
  Timestamp timestamp = 0;
  if (position >= first_position() && position > 0) {
    ASSIGN_OR_RETURN(std::vector<Entry> entry, ReadFromDisk(position, 1, UINT64_MAX));
    BOREALIS_CHECK_EQ(entry.size(), 1u);
    timestamp = entry[0].timestamp;
  }
  std::lock_guard lock(mutex_);
  durable_position_ = position;
  durable_timestamp_ = timestamp;
  // A fence in the removed suffix no longer counts; an older one is not tracked (Raft repair
  // re-appends fences it needs).
  if (last_fence_position_ > position) last_fence_position_ = 0;
  last_position_ = position;
  last_timestamp_ = timestamp;
  return Status::Ok();
}

uint64_t Journal::FirstPositionLocked() const {
  return segments_.empty() ? last_position_ + 1 : segments_.front().first_position;
}

uint64_t Journal::first_position() const {
  std::lock_guard lock(mutex_);
  return FirstPositionLocked();
}

uint64_t Journal::last_position() const {
  std::lock_guard lock(mutex_);
  return last_position_;
}

Timestamp Journal::last_timestamp() const {
  std::lock_guard lock(mutex_);
  return last_timestamp_;
}

uint64_t Journal::durable_position() const {
  std::lock_guard lock(mutex_);
  return durable_position_;
}

uint64_t Journal::last_fence_position() const {
  std::lock_guard lock(mutex_);
  return last_fence_position_;
}

Timestamp Journal::watermark() const {
  std::lock_guard lock(mutex_);
  return durable_timestamp_;
}

}  // namespace borealis::journal
