#include "pgwire/command.h"

#include <fmt/format.h>

namespace borealis::pgwire {
namespace {

// Writes each row as a DataRow as soon as the engine produces it.
class WriterRowSink final : public qp::RowSink {
 public:
  explicit WriterRowSink(BackendWriter& out) : out_(out) {}
  // A simple query's portal: its RowDescription starts at `mark`, and is written again before
  // the first row when the session bound the portal again with other columns since (a stale
  // cached plan or descriptor: qp/session.cc Rebind).
  void Describe(const qp::Portal* portal, size_t mark) {
    portal_ = portal;
    mark_ = mark;
    described_ = portal->Fields();
    if (described_) out_.RowDescription(*described_);
  }
  void DescribeAgainIfChanged() {
    if (portal_ == nullptr || rows_ > 0 || portal_->Fields() == described_) return;
    out_.Truncate(mark_);
    described_ = portal_->Fields();
    if (described_) out_.RowDescription(*described_);
  }
  Status Row(const qp::WireRow& row) override {
    if (rows_ == 0) DescribeAgainIfChanged();
    out_.DataRow(row);
    ++rows_;
    return Status::Ok();
  }
  int64_t rows() const { return rows_; }
  Status CopyOutBegin(size_t columns) override {
    out_.CopyOutResponse(0, std::vector<int16_t>(columns, 0));
    return Status::Ok();
  }
  Status CopyOutData(std::string_view data) override {
    out_.CopyData(data);
    return Status::Ok();
  }

