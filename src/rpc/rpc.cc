#include "rpc/rpc.h"

#include "common/check.h"

namespace borealis::rpc {

CancelToken::~CancelToken() {
  BOREALIS_CHECK(callbacks_.empty(), "CancelToken destroyed while calls still use it");
}

void CancelToken::Cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  auto callbacks = std::move(callbacks_);
  callbacks_.clear();
  for (auto& [id, fn] : callbacks) fn();
}

uint64_t CancelToken::Register(std::function<void()> fn) {
  const uint64_t id = next_id_++;
  if (cancelled_) {
    fn();
    return id;
  }
  callbacks_.emplace(id, std::move(fn));
  return id;
}

void CancelToken::Unregister(uint64_t id) { callbacks_.erase(id); }

void ServiceRegistry::Register(std::string method, MethodHandler handler) {
  BOREALIS_CHECK(handler != nullptr);
  const bool inserted = handlers_.emplace(method, std::move(handler)).second;
  BOREALIS_CHECK(inserted, "method registered twice:", method);
}

const MethodHandler* ServiceRegistry::Find(std::string_view method) const {
  auto it = handlers_.find(method);
  return it == handlers_.end() ? nullptr : &it->second;
}

}  // namespace borealis::rpc
