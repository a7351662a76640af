#include "txn/messenger.h"

namespace borealis::txn {

Messenger::Messenger(runtime::Env env) : env_(env) {
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
  runtime::TimerId timer = env_.scheduler->After(timeout, [this, id, to] {
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    ResponseCallback callback = std::move(it->second.done);
    calls_.erase(it);
    callback(Status::DeadlineExceeded("no answer from " + to));
  });
  calls_.emplace(id, PendingCall{std::move(done), timer});
  env_.transport->Send(to, std::move(bytes));
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
  if (it == calls_.end()) return;  // late or duplicate
  env_.scheduler->Cancel(it->second.timer);
  ResponseCallback callback = std::move(it->second.done);
  calls_.erase(it);
  callback(std::move(envelope));
}

}  // namespace borealis::txn
