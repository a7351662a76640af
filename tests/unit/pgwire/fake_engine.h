// A tiny fake qp::Engine for pgwire tests. It understands a handful of statements:
//   SELECT 1                    one int4 column "?column?" with "1"
//   SELECT $1[, $2 ...]         echoes its text parameters as text columns
//   GENERATE n                  column "n", rows 1..n (honours max_rows / PortalSuspended)
//   BEGIN / COMMIT / ROLLBACK   transaction status T / I (E after an error in a block)
//   FAIL                        error 22012 at execution
//   SLEEP                       waits (up to 10 s) for RequestCancel, then 57014
//   SET name = value            reports ParameterStatus name=value
//   NOTICE                      emits a NoticeResponse
// Anything else is a 42601 syntax error with a position. Simple-query strings split on ';'.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "qp/session.h"

namespace borealis::pgwire::testing {

class FakeStatement final : public qp::PreparedStatement {
 public:
  FakeStatement(std::string text, std::vector<uint32_t> types,
                std::optional<std::vector<qp::FieldDescription>> fields)
      : text_(std::move(text)), types_(std::move(types)), fields_(std::move(fields)) {}
  const std::vector<uint32_t>& ParameterTypes() const override { return types_; }
  const std::optional<std::vector<qp::FieldDescription>>& Fields() const override {
    return fields_;
  }
  std::string_view Text() const override { return text_; }
  bool IsEmpty() const override { return text_.empty(); }

 private:
  std::string text_;
  std::vector<uint32_t> types_;
  std::optional<std::vector<qp::FieldDescription>> fields_;
};

class FakePortal final : public qp::Portal {
 public:
  const std::optional<std::vector<qp::FieldDescription>>& Fields() const override {
    return fields_;
  }
  std::shared_ptr<const qp::PreparedStatement> statement;
  qp::BoundParameters parameters;
  std::optional<std::vector<qp::FieldDescription>> fields_;
  int64_t next_row = 0;
};

inline qp::FieldDescription Field(std::string name, uint32_t type_oid, int16_t size) {
  qp::FieldDescription field;
  field.name = std::move(name);
  field.type_oid = type_oid;
  field.type_size = size;
  return field;
}

inline std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\n\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\n\r");
  return std::string(s.substr(b, e - b + 1));
}

class FakeSession final : public qp::Session {
 public:
  explicit FakeSession(qp::SessionOptions options) : options_(std::move(options)) {}

  Status Start() override {
    for (const auto& [name, value] : options_.startup_parameters) {
      if (name == "bad_param") {
        return Status::Sql("42704", "unrecognized configuration parameter \"bad_param\"");
      }
    }
    return Status::Ok();
  }

  std::vector<std::pair<std::string, std::string>> InitialParameterStatus() const override {
    return {{"server_version", "15.0"},
            {"server_encoding", "UTF8"},
            {"client_encoding", "UTF8"},
            {"DateStyle", "ISO, MDY"},
            {"integer_datetimes", "on"},
            {"standard_conforming_strings", "on"},
            {"TimeZone", "UTC"},
            {"is_superuser", options_.is_superuser ? "on" : "off"},
            {"session_authorization", options_.user}};
  }

  Result<std::shared_ptr<const qp::PreparedStatement>> Prepare(
      std::string_view sql, std::span<const uint32_t> param_types) override {
    std::string text = Trim(sql);
    if (text.find(';') != std::string::npos && !Trim(text.substr(text.find(';') + 1)).empty()) {
      return Status::Sql("42601", "cannot insert multiple commands into a prepared statement");
    }
    if (!text.empty() && text.back() == ';') text.pop_back();
    return Analyze(text, param_types);
  }

