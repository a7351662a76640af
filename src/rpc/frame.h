// The RPC wire format: pure encode/decode functions plus coroutine helpers that move frames.
//
// Frame layout (all integers big-endian):
//   u32 frame_length   bytes that follow (4 + header_length + payload length), <= limit
//   u32 header_length
//   header             FrameHeader (rpc.proto), serialized
//   payload            the request or response bytes (empty for CANCEL and for errors)
// DecodeFrame() rejects (Corruption) a header length beyond the frame, an unparsable header,
// an unknown kind and a REQUEST without a method. It never crashes on any input.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <deque>
#include <string>
#include <string_view>

#include "common/status.h"
#include "rpc/rpc.pb.h"

namespace borealis::rpc {

inline constexpr size_t kFrameLengthBytes = 4;
inline constexpr size_t kMaxFramesPerWrite = 64;  // frames gathered into one write

struct Frame {
  FrameHeader header;
  std::string payload;
};

// The whole frame, length prefix included.
std::string EncodeFrame(const FrameHeader& header, std::string_view payload);
// `body` is what follows the u32 frame_length.
Result<Frame> DecodeFrame(std::string_view body);

// Reads one frame. Unavailable when the connection ends or fails, Corruption when the frame is
// malformed or longer than max_frame_bytes (the caller then closes the connection).
asio::awaitable<Result<Frame>> ReadFrame(asio::ip::tcp::socket& socket, size_t max_frame_bytes);

// Reads frames through a buffer, so that a burst of frames costs one read system call rather
// than two per frame. One reader per connection; errors as for ReadFrame. The buffer holds at
// most one frame plus kReadChunkBytes.
class FrameReader {
 public:
  static constexpr size_t kReadChunkBytes = 64 << 10;
  explicit FrameReader(size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}
  asio::awaitable<Result<Frame>> Next(asio::ip::tcp::socket& socket);

 private:
  const size_t max_frame_bytes_;
  std::string buffer_;
  size_t begin_ = 0;  // first unconsumed byte
  size_t end_ = 0;    // one past the last valid byte
};

// Writes up to kMaxFramesPerWrite frames from the front of `queue` in one gathered write and
// pops them. Returns the write's error (empty on success).
asio::awaitable<std::error_code> WriteSomeFrames(asio::ip::tcp::socket& socket,
                                                 std::deque<std::string>& queue);

}  // namespace borealis::rpc
