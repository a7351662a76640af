#include "pgwire/protocol.h"

#include <gtest/gtest.h>

#include <deque>

#include "pgwire/encoder.h"
#include "wire_test_util.h"

namespace borealis::pgwire {
namespace {

using namespace testing;  // NOLINT

constexpr size_t kMax = kDefaultMaxMessageSizeBytes;

Result<FrontendMessage> DecodeOneTyped(const std::string& input) {
  // Decoded messages point into the bytes: keep them alive for the whole test.
  static std::deque<std::string> kept;
  const std::string& bytes = kept.emplace_back(input);
  auto scan = ScanFrame(bytes, Phase::kTyped, kMax);
  if (!scan.ok()) return scan.status();
  EXPECT_TRUE(scan->frame.has_value());
  if (!scan->frame) return Status::Internal("incomplete");
  EXPECT_EQ(scan->frame->size_bytes, bytes.size());
  return DecodeTypedFrame(*scan->frame);
}

TEST(ScanFrameTest, IncrementalTyped) {
  std::string bytes = QueryMessage("SELECT 1");
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto scan = ScanFrame(std::string_view(bytes).substr(0, n), Phase::kTyped, kMax);
    ASSERT_TRUE(scan.ok());
    EXPECT_FALSE(scan->frame.has_value());
    EXPECT_EQ(scan->needed_bytes, n < 5 ? 5u : bytes.size());
  }
  auto scan = ScanFrame(bytes + "trailing", Phase::kTyped, kMax);
  ASSERT_TRUE(scan.ok());
  ASSERT_TRUE(scan->frame.has_value());
  EXPECT_EQ(scan->frame->type, 'Q');
  EXPECT_EQ(scan->frame->size_bytes, bytes.size());
}

TEST(ScanFrameTest, RejectsBadLengthsBeforeTheBodyArrives) {
  std::string tiny("Q\0\0\0\3", 5);
  auto scan = ScanFrame(tiny, Phase::kTyped, kMax);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().sqlstate(), "08P01");
  std::string huge = "Q";
  PutInt32(huge, 4096 + 5);
  scan = ScanFrame(huge, Phase::kTyped, 4096);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().sqlstate(), "08P01");
  std::string negative = "Q";
  PutInt32(negative, -1);
  EXPECT_FALSE(ScanFrame(negative, Phase::kTyped, kMax).ok());
  std::string startup;
  PutInt32(startup, 20000);
  EXPECT_FALSE(ScanFrame(startup, Phase::kStartup, kMax).ok());
  std::string short_startup;
  PutInt32(short_startup, 4);
  EXPECT_FALSE(ScanFrame(short_startup, Phase::kStartup, kMax).ok());
}

TEST(DecodeStartupTest, AllStartupPackets) {
  auto decode = [](const std::string& bytes) -> Result<FrontendMessage> {
    auto scan = ScanFrame(bytes, Phase::kStartup, kMax);
    if (!scan.ok()) return scan.status();
    if (!scan->frame) return Status::Internal("incomplete");
    return DecodeStartupFrame(*scan->frame);
  };
  EXPECT_TRUE(std::holds_alternative<SslRequest>(*decode(Untyped(kSslRequestCode, ""))));
  EXPECT_TRUE(std::holds_alternative<GssEncRequest>(*decode(Untyped(kGssEncRequestCode, ""))));
  std::string cancel_body;
  PutInt32(cancel_body, 42);
  PutInt32(cancel_body, -7);
  auto cancel = decode(Untyped(kCancelRequestCode, cancel_body));
  ASSERT_TRUE(cancel.ok());
  EXPECT_EQ(std::get<CancelRequest>(*cancel).pid, 42);
  EXPECT_EQ(std::get<CancelRequest>(*cancel).secret, -7);
  auto startup = decode(StartupPacket({{"user", "bob"}, {"database", "db"}}));
  ASSERT_TRUE(startup.ok());
  auto& message = std::get<StartupMessage>(*startup);
  EXPECT_EQ(message.protocol_version, kProtocolVersion3);
  ASSERT_EQ(message.parameters.size(), 2u);
  EXPECT_EQ(message.parameters[0].second, "bob");
  // Malformed: trailing bytes, unterminated strings, truncated cancel.
  EXPECT_FALSE(decode(Untyped(kSslRequestCode, "x")).ok());
  EXPECT_FALSE(decode(Untyped(kCancelRequestCode, "abc")).ok());
  EXPECT_FALSE(decode(Untyped(kProtocolVersion3, std::string("user\0bob", 8))).ok());
  EXPECT_FALSE(decode(Untyped(kProtocolVersion3, std::string("user\0bob\0\0x", 11))).ok());
}

