#include "pgwire/command.h"

#include <gtest/gtest.h>

#include "fake_engine.h"
#include "pgwire/copy.h"
#include "wire_test_util.h"

namespace borealis::pgwire {
namespace {

using namespace testing;  // NOLINT

class CommandTest : public ::testing::Test {
 protected:
  CommandTest()
      : session_(qp::SessionOptions{"u", "d", false, {}, 1}), processor_(session_, out_) {}

  // Feeds concatenated frontend messages; returns the backend messages written.
  std::vector<BackendMessage> Run(const std::string& bytes,
                                  CommandProcessor::Next* last = nullptr) {
    std::string_view input = bytes;
    while (!input.empty()) {
      auto scan = ScanFrame(input, Phase::kTyped, kDefaultMaxMessageSizeBytes);
      EXPECT_TRUE(scan.ok());
      if (!scan.ok() || !scan->frame) break;
      auto next = processor_.Handle(*scan->frame);
      if (last) *last = next;
      input.remove_prefix(scan->frame->size_bytes);
    }
    auto messages = SplitBackend(out_.data());
    out_.Clear();
    return messages;
  }

  FakeSession session_;
  BackendWriter out_;
  CommandProcessor processor_;
};

TEST_F(CommandTest, StartSendsParametersKeyAndReady) {
  ASSERT_TRUE(processor_.Start(1, 2));
  auto messages = SplitBackend(out_.data());
  EXPECT_EQ(Types(messages), "SSSSSSSSSKZ");
}

TEST_F(CommandTest, SimpleQueryMultiStatement) {
  auto messages = Run(QueryMessage("SELECT 1; GENERATE 2; NOTICE; SET application_name = x"));
  EXPECT_EQ(Types(messages), "TDCTDDCNCCSZ");
  EXPECT_EQ(messages[2].body, std::string("SELECT 1\0", 9));
  EXPECT_EQ(messages.back().body, "I");
}

TEST_F(CommandTest, SimpleQueryStopsAtFirstError) {
  auto messages = Run(QueryMessage("SELECT 1; FAIL; SELECT 1"));
  EXPECT_EQ(Types(messages), "TDCEZ");
  EXPECT_EQ(ErrorField(messages[3].body, 'C'), "22012");
  messages = Run(QueryMessage("SELECT 1; bogus"));
  EXPECT_EQ(Types(messages), "EZ");
  EXPECT_EQ(ErrorField(messages[0].body, 'P'), "1");
}

TEST_F(CommandTest, EmptyQuery) {
  EXPECT_EQ(Types(Run(QueryMessage(""))), "IZ");
  EXPECT_EQ(Types(Run(QueryMessage(" ; "))), "IZ");
}

TEST_F(CommandTest, TransactionStatusInReadyForQuery) {
  auto messages = Run(QueryMessage("BEGIN"));
  EXPECT_EQ(messages.back().body, "T");
  messages = Run(QueryMessage("FAIL"));
  EXPECT_EQ(messages.back().body, "E");
  messages = Run(QueryMessage("SELECT 1"));
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "25P02");
  messages = Run(QueryMessage("ROLLBACK"));
  EXPECT_EQ(Types(messages), "CZ");
  EXPECT_EQ(messages.back().body, "I");
}

TEST_F(CommandTest, ExtendedQueryNamedAndUnnamed) {
  auto messages = Run(ParseMessage("s1", "SELECT $1", {25}) + DescribeMessage('S', "s1") +
                      BindMessage("", "s1", {"hi"}) + DescribeMessage('P', "") +
                      ExecuteMessage("", 0) + SyncMessage());
  EXPECT_EQ(Types(messages), "1tT2TDCZ");
  EXPECT_EQ(messages[5].body, std::string("\0\x01\0\0\0\x02hi", 8));
  // Unnamed statement replaced by the next Parse.
  messages = Run(ParseMessage("", "SELECT 1") + ParseMessage("", "GENERATE 1") +
                 BindMessage("", "") + ExecuteMessage("", 0) + SyncMessage());
  EXPECT_EQ(Types(messages), "112DCZ");
}

TEST_F(CommandTest, DuplicateAndMissingNames) {
  auto messages = Run(ParseMessage("s", "SELECT 1") + ParseMessage("s", "SELECT 1") +
                      BindMessage("", "s") + SyncMessage());
  ASSERT_EQ(Types(messages), "1EZ");
  EXPECT_EQ(ErrorField(messages[1].body, 'C'), "42P05");
  EXPECT_EQ(ErrorField(messages[1].body, 'M'), "prepared statement \"s\" already exists");
  messages = Run(BindMessage("", "nope") + SyncMessage());
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "26000");
  EXPECT_EQ(ErrorField(messages[0].body, 'M'), "prepared statement \"nope\" does not exist");
  messages = Run(DescribeMessage('S', "") + SyncMessage());
  EXPECT_EQ(ErrorField(messages[0].body, 'M'), "unnamed prepared statement does not exist");
  messages = Run(ExecuteMessage("p", 0) + SyncMessage());
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "34000");
  EXPECT_EQ(ErrorField(messages[0].body, 'M'), "portal \"p\" does not exist");
  messages = Run(BindMessage("", "s", {"extra"}) + SyncMessage());
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "08P01");
}

