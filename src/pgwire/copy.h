// CopyInMachine: framing of COPY FROM STDIN (protocol 3.0 "COPY Operations"), pure.
//
// After the engine starts a COPY FROM STDIN the server writes CopyInResponse (BackendWriter) and
// feeds every following frontend message to Step() until it returns kDone, kFailed or kError:
//   CopyData -> kData (bytes for the engine), CopyDone -> kDone, CopyFail -> kFailed (57014),
//   Flush/Sync -> kIgnore (the protocol says they are ignored during copy-in),
//   anything else -> kError (08P01); the engine then reports the error and the connection
//   discards messages until Sync like any extended-protocol error.
// The total data is capped by max_total_bytes (54000 when exceeded). COPY TO STDOUT needs no
// machine: CopyOutResponse, CopyData..., CopyDone from BackendWriter.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "pgwire/protocol.h"

namespace borealis::pgwire {

inline constexpr uint64_t kDefaultMaxCopyInBytes = uint64_t{16} << 30;

class CopyInMachine {
 public:
  enum class Event { kData, kDone, kFailed, kError, kIgnore };
  struct Output {
    Event event = Event::kIgnore;
    std::string_view data;  // kData
    Status error;           // kFailed, kError
  };

  explicit CopyInMachine(uint64_t max_total_bytes = kDefaultMaxCopyInBytes)
      : max_total_bytes_(max_total_bytes) {}

  // REQUIRES: !finished().
  Output Step(const FrontendMessage& message);
  bool finished() const { return finished_; }
  uint64_t total_bytes() const { return total_bytes_; }

 private:
  uint64_t max_total_bytes_;
  uint64_t total_bytes_ = 0;
  bool finished_ = false;
};

}  // namespace borealis::pgwire
