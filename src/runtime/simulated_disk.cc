#include "runtime/simulated_disk.h"

#include <algorithm>
#include <set>

#include "common/check.h"

namespace borealis::runtime {
namespace {

// "a//b/" -> "a/b"; "/" -> "" (the root).
std::string Normalize(const std::string& path) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) {
      if (!out.empty()) out += '/';
      out.append(path, i, j - i);
    }
    i = j + 1;
  }
  return out;
}

std::pair<std::string, std::string> SplitParent(const std::string& normalized) {
  const size_t slash = normalized.rfind('/');
  if (slash == std::string::npos) return {"", normalized};
  return {normalized.substr(0, slash), normalized.substr(slash + 1)};
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

}  // namespace

class SimulatedDisk::SimFile final : public File {
 public:
  SimFile(SimulatedDisk* disk, std::string path, uint64_t inode)
      : disk_(disk), path_(std::move(path)), inode_(inode), generation_(disk->generation_) {
    ++disk_->inodes_.at(inode_).open_files;
    end_ = disk_->inodes_.at(inode_).data.size();
  }
  ~SimFile() override { Release(); }

  Status WriteAt(uint64_t offset, std::string_view data) override {
    ASSIGN_OR_RETURN(Inode * inode, Get());
    RETURN_IF_ERROR(disk_->MaybeFail("write"));
    Op op{false, offset, std::string(data)};
    Apply(op, inode->data);
    inode->unsynced.push_back(std::move(op));
    end_ = std::max<uint64_t>(end_, offset + data.size());
    return Status::Ok();
  }
  Status Append(std::string_view data) override { return WriteAt(end_, data); }

  Result<std::string> ReadAt(uint64_t offset, uint64_t length) override {
    ASSIGN_OR_RETURN(Inode * inode, Get());
    if (offset >= inode->data.size()) return std::string();
    return inode->data.substr(offset, length);
  }

  Result<uint64_t> Size() override {
    ASSIGN_OR_RETURN(Inode * inode, Get());
    return static_cast<uint64_t>(inode->data.size());
  }

  Status Truncate(uint64_t size) override {
    ASSIGN_OR_RETURN(Inode * inode, Get());
    Op op{true, size, {}};
    Apply(op, inode->data);
    inode->unsynced.push_back(std::move(op));
    end_ = size;
    return Status::Ok();
  }

  Status Sync() override {
    ASSIGN_OR_RETURN(Inode * inode, Get());
    RETURN_IF_ERROR(disk_->MaybeFail("fdatasync"));
    inode->durable = inode->data;
    inode->unsynced.clear();
    return Status::Ok();
  }

  Status Close() override {
    ASSIGN_OR_RETURN(Inode * inode, Get());
    (void)inode;
    Release();
    return Status::Ok();
  }

 private:
  Result<Inode*> Get() {
    if (closed_) return Status::InvalidArgument("file is closed: " + path_);
    if (generation_ != disk_->generation_) {
      return Status::IoError("file handle is stale after a simulated crash: " + path_);
    }
    return &disk_->inodes_.at(inode_);
  }
  void Release() {
    if (closed_) return;
    closed_ = true;
    if (generation_ != disk_->generation_) return;  // the crash already dropped the counts
    auto it = disk_->inodes_.find(inode_);
    BOREALIS_CHECK(it != disk_->inodes_.end());
    --it->second.open_files;
  }

  SimulatedDisk* disk_;
  const std::string path_;
  const uint64_t inode_;
  const uint64_t generation_;
  uint64_t end_ = 0;
  bool closed_ = false;
};

SimulatedDisk::SimulatedDisk(Random* random, SimulatedDiskOptions options)
    : random_(random), options_(options) {
  BOREALIS_CHECK(random_ != nullptr);
  dirs_[""] = {};
  durable_dirs_[""] = {};
}

SimulatedDisk::~SimulatedDisk() = default;

void SimulatedDisk::Apply(const Op& op, std::string& data) {
  if (op.truncate) {
    data.resize(op.offset, '\0');
    return;
  }
  if (data.size() < op.offset + op.bytes.size()) data.resize(op.offset + op.bytes.size(), '\0');
  data.replace(op.offset, op.bytes.size(), op.bytes);
}

Status SimulatedDisk::MaybeFail(const char* what) {
  if (options_.io_error_probability > 0 && random_->Bernoulli(options_.io_error_probability)) {
    return Status::IoError(std::string("injected I/O error in ") + what);
  }
  return Status::Ok();
}

SimulatedDisk::Entry* SimulatedDisk::Find(const std::string& normalized) {
  auto [parent, name] = SplitParent(normalized);
  auto dir = dirs_.find(parent);
  if (dir == dirs_.end()) return nullptr;
  auto entry = dir->second.find(name);
  return entry == dir->second.end() ? nullptr : &entry->second;
}

Result<std::unique_ptr<File>> SimulatedDisk::Open(const std::string& path, OpenMode mode) {
  const std::string normalized = Normalize(path);
  if (normalized.empty()) return Status::InvalidArgument("cannot open the root directory");
  auto [parent, name] = SplitParent(normalized);
  auto dir = dirs_.find(parent);
  if (dir == dirs_.end()) return Status::NotFound("no such directory: " + parent);
  auto it = dir->second.find(name);
  if (it != dir->second.end()) {
    if (it->second.is_dir) return Status::InvalidArgument("is a directory: " + normalized);
    if (mode == OpenMode::kCreateNew) {
      return Status::Error(Code::kAlreadyExists, "file exists: " + normalized);
    }
    return std::unique_ptr<File>(std::make_unique<SimFile>(this, normalized, it->second.inode));
  }
  if (mode == OpenMode::kOpenExisting || mode == OpenMode::kReadOnly) {
    return Status::NotFound("no such file: " + normalized);
  }
  const uint64_t inode = next_inode_++;
  inodes_[inode] = Inode{};
  dir->second[name] = Entry{false, inode};
  return std::unique_ptr<File>(std::make_unique<SimFile>(this, normalized, inode));
}