 private:
  int64_t rows_ = 0;
  BackendWriter& out_;
  const qp::Portal* portal_ = nullptr;
  size_t mark_ = 0;
  std::optional<std::vector<qp::FieldDescription>> described_;
};

std::string StatementName(std::string_view name) {
  return name.empty() ? std::string("unnamed prepared statement")
                      : fmt::format("prepared statement \"{}\"", name);
}

Status CheckFormat(int16_t format) {
  if (format == 0 || format == 1) return Status::Ok();
  return Status::Sql("22023", fmt::format("unsupported format code: {}", format));
}

}  // namespace

CommandProcessor::CommandProcessor(qp::Session& session, BackendWriter& out)
    : session_(session), out_(out) {}

bool CommandProcessor::Start(int32_t pid, int32_t secret) {
  Status started = session_.Start();
  if (!started.ok()) {
    out_.ErrorResponse(started, Severity::kFatal);
    return false;
  }
  for (const auto& [name, value] : session_.InitialParameterStatus()) {
    out_.ParameterStatus(name, value);
  }
  session_.TakeParameterStatusChanges();  // already reported above
  out_.BackendKeyData(pid, secret);
  DrainNotices();
  out_.ReadyForQuery(static_cast<char>(session_.transaction_status()));
  return true;
}

CommandProcessor::Next CommandProcessor::Handle(const Frame& frame) {
  auto message = DecodeTypedFrame(frame);
  if (!message.ok()) return Fatal(message.status());
  return Handle(*message);
}

CommandProcessor::Next CommandProcessor::Handle(const FrontendMessage& message) {
  if (std::holds_alternative<Terminate>(message)) return Next::kClose;
  if (copy_in_) return HandleCopyIn(message);
  if (std::holds_alternative<Sync>(message)) {
    ignore_until_sync_ = false;
    FinishCommandGroup();
    return Next::kFlush;
  }
  if (ignore_until_sync_) return Next::kContinue;

  Status status;
  if (auto* query = std::get_if<Query>(&message)) return OnQuery(query->sql);
  if (auto* parse = std::get_if<Parse>(&message)) {
    status = OnParse(*parse);
  } else if (auto* bind = std::get_if<Bind>(&message)) {
    status = OnBind(*bind);
  } else if (auto* describe = std::get_if<Describe>(&message)) {
    status = OnDescribe(*describe);
  } else if (auto* execute = std::get_if<Execute>(&message)) {
    status = OnExecute(*execute);
  } else if (auto* close = std::get_if<Close>(&message)) {
    OnClose(*close);
  } else if (std::holds_alternative<Flush>(message)) {
    return Next::kFlush;
  } else if (std::holds_alternative<CopyData>(message) ||
             std::holds_alternative<CopyDone>(message) ||
             std::holds_alternative<CopyFail>(message)) {
    // Outside COPY these are ignored, per the protocol.
    return Next::kContinue;
  } else if (std::holds_alternative<FunctionCall>(message)) {
    // A function call is its own command group, answered with ReadyForQuery.
    ReportError(Status::Sql("0A000", "the function call protocol message is not supported"));
    FinishCommandGroup();
    return Next::kFlush;
  } else {
    return Fatal(ProtocolViolation("unexpected message during the query phase"));
  }
  if (!status.ok()) {
    ReportError(status);
    ignore_until_sync_ = true;
  }
  return Next::kContinue;
}

CommandProcessor::Next CommandProcessor::Fatal(const Status& status) {
  out_.ErrorResponse(status, Severity::kFatal);
  return Next::kClose;
}

void CommandProcessor::ReportError(const Status& status) {
  DrainNotices();
  out_.ErrorResponse(status);
  error_since_sync_ = true;
  // Session::OnError moves an explicit transaction block to the failed state; implicit
  // transactions are rolled back by EndOfCommandGroup(had_error=true) instead.
  if (session_.transaction_status() == qp::TransactionStatus::kInBlock) session_.OnError();
}

void CommandProcessor::DrainNotices() {
  for (const qp::Notice& notice : session_.TakeNotices()) out_.NoticeResponse(notice);
}

void CommandProcessor::DrainParameterStatus() {
  for (const auto& [name, value] : session_.TakeParameterStatusChanges()) {
    out_.ParameterStatus(name, value);
  }
}

void CommandProcessor::FinishCommandGroup() {
  Status ended = session_.EndOfCommandGroup(error_since_sync_);
  error_since_sync_ = false;
  if (!ended.ok()) {
    DrainNotices();
    out_.ErrorResponse(ended);
  }
  DrainNotices();
  DrainParameterStatus();
  if (session_.transaction_status() == qp::TransactionStatus::kIdle) portals_.clear();
  out_.ReadyForQuery(static_cast<char>(session_.transaction_status()));
  out_.ShrinkIfIdle();
}

CommandProcessor::Next CommandProcessor::OnQuery(std::string_view sql) {
  // A simple query replaces the unnamed statement and portal, as in PostgreSQL.
  unnamed_statement_.reset();
  portals_.erase("");
  auto statements = session_.PrepareSimple(sql);
  if (!statements.ok()) {
    ReportError(statements.status());
    FinishCommandGroup();
    return Next::kFlush;
  }
  pending_statements_ = std::move(statements).value();
  next_pending_ = 0;
  return ContinueSimpleQuery();
}

CommandProcessor::Next CommandProcessor::ContinueSimpleQuery() {
  while (next_pending_ < pending_statements_.size()) {
    std::shared_ptr<const qp::PreparedStatement> statement = pending_statements_[next_pending_++];
    if (statement->IsEmpty()) {
      out_.EmptyQueryResponse();
      continue;
    }
    Result<bool> ran = RunSimpleStatement(statement);
    if (!ran.ok()) {
      ReportError(ran.status());
      break;
    }
    if (*ran) return Next::kFlush;  // COPY FROM STDIN: the client sends the data next
  }
  pending_statements_.clear();
  next_pending_ = 0;
  FinishCommandGroup();
  return Next::kFlush;
}

void CommandProcessor::StartCopyIn(size_t columns, bool from_simple_query) {
  out_.CopyInResponse(0, std::vector<int16_t>(columns, 0));
  copy_in_.emplace();
  copy_in_from_simple_query_ = from_simple_query;
}

CommandProcessor::Next CommandProcessor::HandleCopyIn(const FrontendMessage& message) {
  CopyInMachine::Output step = copy_in_->Step(message);
  switch (step.event) {
    case CopyInMachine::Event::kIgnore:
      return Next::kContinue;
    case CopyInMachine::Event::kData: {
      Status fed = session_.CopyInData(step.data);
      if (!fed.ok()) return CopyInFailed(fed);
      return Next::kContinue;
    }
    case CopyInMachine::Event::kDone: {
      copy_in_.reset();
      Result<qp::ExecuteResult> done = session_.CopyInDone();
      if (!done.ok()) return CopyInFailed(done.status());
      DrainNotices();
      out_.CommandComplete(done->command_tag);
      DrainParameterStatus();
      if (copy_in_from_simple_query_) return ContinueSimpleQuery();
      return Next::kContinue;
    }
    case CopyInMachine::Event::kFailed:
    case CopyInMachine::Event::kError:
      return CopyInFailed(step.error);
  }
  return Next::kContinue;
}

// PostgreSQL: an error during copy-in ends the COPY; the rest of a simple query is discarded
// (ReadyForQuery follows at once), an extended-protocol one discards until Sync. CopyData,
// CopyDone and CopyFail arriving afterwards are ignored.
CommandProcessor::Next CommandProcessor::CopyInFailed(const Status& status) {
  copy_in_.reset();
  session_.CopyInAbort();
  ReportError(status);
  if (copy_in_from_simple_query_) {
    pending_statements_.clear();
    next_pending_ = 0;
    FinishCommandGroup();
    return Next::kFlush;
  }
  ignore_until_sync_ = true;
  return Next::kContinue;
}

Result<bool> CommandProcessor::RunSimpleStatement(
    const std::shared_ptr<const qp::PreparedStatement>& statement) {
  ASSIGN_OR_RETURN(std::unique_ptr<qp::Portal> portal,
                   session_.Bind(statement, qp::BoundParameters{}, {}));
  size_t mark = out_.size();
  WriterRowSink sink(out_);
  sink.Describe(portal.get(), mark);
  auto result = session_.Execute(*portal, 0, sink);
  if (!result.ok()) {
    // A statement that failed before producing a row (e.g. 25P02) gets no RowDescription,
    // as in PostgreSQL where the check precedes execution.
    if (sink.rows() == 0) out_.Truncate(mark);
    return result.status();
  }
  if (!result->copy_out) sink.DescribeAgainIfChanged();
  if (result->copy_in_columns) {
    StartCopyIn(*result->copy_in_columns, true);
    return true;
  }
  if (result->copy_out) out_.CopyDone();
  DrainNotices();
  out_.CommandComplete(result->command_tag);
  DrainParameterStatus();
  return false;
}

std::shared_ptr<const qp::PreparedStatement> CommandProcessor::FindStatement(
    std::string_view name) const {
  return name.empty() ? unnamed_statement_ : session_.FindStatement(name);
}

// As PostgreSQL's exec_parse_message: the unnamed statement is dropped first; a named one is
// analyzed first and then stored (so a syntax error wins over a duplicate name).
Status CommandProcessor::OnParse(const Parse& parse) {
  if (parse.name.empty()) unnamed_statement_.reset();
  ASSIGN_OR_RETURN(auto statement, session_.Prepare(parse.sql, parse.param_types));
  if (parse.name.empty()) {
    unnamed_statement_ = std::move(statement);
  } else {
    RETURN_IF_ERROR(session_.StoreStatement(parse.name, std::move(statement)));
  }
  out_.ParseComplete();
  return Status::Ok();
}

Status CommandProcessor::OnBind(const Bind& bind) {
  std::shared_ptr<const qp::PreparedStatement> statement = FindStatement(bind.statement);
  if (statement == nullptr) {
    return Status::Sql("26000", StatementName(bind.statement) + " does not exist");
  }
  if (bind.portal.empty()) {
    portals_.erase("");
  } else if (portals_.count(bind.portal) != 0) {
    return Status::Sql("42P03", fmt::format("portal \"{}\" already exists", bind.portal));
  } else if (portals_.size() >= kMaxPortalsPerConnection) {
    return Status::Sql("54000",
                       fmt::format("too many portals (limit {})", kMaxPortalsPerConnection));
  }
  size_t count = bind.values.size();
  if (bind.param_formats.size() > 1 && bind.param_formats.size() != count) {
    return Status::Sql("08P01", fmt::format("bind message has {} parameter formats but {} "
                                            "parameters",
                                            bind.param_formats.size(), count));
  }
  size_t expected = statement->ParameterTypes().size();
  if (count != expected) {
    return Status::Sql("08P01",
                       fmt::format("bind message supplies {} parameters, but {} requires {}", count,
                                   StatementName(bind.statement), expected));
  }
  qp::BoundParameters parameters;
  parameters.formats.reserve(count);
  parameters.values.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    int16_t format = bind.param_formats.empty()       ? int16_t{0}
                     : bind.param_formats.size() == 1 ? bind.param_formats[0]
                                                      : bind.param_formats[i];
    RETURN_IF_ERROR(CheckFormat(format));
    parameters.formats.push_back(format);
    if (bind.values[i]) {
      parameters.values.emplace_back(std::string(*bind.values[i]));
    } else {
      parameters.values.emplace_back(std::nullopt);
    }
  }
  for (int16_t format : bind.result_formats) RETURN_IF_ERROR(CheckFormat(format));
  ASSIGN_OR_RETURN(std::unique_ptr<qp::Portal> portal,
                   session_.Bind(statement, parameters, bind.result_formats));
  portals_.emplace(std::string(bind.portal), PortalEntry{std::move(portal), statement});
  out_.BindComplete();
  return Status::Ok();
}

