// Messenger: request/response over a runtime::Transport for the transaction core's services.
//
// The Transport is best effort (messages may be lost, delayed, duplicated, reordered), so:
// - Call() completes exactly once, never before it returns: with the response, or
//   DeadlineExceeded after `timeout` (extended by kTimeoutNanosPerByte per request byte), or
//   ResourceExhausted (from the scheduler, without waiting) when kMaxInFlightCalls are
//   outstanding or the request is larger than runtime::kMaxMessageBytes. Late or duplicate
//   responses are ignored.
// - Request ids are unique across restarts of the process (random start), and a response is
//   accepted only from the endpoint the request went to.
// - Requests may arrive more than once: services make their handlers idempotent (see each
//   service's contract).
// - A service registers one request handler; it answers with Reply() (now or later, or never:
//   the caller then times out).
// - Bulk payloads (a commit record, a journal entry's payload) travel as attachments: beside
//   the serialized envelope instead of inside it, so that neither side copies them. The sender
//   shares its buffer with the transport (which writes it as it is); the receiver's message is
//   `attachment ‖ envelope ‖ u32 envelope length`, and the attachment is moved into its field
//   (Envelope.attachment_slot) after the message is cut to it in place. Handlers see an
//   ordinary envelope. Fields of at least kMinAttachmentBytes are lifted automatically from
//   requests and responses given by value; callers that keep a payload for resends pass it as
//   an Attachment explicitly.
// Threading: the node's event-loop thread only (like Transport and Scheduler).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/status.h"
#include "runtime/env.h"
#include "txn/core.pb.h"

namespace borealis::txn {

inline constexpr size_t kMaxInFlightCalls = 1 << 16;
// Each request byte adds this much to its deadline (100 ns/byte: 10 MB/s of transfer plus
// processing, e.g. +4 s for a 40 MB write set).
inline constexpr int64_t kTimeoutNanosPerByte = 100;
// Byte fields at least this large travel as attachments.
inline constexpr size_t kMinAttachmentBytes = 64 << 10;

struct Attachment {
  core::Envelope::AttachmentSlot slot = core::Envelope::NO_ATTACHMENT;
  std::shared_ptr<const std::string> bytes;
};

// Moves the envelope's attachable field (if at least kMinAttachmentBytes) out into an
// Attachment, leaving it empty; an empty Attachment otherwise.
Attachment LiftAttachment(core::Envelope& envelope);

class Messenger {
 public:
  using RequestHandler =
      std::function<void(const std::string& from, uint64_t request_id, core::Envelope request)>;
  using ResponseCallback = std::function<void(Result<core::Envelope>)>;

  explicit Messenger(runtime::Env env);
  ~Messenger();

  void SetRequestHandler(RequestHandler handler) { handler_ = std::move(handler); }
  // `attachment`: sent beside the request (see above); when empty, a large field is lifted.
  void Call(const std::string& to, core::Envelope request, std::chrono::nanoseconds timeout,
            ResponseCallback done, Attachment attachment = {});
  // `attachment`: as for Call().
  void Reply(const std::string& to, uint64_t request_id, core::Envelope response,
             Attachment attachment = {});

  // Call() with resends: each attempt waits `attempt_timeout`; on no answer the same request
  // is sent again until `total_timeout` has passed (then DeadlineExceeded). Only for requests
  // the callee handles idempotently (reads; commits, which carry a transaction id). A bulk
  // field of the request is lifted once into the shared attachment (unless one is given), so
  // each attempt serializes only the small rest.
  void CallWithRetry(const std::string& to, std::shared_ptr<core::Envelope> request,
                     std::chrono::nanoseconds attempt_timeout,
                     std::chrono::nanoseconds total_timeout, ResponseCallback done,
                     Attachment attachment = {});

  size_t in_flight() const { return calls_.size(); }
  const runtime::Env& env() const { return env_; }

 private:
  struct PendingCall {
    ResponseCallback done;
    runtime::TimerId timer = runtime::kNoTimer;
    std::string peer;  // only a response from the endpoint we asked is accepted
  };
  void OnMessage(const std::string& from, std::string bytes);
  // Sets the request id and sends; completes `done` like Call().
  void Send(const std::string& to, core::Envelope request, std::chrono::nanoseconds timeout,
            ResponseCallback done, const Attachment& attachment);
  void Transmit(const std::string& to, const core::Envelope& envelope,
                const Attachment& attachment);

  runtime::Env env_;
  RequestHandler handler_;
  uint64_t next_request_id_;
  std::unordered_map<uint64_t, PendingCall> calls_;
};

}  // namespace borealis::txn
