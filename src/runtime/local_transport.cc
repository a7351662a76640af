#include "runtime/local_transport.h"

#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace borealis::runtime {

void LocalHub::Add(const std::string& endpoint, std::shared_ptr<Receiver> receiver) {
  std::lock_guard lock(mutex_);
  receivers_[endpoint] = std::move(receiver);
}

void LocalHub::Remove(const std::string& endpoint, const Receiver* receiver) {
  std::lock_guard lock(mutex_);
  auto it = receivers_.find(endpoint);
  if (it != receivers_.end() && it->second.get() == receiver) receivers_.erase(it);
}

bool LocalHub::Contains(const std::string& endpoint) const {
  std::lock_guard lock(mutex_);
  return receivers_.count(endpoint) != 0;
}

LocalHub::Delivery LocalHub::Post(const std::string& to, const std::string& from,
                                  std::string& message) {
  // Posting under the lock: Remove() cannot return (and the receiver's loop cannot be
  // destroyed) while a post to it is in progress.
  std::lock_guard lock(mutex_);
  auto it = receivers_.find(to);
  if (it == receivers_.end()) return Delivery::kNotLocal;
  std::shared_ptr<Receiver>& receiver = it->second;
  if (receiver->queued.load(std::memory_order_relaxed) >= kMaxLocalQueuedMessages) {
    return Delivery::kDropped;
  }
  receiver->queued.fetch_add(1, std::memory_order_relaxed);
  std::weak_ptr<Receiver> weak = receiver;
  receiver->post([weak, from, message = std::move(message)]() mutable {
    std::shared_ptr<Receiver> target = weak.lock();
    if (!target) return;  // the node stopped
    target->queued.fetch_sub(1, std::memory_order_relaxed);
    if (target->handler) target->handler(from, std::move(message));
  });
  return Delivery::kQueued;
}

LocalTransport::LocalTransport(asio::io_context& io, TcpTransportOptions options, LocalHub* hub)
    : tcp_(io, std::move(options)), hub_(hub), receiver_(std::make_shared<LocalHub::Receiver>()) {
  receiver_->post = [&io](std::function<void()> fn) { asio::post(io, std::move(fn)); };
}

LocalTransport::~LocalTransport() { Stop(); }

Status LocalTransport::Start() {
  RETURN_IF_ERROR(tcp_.Start());
  if (hub_ != nullptr) {
    hub_->Add(tcp_.LocalEndpoint(), receiver_);
    registered_ = true;
  }
  return Status::Ok();
}

void LocalTransport::Stop() {
  if (registered_) {
    hub_->Remove(tcp_.LocalEndpoint(), receiver_.get());
    registered_ = false;
  }
  receiver_->handler = nullptr;
  tcp_.Stop();
}

void LocalTransport::SetHandler(MessageHandler handler) {
  receiver_->handler = handler;
  tcp_.SetHandler(std::move(handler));
}

bool LocalTransport::SendLocal(const std::string& to, std::string& message) {
  if (!registered_) return false;
  switch (hub_->Post(to, tcp_.LocalEndpoint(), message)) {
    case LocalHub::Delivery::kNotLocal:
      return false;
    case LocalHub::Delivery::kQueued:
      ++local_sent_;
      return true;
    case LocalHub::Delivery::kDropped:
      ++local_dropped_;
      return true;
  }
  return false;
}

void LocalTransport::Send(const std::string& to, std::string message) {
  if (message.size() > kMaxMessageBytes) {
    tcp_.Send(to, std::move(message));  // dropped and counted there
    return;
  }
  if (SendLocal(to, message)) return;
  tcp_.Send(to, std::move(message));
}

void LocalTransport::SendGathered(const std::string& to, std::shared_ptr<const std::string> body,
                                  std::string trailer) {
  if (!registered_ || !hub_->Contains(to)) {
    tcp_.SendGathered(to, std::move(body), std::move(trailer));
    return;
  }
  // The receiver must own its message: join once (TCP's receiver makes the same one copy).
  std::string message;
  message.reserve((body ? body->size() : 0) + trailer.size());
  if (body) message.append(*body);
  message.append(trailer);
  Send(to, std::move(message));
}

}  // namespace borealis::runtime
