#include "pgwire/protocol.h"

#include <cstring>

namespace borealis::pgwire {
namespace {

constexpr size_t kStartupHeaderBytes = 8;  // length + code
constexpr size_t kTypedHeaderBytes = 5;    // type + length

uint32_t LoadU32(const char* p) {
  return (uint32_t(uint8_t(p[0])) << 24) | (uint32_t(uint8_t(p[1])) << 16) |
         (uint32_t(uint8_t(p[2])) << 8) | uint32_t(uint8_t(p[3]));
}

// Reads big-endian integers and NUL-terminated strings from a message body; the first failure
// sticks so callers check once at the end.
class BodyReader {
 public:
  explicit BodyReader(std::string_view data) : data_(data) {}

  int32_t Int32() {
    if (!Need(4)) return 0;
    uint32_t v = LoadU32(data_.data() + pos_);
    pos_ += 4;
    return static_cast<int32_t>(v);
  }
  int16_t Int16() {
    if (!Need(2)) return 0;
    uint16_t v = static_cast<uint16_t>((uint8_t(data_[pos_]) << 8) | uint8_t(data_[pos_ + 1]));
    pos_ += 2;
    return static_cast<int16_t>(v);
  }
  char Byte() {
    if (!Need(1)) return 0;
    return data_[pos_++];
  }
  std::string_view String() {
    if (failed_) return {};
    size_t end = data_.find('\0', pos_);
    if (end == std::string_view::npos) {
      Fail("unterminated string");
      return {};
    }
    std::string_view out = data_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }
  std::string_view Bytes(size_t n) {
    if (!Need(n)) return {};
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::string_view Rest() {
    std::string_view out = data_.substr(pos_);
    pos_ = data_.size();
    return out;
  }
  // Non-negative Int16 count; fails on a negative one.
  size_t Count() {
    int16_t n = Int16();
    if (n < 0) Fail("negative count");
    return n < 0 ? 0 : static_cast<size_t>(n);
  }

  size_t remaining() const { return data_.size() - pos_; }
  bool failed() const { return failed_; }
  // Fails unless everything was consumed, like PostgreSQL's pq_getmsgend.
  Status Finish(std::string_view what) {
    if (!failed_ && pos_ != data_.size()) Fail("trailing bytes");
    if (failed_) {
      return ProtocolViolation("invalid " + std::string(what) + " message format")
          .WithDetail(error_);
    }
    return Status::Ok();
  }

 private:
  bool Need(size_t n) {
    if (failed_) return false;
    if (data_.size() - pos_ < n) {
      Fail("message is truncated");
      return false;
    }
    return true;
  }
  void Fail(const char* error) {
    if (!failed_) error_ = error;
    failed_ = true;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool failed_ = false;
  std::string error_;
};

Result<FrontendMessage> DecodeStartupMessage(BodyReader& reader, int32_t version) {
  StartupMessage message;
  message.protocol_version = version;
  // Pairs of NUL-terminated strings ended by an empty name.
  for (;;) {
    std::string_view name = reader.String();
    if (reader.failed()) break;
    if (name.empty()) break;
    std::string_view value = reader.String();
    if (reader.failed()) break;
    if (message.parameters.size() >= kMaxStartupParameters) {
      return ProtocolViolation("too many startup parameters");
    }
    message.parameters.emplace_back(std::string(name), std::string(value));
  }
  RETURN_IF_ERROR(reader.Finish("startup packet"));
  return FrontendMessage(std::move(message));
}

Result<FrontendMessage> DecodeBind(BodyReader& reader) {
  Bind bind;
  bind.portal = reader.String();
  bind.statement = reader.String();
  size_t format_count = reader.Count();
  if (format_count > reader.remaining() / 2) {
    return ProtocolViolation("invalid Bind message format").WithDetail("message is truncated");
  }
  bind.param_formats.reserve(format_count);
  for (size_t i = 0; i < format_count; ++i) bind.param_formats.push_back(reader.Int16());
  size_t value_count = reader.Count();
  if (value_count > reader.remaining() / 4) {
    return ProtocolViolation("invalid Bind message format").WithDetail("message is truncated");
  }
  bind.values.reserve(value_count);
  for (size_t i = 0; i < value_count && !reader.failed(); ++i) {
    int32_t length = reader.Int32();
    if (length == -1) {
      bind.values.emplace_back(std::nullopt);
    } else if (length < 0) {
      return ProtocolViolation("invalid Bind message format")
          .WithDetail("negative parameter length");
    } else {
      bind.values.emplace_back(reader.Bytes(static_cast<size_t>(length)));
    }
  }
  size_t result_count = reader.Count();
  if (result_count > reader.remaining() / 2) {
    return ProtocolViolation("invalid Bind message format").WithDetail("message is truncated");
  }
  bind.result_formats.reserve(result_count);
  for (size_t i = 0; i < result_count; ++i) bind.result_formats.push_back(reader.Int16());
  RETURN_IF_ERROR(reader.Finish("Bind"));
  return FrontendMessage(std::move(bind));
}

Result<FrontendMessage> DecodeParse(BodyReader& reader) {
  Parse parse;
  parse.name = reader.String();
  parse.sql = reader.String();
  size_t count = reader.Count();
  if (count > reader.remaining() / 4) {
    return ProtocolViolation("invalid Parse message format").WithDetail("message is truncated");
  }
  parse.param_types.reserve(count);
  for (size_t i = 0; i < count; ++i) parse.param_types.push_back(uint32_t(reader.Int32()));
  RETURN_IF_ERROR(reader.Finish("Parse"));
  return FrontendMessage(std::move(parse));
}

}  // namespace

Status ProtocolViolation(std::string message) { return Status::Sql("08P01", std::move(message)); }

Result<FrameScan> ScanFrame(std::string_view input, Phase phase, size_t max_message_size_bytes) {
  FrameScan scan;
  if (phase == Phase::kStartup) {
    if (input.size() < 4) {
      scan.needed_bytes = kStartupHeaderBytes;
      return scan;
    }
    uint32_t length = LoadU32(input.data());
    if (length < kStartupHeaderBytes || length > kMaxStartupPacketSizeBytes) {
      return ProtocolViolation("invalid length of startup packet");
    }
    if (input.size() < length) {
      scan.needed_bytes = length;
      return scan;
    }
    scan.frame = Frame{0, input.substr(4, length - 4), length};
    return scan;
  }
  if (input.size() < kTypedHeaderBytes) {
    scan.needed_bytes = kTypedHeaderBytes;
    return scan;
  }
  uint32_t length = LoadU32(input.data() + 1);
  if (length < 4) return ProtocolViolation("invalid message length");
  if (length > max_message_size_bytes) {
    return ProtocolViolation("invalid message length")
        .WithDetail("message of " + std::to_string(length) + " bytes exceeds the limit of " +
                    std::to_string(max_message_size_bytes) + " bytes");
  }
  size_t total = size_t(length) + 1;
  if (input.size() < total) {
    scan.needed_bytes = total;
    return scan;
  }
  scan.frame = Frame{input[0], input.substr(kTypedHeaderBytes, length - 4), total};
  return scan;
}

Result<FrontendMessage> DecodeStartupFrame(const Frame& frame) {
  BodyReader reader(frame.body);
  int32_t code = reader.Int32();
  if (reader.failed()) return ProtocolViolation("invalid length of startup packet");
  switch (code) {
    case kSslRequestCode:
      RETURN_IF_ERROR(reader.Finish("SSLRequest"));
      return FrontendMessage(SslRequest{});
    case kGssEncRequestCode:
      RETURN_IF_ERROR(reader.Finish("GSSENCRequest"));
      return FrontendMessage(GssEncRequest{});
    case kCancelRequestCode: {
      CancelRequest cancel;
      cancel.pid = reader.Int32();
      cancel.secret = reader.Int32();
      RETURN_IF_ERROR(reader.Finish("CancelRequest"));
      return FrontendMessage(cancel);
    }
    default:
      return DecodeStartupMessage(reader, code);
  }
}

Result<FrontendMessage> DecodeTypedFrame(const Frame& frame) {
  BodyReader reader(frame.body);
  switch (frame.type) {
    case 'Q': {
      Query query{reader.String()};
      RETURN_IF_ERROR(reader.Finish("Query"));
      return FrontendMessage(query);
    }
    case 'P':
      return DecodeParse(reader);
    case 'B':
      return DecodeBind(reader);
    case 'D':
    case 'C': {
      char kind = reader.Byte();
      std::string_view name = reader.String();
      RETURN_IF_ERROR(reader.Finish(frame.type == 'D' ? "Describe" : "Close"));
      if (kind != 'S' && kind != 'P') {
        return ProtocolViolation(std::string("invalid ") +
                                 (frame.type == 'D' ? "DESCRIBE" : "CLOSE") + " message subtype " +
                                 std::to_string(int(kind)));
      }
      if (frame.type == 'D') return FrontendMessage(Describe{kind, name});
      return FrontendMessage(Close{kind, name});
    }
    case 'E': {
      Execute execute;
      execute.portal = reader.String();
      execute.max_rows = reader.Int32();
      RETURN_IF_ERROR(reader.Finish("Execute"));
      return FrontendMessage(execute);
    }
    case 'H':
      RETURN_IF_ERROR(reader.Finish("Flush"));
      return FrontendMessage(Flush{});
    case 'S':
      RETURN_IF_ERROR(reader.Finish("Sync"));
      return FrontendMessage(Sync{});
    case 'X':
      RETURN_IF_ERROR(reader.Finish("Terminate"));
      return FrontendMessage(Terminate{});
    case 'p':
      return FrontendMessage(PasswordData{frame.body});
    case 'd':
      return FrontendMessage(CopyData{frame.body});
    case 'c':
      RETURN_IF_ERROR(reader.Finish("CopyDone"));
      return FrontendMessage(CopyDone{});
    case 'f': {
      CopyFail fail{reader.String()};
      RETURN_IF_ERROR(reader.Finish("CopyFail"));
      return FrontendMessage(fail);
    }
    case 'F':
      return FrontendMessage(FunctionCall{});
    default:
      return ProtocolViolation("invalid frontend message type " +
                               std::to_string(int(uint8_t(frame.type))));
  }
}

Result<std::string_view> DecodePasswordMessage(std::string_view body) {
  BodyReader reader(body);
  std::string_view password = reader.String();
  RETURN_IF_ERROR(reader.Finish("password"));
  return password;
}

Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body) {
  BodyReader reader(body);
  SaslInitialResponse response;
  response.mechanism = reader.String();
  int32_t length = reader.Int32();
  if (length >= 0) {
    response.data = reader.Bytes(static_cast<size_t>(length));
  } else if (length != -1) {
    return ProtocolViolation("invalid SASLInitialResponse message format");
  }
  RETURN_IF_ERROR(reader.Finish("SASLInitialResponse"));
  return response;
}

}  // namespace borealis::pgwire