TEST_F(CommandTest, NamedStatementsLiveInTheSession) {
  auto messages =
      Run(ParseMessage("s", "SELECT 1") + ParseMessage("", "GENERATE 1") + SyncMessage());
  EXPECT_EQ(Types(messages), "11Z");
  EXPECT_NE(session_.FindStatement("s"), nullptr);
  // What SQL PREPARE stores is visible to Bind and Describe.
  auto prepared = session_.Prepare("GENERATE 2", {});
  ASSERT_TRUE(prepared.ok());
  ASSERT_TRUE(session_.StoreStatement("from_sql", *prepared).ok());
  messages = Run(DescribeMessage('S', "from_sql") + BindMessage("", "from_sql") +
                 ExecuteMessage("", 0) + SyncMessage());
  EXPECT_EQ(Types(messages), "tT2DDCZ");
  // What SQL DEALLOCATE drops is gone for the protocol too.
  EXPECT_TRUE(session_.DropStatement("s"));
  messages = Run(BindMessage("", "s") + SyncMessage());
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "26000");
  // Close of a named statement drops it from the session; the unnamed one stays in pgwire.
  messages = Run(Typed('C', std::string("Sfrom_sql\0", 10)) + BindMessage("", "") +
                 ExecuteMessage("", 0) + SyncMessage());
  EXPECT_EQ(Types(messages), "32DCZ");
  EXPECT_EQ(session_.FindStatement("from_sql"), nullptr);
  // A syntax error is reported before a duplicate name, as in PostgreSQL.
  ASSERT_TRUE(session_.StoreStatement("dup", *prepared).ok());
  messages = Run(ParseMessage("dup", "bogus") + SyncMessage());
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "42601");
}

TEST_F(CommandTest, PreparedStatementLimit) {
  auto prepared = session_.Prepare("SELECT 1", {});
  ASSERT_TRUE(prepared.ok());
  for (size_t i = 0; i < kMaxPreparedStatementsPerConnection; ++i) {
    ASSERT_TRUE(session_.StoreStatement("s" + std::to_string(i), *prepared).ok());
  }
  auto messages = Run(ParseMessage("one_more", "SELECT 1") + SyncMessage());
  ASSERT_EQ(Types(messages), "EZ");
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "54000");
  // The unnamed statement does not count.
  EXPECT_EQ(Types(Run(ParseMessage("", "SELECT 1") + SyncMessage())), "1Z");
}

TEST_F(CommandTest, ErrorDiscardsUntilSync) {
  auto messages = Run(ParseMessage("", "bogus") + BindMessage("", "") + ExecuteMessage("", 0) +
                      SyncMessage() + ParseMessage("", "SELECT 1") + BindMessage("", "") +
                      ExecuteMessage("", 0) + SyncMessage());
  EXPECT_EQ(Types(messages), "EZ12DCZ");
}

TEST_F(CommandTest, RowLimitSuspendsPortal) {
  auto messages =
      Run(ParseMessage("", "GENERATE 5") + BindMessage("c", "") + ExecuteMessage("c", 2) +
          ExecuteMessage("c", 2) + ExecuteMessage("c", 2) + SyncMessage());
  EXPECT_EQ(Types(messages), "12DDsDDsDCZ");
  EXPECT_EQ(messages[9].body, std::string("SELECT 1\0", 9));
}

TEST_F(CommandTest, CloseFlushTerminate) {
  CommandProcessor::Next next;
  auto messages = Run(ParseMessage("s", "SELECT 1") + Typed('C', std::string("Ss\0", 3)) +
                          Typed('C', std::string("Pnone\0", 6)) + Typed('H', ""),
                      &next);
  EXPECT_EQ(Types(messages), "133");
  EXPECT_EQ(next, CommandProcessor::Next::kFlush);
  messages = Run(BindMessage("", "s") + SyncMessage());
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "26000");
  Run(Typed('X', ""), &next);
  EXPECT_EQ(next, CommandProcessor::Next::kClose);
}

TEST_F(CommandTest, MalformedMessageIsFatal) {
  CommandProcessor::Next next;
  auto messages = Run(Typed('Q', "unterminated"), &next);
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(ErrorField(messages[0].body, 'S'), "FATAL");
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "08P01");
  EXPECT_EQ(next, CommandProcessor::Next::kClose);
}

TEST_F(CommandTest, CopyMessagesOutsideCopyAreIgnored) {
  EXPECT_EQ(Types(Run(Typed('d', "x") + Typed('c', "") + SyncMessage())), "Z");
}

