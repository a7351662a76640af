// Session behaviour through the qp::Session contract, with PostgreSQL 15 as the reference for
// every expected value.
#include "qp/session.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "qp/settings.h"

namespace borealis::qp {
namespace {

class CollectingSink : public RowSink {
 public:
  Status Row(const WireRow& row) override {
    rows.push_back(row);
    return Status::Ok();
  }
  std::vector<WireRow> rows;
};

struct Outcome {
  Status status;
  std::string tag;
  std::vector<std::string> columns;
  std::vector<uint32_t> types;
  std::vector<WireRow> rows;
};

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = MakeEngine();
    SessionOptions options;
    options.user = "alice";
    options.database = "postgres";
    options.backend_pid = 42;
    session_ = engine_->NewSession(options);
    ASSERT_TRUE(session_->Start().ok());
    (void)session_->InitialParameterStatus();
  }

  // Runs a simple-query string like pgwire does; returns the last statement's outcome.
  Outcome Simple(const std::string& sql) {
    Outcome out;
    auto statements = session_->PrepareSimple(sql);
    if (!statements.ok()) {
      out.status = statements.status();
      session_->OnError();
      (void)session_->EndOfCommandGroup(true);
      return out;
    }
    bool had_error = false;
    for (auto& statement : *statements) {
      out = Outcome();
      auto portal = session_->Bind(statement, {}, {});
      if (!portal.ok()) {
        out.status = portal.status();
        had_error = true;
        session_->OnError();
        break;
      }
      if ((*portal)->Fields()) {
        for (const auto& f : *(*portal)->Fields()) {
          out.columns.push_back(f.name);
          out.types.push_back(f.type_oid);
        }
      }
      CollectingSink sink;
      auto result = session_->Execute(**portal, 0, sink);
      out.rows = sink.rows;
      if (!result.ok()) {
        out.status = result.status();
        had_error = true;
        session_->OnError();
        break;
      }
      out.tag = result->command_tag;
    }
    EXPECT_TRUE(session_->EndOfCommandGroup(had_error).ok());
    return out;
  }

  std::string Value(const std::string& sql) {
    Outcome out = Simple(sql);
    EXPECT_TRUE(out.status.ok()) << sql << ": " << out.status.ToString();
    if (out.rows.size() != 1 || out.rows[0].empty()) return "<no row>";
    return out.rows[0][0].value_or("<null>");
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Session> session_;
};

TEST_F(SessionTest, SelectConstants) {
  Outcome out = Simple("SELECT 1, 2::int8 AS x, 1.5, 'a', 3000000000, NULL, true");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.tag, "SELECT 1");
  EXPECT_EQ(out.columns, (std::vector<std::string>{"?column?", "x", "?column?", "?column?",
                                                   "?column?", "?column?", "?column?"}));
  EXPECT_EQ(out.types, (std::vector<uint32_t>{23, 20, 1700, 25, 20, 25, 16}));
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0][0], "1");
  EXPECT_EQ(out.rows[0][2], "1.5");
  EXPECT_EQ(out.rows[0][4], "3000000000");
  EXPECT_FALSE(out.rows[0][5].has_value());
  EXPECT_EQ(out.rows[0][6], "t");
}

TEST_F(SessionTest, ColumnNames) {
  Outcome out = Simple(
      "SELECT int '1', cast(1 as text), 1::int, 'a'::varchar, case when true then 1 end, "
      "coalesce(null, 1), nullif(1, 1), current_user, version()");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.columns,
            (std::vector<std::string>{"int4", "text", "int4", "varchar", "case", "coalesce",
                                      "nullif", "current_user", "version"}));
}

