#include "txn/messenger.h"

namespace borealis::txn {
namespace {

constexpr size_t kLengthBytes = 4;

// The field an attachment slot names, or nullptr when the envelope has no such field.
std::string* SlotField(core::Envelope& envelope, core::Envelope::AttachmentSlot slot) {
  switch (slot) {
    case core::Envelope::COMMIT_RECORD:
      return envelope.has_commit_request()
                 ? envelope.mutable_commit_request()->mutable_commit_record()
                 : nullptr;
    case core::Envelope::STAGED_RECORD:
      return envelope.has_stage_request()
                 ? envelope.mutable_stage_request()->mutable_commit_record()
                 : nullptr;
    case core::Envelope::FIRST_ENTRY_PAYLOAD:
      if (envelope.has_append_request() && envelope.append_request().entries_size() > 0) {
        return envelope.mutable_append_request()->mutable_entries(0)->mutable_payload();
      }
      if (envelope.has_read_journal_response() &&
          envelope.read_journal_response().entries_size() > 0) {
        return envelope.mutable_read_journal_response()->mutable_entries(0)->mutable_payload();
      }
      return nullptr;
    default:
      return nullptr;
  }
}

uint64_t AttachmentSize(const Attachment& attachment) {
  return attachment.bytes ? attachment.bytes->size() : 0;
}

}  // namespace

Attachment LiftAttachment(core::Envelope& envelope) {
  for (auto slot : {core::Envelope::COMMIT_RECORD, core::Envelope::STAGED_RECORD,
                    core::Envelope::FIRST_ENTRY_PAYLOAD}) {
    std::string* field = SlotField(envelope, slot);
    if (field != nullptr && field->size() >= kMinAttachmentBytes) {
      return Attachment{slot, std::make_shared<const std::string>(std::move(*field))};
    }
  }
  return Attachment{};
}

Messenger::Messenger(runtime::Env env)
    // Request ids start at a random point so that a restarted process never takes a response
    // meant for its previous incarnation (still in flight) as the answer to a new request.
    : env_(env), next_request_id_(env.random->Next() | 1) {
  env_.transport->SetHandler(
      [this](const std::string& from, std::string bytes) { OnMessage(from, std::move(bytes)); });
}

Messenger::~Messenger() {
  env_.transport->SetHandler(nullptr);
  for (auto& [id, call] : calls_) env_.scheduler->Cancel(call.timer);
}

void Messenger::Call(const std::string& to, core::Envelope request,
                     std::chrono::nanoseconds timeout, ResponseCallback done,
                     Attachment attachment) {
  if (!attachment.bytes) attachment = LiftAttachment(request);
  Send(to, std::move(request), timeout, std::move(done), attachment);
}

void Messenger::Send(const std::string& to, core::Envelope request,
                     std::chrono::nanoseconds timeout, ResponseCallback done,
                     const Attachment& attachment) {
  // Failures are reported from the scheduler, never before Call returns: callers may rely on
  // their state being untouched by the callback until then.
  auto fail = [this, &done](Status status) {
    env_.scheduler->After(std::chrono::nanoseconds(0),
                          [done = std::move(done), status]() mutable { done(status); });
  };
  if (calls_.size() >= kMaxInFlightCalls) {
    fail(Status::ResourceExhausted("too many requests in flight to " + to));
    return;
  }
  uint64_t bytes = request.ByteSizeLong() + AttachmentSize(attachment);
  if (bytes + 16 > runtime::kMaxMessageBytes) {
    fail(Status::ResourceExhausted("request of " + std::to_string(bytes) +
                                   " bytes exceeds the message limit"));
    return;
  }
  uint64_t id = next_request_id_++;
  request.set_request_id(id);
  request.set_is_response(false);
  // Big requests (bulk-load write sets) take time to move and to process: every byte extends
  // the deadline, so a 100 MB commit is not resent every attempt_timeout.
  timeout += std::chrono::nanoseconds(static_cast<int64_t>(bytes) * kTimeoutNanosPerByte);
  runtime::TimerId timer = env_.scheduler->After(timeout, [this, id, to] {
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    ResponseCallback callback = std::move(it->second.done);
    calls_.erase(it);
    callback(Status::DeadlineExceeded("no answer from " + to));
  });
  calls_.emplace(id, PendingCall{std::move(done), timer, to});
  Transmit(to, request, attachment);
}

void Messenger::CallWithRetry(const std::string& to, std::shared_ptr<core::Envelope> shared,
                              std::chrono::nanoseconds attempt_timeout,
                              std::chrono::nanoseconds total_timeout, ResponseCallback done,
                              Attachment attachment) {
  if (!attachment.bytes) attachment = LiftAttachment(*shared);
  auto deadline = env_.scheduler->MonotonicNow() + total_timeout;
  auto attempt = std::make_shared<std::function<void()>>();
  // The closure holds itself only through a weak reference, so it dies with its last call.
  std::weak_ptr<std::function<void()>> weak_attempt = attempt;
  *attempt = [this, to, shared, attachment, attempt_timeout, deadline, weak_attempt,
              done = std::move(done)]() mutable {
    auto remaining = deadline - env_.scheduler->MonotonicNow();
    if (remaining.count() <= 0) {
      done(Status::DeadlineExceeded("no answer from " + to));
      return;
    }
    auto self = weak_attempt.lock();
    // The envelope is small (its bulk field, if any, is the shared attachment).
    Send(
        to, *shared, std::min(attempt_timeout, remaining),
        [self, done](Result<core::Envelope> response) mutable {
          if (!response.ok() && response.status().code() == Code::kDeadlineExceeded && self) {
            (*self)();
            return;
          }
          done(std::move(response));
        },
        attachment);
  };
  (*attempt)();
}

void Messenger::Reply(const std::string& to, uint64_t request_id, core::Envelope response,
                      Attachment attachment) {
  response.set_request_id(request_id);
  response.set_is_response(true);
  if (!attachment.bytes) attachment = LiftAttachment(response);
  Transmit(to, response, attachment);
}

void Messenger::Transmit(const std::string& to, const core::Envelope& envelope,
                         const Attachment& attachment) {
  // attachment ‖ envelope ‖ u32 envelope length (little endian): the receiver keeps the
  // attachment by cutting the rest off in place.
  std::string trailer;
  if (attachment.bytes) {
    core::Envelope with_slot = envelope;  // small: the bulk field is in the attachment
    with_slot.set_attachment_slot(attachment.slot);
    trailer = with_slot.SerializeAsString();
  } else {
    trailer = envelope.SerializeAsString();
  }
  uint32_t length = static_cast<uint32_t>(trailer.size());
  for (size_t i = 0; i < kLengthBytes; ++i) trailer.push_back(static_cast<char>(length >> (8 * i)));
  if (attachment.bytes) {
    env_.transport->SendGathered(to, attachment.bytes, std::move(trailer));
  } else {
    env_.transport->Send(to, std::move(trailer));
  }
}

void Messenger::OnMessage(const std::string& from, std::string bytes) {
  if (bytes.size() < kLengthBytes) return;  // garbage: the sender will time out
  uint32_t length = 0;
  for (size_t i = 0; i < kLengthBytes; ++i) {
    length |= uint32_t{static_cast<uint8_t>(bytes[bytes.size() - kLengthBytes + i])} << (8 * i);
  }
  if (length > bytes.size() - kLengthBytes) return;
  size_t attachment_size = bytes.size() - kLengthBytes - length;
  core::Envelope envelope;
  if (!envelope.ParseFromArray(bytes.data() + attachment_size, static_cast<int>(length))) return;
  if (envelope.attachment_slot() != core::Envelope::NO_ATTACHMENT) {
    std::string* field = SlotField(envelope, envelope.attachment_slot());
    if (field == nullptr) return;
    bytes.resize(attachment_size);  // in place: the message becomes the attachment
    *field = std::move(bytes);
    envelope.set_attachment_slot(core::Envelope::NO_ATTACHMENT);
  } else if (attachment_size != 0) {
    return;
  }
  std::string().swap(bytes);
  if (!envelope.is_response()) {
    // Read the id first: argument evaluation order is unspecified, and the envelope is moved.
    uint64_t request_id = envelope.request_id();
    if (handler_) handler_(from, request_id, std::move(envelope));
    return;
  }
  auto it = calls_.find(envelope.request_id());
  if (it == calls_.end() || it->second.peer != from) return;  // late, duplicate or misdirected
  env_.scheduler->Cancel(it->second.timer);
  ResponseCallback callback = std::move(it->second.done);
  calls_.erase(it);
  callback(std::move(envelope));
}

}  // namespace borealis::txn
