// The engine's own syntax tree: what the parser front end (sql/parser.h) produces from
// libpg_query's output. Nothing downstream of the parser sees libpg_query or JSON.
//
// Contract: trees are immutable after parsing and owned by their Statement (unique_ptr
// children). `location` is a 0-based byte offset into the parsed source string, or -1 when
// unknown; error positions are derived from it. Expression depth is bounded by
// parser.h's kMaxExpressionDepth, so recursive walks over a tree are safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace borealis::sql {

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

enum class ExprKind {
  kConstant,
  kColumnRef,
  kParam,
  kCast,
  kOperator,
  kBoolOp,
  kNullTest,
  kBooleanTest,
  kDistinct,
  kBetween,
  kInList,
  kLike,
  kCase,
  kCoalesce,
  kNullIf,
  kFuncCall,
  kSqlValueFunction,
  kMinMax,
  kSubquery,
  kRow,  // ROW(a, b) and the implicit row `(a, b)` (sql/row_expressions.h)
};

struct ParsedExpr {
  explicit ParsedExpr(ExprKind k, int loc) : kind(k), location(loc) {}
  virtual ~ParsedExpr() = default;
  ParsedExpr(const ParsedExpr&) = delete;
  ParsedExpr& operator=(const ParsedExpr&) = delete;

  template <typename T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }

  const ExprKind kind;
  const int location;
};
using ExprPtr = std::unique_ptr<ParsedExpr>;

enum class LiteralKind { kInteger, kNumeric, kString, kBool, kNull, kBitString };

struct ConstantExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kConstant;
  explicit ConstantExpr(int loc) : ParsedExpr(kKind, loc) {}
  LiteralKind literal = LiteralKind::kNull;
  int64_t int_value = 0;  // kInteger (fits int64; larger integers arrive as kNumeric)
  bool bool_value = false;
  std::string text;  // kNumeric digits, kString contents, kBitString "b0101"/"xff"
};

struct ColumnRefExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kColumnRef;
  explicit ColumnRefExpr(int loc) : ParsedExpr(kKind, loc) {}
  std::vector<std::string> names;  // qualified name parts
  bool star = false;               // `*` or `t.*` (last part)
};

struct ParamExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kParam;
  explicit ParamExpr(int loc) : ParsedExpr(kKind, loc) {}
  int number = 0;  // $n, 1-based
};

// A type as written in SQL: in casts and PREPARE's parameter list.
struct TypeName {
  std::vector<std::string> names;  // e.g. {"pg_catalog", "int4"}
  std::vector<int64_t> modifiers;  // numeric(10,2) -> {10, 2}
  bool has_modifiers = false;
  bool array_bounds = false;  // `int[]`
  int location = -1;
};

// `x::t`, CAST(x AS t), `t 'literal'`.
struct CastExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kCast;
  explicit CastExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr arg;
  TypeName type;
};

// A named operator: binary (left and right) or prefix (left null).
struct OperatorExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kOperator;
  explicit OperatorExpr(int loc) : ParsedExpr(kKind, loc) {}
  std::string name;  // "+", "<>", "||", ... (`!=` arrives as "<>")
  ExprPtr left;      // null for a prefix operator
  ExprPtr right;
  // `left name ANY (right)` / `ALL (right)`: `right` is an array.
  enum class Quantifier { kNone, kAny, kAll } quantifier = Quantifier::kNone;
};

enum class BoolOp { kAnd, kOr, kNot };
struct BoolOpExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kBoolOp;
  explicit BoolOpExpr(int loc) : ParsedExpr(kKind, loc) {}
  BoolOp op = BoolOp::kAnd;
  std::vector<ExprPtr> args;
};

struct NullTestExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kNullTest;
  explicit NullTestExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr arg;
  bool is_not = false;  // IS NOT NULL
};