TEST_F(SessionTest, Arithmetic) {
  EXPECT_EQ(Value("SELECT 1 + 2 * 3"), "7");
  EXPECT_EQ(Value("SELECT -3"), "-3");
  EXPECT_EQ(Value("SELECT 1.50 + 1"), "2.50");
  EXPECT_EQ(Value("SELECT '1.5'::numeric * 2"), "3.0");
  EXPECT_EQ(Value("SELECT 2 ^ 3"), "8");
  EXPECT_EQ(Value("SELECT 'a' || 'b'"), "ab");
  EXPECT_EQ(Value("SELECT 0.1::float8 + 0.2"), "0.30000000000000004");
  EXPECT_EQ(Value("SELECT 1e16::float8"), "1e+16");
  EXPECT_EQ(Value("SELECT 2.5::numeric::int"), "3");
  EXPECT_EQ(Value("SELECT 2.5::float8::int"), "2");
  EXPECT_EQ(Value("SELECT 1 = 1.0"), "t");
  EXPECT_EQ(Value("SELECT 'abc' LIKE 'a%'"), "t");
  EXPECT_EQ(Value("SELECT 1 BETWEEN 0 AND 2"), "t");
  EXPECT_EQ(Value("SELECT 3 NOT IN (1, 2)"), "t");
  EXPECT_EQ(Value("SELECT NULL IS DISTINCT FROM 1"), "t");
  EXPECT_EQ(Value("SELECT NULL::int IS NULL"), "t");
  EXPECT_EQ(Value("SELECT true AND NULL"), "<null>");
  EXPECT_EQ(Value("SELECT false AND NULL"), "f");
  EXPECT_EQ(Value("SELECT abs(-5), length('héllo')"), "5");
  EXPECT_EQ(Value("SELECT length('héllo')"), "5");
  EXPECT_EQ(Value("SELECT concat('a', 1, NULL, true)"), "a1t");
}

TEST_F(SessionTest, ResultTypes) {
  Outcome out = Simple(
      "SELECT 1 + 1.5, 1 + 1.5::float8, 1::int2 + 1::int2, 1::int2 + 1, 2 ^ 2, "
      "coalesce(1, 2.5), 1 + '2'");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.types, (std::vector<uint32_t>{1700, 701, 21, 23, 701, 1700, 23}));
}

TEST_F(SessionTest, Errors) {
  Outcome out = Simple("SELECT 'x'::int");
  EXPECT_EQ(out.status.sqlstate(), "22P02");
  EXPECT_EQ(out.status.message(), "invalid input syntax for type integer: \"x\"");
  EXPECT_EQ(out.status.position(), 8);
  out = Simple("SELECT '99999999999'::int");
  EXPECT_EQ(out.status.sqlstate(), "22003");
  EXPECT_EQ(out.status.message(), "value \"99999999999\" is out of range for type integer");
  out = Simple("SELECT 2147483647 + 1");
  EXPECT_EQ(out.status.message(), "integer out of range");
  out = Simple("SELECT 1/0");
  EXPECT_EQ(out.status.sqlstate(), "22012");
  out = Simple("SELECT 1 frm x");
  EXPECT_EQ(out.status.sqlstate(), "42601");
  EXPECT_EQ(out.status.message(), "syntax error at or near \"x\"");
  EXPECT_EQ(out.status.position(), 14);
  // Without a transaction core (this engine) tables are unavailable.
  out = Simple("SELECT 1 FROM t");
  EXPECT_EQ(out.status.sqlstate(), "0A000");
  out = Simple("SELECT x");
  EXPECT_EQ(out.status.sqlstate(), "42703");
  out = Simple("SELECT 1 + true");
  EXPECT_EQ(out.status.sqlstate(), "42883");
  EXPECT_EQ(out.status.message(), "operator does not exist: integer + boolean");
  out = Simple("SELECT 'a' + 'b'");
  EXPECT_EQ(out.status.sqlstate(), "42725");
  out = Simple("INSERT INTO t VALUES (1)");
  EXPECT_EQ(out.status.sqlstate(), "0A000");
  out = Simple("SELECT 1" + std::string() + [] {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += "+1";
    return s;
  }());
  EXPECT_EQ(out.status.sqlstate(), "54001");
}

TEST_F(SessionTest, MultiStatementRunsUntilError) {
  auto statements = session_->PrepareSimple("SELECT 1; SELECT 'x'::int; SELECT 3");
  ASSERT_TRUE(statements.ok());
  EXPECT_EQ(statements->size(), 3u);
  auto empty = session_->PrepareSimple("  -- just a comment");
  ASSERT_TRUE(empty.ok());
  ASSERT_EQ(empty->size(), 1u);
  EXPECT_TRUE((*empty)[0]->IsEmpty());
}

