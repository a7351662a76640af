#include "pgwire/copy.h"

#include "common/check.h"

namespace borealis::pgwire {

CopyInMachine::Output CopyInMachine::Step(const FrontendMessage& message) {
  BOREALIS_CHECK(!finished_);
  Output out;
  if (auto* data = std::get_if<CopyData>(&message)) {
    total_bytes_ += data->data.size();
    if (total_bytes_ > max_total_bytes_) {
      finished_ = true;
      out.event = Event::kError;
      out.error = Status::Sql("54000", "COPY from stdin exceeds the limit of " +
                                           std::to_string(max_total_bytes_) + " bytes");
      return out;
    }
    out.event = Event::kData;
    out.data = data->data;
    return out;
  }
  if (std::holds_alternative<CopyDone>(message)) {
    finished_ = true;
    out.event = Event::kDone;
    return out;
  }
  if (auto* fail = std::get_if<CopyFail>(&message)) {
    finished_ = true;
    out.event = Event::kFailed;
    out.error = Status::Sql("57014", "COPY from stdin failed: " + std::string(fail->message));
    return out;
  }
  if (std::holds_alternative<Flush>(message) || std::holds_alternative<Sync>(message)) {
    out.event = Event::kIgnore;
    return out;
  }
  finished_ = true;
  out.event = Event::kError;
  out.error = ProtocolViolation("unexpected message type during COPY from stdin");
  return out;
}

}  // namespace borealis::pgwire
