#include "txn/messenger.h"

namespace borealis::txn {

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
                     std::chrono::nanoseconds timeout, ResponseCallback done) {
  if (calls_.size() >= kMaxInFlightCalls) {
    done(Status::ResourceExhausted("too many requests in flight to " + to));
    return;
  }
  uint64_t id = next_request_id_++;
  request.set_request_id(id);
  request.set_is_response(false);
  std::string bytes = request.SerializeAsString();
  if (bytes.size() > runtime::kMaxMessageBytes) {
    done(Status::ResourceExhausted("request of " + std::to_string(bytes.size()) +
                                   " bytes exceeds the message limit"));
    return;
  }
  // Big requests (bulk-load write sets) take time to move and to process: every byte extends
  // the deadline, so a 100 MB commit is not resent every attempt_timeout.
  timeout += std::chrono::nanoseconds(static_cast<int64_t>(bytes.size()) * kTimeoutNanosPerByte);
  runtime::TimerId timer = env_.scheduler->After(timeout, [this, id, to] {
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    ResponseCallback callback = std::move(it->second.done);
    calls_.erase(it);
    callback(Status::DeadlineExceeded("no answer from " + to));
  });
  calls_.emplace(id, PendingCall{std::move(done), timer, to});
  env_.transport->Send(to, std::move(bytes));
}

void Messenger::CallWithRetry(const std::string& to, core::Envelope request,
                              std::chrono::nanoseconds attempt_timeout,
                              std::chrono::nanoseconds total_timeout, ResponseCallback done) {
  auto shared = std::make_shared<core::Envelope>(std::move(request));
  auto deadline = env_.scheduler->MonotonicNow() + total_timeout;
  auto attempt = std::make_shared<std::function<void()>>();
  // The closure holds itself only through a weak reference, so it dies with its last call.
  std::weak_ptr<std::function<void()>> weak_attempt = attempt;
  *attempt = [this, to, shared, attempt_timeout, deadline, weak_attempt,
              done = std::move(done)]() mutable {
    auto remaining = deadline - env_.scheduler->MonotonicNow();
    if (remaining.count() <= 0) {
      done(Status::DeadlineExceeded("no answer from " + to));
      return;
    }
    auto self = weak_attempt.lock();
    Call(to, *shared, std::min(attempt_timeout, remaining),
         [self, done](Result<core::Envelope> response) mutable {
           if (!response.ok() && response.status().code() == Code::kDeadlineExceeded && self) {
             (*self)();
             return;
           }
           done(std::move(response));
         });
  };
  (*attempt)();
}

void Messenger::Reply(const std::string& to, uint64_t request_id, core::Envelope response) {
  response.set_request_id(request_id);
  response.set_is_response(true);
  env_.transport->Send(to, response.SerializeAsString());
}

void Messenger::OnMessage(const std::string& from, std::string bytes) {
  core::Envelope envelope;
  if (!envelope.ParseFromString(bytes)) return;  // garbage: the sender will time out
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