TEST_F(SessionTest, SetShowReset) {
  EXPECT_EQ(Value("SHOW DateStyle"), "ISO, MDY");
  Outcome out = Simple("SHOW datestyle");
  EXPECT_EQ(out.columns, std::vector<std::string>{"DateStyle"});
  EXPECT_EQ(out.tag, "SHOW");
  EXPECT_EQ(Simple("SET extra_float_digits = 0").tag, "SET");
  EXPECT_EQ(Value("SELECT 0.1::float8 + 0.2"), "0.3");
  EXPECT_EQ(Simple("RESET extra_float_digits").tag, "RESET");
  EXPECT_EQ(Value("SHOW extra_float_digits"), "1");
  Simple("SET TIME ZONE 'utc'");
  EXPECT_EQ(Value("SHOW TimeZone"), "UTC");
  Simple("SET application_name TO 'app'");
  auto changes = session_->TakeParameterStatusChanges();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes.back().first, "application_name");
  EXPECT_EQ(changes.back().second, "app");
  out = Simple("SET nosuch = 1");
  EXPECT_EQ(out.status.sqlstate(), "42704");
  EXPECT_EQ(out.status.message(), "unrecognized configuration parameter \"nosuch\"");
  out = Simple("SET extra_float_digits = 10");
  EXPECT_EQ(out.status.sqlstate(), "22023");
  out = Simple("SET server_version = '1'");
  EXPECT_EQ(out.status.sqlstate(), "55P02");
  EXPECT_EQ(Value("SELECT set_config('application_name', 'x', false)"), "x");
  EXPECT_EQ(Value("SELECT current_setting('application_name')"), "x");
  EXPECT_EQ(Value("SELECT current_setting('nosuch', true)"), "<null>");
  EXPECT_EQ(Value("SHOW search_path"), "\"$user\", public");
  Simple("SET search_path = \"$user\", public, Foo");
  EXPECT_EQ(Value("SHOW search_path"), "\"$user\", public, foo");
  Simple("RESET ALL");
  EXPECT_EQ(Value("SHOW application_name"), "");
}

TEST_F(SessionTest, TransactionsAndSettings) {
  EXPECT_EQ(Simple("BEGIN").tag, "BEGIN");
  EXPECT_EQ(session_->transaction_status(), TransactionStatus::kInBlock);
  Simple("SET extra_float_digits = 2");
  Simple("SET LOCAL application_name = 'local'");
  EXPECT_EQ(Value("SHOW application_name"), "local");
  EXPECT_EQ(Simple("ROLLBACK").tag, "ROLLBACK");
  EXPECT_EQ(Value("SHOW extra_float_digits"), "1");
  EXPECT_EQ(Value("SHOW application_name"), "");

  Simple("BEGIN");
  Simple("SET extra_float_digits = 2");
  Simple("SET LOCAL application_name = 'local'");
  EXPECT_EQ(Simple("COMMIT").tag, "COMMIT");
  EXPECT_EQ(Value("SHOW extra_float_digits"), "2");
  EXPECT_EQ(Value("SHOW application_name"), "");

  Simple("BEGIN");
  Simple("BEGIN");
  auto notices = session_->TakeNotices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].sqlstate, "25001");
  Outcome out = Simple("SELECT 1/0");
  EXPECT_EQ(session_->transaction_status(), TransactionStatus::kFailed);
  out = Simple("SELECT 1");
  EXPECT_EQ(out.status.sqlstate(), "25P02");
  EXPECT_EQ(Simple("COMMIT").tag, "ROLLBACK");
  EXPECT_EQ(session_->transaction_status(), TransactionStatus::kIdle);
  EXPECT_EQ(Simple("COMMIT").tag, "COMMIT");
  notices = session_->TakeNotices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].message, "there is no transaction in progress");

  // An implicit transaction (multi-statement string) is undone as a whole by an error.
  Simple("SET application_name = 'kept'; SELECT 1/0");
  EXPECT_EQ(Value("SHOW application_name"), "");

  EXPECT_EQ(Simple("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").tag,
            "START TRANSACTION");
  EXPECT_EQ(Value("SHOW transaction_read_only"), "on");
  Simple("END");
  out = Simple("BEGIN ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(out.status.sqlstate(), "0A000");
  EXPECT_EQ(Simple("DISCARD ALL").tag, "DISCARD ALL");
  EXPECT_EQ(Value("SHOW extra_float_digits"), "1");
}