  Result<std::vector<std::shared_ptr<const qp::PreparedStatement>>> PrepareSimple(
      std::string_view sql) override {
    std::vector<std::shared_ptr<const qp::PreparedStatement>> out;
    std::string text(sql);
    size_t start = 0;
    while (start <= text.size()) {
      size_t semi = text.find(';', start);
      std::string piece =
          Trim(text.substr(start, semi == std::string::npos ? std::string::npos : semi - start));
      if (!piece.empty()) {
        ASSIGN_OR_RETURN(auto statement, Analyze(piece, {}));
        out.push_back(std::move(statement));
      }
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    if (out.empty()) {
      out.push_back(std::make_shared<FakeStatement>("", std::vector<uint32_t>{}, std::nullopt));
    }
    return out;
  }

  Result<std::unique_ptr<qp::Portal>> Bind(std::shared_ptr<const qp::PreparedStatement> statement,
                                           const qp::BoundParameters& parameters,
                                           std::span<const int16_t> result_formats) override {
    auto portal = std::make_unique<FakePortal>();
    portal->fields_ = statement->Fields();
    if (portal->fields_) {
      for (size_t i = 0; i < portal->fields_->size(); ++i) {
        int16_t format = result_formats.empty()       ? 0
                         : result_formats.size() == 1 ? result_formats[0]
                                                      : result_formats[i];
        (*portal->fields_)[i].format = format;
      }
    }
    portal->statement = std::move(statement);
    portal->parameters = parameters;
    return std::unique_ptr<qp::Portal>(std::move(portal));
  }

  Result<qp::ExecuteResult> Execute(qp::Portal& portal_base, int64_t max_rows,
                                    qp::RowSink& sink) override {
    auto& portal = static_cast<FakePortal&>(portal_base);
    std::string text(portal.statement->Text());
    if (status_ == qp::TransactionStatus::kFailed && text != "COMMIT" && text != "ROLLBACK") {
      return Status::Sql("25P02",
                         "current transaction is aborted, commands ignored until end of "
                         "transaction block");
    }
    qp::ExecuteResult result;
    if (text == "SELECT 1") {
      RETURN_IF_ERROR(sink.Row({std::string("1")}));
      result.command_tag = "SELECT 1";
    } else if (text.rfind("SELECT $", 0) == 0) {
      qp::WireRow row;
      for (const auto& value : portal.parameters.values) row.push_back(value);
      RETURN_IF_ERROR(sink.Row(row));
      result.command_tag = "SELECT 1";
    } else if (text.rfind("GENERATE ", 0) == 0) {
      int64_t n = std::stoll(text.substr(9));
      int64_t sent = 0;
      while (portal.next_row < n) {
        if (max_rows > 0 && sent == max_rows) {
          result.suspended = true;
          return result;
        }
        RETURN_IF_ERROR(sink.Row({std::to_string(++portal.next_row)}));
        ++sent;
      }
      result.command_tag = "SELECT " + std::to_string(sent);
    } else if (text == "BEGIN") {
      status_ = qp::TransactionStatus::kInBlock;
      result.command_tag = "BEGIN";
    } else if (text == "COMMIT" || text == "ROLLBACK") {
      result.command_tag = status_ == qp::TransactionStatus::kFailed ? "ROLLBACK" : text;
      status_ = qp::TransactionStatus::kIdle;
    } else if (text == "FAIL") {
      return Status::Sql("22012", "division by zero");
    } else if (text == "SLEEP") {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!cancel_.exchange(false)) {
        if (std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return Status::Sql("57014", "canceling statement due to user request");
    } else if (text.rfind("SET ", 0) == 0) {
      size_t eq = text.find('=');
      changes_.emplace_back(Trim(text.substr(4, eq - 4)), Trim(text.substr(eq + 1)));
      result.command_tag = "SET";
    } else if (text == "COPY IN") {  // COPY FROM STDIN of one column: rows are lines
      copy_in_.emplace();
      result.copy_in_columns = 1;
    } else if (text == "COPY OUT") {  // COPY TO STDOUT of two lines
      RETURN_IF_ERROR(sink.CopyOutBegin(1));
      RETURN_IF_ERROR(sink.CopyOutData("a\n"));
      RETURN_IF_ERROR(sink.CopyOutData("b\n"));
      result.command_tag = "COPY 2";
      result.copy_out = true;
    } else if (text == "NOTICE") {
      qp::Notice notice;
      notice.message = "hello from the fake engine";
      notices_.push_back(notice);
      result.command_tag = "DO";
    }
    return result;
  }

  // COPY IN: "bad" data fails the copy; otherwise the bytes are collected.
  Status CopyInData(std::string_view data) override {
    if (!copy_in_) return Status::Sql("08P01", "no COPY in progress");
    if (data == "bad") return Status::Sql("22P04", "bad copy data");
    copy_in_->append(data);
    return Status::Ok();
  }
  Result<qp::ExecuteResult> CopyInDone() override {
    if (!copy_in_) return Status::Sql("08P01", "no COPY in progress");
    copied = *copy_in_;
    copy_in_.reset();
    qp::ExecuteResult result;
    result.command_tag = "COPY " + std::to_string(std::count(copied.begin(), copied.end(), '\n'));
    return result;
  }
  void CopyInAbort() override { copy_in_.reset(); }
  std::string copied;  // the data of the last COPY IN that completed

  Status EndOfCommandGroup(bool) override { return Status::Ok(); }
  void OnError() override { status_ = qp::TransactionStatus::kFailed; }
  qp::TransactionStatus transaction_status() const override { return status_; }
  std::vector<std::pair<std::string, std::string>> TakeParameterStatusChanges() override {
    return std::exchange(changes_, {});
  }
  std::vector<qp::Notice> TakeNotices() override { return std::exchange(notices_, {}); }
  void RequestCancel() override { cancel_ = true; }
  Status StoreStatement(std::string_view name,
                        std::shared_ptr<const qp::PreparedStatement> statement) override {
    return statements_.Store(name, std::move(statement));
  }
  std::shared_ptr<const qp::PreparedStatement> FindStatement(std::string_view name) const override {
    return statements_.Find(name);
  }
  bool DropStatement(std::string_view name) override { return statements_.Drop(name); }
  void DropAllStatements() override { statements_.DropAll(); }

 private:
  Result<std::shared_ptr<const qp::PreparedStatement>> Analyze(const std::string& text,
                                                               std::span<const uint32_t> declared) {
    std::optional<std::vector<qp::FieldDescription>> fields;
    std::vector<uint32_t> types;
    if (text.empty()) {
    } else if (text == "SELECT 1") {
      fields = std::vector{Field("?column?", 23, 4)};
    } else if (text.rfind("SELECT $", 0) == 0) {
      fields.emplace();
      size_t n = 0;
      for (size_t at = text.find('$'); at != std::string::npos; at = text.find('$', at + 1)) {
        ++n;
        fields->push_back(Field("?column?", 25, -1));
        types.push_back(n <= declared.size() && declared[n - 1] != 0 ? declared[n - 1] : 25);
      }
    } else if (text.rfind("GENERATE ", 0) == 0) {
      fields = std::vector{Field("n", 23, 4)};
    } else if (text == "BEGIN" || text == "COMMIT" || text == "ROLLBACK" || text == "FAIL" ||
               text == "SLEEP" || text == "NOTICE" || text == "COPY IN" || text == "COPY OUT" ||
               text.rfind("SET ", 0) == 0) {
    } else {
      return Status::Sql("42601", "syntax error at or near \"" + text + "\"").WithPosition(1);
    }
    return std::shared_ptr<const qp::PreparedStatement>(
        std::make_shared<FakeStatement>(text, std::move(types), std::move(fields)));
  }

  qp::SessionOptions options_;
  qp::TransactionStatus status_ = qp::TransactionStatus::kIdle;
  std::vector<std::pair<std::string, std::string>> changes_;
  std::vector<qp::Notice> notices_;
  std::optional<std::string> copy_in_;
  std::atomic<bool> cancel_{false};
  qp::PreparedStatementTable statements_;
};

class FakeEngine final : public qp::Engine {
 public:
  std::unique_ptr<qp::Session> NewSession(qp::SessionOptions options) override {
    return std::make_unique<FakeSession>(std::move(options));
  }
};

}  // namespace borealis::pgwire::testing
