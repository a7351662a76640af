// CommandProcessor: the query phase of one connection (protocol 3.0 "Simple Query" and
// "Extended Query"), as a state machine over decoded frontend messages that drives a
// qp::Session and writes backend messages. No I/O: the connection coroutine feeds frames and
// flushes when Handle() says so (or when it has no more input, for pipelining).
//
// State: the unnamed prepared statement and all portals (the unnamed ones are replaced by the
// next Parse/Bind), the "discard until Sync" flag after an extended-protocol error, and
// whether an error was reported since the last Sync (for Session::EndOfCommandGroup). Named
// statements live in the session (Session::StoreStatement and friends), in one namespace with
// SQL PREPARE/EXECUTE/DEALLOCATE. Portals are dropped when the transaction ends (status back
// to idle), as non-holdable cursors are.
//
// Ownership/threading: borrows the session and the writer; one per connection, one thread at
// a time.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pgwire/copy.h"
#include "pgwire/encoder.h"
#include "pgwire/protocol.h"
#include "qp/session.h"

namespace borealis::pgwire {

// Enforced by the session's statement table, which SQL PREPARE fills too.
inline constexpr size_t kMaxPreparedStatementsPerConnection = qp::kMaxPreparedStatementsPerSession;
inline constexpr size_t kMaxPortalsPerConnection = 10000;

class CommandProcessor {
 public:
  enum class Next {
    kContinue,  // keep reading; flush only when the input runs dry
    kFlush,     // the client may now wait for output (Sync, Flush, Query)
    kClose,     // Terminate or a fatal protocol error (already written)
  };

  CommandProcessor(qp::Session& session, BackendWriter& out);

  // Session::Start, then ParameterStatus..., BackendKeyData, ReadyForQuery. On failure writes a
  // FATAL ErrorResponse and returns false (the connection closes).
  bool Start(int32_t pid, int32_t secret);

  // Decodes and handles one typed frame.
  Next Handle(const Frame& frame);
  Next Handle(const FrontendMessage& message);

  bool ignoring_until_sync() const { return ignore_until_sync_; }

 private:
  struct PortalEntry {
    std::unique_ptr<qp::Portal> portal;
    std::shared_ptr<const qp::PreparedStatement> statement;
  };

  Next OnQuery(std::string_view sql);
  // Runs the simple query's statements from pending_statements_[next_pending_]; stops early
  // (kFlush) when one starts a COPY FROM STDIN, and ends the command group otherwise.
  Next ContinueSimpleQuery();
  // True when the statement started a COPY FROM STDIN.
  Result<bool> RunSimpleStatement(const std::shared_ptr<const qp::PreparedStatement>& statement);
  // COPY FROM STDIN: every message goes to the CopyInMachine until CopyDone/CopyFail/error.
  void StartCopyIn(size_t columns, bool from_simple_query);
  Next HandleCopyIn(const FrontendMessage& message);
  Next CopyInFailed(const Status& status);
  Status OnParse(const Parse& parse);
  Status OnBind(const Bind& bind);
  Status OnDescribe(const Describe& describe);
  Status OnExecute(const Execute& execute);
  void OnClose(const Close& close);
  // The named statement from the session, or the unnamed one; null when there is none.
  std::shared_ptr<const qp::PreparedStatement> FindStatement(std::string_view name) const;
  void FinishCommandGroup();
  void ReportError(const Status& status);
  Next Fatal(const Status& status);
  void DrainNotices();
  void DrainParameterStatus();

  qp::Session& session_;
  BackendWriter& out_;
  std::shared_ptr<const qp::PreparedStatement> unnamed_statement_;
  std::map<std::string, PortalEntry, std::less<>> portals_;
  bool ignore_until_sync_ = false;
  bool error_since_sync_ = false;
  // COPY FROM STDIN in progress; from a simple query, whose remaining statements run after
  // CopyDone (an error discards them, as in PostgreSQL).
  std::optional<CopyInMachine> copy_in_;
  bool copy_in_from_simple_query_ = false;
  std::vector<std::shared_ptr<const qp::PreparedStatement>> pending_statements_;
  size_t next_pending_ = 0;
};

}  // namespace borealis::pgwire