TEST_F(SessionTest, ExtendedProtocolTypes) {
  std::vector<uint32_t> none;
  auto stmt = session_->Prepare("SELECT $1::int + 1", none);
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  EXPECT_EQ((*stmt)->ParameterTypes(), std::vector<uint32_t>{23});
  EXPECT_EQ((*(*stmt)->Fields())[0].type_oid, 23u);
  auto plain = session_->Prepare("SELECT $1", none);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ((*plain)->ParameterTypes(), std::vector<uint32_t>{25});
  auto op = session_->Prepare("SELECT $1 + 1", none);
  ASSERT_TRUE(op.ok());
  EXPECT_EQ((*op)->ParameterTypes(), std::vector<uint32_t>{23});

  BoundParameters params;
  params.formats = {1};
  params.values = {std::string("\x00\x00\x00\x29", 4)};
  std::vector<int16_t> binary = {1};
  auto portal = session_->Bind(*stmt, params, binary);
  ASSERT_TRUE(portal.ok()) << portal.status().ToString();
  CollectingSink sink;
  auto result = session_->Execute(**portal, 0, sink);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->command_tag, "SELECT 1");
  EXPECT_EQ(sink.rows[0][0], std::string("\x00\x00\x00\x2a", 4));

  auto two = session_->Prepare("SELECT 1; SELECT 2", none);
  EXPECT_EQ(two.status().sqlstate(), "42601");
  auto gap = session_->Prepare("SELECT $2", none);
  EXPECT_EQ(gap.status().sqlstate(), "42P18");
  EXPECT_EQ(gap.status().message(), "could not determine data type of parameter $1");

  params.formats = {0};
  params.values = {std::string("abc")};
  auto bad = session_->Bind(*stmt, params, {});
  EXPECT_EQ(bad.status().sqlstate(), "22P02");
}

TEST_F(SessionTest, MaxRowsSuspends) {
  std::vector<uint32_t> none;
  auto stmt = session_->Prepare("VALUES (1), (2), (3)", none);
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  auto portal = session_->Bind(*stmt, {}, {});
  ASSERT_TRUE(portal.ok());
  CollectingSink sink;
  auto first = session_->Execute(**portal, 2, sink);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->suspended);
  auto rest = session_->Execute(**portal, 2, sink);
  ASSERT_TRUE(rest.ok());
  EXPECT_FALSE(rest->suspended);
  EXPECT_EQ(rest->command_tag, "SELECT 1");
  EXPECT_EQ(sink.rows.size(), 3u);
}