// a IS [NOT] TRUE / FALSE / UNKNOWN.
enum class BooleanTestKind { kTrue, kFalse, kUnknown };
struct BooleanTestExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kBooleanTest;
  explicit BooleanTestExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr arg;
  BooleanTestKind test = BooleanTestKind::kTrue;
  bool is_not = false;
};

// a IS [NOT] DISTINCT FROM b.
struct DistinctExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kDistinct;
  explicit DistinctExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr left;
  ExprPtr right;
  bool is_not = false;  // IS NOT DISTINCT FROM
};

struct BetweenExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kBetween;
  explicit BetweenExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr arg;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
  bool symmetric = false;
};

struct InListExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kInList;
  explicit InListExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr arg;
  std::vector<ExprPtr> list;
  bool negated = false;
};

struct LikeExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kLike;
  explicit LikeExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr arg;
  ExprPtr pattern;
  bool negated = false;
  bool case_insensitive = false;  // ILIKE
};

struct CaseExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kCase;
  explicit CaseExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr arg;                                     // CASE arg WHEN ...; null for searched CASE
  std::vector<std::pair<ExprPtr, ExprPtr>> whens;  // (condition or value, result)
  ExprPtr else_result;                             // may be null
};

struct CoalesceExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kCoalesce;
  explicit CoalesceExpr(int loc) : ParsedExpr(kKind, loc) {}
  std::vector<ExprPtr> args;
};

struct NullIfExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kNullIf;
  explicit NullIfExpr(int loc) : ParsedExpr(kKind, loc) {}
  ExprPtr left;
  ExprPtr right;
};

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
  std::optional<bool> nulls_first;  // nullopt: PostgreSQL's default for the direction
};

struct FuncCallExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kFuncCall;
  explicit FuncCallExpr(int loc) : ParsedExpr(kKind, loc) {}
  std::vector<std::string> names;  // e.g. {"pg_catalog", "version"}
  std::vector<ExprPtr> args;
  bool star = false;                       // f(*)
  bool distinct = false;                   // f(DISTINCT ...)
  bool variadic = false;                   // f(..., VARIADIC array): the last argument spreads
  std::vector<OrderItem> aggregate_order;  // agg(x ORDER BY ...)
  // f(...) OVER ([PARTITION BY ...] [ORDER BY ...]): a window function call (default frame).
  bool has_over = false;
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> window_order;
};

// The aggregate functions the engine has: count, sum, avg, min, max (optionally pg_catalog.).
inline bool IsAggregateName(const std::vector<std::string>& names) {
  if (names.empty() || names.size() > 2) return false;
  if (names.size() == 2 && names[0] != "pg_catalog") return false;
  const std::string& name = names.back();
  return name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max" ||
         name == "string_agg" || name == "array_agg" || name == "json_agg" || name == "jsonb_agg" ||
         name == "json_object_agg" || name == "jsonb_object_agg";
}

// The set-returning functions the engine has (sql/set_functions.h), optionally pg_catalog.
inline bool IsSetFunctionName(const std::vector<std::string>& names) {
  if (names.empty() || names.size() > 2) return false;
  if (names.size() == 2 && names[0] != "pg_catalog") return false;
  return names.back() == "generate_series" || names.back() == "unnest" ||
         names.back() == "json_array_elements" || names.back() == "json_array_elements_text" ||
         names.back() == "jsonb_array_elements" || names.back() == "jsonb_array_elements_text" ||
         names.back() == "json_object_keys" || names.back() == "jsonb_object_keys";
}

// GREATEST(...) / LEAST(...).
struct MinMaxExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kMinMax;
  explicit MinMaxExpr(int loc) : ParsedExpr(kKind, loc) {}
  bool greatest = true;
  std::vector<ExprPtr> args;
};

// ROW(a, b, ...) or `(a, b, ...)`: a row constructor (helper S; sql/row_expressions.h binds it:
// record values, row comparisons, IS [NOT] NULL, IN).
struct RowExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kRow;
  explicit RowExpr(int loc) : ParsedExpr(kKind, loc) {}
  std::vector<ExprPtr> args;
  bool explicit_row = false;  // written with the ROW keyword
};

