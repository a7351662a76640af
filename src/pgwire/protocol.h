// PostgreSQL frontend/backend protocol 3.0: constants and the frontend message decoder.
//
// Contract: pure functions over bytes, no I/O, no allocation beyond the decoded message. The
// decoder is incremental: ScanFrame looks at the head of whatever has been received so far and
// says either "need N bytes in total" or hands back one complete frame; the caller keeps the
// bytes and calls again after reading more. Oversized or impossible lengths are rejected as
// soon as the header is visible, so a client can never make the server buffer more than
// max_message_size_bytes. Decoded messages hold string_views into the frame: they are valid
// only while the caller's input buffer holds those bytes.
//
// Every error is a Status with SQLSTATE 08P01 (protocol_violation); the server answers it with
// a FATAL ErrorResponse and closes the connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace borealis::pgwire {

inline constexpr int32_t kProtocolVersion3 = 196608;  // 3.0
inline constexpr int32_t kCancelRequestCode = 80877102;
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;

// PostgreSQL caps startup packets at 10000 bytes (MAX_STARTUP_PACKET_LENGTH).
inline constexpr size_t kMaxStartupPacketSizeBytes = 10000;
inline constexpr size_t kMaxStartupParameters = 256;
// PostgreSQL accepts up to 1 GiB; that is more than a connection should be able to pin.
inline constexpr size_t kDefaultMaxMessageSizeBytes = 64 << 20;
inline constexpr size_t kMinMaxMessageSizeBytes = 1 << 10;
// Counts are Int16 on the wire.
inline constexpr size_t kMaxParameters = 65535;

enum class Phase {
  kStartup,  // untyped packets: Int32 length, Int32 code, body
  kTyped,    // Byte1 type, Int32 length (counting itself), body
};

struct Frame {
  char type = 0;          // 0 in the startup phase
  std::string_view body;  // after the header
  size_t size_bytes = 0;  // the whole frame, header included
};

struct FrameScan {
  std::optional<Frame> frame;  // set when a whole frame is available
  size_t needed_bytes = 0;     // otherwise: bytes the frame needs in total (header if unknown)
};

// Looks for one frame at the start of `input`. Errors on an impossible or oversized length.
Result<FrameScan> ScanFrame(std::string_view input, Phase phase, size_t max_message_size_bytes);

// Startup-phase messages.
struct SslRequest {};
struct GssEncRequest {};
struct CancelRequest {
  int32_t pid = 0;
  int32_t secret = 0;
};
struct StartupMessage {
  int32_t protocol_version = 0;
  std::vector<std::pair<std::string, std::string>> parameters;  // in arrival order
};

// Typed messages.
struct Query {
  std::string_view sql;
};
struct Parse {
  std::string_view name;
  std::string_view sql;
  std::vector<uint32_t> param_types;
};
struct Bind {
  std::string_view portal;
  std::string_view statement;
  std::vector<int16_t> param_formats;
  std::vector<std::optional<std::string_view>> values;
  std::vector<int16_t> result_formats;
};
struct Describe {
  char kind = 'S';  // 'S' statement or 'P' portal
  std::string_view name;
};
struct Execute {
  std::string_view portal;
  int32_t max_rows = 0;
};
struct Close {
  char kind = 'S';
  std::string_view name;
};
struct Flush {};
struct Sync {};
struct Terminate {};
// 'p': PasswordMessage, SASLInitialResponse or SASLResponse; which one depends on the
// authentication state, so it is decoded later with the functions below.
struct PasswordData {
  std::string_view body;
};
struct CopyData {
  std::string_view data;
};
struct CopyDone {};
struct CopyFail {
  std::string_view message;
};
struct FunctionCall {};  // 'F': recognised, not supported

using FrontendMessage =
    std::variant<SslRequest, GssEncRequest, CancelRequest, StartupMessage, Query, Parse, Bind,
                 Describe, Execute, Close, Flush, Sync, Terminate, PasswordData, CopyData, CopyDone,
                 CopyFail, FunctionCall>;

// Decodes a frame returned by ScanFrame in the matching phase.
Result<FrontendMessage> DecodeStartupFrame(const Frame& frame);
Result<FrontendMessage> DecodeTypedFrame(const Frame& frame);

// 'p' payloads.
Result<std::string_view> DecodePasswordMessage(std::string_view body);
struct SaslInitialResponse {
  std::string_view mechanism;
  std::optional<std::string_view> data;  // nullopt when the client sent length -1
};
Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body);

// "protocol violation" status with the given message.
Status ProtocolViolation(std::string message);

}  // namespace borealis::pgwire