TEST_F(SessionTest, PrepareExecuteDeallocate) {
  EXPECT_EQ(Simple("PREPARE add_one(int) AS SELECT $1::int + 1").tag, "PREPARE");
  Outcome out = Simple("EXECUTE add_one(41)");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.tag, "SELECT 1");
  EXPECT_EQ(out.columns, std::vector<std::string>{"?column?"});
  EXPECT_EQ(out.types, std::vector<uint32_t>{23});
  EXPECT_EQ(out.rows[0][0], "42");
  out = Simple("PREPARE add_one(int) AS SELECT $1::int + 1");
  EXPECT_EQ(out.status.sqlstate(), "42P05");
  EXPECT_EQ(out.status.message(), "prepared statement \"add_one\" already exists");
  out = Simple("EXECUTE add_one(41, 2)");
  EXPECT_EQ(out.status.sqlstate(), "42601");
  EXPECT_EQ(out.status.message(), "wrong number of parameters for prepared statement \"add_one\"");
  EXPECT_EQ(out.status.detail(), "Expected 1 parameters but got 2.");
  // Arguments are expressions coerced with assignment rules.
  EXPECT_EQ(Value("EXECUTE add_one(1.5)"), "3");
  EXPECT_EQ(Value("EXECUTE add_one('1.5'::numeric)"), "3");
  EXPECT_EQ(Value("EXECUTE add_one(40 + 1)"), "42");
  EXPECT_EQ(Value("EXECUTE add_one(1 + 1.5)"), "4");
  EXPECT_EQ(Value("EXECUTE add_one(NULL)"), "<null>");
  out = Simple("EXECUTE add_one('x')");
  EXPECT_EQ(out.status.sqlstate(), "22P02");
  EXPECT_EQ(out.status.position(), 17);
  out = Simple("EXECUTE add_one(true)");
  EXPECT_EQ(out.status.sqlstate(), "42804");
  EXPECT_EQ(out.status.message(),
            "parameter $1 of type boolean cannot be coerced to the expected type integer");
  EXPECT_EQ(out.status.hint(), "You will need to rewrite or cast the expression.");
  EXPECT_EQ(out.status.position(), 17);
  out = Simple("EXECUTE add_one('a'::text)");
  EXPECT_EQ(out.status.message(),
            "parameter $1 of type text cannot be coerced to the expected type integer");
  EXPECT_EQ(out.status.position(), 17);
  out = Simple("EXECUTE add_one($1)");
  EXPECT_EQ(out.status.sqlstate(), "42P02");
  EXPECT_EQ(out.status.message(), "there is no parameter $1");
  EXPECT_EQ(out.status.position(), 17);
  out = Simple("EXECUTE nope");
  EXPECT_EQ(out.status.sqlstate(), "26000");
  EXPECT_EQ(out.status.message(), "prepared statement \"nope\" does not exist");
  EXPECT_EQ(Simple("DEALLOCATE nope").status.sqlstate(), "26000");
  EXPECT_EQ(Simple("DEALLOCATE PREPARE add_one").tag, "DEALLOCATE");
  EXPECT_EQ(Simple("EXECUTE add_one(1)").status.sqlstate(), "26000");

  // Undeclared parameters are inferred; one neither declared nor used cannot be.
  Simple("PREPARE p2 AS SELECT $1, $2::int");
  out = Simple("EXECUTE p2('a', '3')");
  EXPECT_EQ(out.types, (std::vector<uint32_t>{25, 23}));
  out = Simple("PREPARE p3 AS SELECT $2");
  EXPECT_EQ(out.status.sqlstate(), "42P18");
  EXPECT_EQ(out.status.message(), "could not determine data type of parameter $1");
  out = Simple("PREPARE p4(nosuchtype) AS SELECT 1");
  EXPECT_EQ(out.status.sqlstate(), "42704");
  EXPECT_EQ(out.status.message(), "type \"nosuchtype\" does not exist");
  EXPECT_EQ(out.status.position(), 12);
  Simple("PREPARE p5(varchar(3)) AS SELECT $1");
  EXPECT_EQ(Value("EXECUTE p5('abcdef')"), "abcdef");

  // Prepared statements are not transactional, and only transaction exits run in a failed
  // transaction.
  Simple("BEGIN");
  Simple("PREPARE in_block AS SELECT 1");
  Simple("ROLLBACK");
  EXPECT_EQ(Value("EXECUTE in_block"), "1");
  Simple("BEGIN");
  Simple("SELECT 1/0");
  EXPECT_EQ(Simple("DEALLOCATE in_block").status.sqlstate(), "25P02");
  Simple("ROLLBACK");
  EXPECT_EQ(Value("EXECUTE in_block"), "1");

  // Later statements of one string see what earlier ones prepared; positions are relative to
  // the whole string.
  out = Simple("PREPARE w(int) AS SELECT 1; EXECUTE w(1); EXECUTE w('a')");
  EXPECT_EQ(out.status.sqlstate(), "22P02");
  EXPECT_EQ(out.status.position(), 53);

  EXPECT_EQ(Simple("DEALLOCATE ALL").tag, "DEALLOCATE ALL");
  EXPECT_EQ(Simple("EXECUTE w(1)").status.sqlstate(), "26000");
  Simple("PREPARE q AS SELECT 1");
  EXPECT_EQ(Simple("DISCARD PLANS").tag, "DISCARD PLANS");
  EXPECT_EQ(Value("EXECUTE q"), "1");
  // A string of several statements is an implicit transaction block.
  out = Simple("PREPARE r AS SELECT 1; DISCARD ALL");
  EXPECT_EQ(out.status.sqlstate(), "25001");
  EXPECT_EQ(out.status.message(), "DISCARD ALL cannot run inside a transaction block");
  EXPECT_EQ(Value("EXECUTE r"), "1");
  EXPECT_EQ(Simple("DISCARD ALL").tag, "DISCARD ALL");
  EXPECT_EQ(Simple("EXECUTE q").status.sqlstate(), "26000");
}