TEST_F(CommandTest, SimpleQueryCopyInThenTheRestOfTheQuery) {
  auto messages = Run(QueryMessage("COPY IN; SELECT 1"));
  EXPECT_EQ(Types(messages), "G");  // CopyInResponse, waiting for the data
  EXPECT_EQ(messages[0].body, std::string("\0\0\x01\0\0", 5));
  messages = Run(Typed('d', "x\n") + SyncMessage() + Typed('d', "y\n") + Typed('c', ""));
  EXPECT_EQ(Types(messages), "CTDCZ");  // Sync is ignored during COPY, as in PostgreSQL
  EXPECT_EQ(messages[0].body, std::string("COPY 2\0", 7));
  EXPECT_EQ(session_.copied, "x\ny\n");
}

TEST_F(CommandTest, CopyInErrorDiscardsTheRestOfTheSimpleQuery) {
  EXPECT_EQ(Types(Run(QueryMessage("COPY IN; SELECT 1"))), "G");
  // The error ends the COPY at once; the client's remaining CopyData/CopyDone are ignored.
  auto messages = Run(Typed('d', "bad") + Typed('d', "more") + Typed('c', ""));
  EXPECT_EQ(Types(messages), "EZ");
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "22P04");
  EXPECT_EQ(Types(Run(QueryMessage("SELECT 1"))), "TDCZ");
}

TEST_F(CommandTest, CopyFail) {
  EXPECT_EQ(Types(Run(QueryMessage("COPY IN"))), "G");
  auto messages = Run(Typed('f', std::string("client gave up\0", 15)));
  EXPECT_EQ(Types(messages), "EZ");
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "57014");
}

TEST_F(CommandTest, ExtendedCopyInWaitsForSync) {
  auto messages = Run(ParseMessage("", "COPY IN", {}) + BindMessage("", "") +
                      ExecuteMessage("", 0) + SyncMessage());
  EXPECT_EQ(Types(messages), "12G");
  messages = Run(Typed('d', "x\n") + Typed('c', "") + SyncMessage());
  EXPECT_EQ(Types(messages), "CZ");
  // An error discards until the next Sync.
  Run(ParseMessage("", "COPY IN", {}) + BindMessage("", "") + ExecuteMessage("", 0));
  messages = Run(Typed('d', "bad") + Typed('c', "") + ExecuteMessage("", 0) + SyncMessage());
  EXPECT_EQ(Types(messages), "EZ");
}

TEST_F(CommandTest, CopyOut) {
  auto messages = Run(QueryMessage("COPY OUT"));
  EXPECT_EQ(Types(messages), "HddcCZ");
  EXPECT_EQ(messages[1].body, "a\n");
  EXPECT_EQ(messages[4].body, std::string("COPY 2\0", 7));
}

TEST(CopyInMachineTest, Framing) {
  CopyInMachine machine(10);
  auto out = machine.Step(CopyData{"hello"});
  EXPECT_EQ(out.event, CopyInMachine::Event::kData);
  EXPECT_EQ(out.data, "hello");
  EXPECT_EQ(machine.Step(Flush{}).event, CopyInMachine::Event::kIgnore);
  EXPECT_EQ(machine.Step(Sync{}).event, CopyInMachine::Event::kIgnore);
  EXPECT_EQ(machine.Step(CopyDone{}).event, CopyInMachine::Event::kDone);
  EXPECT_TRUE(machine.finished());

  CopyInMachine failing;
  out = failing.Step(CopyFail{"boom"});
  EXPECT_EQ(out.event, CopyInMachine::Event::kFailed);
  EXPECT_EQ(out.error.sqlstate(), "57014");
  EXPECT_EQ(out.error.message(), "COPY from stdin failed: boom");

  CopyInMachine unexpected;
  out = unexpected.Step(Query{"SELECT 1"});
  EXPECT_EQ(out.event, CopyInMachine::Event::kError);
  EXPECT_EQ(out.error.sqlstate(), "08P01");

  CopyInMachine limited(4);
  EXPECT_EQ(limited.Step(CopyData{"abcd"}).event, CopyInMachine::Event::kData);
  out = limited.Step(CopyData{"e"});
  EXPECT_EQ(out.event, CopyInMachine::Event::kError);
  EXPECT_EQ(out.error.sqlstate(), "54000");
}

TEST(CopyOutTest, Framing) {
  BackendWriter out;
  std::vector<int16_t> formats = {0};
  out.CopyOutResponse(0, formats);
  out.CopyData("1\n");
  out.CopyDone();
  out.CommandComplete("COPY 1");
  auto messages = SplitBackend(out.data());
  EXPECT_EQ(Types(messages), "HdcC");
  EXPECT_EQ(messages[0].body, std::string("\0\0\x01\0\0", 5));
}

}  // namespace
}  // namespace borealis::pgwire