Status CommandProcessor::OnDescribe(const Describe& describe) {
  if (describe.kind == 'S') {
    std::shared_ptr<const qp::PreparedStatement> statement = FindStatement(describe.name);
    if (statement == nullptr) {
      return Status::Sql("26000", StatementName(describe.name) + " does not exist");
    }
    out_.ParameterDescription(statement->ParameterTypes());
    if (statement->Fields()) {
      out_.RowDescription(*statement->Fields());
    } else {
      out_.NoData();
    }
    return Status::Ok();
  }
  auto it = portals_.find(describe.name);
  if (it == portals_.end()) {
    return Status::Sql("34000", fmt::format("portal \"{}\" does not exist", describe.name));
  }
  if (it->second.portal->Fields()) {
    out_.RowDescription(*it->second.portal->Fields());
  } else {
    out_.NoData();
  }
  return Status::Ok();
}

Status CommandProcessor::OnExecute(const Execute& execute) {
  auto it = portals_.find(execute.portal);
  if (it == portals_.end()) {
    return Status::Sql("34000", fmt::format("portal \"{}\" does not exist", execute.portal));
  }
  if (it->second.statement->IsEmpty()) {
    out_.EmptyQueryResponse();
    return Status::Ok();
  }
  WriterRowSink sink(out_);
  int64_t max_rows = execute.max_rows > 0 ? execute.max_rows : 0;
  ASSIGN_OR_RETURN(qp::ExecuteResult result, session_.Execute(*it->second.portal, max_rows, sink));
  if (result.copy_in_columns) {
    StartCopyIn(*result.copy_in_columns, false);
    return Status::Ok();
  }
  if (result.copy_out) out_.CopyDone();
  DrainNotices();
  if (result.suspended) {
    out_.PortalSuspended();
  } else {
    out_.CommandComplete(result.command_tag);
  }
  DrainParameterStatus();
  return Status::Ok();
}

void CommandProcessor::OnClose(const Close& close) {
  // Closing something that does not exist is not an error.
  if (close.kind == 'S') {
    if (close.name.empty()) {
      unnamed_statement_.reset();
    } else {
      session_.DropStatement(close.name);
    }
  } else {
    auto it = portals_.find(close.name);
    if (it != portals_.end()) portals_.erase(it);
  }
  out_.CloseComplete();
}

}  // namespace borealis::pgwire
