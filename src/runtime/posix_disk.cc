#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/disk.h"

namespace borealis::runtime {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int error) {
  std::string message = what + " " + path + ": " + std::strerror(error);
  if (error == ENOENT) return Status::NotFound(std::move(message));
  if (error == EEXIST) return Status::Error(Code::kAlreadyExists, std::move(message));
  return Status::IoError(std::move(message));
}

class PosixFile final : public File {
 public:
  PosixFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), end_(size) {}
  ~PosixFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status WriteAt(uint64_t offset, std::string_view data) override {
    RETURN_IF_ERROR(CheckOpen());
    size_t written = 0;
    while (written < data.size()) {
      ssize_t n = ::pwrite(fd_, data.data() + written, data.size() - written,
                           static_cast<off_t>(offset + written));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("pwrite", path_, errno);
      }
      written += static_cast<size_t>(n);
    }
    end_ = std::max<uint64_t>(end_, offset + data.size());
    return Status::Ok();
  }

  Status Append(std::string_view data) override { return WriteAt(end_, data); }

  Result<std::string> ReadAt(uint64_t offset, uint64_t length) override {
    RETURN_IF_ERROR(CheckOpen());
    std::string out(length, '\0');
    size_t done = 0;
    while (done < length) {
      ssize_t n = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("pread", path_, errno);
      }
      if (n == 0) break;  // end of file
      done += static_cast<size_t>(n);
    }
    out.resize(done);
    return out;
  }

  Result<uint64_t> Size() override {
    RETURN_IF_ERROR(CheckOpen());
    struct stat st;
    if (::fstat(fd_, &st) != 0) return ErrnoStatus("fstat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Status Truncate(uint64_t size) override {
    RETURN_IF_ERROR(CheckOpen());
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
      return ErrnoStatus("ftruncate", path_, errno);
    end_ = size;
    return Status::Ok();
  }

  Status Sync() override {
    RETURN_IF_ERROR(CheckOpen());
    if (::fdatasync(fd_) != 0) return ErrnoStatus("fdatasync", path_, errno);
    return Status::Ok();
  }

  Status Close() override {
    RETURN_IF_ERROR(CheckOpen());
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return ErrnoStatus("close", path_, errno);
    return Status::Ok();
  }

 private:
  Status CheckOpen() const {
    if (fd_ < 0) return Status::InvalidArgument("file is closed: " + path_);
    return Status::Ok();
  }

  const std::string path_;
  int fd_;
  uint64_t end_;  // where Append() writes
};

}  // namespace

Result<std::unique_ptr<File>> PosixDisk::Open(const std::string& path, OpenMode mode) {
  int flags = (mode == OpenMode::kReadOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
  if (mode == OpenMode::kCreateIfMissing) flags |= O_CREAT;
  if (mode == OpenMode::kCreateNew) flags |= O_CREAT | O_EXCL;
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoStatus("fstat", path, error);
  }
  return std::unique_ptr<File>(
      std::make_unique<PosixFile>(path, fd, static_cast<uint64_t>(st.st_size)));
}

Status PosixDisk::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename", from, errno);
  return Status::Ok();
}

Status PosixDisk::Remove(const std::string& path) {
  if (::remove(path.c_str()) != 0) return ErrnoStatus("remove", path, errno);
  return Status::Ok();
}

Result<std::vector<std::string>> PosixDisk::ListDir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return ErrnoStatus("opendir", path, errno);
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Status PosixDisk::CreateDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0) return ErrnoStatus("mkdir", path, errno);
  return Status::Ok();
}

Status PosixDisk::SyncDir(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open directory", path, errno);
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0) return ErrnoStatus("fsync directory", path, error);
  return Status::Ok();
}

Result<bool> PosixDisk::Exists(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return ErrnoStatus("stat", path, errno);
}

}  // namespace borealis::runtime