TEST(DecodeTypedTest, ExtendedProtocolMessages) {
  auto parse = DecodeOneTyped(ParseMessage("s1", "SELECT $1", {23}));
  ASSERT_TRUE(parse.ok());
  EXPECT_EQ(std::get<Parse>(*parse).name, "s1");
  EXPECT_EQ(std::get<Parse>(*parse).param_types, std::vector<uint32_t>{23});

  std::string body;
  PutString(body, "p");
  PutString(body, "s");
  PutInt16(body, 1);
  PutInt16(body, 1);
  PutInt16(body, 2);
  PutInt32(body, 3);
  body += "abc";
  PutInt32(body, -1);
  PutInt16(body, 1);
  PutInt16(body, 1);
  auto bind = DecodeOneTyped(Typed('B', body));
  ASSERT_TRUE(bind.ok()) << bind.status().ToString();
  auto& b = std::get<Bind>(*bind);
  EXPECT_EQ(b.portal, "p");
  ASSERT_EQ(b.values.size(), 2u);
  EXPECT_EQ(*b.values[0], "abc");
  EXPECT_FALSE(b.values[1].has_value());
  EXPECT_EQ(b.result_formats, std::vector<int16_t>{1});

  auto execute = DecodeOneTyped(ExecuteMessage("p", 10));
  ASSERT_TRUE(execute.ok());
  EXPECT_EQ(std::get<Execute>(*execute).max_rows, 10);
  EXPECT_TRUE(std::holds_alternative<Describe>(*DecodeOneTyped(DescribeMessage('P', ""))));
  EXPECT_TRUE(std::holds_alternative<Sync>(*DecodeOneTyped(SyncMessage())));
  EXPECT_TRUE(std::holds_alternative<CopyData>(*DecodeOneTyped(Typed('d', "raw"))));
  EXPECT_TRUE(std::holds_alternative<CopyFail>(*DecodeOneTyped(Typed('f', std::string("x\0", 2)))));
}

TEST(DecodeTypedTest, MalformedMessagesAreProtocolViolations) {
  std::vector<std::string> bad = {
      Typed('Q', "no terminator"),
      Typed('Q', std::string("a\0b", 3)),
      Typed('S', "x"),
      Typed('D', std::string("Xname\0", 6)),
      Typed('E', std::string("p\0\0\0", 4)),
      Typed('?', ""),
      Typed('P', std::string("s\0q\0\0\x05", 6)),                         // 5 types, none present
      Typed('B', std::string("\0\0\0\0\0\x01\xff\xff\xff\xfe\0\0", 12)),  // length -2
      Typed('B', std::string("\0\0\xff\xff", 4)),                         // negative count
      Typed('B', std::string("\0\0\0\0\0\x01\0\0\0\x10"
                             "ab\0\0",
                             14)),  // value truncated
  };
  for (const std::string& bytes : bad) {
    auto decoded = DecodeOneTyped(bytes);
    ASSERT_FALSE(decoded.ok()) << int(bytes[0]);
    EXPECT_EQ(decoded.status().sqlstate(), "08P01");
  }
}

TEST(DecodeTypedTest, SaslPayloads) {
  std::string body;
  PutString(body, "SCRAM-SHA-256");
  PutInt32(body, 3);
  body += "abc";
  auto initial = DecodeSaslInitialResponse(body);
  ASSERT_TRUE(initial.ok());
  EXPECT_EQ(initial->mechanism, "SCRAM-SHA-256");
  EXPECT_EQ(*initial->data, "abc");
  EXPECT_FALSE(DecodeSaslInitialResponse(body.substr(0, body.size() - 1)).ok());
  EXPECT_FALSE(DecodePasswordMessage("nonul").ok());
  EXPECT_EQ(*DecodePasswordMessage(std::string("pw\0", 3)), "pw");
}

TEST(EncoderTest, MessagesHaveCorrectFraming) {
  BackendWriter out;
  out.AuthenticationOk();
  out.ParameterStatus("server_version", "15.0");
  out.BackendKeyData(7, 9);
  std::vector<qp::FieldDescription> fields(1);
  fields[0].name = "a";
  fields[0].type_oid = 23;
  out.RowDescription(fields);
  out.DataRow({std::string("1"), std::nullopt});
  out.CommandComplete("SELECT 1");
  out.ErrorResponse(Status::Sql("42601", "syntax error").WithHint("h").WithPosition(3));
  out.ReadyForQuery('I');
  out.ParameterDescription({23, 25});
  std::vector<int16_t> formats = {0, 1};
  out.CopyInResponse(0, formats);
  out.CopyData("x");
  out.CopyDone();
  auto messages = SplitBackend(out.data());
  EXPECT_EQ(Types(messages), "RSKTDCEZtGdc");
  EXPECT_EQ(messages[0].body, std::string("\0\0\0\0", 4));
  EXPECT_EQ(messages[2].body, std::string("\0\0\0\x07\0\0\0\x09", 8));
  EXPECT_EQ(messages[4].body, std::string("\0\x02\0\0\0\x01"
                                          "1\xff\xff\xff\xff",
                                          11));
  EXPECT_EQ(ErrorField(messages[6].body, 'S'), "ERROR");
  EXPECT_EQ(ErrorField(messages[6].body, 'V'), "ERROR");
  EXPECT_EQ(ErrorField(messages[6].body, 'C'), "42601");
  EXPECT_EQ(ErrorField(messages[6].body, 'M'), "syntax error");
  EXPECT_EQ(ErrorField(messages[6].body, 'H'), "h");
  EXPECT_EQ(ErrorField(messages[6].body, 'P'), "3");
  EXPECT_EQ(messages[7].body, "I");
  size_t total = out.size();
  out.Consume(total);
  EXPECT_TRUE(out.empty());
}

TEST(EncoderTest, SaslAuthenticationRequest) {
  BackendWriter out;
  std::string_view mechanisms[] = {"SCRAM-SHA-256"};
  out.AuthenticationSasl(mechanisms);
  auto messages = SplitBackend(out.data());
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].body, std::string("\0\0\0\x0aSCRAM-SHA-256\0\0", 19));
}

}  // namespace
}  // namespace borealis::pgwire
