#include "qp/read_only.h"

#include "fmt/format.h"
#include "sql/ast_bulk.h"
#include "sql/ast_role.h"
#include "sql/ast_sequence.h"
#include "sql/ast_view.h"

namespace borealis::qp {

std::optional<std::string> ReadOnlyViolation(const sql::Statement& statement,
                                             bool dml_target_is_temporary) {
  using sql::StatementKind;
  switch (statement.kind) {
    case StatementKind::kInsert:
      if (dml_target_is_temporary) return std::nullopt;
      return "INSERT";
    case StatementKind::kUpdate:
      if (dml_target_is_temporary) return std::nullopt;
      return "UPDATE";
    case StatementKind::kDelete:
      if (dml_target_is_temporary) return std::nullopt;
      return "DELETE";
    case StatementKind::kCreateTable:
      return statement.As<sql::CreateTableStatement>().as_query ? "CREATE TABLE AS"
                                                                : "CREATE TABLE";
    case StatementKind::kDropTable:
      return "DROP TABLE";
    case StatementKind::kTruncate:
      return "TRUNCATE TABLE";
    case StatementKind::kCopy:
      if (!statement.As<sql::CopyStatement>().is_from) return std::nullopt;
      return "COPY FROM";
    case StatementKind::kAlterTable:
      return "ALTER TABLE";
    case StatementKind::kCreateIndex:
      return "CREATE INDEX";
    case StatementKind::kDropIndex:
      return "DROP INDEX";
    case StatementKind::kSequence:
      switch (statement.As<sql::SequenceStatement>().action) {
        case sql::SequenceAction::kCreate:
          return "CREATE SEQUENCE";
        case sql::SequenceAction::kAlter:
          return "ALTER SEQUENCE";
        case sql::SequenceAction::kDrop:
          return "DROP SEQUENCE";
      }
      return "CREATE SEQUENCE";
    case StatementKind::kView:
      return statement.As<sql::ViewStatement>().drop ? "DROP VIEW" : "CREATE VIEW";
    case StatementKind::kRole:  // qp/roles.h
      switch (statement.As<sql::RoleStatement>().action) {
        case sql::RoleAction::kCreate:
          return "CREATE ROLE";
        case sql::RoleAction::kAlter:
        case sql::RoleAction::kRename:
          return "ALTER ROLE";
        case sql::RoleAction::kDrop:
          return "DROP ROLE";
        case sql::RoleAction::kGrantRole:
          return "GRANT ROLE";
        case sql::RoleAction::kRevokeRole:
          return "REVOKE ROLE";
        case sql::RoleAction::kGrantPrivileges:
          return "GRANT";
        case sql::RoleAction::kRevokePrivileges:
          return "REVOKE";
      }
      return "GRANT";
    default:
      return std::nullopt;
  }
}

Status ReadOnlyTransactionError(std::string_view command) {
  return Status::Sql("25006", fmt::format("cannot execute {} in a read-only transaction", command));
}

}  // namespace borealis::qp