Status SimulatedDisk::Rename(const std::string& from, const std::string& to) {
  const std::string source = Normalize(from);
  const std::string target = Normalize(to);
  Entry* entry = Find(source);
  if (entry == nullptr) return Status::NotFound("no such file: " + source);
  if (entry->is_dir) return Status::NotSupported("simulated disk cannot rename directories");
  auto [target_parent, target_name] = SplitParent(target);
  auto target_dir = dirs_.find(target_parent);
  if (target_dir == dirs_.end()) return Status::NotFound("no such directory: " + target_parent);
  auto existing = target_dir->second.find(target_name);
  if (existing != target_dir->second.end() && existing->second.is_dir) {
    return Status::InvalidArgument("rename target is a directory: " + target);
  }
  const Entry moved = *entry;
  auto [source_parent, source_name] = SplitParent(source);
  dirs_.at(source_parent).erase(source_name);
  target_dir->second[target_name] = moved;
  return Status::Ok();
}

Status SimulatedDisk::Remove(const std::string& path) {
  const std::string normalized = Normalize(path);
  Entry* entry = Find(normalized);
  if (entry == nullptr) return Status::NotFound("no such file: " + normalized);
  if (entry->is_dir) {
    if (!dirs_.at(normalized).empty()) {
      return Status::IoError("directory not empty: " + normalized);
    }
    dirs_.erase(normalized);
  }
  auto [parent, name] = SplitParent(normalized);
  dirs_.at(parent).erase(name);
  return Status::Ok();
}

Result<std::vector<std::string>> SimulatedDisk::ListDir(const std::string& path) {
  auto dir = dirs_.find(Normalize(path));
  if (dir == dirs_.end()) return Status::NotFound("no such directory: " + path);
  std::vector<std::string> names;
  for (const auto& [name, entry] : dir->second) names.push_back(name);
  return names;  // std::map keeps them sorted
}

Status SimulatedDisk::CreateDir(const std::string& path) {
  const std::string normalized = Normalize(path);
  if (normalized.empty() || Find(normalized) != nullptr) {
    return Status::Error(Code::kAlreadyExists, "exists: " + normalized);
  }
  auto [parent, name] = SplitParent(normalized);
  auto dir = dirs_.find(parent);
  if (dir == dirs_.end()) return Status::NotFound("no such directory: " + parent);
  dir->second[name] = Entry{true, 0};
  dirs_[normalized] = {};
  return Status::Ok();
}

Status SimulatedDisk::SyncDir(const std::string& path) {
  const std::string normalized = Normalize(path);
  auto dir = dirs_.find(normalized);
  if (dir == dirs_.end()) return Status::NotFound("no such directory: " + normalized);
  RETURN_IF_ERROR(MaybeFail("fsync directory"));
  durable_dirs_[normalized] = dir->second;
  CollectGarbage();
  return Status::Ok();
}

Result<bool> SimulatedDisk::Exists(const std::string& path) {
  const std::string normalized = Normalize(path);
  return normalized.empty() || Find(normalized) != nullptr;
}

uint64_t SimulatedDisk::UnsyncedBytes() const {
  uint64_t total = 0;
  for (const auto& [id, inode] : inodes_) {
    for (const Op& op : inode.unsynced) total += op.bytes.size();
  }
  return total;
}

void SimulatedDisk::Crash() {
  ++generation_;
  // File data: the durable image plus, maybe, a prefix of the unsynced operations, maybe torn.
  for (auto& [id, inode] : inodes_) {
    inode.open_files = 0;
    std::string image = inode.durable;
    const size_t count = inode.unsynced.size();
    size_t kept = 0;
    if (count > 0 && random_->Bernoulli(options_.keep_unsynced_prefix_probability)) {
      kept = random_->Uniform(count + 1);
    }
    for (size_t i = 0; i < kept; ++i) Apply(inode.unsynced[i], image);
    if (kept < count && !inode.unsynced[kept].truncate &&
        random_->Bernoulli(options_.torn_write_probability)) {
      Op torn = inode.unsynced[kept];
      torn.bytes.resize(random_->Uniform(torn.bytes.size() + 1));
      Apply(torn, image);
    }
    inode.durable = image;
    inode.data = std::move(image);
    inode.unsynced.clear();
  }
  // The namespace: what the synced directory entries reach from the root.
  std::map<std::string, DirEntries> rebuilt;
  std::vector<std::string> pending = {""};
  while (!pending.empty()) {
    const std::string dir = pending.back();
    pending.pop_back();
    auto durable = durable_dirs_.find(dir);
    DirEntries entries = durable == durable_dirs_.end() ? DirEntries{} : durable->second;
    for (const auto& [name, entry] : entries) {
      if (entry.is_dir) pending.push_back(Join(dir, name));
    }
    rebuilt[dir] = std::move(entries);
  }
  dirs_ = rebuilt;
  durable_dirs_ = std::move(rebuilt);
  CollectGarbage();
}

void SimulatedDisk::CollectGarbage() {
  std::set<uint64_t> referenced;
  for (const auto* dirs : {&dirs_, &durable_dirs_}) {
    for (const auto& [path, entries] : *dirs) {
      for (const auto& [name, entry] : entries) {
        if (!entry.is_dir) referenced.insert(entry.inode);
      }
    }
  }
  for (auto it = inodes_.begin(); it != inodes_.end();) {
    if (referenced.count(it->first) == 0 && it->second.open_files == 0) {
      it = inodes_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace borealis::runtime