struct SelectStatement;

// (SELECT ...), EXISTS (SELECT ...), x IN (SELECT ...) / x op ANY (SELECT ...).
// kArray: ARRAY(subquery), the one column's values as an array (sql/catalog_types.h).
enum class SubqueryKind { kScalar, kExists, kAny, kArray };
struct SubqueryExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kSubquery;
  explicit SubqueryExpr(int loc) : ParsedExpr(kKind, loc) {}
  SubqueryKind subquery = SubqueryKind::kScalar;
  ExprPtr test;               // kAny: the left operand
  std::string operator_name;  // kAny: "=" for IN
  std::shared_ptr<const SelectStatement> select;
};

// current_user and friends: keywords that look like functions without parentheses.
enum class SqlValueFunction {
  kCurrentUser,
  kSessionUser,
  kUser,
  kCurrentRole,
  kCurrentCatalog,
  kCurrentSchema,
  kCurrentDate,
  kCurrentTime,
  kCurrentTimestamp,
  kLocalTime,
  kLocalTimestamp,
};
struct SqlValueFunctionExpr : ParsedExpr {
  static constexpr ExprKind kKind = ExprKind::kSqlValueFunction;
  explicit SqlValueFunctionExpr(int loc) : ParsedExpr(kKind, loc) {}
  SqlValueFunction function = SqlValueFunction::kCurrentUser;
};

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

enum class StatementKind {
  kSelect,
  kSet,
  kShow,
  kTransaction,
  kDiscard,
  kPrepare,
  kExecute,
  kDeallocate,
  kCreateTable,
  kDropTable,
  kInsert,
  kUpdate,
  kDelete,
  // Bulk loading and maintenance (sql/ast_bulk.h).
  kTruncate,
  kCopy,
  kVacuum,
  kAlterTable,
  // Secondary indexes (sql/ast_index.h).
  kCreateIndex,
  kDropIndex,
  // CREATE / ALTER / DROP SEQUENCE (sql/ast_sequence.h).
  kSequence,
  // CREATE [OR REPLACE] VIEW, DROP VIEW (sql/ast_view.h).
  kView,
  // EXPLAIN [ANALYZE] statement (sql/ast_explain.h).
  kExplain,
  // DECLARE CURSOR, FETCH / MOVE, CLOSE (sql/ast_cursor.h).
  kDeclareCursor,
  kFetch,
  kCloseCursor,
  // CREATE / ALTER / DROP ROLE, GRANT / REVOKE (sql/ast_role.h).
  kRole,
};

struct Statement {
  explicit Statement(StatementKind k) : kind(k) {}
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  template <typename T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }

  const StatementKind kind;
};

struct ResultTarget {
  ExprPtr expr;
  std::optional<std::string> alias;  // AS name
  int location = -1;
};

// A table named in FROM, INSERT INTO, UPDATE, DELETE FROM, CREATE/DROP TABLE.
struct TableRef {
  std::string schema;  // empty when unqualified
  std::string name;
  std::optional<std::string> alias;
  int location = -1;
  // A set-returning function in FROM (`generate_series(a, b) AS s`): `name` is the function,
  // these its arguments (qp/system_catalog.h binds them).
  bool is_function = false;
  std::vector<std::shared_ptr<const ParsedExpr>> function_args;
  // Every call of the item (FuncCallExprs): one for `f(...)`, several for ROWS FROM (f(), g());
  // `name`/`function_args` repeat the first. WITH ORDINALITY adds a bigint column (helper S,
  // qp/function_items.h).
  std::vector<std::shared_ptr<const ParsedExpr>> functions;
  bool with_ordinality = false;
  bool rows_from = false;
};

