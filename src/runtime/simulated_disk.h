// An in-memory Disk for the simulator and for unit tests that need crash-consistency faults.
//
// Contract:
// - Behaves like disk.h describes, in memory, deterministically given its Random.
// - Tracks durability as disk.h defines it: file data becomes durable at File::Sync(),
//   directory entries (create, rename, remove, mkdir) at SyncDir() of the parent directory.
// - Crash() simulates power loss. Directory entries revert to their last synced state (files
//   and directories reachable only through unsynced entries vanish). Per file, the unsynced
//   writes and truncates since the last Sync() are lost, except that with probability
//   keep_unsynced_prefix_probability a random prefix of them (in issue order) survives, and
//   with probability torn_write_probability the first lost write survives partially (a random
//   prefix of its bytes): a torn write. Files opened before Crash() return IoError afterwards.
// - With io_error_probability > 0, WriteAt/Append/Sync fail with IoError at random (a failed
//   write changes nothing; a failed Sync makes nothing durable).
// - Limitations: directories cannot be renamed (NotSupported); paths are normalized by
//   dropping empty components, "." and ".." are not interpreted.
// - Single-threaded: call from the simulator thread only. The disk must outlive its Files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/disk.h"
#include "runtime/random.h"

namespace borealis::runtime {

struct SimulatedDiskOptions {
  double keep_unsynced_prefix_probability = 0.5;
  double torn_write_probability = 0.5;
  double io_error_probability = 0;
};

class SimulatedDisk final : public Disk {
 public:
  // REQUIRES: random outlives the disk.
  SimulatedDisk(Random* random, SimulatedDiskOptions options);
  ~SimulatedDisk() override;

  Result<std::unique_ptr<File>> Open(const std::string& path, OpenMode mode) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<bool> Exists(const std::string& path) override;

  void Crash();
  void set_options(SimulatedDiskOptions options) { options_ = options; }
  // Bytes written but not yet synced, over all files (for tests and traces).
  uint64_t UnsyncedBytes() const;

  class SimFile;

 private:
  struct Entry {
    bool is_dir = false;
    uint64_t inode = 0;  // files only
  };
  using DirEntries = std::map<std::string, Entry>;
  struct Op {
    bool truncate = false;
    uint64_t offset = 0;  // write offset, or the new size for a truncate
    std::string bytes;
  };
  struct Inode {
    std::string data;     // what reads see
    std::string durable;  // what survives a crash
    std::vector<Op> unsynced;
    int open_files = 0;
  };

  static void Apply(const Op& op, std::string& data);
  Status MaybeFail(const char* what);
  Entry* Find(const std::string& path);
  void CollectGarbage();

  Random* random_;
  SimulatedDiskOptions options_;
  uint64_t generation_ = 0;  // bumped by Crash(): older Files are stale
  uint64_t next_inode_ = 1;
  std::map<std::string, DirEntries> dirs_;          // directory path -> entries ("" is root)
  std::map<std::string, DirEntries> durable_dirs_;  // as of the last SyncDir of each
  std::map<uint64_t, Inode> inodes_;
};

}  // namespace borealis::runtime
