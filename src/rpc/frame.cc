#include "rpc/frame.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <vector>

namespace borealis::rpc {
namespace {

constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

void PutU32(uint32_t value, std::string& out) {
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>(value >> 16));
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

uint32_t GetU32(const char* in) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

}  // namespace

std::string EncodeFrame(const FrameHeader& header, std::string_view payload) {
  const std::string header_bytes = header.SerializeAsString();
  const size_t body = 4 + header_bytes.size() + payload.size();
  std::string out;
  out.reserve(kFrameLengthBytes + body);
  PutU32(static_cast<uint32_t>(body), out);
  PutU32(static_cast<uint32_t>(header_bytes.size()), out);
  out += header_bytes;
  out.append(payload);
  return out;
}

Result<Frame> DecodeFrame(std::string_view body) {
  if (body.size() < 4) return Status::Corruption("frame shorter than its header length");
  const uint32_t header_length = GetU32(body.data());
  if (header_length > body.size() - 4) return Status::Corruption("header length beyond frame");
  Frame frame;
  if (!frame.header.ParseFromArray(body.data() + 4, static_cast<int>(header_length))) {
    return Status::Corruption("unparsable frame header");
  }
  switch (frame.header.kind()) {
    case FrameHeader::REQUEST:
      if (frame.header.method().empty()) return Status::Corruption("request without a method");
      break;
    case FrameHeader::RESPONSE:
    case FrameHeader::CANCEL:
      break;
    default:
      return Status::Corruption("unknown frame kind");
  }
  frame.payload.assign(body.substr(4 + header_length));
  return frame;
}

asio::awaitable<Result<Frame>> ReadFrame(asio::ip::tcp::socket& socket, size_t max_frame_bytes) {
  char prefix[kFrameLengthBytes];
  auto [error, n] = co_await asio::async_read(socket, asio::buffer(prefix), kNoThrow);
  if (error) co_return Status::Unavailable("connection closed: " + error.message());
  const uint32_t length = GetU32(prefix);
  if (length > max_frame_bytes) {
    co_return Status::Corruption("frame of " + std::to_string(length) + " bytes exceeds the " +
                                 std::to_string(max_frame_bytes) + "-byte limit");
  }
  std::string body(length, '\0');
  auto [body_error, body_n] = co_await asio::async_read(socket, asio::buffer(body), kNoThrow);
  if (body_error) co_return Status::Unavailable("connection closed: " + body_error.message());
  co_return DecodeFrame(body);
}

asio::awaitable<Result<Frame>> FrameReader::Next(asio::ip::tcp::socket& socket) {
  while (true) {
    const size_t available = end_ - begin_;
    if (available >= kFrameLengthBytes) {
      const uint32_t length = GetU32(buffer_.data() + begin_);
      if (length > max_frame_bytes_) {
        co_return Status::Corruption("frame of " + std::to_string(length) + " bytes exceeds the " +
                                     std::to_string(max_frame_bytes_) + "-byte limit");
      }
      if (available >= kFrameLengthBytes + length) {
        Result<Frame> frame =
            DecodeFrame(std::string_view(buffer_).substr(begin_ + kFrameLengthBytes, length));
        begin_ += kFrameLengthBytes + length;
        co_return frame;
      }
    }
    // Compact, then make room for the rest of this frame plus a chunk.
    if (begin_ > 0) {
      buffer_.erase(0, begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() < end_ + kReadChunkBytes) buffer_.resize(end_ + kReadChunkBytes);
    auto [error, n] = co_await socket.async_read_some(
        asio::buffer(buffer_.data() + end_, buffer_.size() - end_), kNoThrow);
    if (error) co_return Status::Unavailable("connection closed: " + error.message());
    end_ += n;
  }
}

asio::awaitable<std::error_code> WriteSomeFrames(asio::ip::tcp::socket& socket,
                                                 std::deque<std::string>& queue) {
  const size_t count = std::min(queue.size(), kMaxFramesPerWrite);
  std::vector<std::string> batch;
  batch.reserve(count);
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    batch.push_back(std::move(queue.front()));
    queue.pop_front();
    buffers.emplace_back(asio::buffer(batch.back()));
  }
  auto [error, n] = co_await asio::async_write(socket, buffers, kNoThrow);
  co_return error;
}

}  // namespace borealis::rpc