TEST_F(SessionTest, ProtocolAndSqlShareNamedStatements) {
  std::vector<uint32_t> none;
  auto parsed = session_->Prepare("SELECT $1::int", none);
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(session_->StoreStatement("s1", *parsed).ok());
  EXPECT_EQ(session_->StoreStatement("s1", *parsed).sqlstate(), "42P05");
  Outcome out = Simple("EXECUTE s1(5)");
  EXPECT_EQ(out.columns, std::vector<std::string>{"int4"});
  EXPECT_EQ(out.rows[0][0], "5");
  EXPECT_EQ(Simple("PREPARE s1 AS SELECT 1").status.sqlstate(), "42P05");
  EXPECT_EQ(Simple("DEALLOCATE s1").tag, "DEALLOCATE");
  EXPECT_EQ(session_->FindStatement("s1"), nullptr);
  EXPECT_FALSE(session_->DropStatement("s1"));

  // SQL PREPARE, then protocol Bind.
  Simple("PREPARE twice(int) AS SELECT $1 * 2");
  auto twice = session_->FindStatement("twice");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(twice->ParameterTypes(), std::vector<uint32_t>{23});
  BoundParameters params;
  params.formats = {0};
  params.values = {std::string("21")};
  auto portal = session_->Bind(twice, params, {});
  ASSERT_TRUE(portal.ok()) << portal.status().ToString();
  CollectingSink sink;
  auto result = session_->Execute(**portal, 0, sink);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(sink.rows[0][0], "42");

  // EXECUTE through the extended protocol: described as the statement it runs, binary results
  // and row limits apply to that statement's rows.
  Simple("PREPARE v AS VALUES (1), (2), (3)");
  auto execute = session_->Prepare("EXECUTE v", none);
  ASSERT_TRUE(execute.ok());
  EXPECT_TRUE((*execute)->ParameterTypes().empty());
  ASSERT_TRUE((*execute)->Fields().has_value());
  EXPECT_EQ((*(*execute)->Fields())[0].name, "column1");
  std::vector<int16_t> binary = {1};
  portal = session_->Bind(*execute, {}, binary);
  ASSERT_TRUE(portal.ok());
  EXPECT_EQ((*(*portal)->Fields())[0].format, 1);
  sink.rows.clear();
  result = session_->Execute(**portal, 2, sink);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->suspended);
  result = session_->Execute(**portal, 2, sink);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->command_tag, "SELECT 1");
  ASSERT_EQ(sink.rows.size(), 3u);
  EXPECT_EQ(sink.rows[2][0], std::string("\x00\x00\x00\x03", 4));

  // A missing target is reported at execution, as in PostgreSQL.
  auto missing = session_->Prepare("EXECUTE nope", none);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE((*missing)->Fields().has_value());
  portal = session_->Bind(*missing, {}, {});
  ASSERT_TRUE(portal.ok());
  EXPECT_EQ(session_->Execute(**portal, 0, sink).status().sqlstate(), "26000");

  // Any named statement can be executed, e.g. SHOW.
  auto show = session_->Prepare("SHOW TimeZone", none);
  ASSERT_TRUE(session_->StoreStatement("tz", std::move(show).value()).ok());
  out = Simple("EXECUTE tz");
  EXPECT_EQ(out.columns, std::vector<std::string>{"TimeZone"});
  EXPECT_EQ(out.tag, "SHOW");

  // A statement that EXECUTEs another does not keep it alive once deallocated.
  std::weak_ptr<const PreparedStatement> shown = session_->FindStatement("tz");
  ASSERT_TRUE(session_->StoreStatement("run_tz", *session_->Prepare("EXECUTE tz", none)).ok());
  EXPECT_TRUE(session_->DropStatement("tz"));
  EXPECT_TRUE(shown.expired());
  EXPECT_EQ(Simple("EXECUTE run_tz").status.sqlstate(), "26000");

  // Protocol-prepared EXECUTEs naming each other stop at a nesting limit.
  ASSERT_TRUE(session_->StoreStatement("a", *session_->Prepare("EXECUTE b", none)).ok());
  ASSERT_TRUE(session_->StoreStatement("b", *session_->Prepare("EXECUTE a", none)).ok());
  EXPECT_EQ(Simple("EXECUTE a").status.sqlstate(), "54001");
  EXPECT_EQ(Value("SELECT 1"), "1");

  // The per-session limit covers both ways of preparing.
  session_->DropAllStatements();
  for (size_t i = 0; i < kMaxPreparedStatementsPerSession; ++i) {
    ASSERT_TRUE(session_->StoreStatement("s" + std::to_string(i), *parsed).ok());
  }
  EXPECT_EQ(session_->StoreStatement("one_more", *parsed).sqlstate(), "54000");
  EXPECT_EQ(Simple("PREPARE one_more AS SELECT 1").status.sqlstate(), "54000");
  EXPECT_EQ(Simple("DEALLOCATE ALL").tag, "DEALLOCATE ALL");
  EXPECT_EQ(Simple("PREPARE one_more AS SELECT 1").tag, "PREPARE");
}

TEST_F(SessionTest, Cancel) {
  session_->RequestCancel();
  Outcome out = Simple("SELECT 1");
  EXPECT_EQ(out.status.sqlstate(), "57014");
  EXPECT_EQ(Value("SELECT 1"), "1");
}

