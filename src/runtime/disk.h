// Files and directories for the transaction core, behind an interface so that the simulator can
// lose unsynced writes.
//
// Contract:
// - Paths are '/'-separated strings. PosixDisk uses them as given (absolute or relative to the
//   working directory); SimulatedDisk treats them as keys of its own namespace.
// - Durability: data written to a File is durable only after File::Sync() (fdatasync) returns
//   ok. A created, renamed or removed directory entry is durable only after SyncDir() of its
//   parent directory returns ok (for Rename: of both parents). Code that wants a new file to
//   survive a crash must Sync() the file and SyncDir() its directory.
// - Every call is synchronous. PosixDisk blocks in the kernel: production callers run it on a
//   blocking pool, never on an event-loop thread. SimulatedDisk returns immediately.
// - A File is used by one thread at a time. Append() writes at the end as this File object
//   knows it (size at open, plus its own writes and truncates); two File objects appending to
//   the same path are not coherent.
// - Errors are Status values: NotFound, AlreadyExists, IoError, InvalidArgument.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::runtime {

enum class OpenMode {
  kOpenExisting,     // NotFound when missing
  kCreateIfMissing,  // opens or creates
  kCreateNew,        // AlreadyExists when present
  kReadOnly,         // an existing file, to read only (PosixDisk: O_RDONLY); NotFound when missing
};

class File {
 public:
  virtual ~File() = default;
  // Writes all of `data` at `offset` (pwrite), extending the file (zero-filled) as needed.
  virtual Status WriteAt(uint64_t offset, std::string_view data) = 0;
  // Writes all of `data` at the end of the file.
  virtual Status Append(std::string_view data) = 0;
  // Reads up to `length` bytes at `offset`; shorter only at end of file.
  virtual Result<std::string> ReadAt(uint64_t offset, uint64_t length) = 0;
  virtual Result<uint64_t> Size() = 0;
  virtual Status Truncate(uint64_t size) = 0;
  // fdatasync: the file's data (and size) becomes durable.
  virtual Status Sync() = 0;
  // Closing does not sync. Calls after Close() return InvalidArgument.
  virtual Status Close() = 0;
};

class Disk {
 public:
  virtual ~Disk() = default;
  virtual Result<std::unique_ptr<File>> Open(const std::string& path, OpenMode mode) = 0;
  // Atomically replaces `to` if it exists (rename(2)).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // Removes a file or an empty directory.
  virtual Status Remove(const std::string& path) = 0;
  // Names (not paths) of the entries of a directory, sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  // Creates one directory; AlreadyExists when it exists. The parent must exist.
  virtual Status CreateDir(const std::string& path) = 0;
  // Makes the directory's entries (creations, renames, removals) durable.
  virtual Status SyncDir(const std::string& path) = 0;
  virtual Result<bool> Exists(const std::string& path) = 0;
};

// POSIX implementation: open/pwrite/pread/fstat/ftruncate/fdatasync/rename/unlink/rmdir/
// opendir/mkdir/fsync(dir). Thread-safe (it holds no state).
class PosixDisk final : public Disk {
 public:
  Result<std::unique_ptr<File>> Open(const std::string& path, OpenMode mode) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<bool> Exists(const std::string& path) override;
};

}  // namespace borealis::runtime
