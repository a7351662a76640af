// Sequence DDL and the sequences columns own (issue 4): CREATE / ALTER / DROP SEQUENCE, SERIAL
// and identity columns in CREATE TABLE, the sequences DROP TABLE drops and TRUNCATE ...
// RESTART IDENTITY restarts, and DEFAULT expressions that are not constants.
//
// Contract: every function works in the caller's (DDL or DML) transaction through
// txn::KvTransaction, with PostgreSQL 15's option rules and errors (init_params: 22023 for
// bad option values, 42P07, 42P01, 42809, 2BP01). Values themselves are handed out by
// qp/sequences.h, outside any caller's transaction. A non-constant DEFAULT is kept as SQL text
// in ColumnDescriptor::default_expression and bound again at each use (BindDefaultExpression);
// any expression without column references, subqueries or aggregates is accepted.
// Threading: one statement on one thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/sequences.h"
#include "catalog/store.h"
#include "qp/session.h"
#include "sql/ast.h"
#include "sql/ast_sequence.h"
#include "sql/binder.h"
#include "txn/kv.h"

namespace borealis::qp {

// The largest CACHE accepted (nextval's block arithmetic steps value by value).
inline constexpr int64_t kMaxSequenceCache = 10'000'000;

// CREATE / ALTER / DROP SEQUENCE; returns the command tag. `altered` receives the ids of the
// sequences whose cached values this session must forget (ALTER).
Result<std::string> RunSequenceStatement(const sql::SequenceStatement& statement,
                                         const std::string& source, txn::KvTransaction& txn,
                                         catalog::DescriptorCache& cache,
                                         std::vector<Notice>& notices,
                                         std::vector<uint32_t>& altered);

// A SERIAL / BIGSERIAL / SMALLSERIAL or identity column of CREATE TABLE: its type, its
// DEFAULT (nextval of its sequence) and the sequence to create once the table exists.
struct OwnedSequence {
  sql::TypeId type = sql::TypeId::kInt4;
  char identity = 0;
  std::string default_expression;
  catalog::SequenceDescriptor sequence;  // owner ids filled by CreateOwnedSequences
};
// nullopt for an ordinary column. `taken` holds the relation names the statement chose so far
// (the new sequence's name is added). 42601 for DEFAULT together with SERIAL/identity.
Result<std::optional<OwnedSequence>> PlanOwnedSequence(const sql::ColumnDef& def,
                                                       const std::string& table_name,
                                                       const std::string& source,
                                                       txn::KvTransaction& txn,
                                                       std::set<std::string>& taken);
// Creates the planned sequences, owned by `table`'s columns of the same names.
Status CreateOwnedSequences(txn::KvTransaction& txn, const catalog::TableDescriptor& table,
                            const std::vector<std::pair<std::string, OwnedSequence>>& owned);
// DROP TABLE: drops the sequences the table's columns own.
Status DropOwnedSequences(txn::KvTransaction& txn, const catalog::TableDescriptor& table);
// TRUNCATE ... RESTART IDENTITY: restarts them at their START (in the caller's transaction).
Status RestartOwnedSequences(txn::KvTransaction& txn, const catalog::TableDescriptor& table);

// The text stored for `def`'s non-constant DEFAULT: `nextval('s'::regclass)` for a nextval
// call, else the expression as written (sql/default_text.h); 0A000 when it cannot be found.
// The caller binds it (BindDefaultExpression) before storing it.
Result<std::string> DefaultExpressionText(const sql::ColumnDef& def, const std::string& source);
// A stored default_expression bound and coerced (assignment) to the type of `column`; 42804
// when the expression's type does not convert.
Result<sql::BoundExprPtr> BindDefaultExpression(const std::string& text, sql::TypeId type,
                                                const std::string& column);

}  // namespace borealis::qp