// One FROM item (PostgreSQL's RangeVar, RangeSubselect and JoinExpr), a tree for joins.
// `a JOIN b USING (x)` and NATURAL keep their column lists; the binder merges the columns.
enum class FromKind { kTable, kSubquery, kJoin };
enum class JoinType { kInner, kLeft, kRight, kFull };
struct SelectStatement;
struct FromItem {
  FromKind kind = FromKind::kTable;
  TableRef table;                                   // kTable (the alias is table.alias)
  std::shared_ptr<const SelectStatement> subquery;  // kSubquery: a SELECT, set operation, VALUES
  bool lateral = false;                             // kSubquery: LATERAL
  std::optional<std::string> alias;                 // kSubquery, kJoin: AS name
  std::vector<std::string> column_aliases;          // AS name(c1, c2, ...)
  JoinType join_type = JoinType::kInner;            // kJoin (CROSS JOIN is kInner without `on`)
  std::unique_ptr<FromItem> left;                   // kJoin
  std::unique_ptr<FromItem> right;                  // kJoin
  ExprPtr on;                                       // kJoin: ON condition (may be null)
  std::vector<std::string> using_columns;           // kJoin: USING (...)
  bool natural = false;                             // kJoin: NATURAL
  int location = -1;
};

// WITH [RECURSIVE] name [(columns)] AS (query), ...
struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_aliases;
  std::shared_ptr<const SelectStatement> query;
  int location = -1;
};
struct WithClause {
  bool recursive = false;
  std::vector<CommonTableExpr> ctes;
};

// ORDER BY item.
// SELECT [DISTINCT] <targets> [FROM one table] [WHERE] [GROUP BY] [HAVING] [ORDER BY]
// [LIMIT/OFFSET], or VALUES (...), (...).
// SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE: every strength puts the selected
// rows into the commit's conflict check as lock-only keys (ARCHITECTURE §2; no waiting).
enum class LockStrength { kNone, kUpdate, kNoKeyUpdate, kShare, kKeyShare };

enum class SetOperation { kNone, kUnion, kIntersect, kExcept };

struct SelectStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kSelect;
  SelectStatement() : Statement(kKind) {}
  // left UNION/INTERSECT/EXCEPT [ALL] right; then only order_by/limit/offset are set here.
  SetOperation set_operation = SetOperation::kNone;
  bool set_all = false;
  std::unique_ptr<SelectStatement> left;
  std::unique_ptr<SelectStatement> right;
  LockStrength locking = LockStrength::kNone;
  std::vector<ResultTarget> targets;         // SELECT list
  std::vector<std::vector<ExprPtr>> values;  // VALUES rows (targets empty then)
  std::shared_ptr<const WithClause> with;    // null without WITH
  std::vector<FromItem> from;                // FROM a, b, ...: empty without FROM
  ExprPtr where;                             // may be null
  std::vector<ExprPtr> group_by;
  ExprPtr having;         // may be null
  bool distinct = false;  // SELECT DISTINCT
  // The target list calls an aggregate (count/sum/avg/min/max) or a window function: such a
  // SELECT without FROM
  // still goes through the table planner (one input row).
  bool calls_aggregates = false;
  bool has_subqueries = false;  // routes a SELECT without FROM through the table planner too
  // The target list calls a set-returning function (generate_series, unnest): such a SELECT
  // without FROM goes through the table planner too (a ProjectSet node, sql/set_functions.h).
  bool calls_set_functions = false;
  std::vector<OrderItem> order_by;
  ExprPtr limit;                 // null: none (LIMIT ALL / LIMIT NULL arrive as a NULL constant)
  ExprPtr offset;                // null: none
  bool limit_with_ties = false;  // FETCH FIRST n ROWS WITH TIES (the grammar requires ORDER BY)
};

