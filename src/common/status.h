// Status and Result<T>: expected failures as values.
//
// Contract: a Status is either ok or carries a Code, a message and, at the SQL boundary, a
// SQLSTATE (five characters) plus optional detail, hint and 1-based character position.
// Ok statuses allocate nothing. Status and Result are plain values: copyable, movable, and safe
// to hand between threads. Exceptions never cross component or coroutine boundaries; anything
// that can fail returns one of these.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/check.h"

namespace borealis {

enum class Code : uint8_t {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kCorruption,
  kIoError,
  kUnavailable,
  kDeadlineExceeded,
  kCancelled,
  kResourceExhausted,
  kAborted,  // e.g. an OCC conflict
  kNotSupported,
  kInternal,
  kSql,  // an error that carries a SQLSTATE for the client
};

const char* CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok

  static Status Ok() { return Status(); }
  static Status Error(Code code, std::string message) {
    return Status(code, std::move(message), DefaultSqlState(code));
  }
  // An error for the SQL client: SQLSTATE plus PostgreSQL-style message.
  static Status Sql(std::string sqlstate, std::string message) {
    return Status(Code::kSql, std::move(message), std::move(sqlstate));
  }

  static Status InvalidArgument(std::string m) {
    return Error(Code::kInvalidArgument, std::move(m));
  }
  static Status NotFound(std::string m) { return Error(Code::kNotFound, std::move(m)); }
  static Status Corruption(std::string m) { return Error(Code::kCorruption, std::move(m)); }
  static Status IoError(std::string m) { return Error(Code::kIoError, std::move(m)); }
  static Status Unavailable(std::string m) { return Error(Code::kUnavailable, std::move(m)); }
  static Status DeadlineExceeded(std::string m) {
    return Error(Code::kDeadlineExceeded, std::move(m));
  }
  static Status Cancelled(std::string m) { return Error(Code::kCancelled, std::move(m)); }
  static Status ResourceExhausted(std::string m) {
    return Error(Code::kResourceExhausted, std::move(m));
  }
  static Status NotSupported(std::string m) { return Error(Code::kNotSupported, std::move(m)); }
  static Status Internal(std::string m) { return Error(Code::kInternal, std::move(m)); }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return ok() ? Code::kOk : state_->code; }
  const std::string& message() const { return ok() ? Empty() : state_->message; }
  const std::string& sqlstate() const { return ok() ? Empty() : state_->sqlstate; }
  const std::string& detail() const { return ok() ? Empty() : state_->detail; }
  const std::string& hint() const { return ok() ? Empty() : state_->hint; }
  int position() const { return ok() ? 0 : state_->position; }
  // PostgreSQL's CONTEXT field (e.g. `COPY t, line 3, column a: "x"`).
  const std::string& context() const { return ok() ? Empty() : state_->context; }

  // Builders for the optional fields; REQUIRES: !ok().
  Status&& WithDetail(std::string detail) && {
    Mutable().detail = std::move(detail);
    return std::move(*this);
  }
  Status&& WithHint(std::string hint) && {
    Mutable().hint = std::move(hint);
    return std::move(*this);
  }
  Status&& WithPosition(int position) && {
    Mutable().position = position;
    return std::move(*this);
  }
  Status&& WithContext(std::string context) && {
    Mutable().context = std::move(context);
    return std::move(*this);
  }

  std::string ToString() const;

 private:
  struct State {
    Code code;
    std::string message;
    std::string sqlstate;
    std::string detail;
    std::string hint;
    int position = 0;
    std::string context;
  };

  Status(Code code, std::string message, std::string sqlstate)
      : state_(std::make_shared<State>(State{code, std::move(message), std::move(sqlstate)})) {}

  State& Mutable() {
    BOREALIS_CHECK(state_ != nullptr);
    if (state_.use_count() > 1) state_ = std::make_shared<State>(*state_);
    return *state_;
  }
  static const std::string& Empty();
  static std::string DefaultSqlState(Code code);

  std::shared_ptr<State> state_;  // null when ok; shared so copies are cheap
};

// Result<T>: a T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    BOREALIS_CHECK(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    BOREALIS_CHECK(ok(), status_.ToString());
    return *value_;
  }
  const T& value() const& {
    BOREALIS_CHECK(ok(), status_.ToString());
    return *value_;
  }
  T&& value() && {
    BOREALIS_CHECK(ok(), status_.ToString());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace borealis

#define BOREALIS_CONCAT_INNER(a, b) a##b
#define BOREALIS_CONCAT(a, b) BOREALIS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when it is not ok.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::borealis::Status status_macro_ = (expr);     \
    if (!status_macro_.ok()) return status_macro_; \
  } while (0)

// ASSIGN_OR_RETURN(auto x, FunctionReturningResult());
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(BOREALIS_CONCAT(result_macro_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
