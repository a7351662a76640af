#include "common/status.h"

#include <cstdio>
#include <cstdlib>

namespace borealis {

namespace internal {
void CheckFailed(const char* condition, const char* file, int line, const std::string& message) {
  std::fprintf(stderr, "CHECK failed: %s at %s:%d %s\n", condition, file, line, message.c_str());
  std::fflush(stderr);
  std::abort();
}
}  // namespace internal

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      return "InvalidArgument";
    case Code::kNotFound:
      return "NotFound";
    case Code::kAlreadyExists:
      return "AlreadyExists";
    case Code::kCorruption:
      return "Corruption";
    case Code::kIoError:
      return "IoError";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kDeadlineExceeded:
      return "DeadlineExceeded";
    case Code::kCancelled:
      return "Cancelled";
    case Code::kResourceExhausted:
      return "ResourceExhausted";
    case Code::kAborted:
      return "Aborted";
    case Code::kNotSupported:
      return "NotSupported";
    case Code::kInternal:
      return "Internal";
    case Code::kSql:
      return "Sql";
  }
  return "Unknown";
}

const std::string& Status::Empty() {
  static const std::string empty;
  return empty;
}

std::string Status::DefaultSqlState(Code code) {
  switch (code) {
    case Code::kOk:
      return "00000";
    case Code::kNotSupported:
      return "0A000";
    case Code::kResourceExhausted:
      return "54000";
    case Code::kCancelled:
      return "57014";
    case Code::kAborted:
      return "40001";
    case Code::kInvalidArgument:
      return "22023";
    case Code::kUnavailable:
      return "08006";
    case Code::kDeadlineExceeded:
      return "57014";
    default:
      return "XX000";
  }
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = CodeName(code());
  out += " [" + sqlstate() + "]: " + message();
  if (!detail().empty()) out += " DETAIL: " + detail();
  return out;
}

}  // namespace borealis