// A PRIMARY KEY, UNIQUE or CHECK constraint of CREATE TABLE; column constraints are turned
// into table constraints over their column (PostgreSQL names them alike).
enum class ConstraintKind { kPrimaryKey, kUnique, kCheck };
struct TableConstraint {
  ConstraintKind kind = ConstraintKind::kUnique;
  std::optional<std::string> name;   // CONSTRAINT name
  std::vector<std::string> columns;  // PRIMARY KEY / UNIQUE
  ExprPtr check;                     // CHECK: the condition
  std::string check_text;            // CHECK: the condition's source text
  int location = -1;
};

struct SequenceOptions;  // sql/ast_sequence.h

struct ColumnDef {
  std::string name;
  TypeName type;
  bool not_null = false;
  bool primary_key = false;                     // column constraint PRIMARY KEY
  std::optional<std::string> primary_key_name;  // CONSTRAINT name PRIMARY KEY
  std::vector<TableConstraint> constraints;     // column UNIQUE / CHECK (moved to the table's)
  ExprPtr default_value;                        // may be null
  int location = -1;
  // GENERATED ALWAYS ('a') | BY DEFAULT ('d') AS IDENTITY [(options)]; 0: not an identity.
  // The options are a sql::SequenceOptions (sql/ast_sequence.h), held opaquely here.
  char identity = 0;
  std::shared_ptr<const SequenceOptions> identity_options;
  int identity_location = -1;
};

// CREATE TABLE [IF NOT EXISTS] name (columns, [PRIMARY KEY (cols)]).
// ON COMMIT of a temporary table (kNoop: no clause).
enum class OnCommitAction { kNoop, kPreserveRows, kDeleteRows, kDrop };
struct CreateTableStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateTable;
  CreateTableStatement() : Statement(kKind) {}
  TableRef table;
  bool if_not_exists = false;
  std::vector<ColumnDef> columns;
  std::vector<std::string> primary_key;  // table constraint PRIMARY KEY (...)
  int primary_key_location = -1;
  std::optional<std::string> primary_key_name;  // CONSTRAINT name PRIMARY KEY
  std::vector<TableConstraint> constraints;     // UNIQUE and CHECK, in order of appearance
  // CREATE TABLE [IF NOT EXISTS] t [(names)] AS query [WITH [NO] DATA] and SELECT ... INTO t
  // (qp/create_table_as.h): `columns` then holds only the optional column names.
  std::shared_ptr<const SelectStatement> as_query;
  // CREATE TABLE t AS EXECUTE name [(args)]: an ExecuteStatement (the session resolves it to
  // the prepared statement's query); as_query is then null.
  std::shared_ptr<const Statement> as_execute;
  bool with_data = true;
  // CREATE TEMP|TEMPORARY TABLE, or a table named pg_temp.x (qp/temp_tables.h).
  bool temporary = false;
  OnCommitAction on_commit = OnCommitAction::kNoop;
};

// DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT].
struct DropTableStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDropTable;
  DropTableStatement() : Statement(kKind) {}
  std::vector<TableRef> tables;
  bool if_exists = false;
  bool cascade = false;  // CASCADE: also drops the views that use the tables
};

struct OnConflictClause;  // sql/ast_view.h

struct NamedColumn {
  std::string name;
  int location = -1;
};

// INSERT INTO t [(cols)] VALUES (...), ... | DEFAULT VALUES [RETURNING ...]. A null ExprPtr in
// `rows` is the DEFAULT keyword.
struct InsertStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kInsert;
  InsertStatement() : Statement(kKind) {}
  TableRef table;
  std::vector<NamedColumn> columns;
  std::vector<std::vector<ExprPtr>> rows;         // empty for DEFAULT VALUES and INSERT ... SELECT
  std::shared_ptr<const SelectStatement> select;  // INSERT ... SELECT (null otherwise)
  std::shared_ptr<const WithClause> with;         // WITH ... INSERT (null without)
  std::vector<ResultTarget> returning;
  // OVERRIDING SYSTEM VALUE ('s') | OVERRIDING USER VALUE ('u'); 0: neither.
  char overriding = 0;
  // ON CONFLICT ... (sql/ast_view.h); null without.
  std::shared_ptr<const OnConflictClause> on_conflict;
};