TEST_F(SessionTest, StartupParameters) {
  SessionOptions options;
  options.user = "bob";
  options.startup_parameters = {{"application_name", "psql"}, {"client_encoding", "unicode"}};
  auto session = engine_->NewSession(options);
  ASSERT_TRUE(session->Start().ok());
  auto initial = session->InitialParameterStatus();
  bool found = false;
  for (const auto& [name, value] : initial) {
    if (name == "client_encoding") {
      EXPECT_EQ(value, "UTF8");
    }
    if (name == "application_name") found = value == "psql";
    if (name == "server_version") {
      EXPECT_EQ(value, "15.18 (Borealis)");
    }
  }
  EXPECT_TRUE(found);
  options.startup_parameters = {{"nosuch", "1"}};
  EXPECT_EQ(engine_->NewSession(options)->Start().sqlstate(), "42704");
}

// libpq's PGOPTIONS arrive as the `options` startup parameter (pg_regress sends
// "-c intervalstyle=postgres_verbose").
TEST(SettingsTest, OptionsStartupParameter) {
  Settings settings;
  ASSERT_TRUE(settings
                  .SetStartup("options",
                              "-c intervalstyle=postgres_verbose -cstatement_timeout=5s "
                              "--application-name=a\\ b")
                  .ok());
  EXPECT_EQ(settings.Get("IntervalStyle"), "postgres_verbose");
  EXPECT_EQ(settings.Get("statement_timeout"), "5s");
  EXPECT_EQ(settings.Get("application_name"), "a b");
  EXPECT_EQ(settings.SetStartup("options", "-c nosuch_setting=1").sqlstate(), "42704");
  EXPECT_EQ(settings.SetStartup("options", "-B 100").sqlstate(), "42601");
  EXPECT_EQ(settings.SetStartup("options", "-c datestyle").sqlstate(), "42601");
}

TEST_F(SessionTest, CustomPlaceholderSettings) {
  EXPECT_EQ(Value("SELECT set_config('myapp.user_id', '42', false)"), "42");
  EXPECT_EQ(Value("SHOW myapp.user_id"), "42");
  EXPECT_EQ(Value("SELECT current_setting('MyApp.User_Id')"), "42");
  Simple("SET myapp.mode = 'fast'");
  EXPECT_EQ(Value("SELECT current_setting('myapp.mode')"), "fast");
  Simple("RESET myapp.mode");
  EXPECT_EQ(Value("SHOW myapp.mode"), "");
  // Reading a placeholder that was never set is an error (or NULL with missing_ok).
  EXPECT_EQ(Simple("SELECT current_setting('zz.never')").status.sqlstate(), "42704");
  EXPECT_EQ(Simple("SHOW zz.never").status.sqlstate(), "42704");
  EXPECT_EQ(Value("SELECT current_setting('zz.never', true)"), "<null>");
  // Names without a dot stay unknown; malformed dotted names are 42602.
  EXPECT_EQ(Simple("SET nodot = 1").status.sqlstate(), "42704");
  Outcome out = Simple("SELECT set_config('.a', 'x', false)");
  EXPECT_EQ(out.status.sqlstate(), "42602");
  EXPECT_EQ(out.status.message(), "invalid configuration parameter name \".a\"");
  EXPECT_EQ(Simple("SELECT set_config('a.1b', 'x', false)").status.sqlstate(), "42602");
  // The value is transactional; the placeholder itself outlives a rollback.
  Simple("BEGIN");
  EXPECT_EQ(Value("SELECT set_config('tx.x', 'in-tx', true)"), "in-tx");
  Simple("SET tx.y = 'session'");
  EXPECT_EQ(Value("SELECT current_setting('tx.x')"), "in-tx");
  Simple("ROLLBACK");
  EXPECT_EQ(Value("SELECT current_setting('tx.x', true)"), "");
  EXPECT_EQ(Value("SHOW tx.y"), "");
  Simple("BEGIN");
  Simple("SET LOCAL tx.x = 'local'");
  Simple("COMMIT");
  EXPECT_EQ(Value("SHOW tx.x"), "");
  // SHOW ALL leaves placeholders out; RESET ALL resets them.
  Simple("SET tx.y = 'kept'");
  out = Simple("SHOW ALL");
  for (const auto& row : out.rows) EXPECT_NE(row[0], "tx.y");
  Simple("RESET ALL");
  EXPECT_EQ(Value("SHOW tx.y"), "");
}

