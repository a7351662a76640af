// BackendWriter: encodes backend (server -> client) messages of protocol 3.0 into one growing
// output buffer.
//
// Contract: appends whole messages only; the caller sends data() and then Consume()s what was
// written. Not thread-safe (one per connection). The buffer starts small and ShrinkIfIdle()
// returns memory after a large result, so idle connections stay cheap.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "qp/session.h"

namespace borealis::pgwire {

inline constexpr size_t kInitialOutputBytes = 256;
// Like PostgreSQL's 8 KiB send/receive buffers: an idle connection keeps at most this much.
inline constexpr size_t kIdleOutputCapacityBytes = 8 << 10;

// Severity of an ErrorResponse.
enum class Severity { kError, kFatal };

class BackendWriter {
 public:
  // Single bytes answering SSLRequest/GSSENCRequest ('S' or 'N'); not a framed message.
  void RawByte(char c);

  void AuthenticationOk();
  void AuthenticationCleartextPassword();
  void AuthenticationSasl(std::span<const std::string_view> mechanisms);
  void AuthenticationSaslContinue(std::string_view data);
  void AuthenticationSaslFinal(std::string_view data);
  void NegotiateProtocolVersion(int32_t newest_minor, std::span<const std::string> options);
  void BackendKeyData(int32_t pid, int32_t secret);
  void ParameterStatus(std::string_view name, std::string_view value);
  void ReadyForQuery(char transaction_status);

  void RowDescription(const std::vector<qp::FieldDescription>& fields);
  void DataRow(const qp::WireRow& row);
  void CommandComplete(std::string_view tag);
  void EmptyQueryResponse();
  // Fields S, V, C, M and, when set, D, H, P. A status without a SQLSTATE reports XX000.
  void ErrorResponse(const Status& status, Severity severity = Severity::kError);
  void NoticeResponse(const qp::Notice& notice);

  void ParseComplete();
  void BindComplete();
  void CloseComplete();
  void NoData();
  void ParameterDescription(const std::vector<uint32_t>& types);
  void PortalSuspended();

  // COPY framing: overall format 0 text / 1 binary and one format per column.
  void CopyInResponse(int8_t format, std::span<const int16_t> column_formats);
  void CopyOutResponse(int8_t format, std::span<const int16_t> column_formats);
  void CopyData(std::string_view data);
  void CopyDone();

  std::string_view data() const { return buffer_; }
  size_t size() const { return buffer_.size(); }
  bool empty() const { return buffer_.empty(); }
  void Consume(size_t n);
  void Clear() { buffer_.clear(); }
  // Drops everything written after size() was `size` (whole messages only).
  void Truncate(size_t size);
  void ShrinkIfIdle();

 private:
  void Begin(char type);
  void End();
  void PutInt32(int32_t v);
  void PutInt16(int16_t v);
  void PutString(std::string_view s);  // with the terminating NUL
  void EmptyMessage(char type);
  void Field(char code, std::string_view value);

  std::string buffer_;
  size_t message_start_ = 0;
  bool in_message_ = false;
};

}  // namespace borealis::pgwire