struct Assignment {
  NamedColumn column;
  ExprPtr value;  // null: DEFAULT
};

// UPDATE t SET c = expr, ... [WHERE] [RETURNING ...].
struct UpdateStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kUpdate;
  UpdateStatement() : Statement(kKind) {}
  TableRef table;
  std::vector<Assignment> assignments;
  std::vector<FromItem> from;              // UPDATE ... FROM
  std::shared_ptr<const WithClause> with;  // WITH ... UPDATE (null without)
  ExprPtr where;
  std::vector<ResultTarget> returning;
};

// DELETE FROM t [WHERE] [RETURNING ...].
struct DeleteStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDelete;
  DeleteStatement() : Statement(kKind) {}
  TableRef table;
  std::vector<FromItem> using_items;       // DELETE ... USING
  std::shared_ptr<const WithClause> with;  // WITH ... DELETE (null without)
  ExprPtr where;
  std::vector<ResultTarget> returning;
};

struct TransactionOptions {
  std::optional<std::string> isolation_level;  // lower case, e.g. "repeatable read"
  std::optional<bool> read_only;
  std::optional<bool> deferrable;
  int location = -1;  // of the first option
};

enum class SetKind {
  kValue,                   // SET name = values / TO values
  kDefault,                 // SET name TO DEFAULT
  kReset,                   // RESET name
  kResetAll,                // RESET ALL
  kTransaction,             // SET TRANSACTION ... (options)
  kSessionCharacteristics,  // SET SESSION CHARACTERISTICS AS TRANSACTION ... (options)
};

struct SetStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kSet;
  SetStatement() : Statement(kKind) {}
  SetKind set_kind = SetKind::kValue;
  std::string name;             // lower case as the grammar gives it ("timezone" for TIME ZONE)
  std::vector<ExprPtr> values;  // constants (possibly under a cast), in order
  bool is_local = false;
  TransactionOptions options;  // for kTransaction / kSessionCharacteristics
};

struct ShowStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kShow;
  ShowStatement() : Statement(kKind) {}
  std::string name;  // "all" for SHOW ALL
};

// kSavepoint / kRelease / kRollbackTo carry `savepoint_name` (SAVEPOINT, RELEASE [SAVEPOINT],
// ROLLBACK TO [SAVEPOINT]).
enum class TransactionKind {
  kBegin,
  kStart,
  kCommit,
  kRollback,
  kSavepoint,
  kRelease,
  kRollbackTo
};
struct TransactionStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kTransaction;
  TransactionStatement() : Statement(kKind) {}
  TransactionKind transaction_kind = TransactionKind::kBegin;
  TransactionOptions options;
  bool chain = false;  // COMMIT AND CHAIN
  std::string savepoint_name;
};

enum class DiscardTarget { kAll, kPlans, kSequences, kTemp };
struct DiscardStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDiscard;
  DiscardStatement() : Statement(kKind) {}
  DiscardTarget target = DiscardTarget::kAll;
};

// PREPARE name [(types)] AS statement. The prepared statement shares `statement` (and the
// source string its locations point into).
struct PrepareStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kPrepare;
  PrepareStatement() : Statement(kKind) {}
  std::string name;
  std::vector<TypeName> parameter_types;  // declared types of $1, $2, ...
  std::shared_ptr<const Statement> statement;
};

// EXECUTE name [(expressions)].
struct ExecuteStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kExecute;
  ExecuteStatement() : Statement(kKind) {}
  std::string name;
  std::vector<ExprPtr> parameters;
};

// DEALLOCATE [PREPARE] name | ALL.
struct DeallocateStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kDeallocate;
  DeallocateStatement() : Statement(kKind) {}
  std::optional<std::string> name;  // nullopt: DEALLOCATE ALL
};

}  // namespace borealis::sql