TEST_F(SessionTest, BooleanTests) {
  Outcome out = Simple(
      "SELECT true IS TRUE, NULL IS TRUE, NULL IS NOT TRUE, false IS FALSE, 'f' IS FALSE, "
      "NULL::bool IS UNKNOWN, true IS NOT UNKNOWN, false IS NOT FALSE");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  std::vector<std::optional<std::string>> expected = {"t", "f", "t", "t", "t", "t", "t", "f"};
  EXPECT_EQ(out.rows[0], expected);
  EXPECT_EQ(out.columns[0], "?column?");
  out = Simple("SELECT 1 IS NOT TRUE");
  EXPECT_EQ(out.status.sqlstate(), "42804");
  EXPECT_EQ(out.status.message(), "argument of IS NOT TRUE must be type boolean, not type integer");
  EXPECT_EQ(out.status.position(), 8);
}

TEST_F(SessionTest, TextConcatenationWithNonText) {
  EXPECT_EQ(Value("SELECT 'n' || 1"), "n1");
  EXPECT_EQ(Value("SELECT 2 || 'x'"), "2x");
  EXPECT_EQ(Value("SELECT 'v' || 1.50 || true"), "v1.50true");  // bool::text, not boolout
  EXPECT_EQ(Value("SELECT 'x' || 1.5::float8"), "x1.5");
  EXPECT_EQ(Value("SELECT NULL || 1"), "<null>");
  EXPECT_EQ(Value("SELECT 'x'::char(3) || '|'"), "x|");
  Outcome out = Simple("SELECT 'a' || 1");
  EXPECT_EQ(out.types, (std::vector<uint32_t>{25}));
  out = Simple("SELECT 1 || 2");
  EXPECT_EQ(out.status.sqlstate(), "42883");
  EXPECT_EQ(out.status.message(), "operator does not exist: integer || integer");
}

TEST_F(SessionTest, StringFunctions) {
  EXPECT_EQ(Value("SELECT concat_ws('-', 'a', NULL, 'b')"), "a-b");
  EXPECT_EQ(Value("SELECT concat_ws(',', 1, true, NULL, 'z')"), "1,t,z");
  EXPECT_EQ(Value("SELECT concat_ws(NULL, 'a')"), "<null>");
  EXPECT_EQ(Simple("SELECT concat_ws(',')").status.sqlstate(), "42883");
  EXPECT_EQ(Simple("SELECT concat_ws(1, 'a')").status.sqlstate(), "42883");
  EXPECT_EQ(Simple("SELECT concat()").status.sqlstate(), "42883");
  EXPECT_EQ(Value("SELECT chr(65) || chr(233)"), "Aé");
  EXPECT_EQ(Simple("SELECT chr(0)").status.sqlstate(), "54000");
  EXPECT_EQ(Simple("SELECT chr(-1)").status.sqlstate(), "22023");
  EXPECT_EQ(Simple("SELECT chr(55296)").status.sqlstate(), "54000");
  EXPECT_EQ(Value("SELECT octet_length('é')"), "2");
  EXPECT_EQ(Value("SELECT lower('ÀΣBC')"), "àσbc");
  EXPECT_EQ(Value("SELECT upper('àéß')"), "ÀÉß");
  EXPECT_EQ(Value("SELECT 'abc'::varchar(2)"), "ab");
  EXPECT_EQ(Value("SELECT 'x'::char(3)"), "x  ");
  EXPECT_EQ(Value("SELECT 'abc'::char"), "a");
  EXPECT_EQ(Simple("SELECT 'x'::varchar(0)").status.sqlstate(), "22023");
  EXPECT_EQ(Value("SELECT 1.55::numeric(3,1)"), "1.6");
  EXPECT_EQ(Simple("SELECT 1.5::int4(3)").status.sqlstate(), "42601");
}

TEST_F(SessionTest, GreatestLeastAndRandom) {
  Outcome out = Simple("SELECT greatest(1, 5, 3), least(4, 2, 8), greatest(1, 2.5, NULL)");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.columns, (std::vector<std::string>{"greatest", "least", "greatest"}));
  EXPECT_EQ(out.types, (std::vector<uint32_t>{23, 23, 1700}));
  std::vector<std::optional<std::string>> expected = {"5", "2", "2.5"};
  EXPECT_EQ(out.rows[0], expected);
  EXPECT_EQ(Value("SELECT least('b', 'a')"), "a");
  EXPECT_EQ(Value("SELECT least(NULL::int, NULL)"), "<null>");
  EXPECT_EQ(Simple("SELECT greatest(1, true)").status.sqlstate(), "42804");
  EXPECT_EQ(Value("SELECT random() >= 0 AND random() < 1"), "t");
}

}  // namespace
}  // namespace borealis::qp
