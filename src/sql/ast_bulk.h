// AST of the bulk-loading and maintenance statements (the `pgbench -i` path): TRUNCATE, COPY,
// VACUUM / ANALYZE and ALTER TABLE. Same contract as sql/ast.h (immutable after parsing,
// locations are 0-based byte offsets into the source or -1). Options are kept as written
// (PostgreSQL validates them when the command runs, and so do we: qp/bulk_statements.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/ast.h"

namespace borealis::sql {

// TRUNCATE [TABLE] t [, ...] [RESTART IDENTITY | CONTINUE IDENTITY] [CASCADE | RESTRICT].
struct TruncateStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kTruncate;
  TruncateStatement() : Statement(kKind) {}
  std::vector<TableRef> tables;
  bool restart_identity = false;
  bool cascade = false;
};

// One `name [value]` item of a generic option list (COPY ... WITH (...), VACUUM (...)).
struct OptionItem {
  std::string name;                  // lower case, as the grammar gives it
  std::optional<std::string> value;  // a string, number or boolean as text; nullopt: none
  std::vector<std::string> list;     // a parenthesized list of names (FORCE_QUOTE (a, b))
  bool star = false;                 // FORCE_QUOTE *
  int location = -1;
};

// COPY t [(cols)] FROM STDIN | 'file' [WITH] (options), COPY t [(cols)] | (query) TO STDOUT.
struct CopyStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCopy;
  CopyStatement() : Statement(kKind) {}
  std::optional<TableRef> table;                 // null for COPY (query) TO
  std::shared_ptr<const SelectStatement> query;  // COPY (query) TO
  std::vector<NamedColumn> columns;              // empty: all visible columns
  bool is_from = false;
  std::string filename;  // empty: STDIN / STDOUT
  bool is_program = false;
  std::vector<OptionItem> options;
};

// VACUUM [(options)] [t [, ...]] and ANALYZE [t [, ...]]: accepted, nothing to do.
struct VacuumStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kVacuum;
  VacuumStatement() : Statement(kKind) {}
  bool is_vacuum = true;  // false: ANALYZE
  std::vector<TableRef> tables;
  std::vector<OptionItem> options;
};

enum class AlterKind {
  kAddPrimaryKey,  // ADD [CONSTRAINT name] PRIMARY KEY (cols)
  kAddUnique,      // ADD [CONSTRAINT name] UNIQUE (cols)
  kAddColumn,      // ADD [COLUMN] [IF NOT EXISTS] column definition
  kDropColumn,     // DROP [COLUMN] [IF EXISTS] name
  kRenameColumn,   // RENAME [COLUMN] a TO b (a RenameStmt)
  kRenameTable,    // RENAME TO name (a RenameStmt)
  kSetDefault,     // ALTER [COLUMN] c SET DEFAULT expr
  kDropDefault,    // ALTER [COLUMN] c DROP DEFAULT
  kSetNotNull,     // ALTER [COLUMN] c SET NOT NULL
  kDropNotNull,    // ALTER [COLUMN] c DROP NOT NULL
  kOwnerTo,        // OWNER TO role (`newname`; qp/roles.h)
};

struct AlterCommand {
  AlterKind kind = AlterKind::kAddColumn;
  std::string name;     // the column (or constraint name for kAddPrimaryKey)
  std::string newname;  // kRenameColumn / kRenameTable
  std::optional<ColumnDef> column;
  ExprPtr default_value;         // kSetDefault
  std::vector<std::string> key;  // kAddPrimaryKey / kAddUnique
  bool missing_ok = false;       // DROP COLUMN IF EXISTS / ADD COLUMN IF NOT EXISTS
  int location = -1;
};

// ALTER TABLE [IF EXISTS] t command [, ...]; ALTER TABLE t RENAME ... is one command.
struct AlterTableStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kAlterTable;
  AlterTableStatement() : Statement(kKind) {}
  TableRef table;
  bool if_exists = false;
  std::vector<AlterCommand> commands;
};

}  // namespace borealis::sql
