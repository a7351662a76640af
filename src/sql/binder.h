// The binder: resolves an AST expression into a typed, executable BoundExpr with PostgreSQL's
// rules (literal typing, implicit casts, operator and function resolution, parameter type
// inference, result column naming), and evaluates bound expressions.
//
// Contract: binding never evaluates anything that can depend on session state; it only folds
// casts of literals (so `'x'::int` fails at bind time with the literal's position, like
// PostgreSQL). Bound trees are immutable and may be evaluated any number of times, from one
// thread at a time per FunctionContext. Errors carry PostgreSQL's SQLSTATE, message and, where
// PostgreSQL gives one, position (relative to the source string given to the Binder).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/ast.h"
#include "sql/value.h"

namespace borealis::sql {

// Highest $n accepted (PostgreSQL's wire format counts parameters in 16 bits).
constexpr int kMaxParameters = 65535;

class CatalogAccess;  // sql/catalog_functions.h

// Session state that functions read or write (current_user, settings, ...). Implemented by the
// query processor's session.
class FunctionContext {
 public:
  virtual ~FunctionContext() = default;
  virtual std::string CurrentUser() const = 0;
  virtual std::string SessionUser() const = 0;
  virtual std::string CurrentDatabase() const = 0;
  // First schema of search_path that exists, or nullopt (SQL NULL).
  virtual std::optional<std::string> CurrentSchema() const = 0;
  virtual int32_t BackendPid() const = 0;
  // current_setting(name, missing_ok): nullopt when missing and missing_ok.
  virtual Result<std::optional<std::string>> GetSetting(std::string_view name,
                                                        bool missing_ok) const = 0;
  // set_config(name, value, is_local): returns the new value as SHOW would print it.
  virtual Result<std::string> SetSetting(std::string_view name, std::string_view value,
                                         bool is_local) = 0;
  virtual OutputOptions output_options() const = 0;
  // random(): uniform in [0, 1), from the session's seeded stream.
  virtual double Random() = 0;
  // Fails with 57014 when the client asked to cancel the running statement.
  virtual Status CheckCancel() = 0;
  // The catalog at the statement's snapshot (regclass casts, pg_get_indexdef, ...); null when
  // the session has none (those functions then fail with 0A000). Borrowed.
  virtual CatalogAccess* catalog() { return nullptr; }
  // The transaction's start (Unix nanoseconds) for now() and CURRENT_TIMESTAMP; 0A000 when the
  // session has no transaction core.
  virtual Result<uint64_t> TransactionStartUnixNanos() {
    return Status::Sql("0A000", "the current time needs a transaction core");
  }
  // Sequences by relation OID (nextval/currval/setval/lastval, qp/sequences.h); 0A000 when the
  // session has no transaction core. SequenceSet returns `value`.
  virtual Result<int64_t> SequenceNext(uint32_t oid) { return NoSequences(oid); }
  virtual Result<int64_t> SequenceCurrent(uint32_t oid) { return NoSequences(oid); }
  virtual Result<int64_t> SequenceSet(uint32_t oid, int64_t value, bool is_called) {
    (void)value;
    (void)is_called;
    return NoSequences(oid);
  }
  virtual Result<int64_t> SequenceLast() { return NoSequences(0); }

 private:
  static Status NoSequences(uint32_t oid) {
    (void)oid;
    return Status::Sql("0A000", "sequences need a transaction core");
  }
};

struct FunctionDef;

enum class BoundKind {
  kConstant,
  kParam,
  kCast,
  kFunction,  // operators too
  kAnd,
  kOr,
  kNot,
  kIsNull,
  kIsNotNull,
  kBooleanTest,  // children {arg}; `boolean_test`, `negate` for IS NOT
  kDistinct,     // children {left, right}; `function` is the "=" to use; negate for NOT DISTINCT
  kNullIf,       // children {left, right}; `function` is "="
  kCase,         // children: cond0, result0, cond1, result1, ..., [else]
  kCoalesce,
  kMinMax,  // GREATEST / LEAST over children of `type`; NULLs ignored
  kColumn,  // column_index into EvalContext::row
  // An aggregate call: children {arg} (none for count(*)). Never evaluated: the query's
  // planner moves it into an Aggregate plan node and refers to its result as a kColumn.
  kAggregate,
  // A column of an enclosing query's row: `outer_level` queries out (1 = the parent).
  kOuterColumn,
  // A subquery (subquery_index into the statement's subplans): scalar, EXISTS, or ANY with
  // children {test, comparison}, where `comparison` compares kColumn 0 (the test value) with
  // kColumn 1 (a subquery value).
  kSubquery,
  // A window function call: children {partition keys..., order keys...}; `window`,
  // `window_partitions` (how many children are partition keys), `window_order` (per order
  // key: bit 0 descending, bit 1 NULLS FIRST). Never evaluated: the planner moves it into a
  // Window plan node (sql/exec/window.h) and refers to its result as a kColumn.
  kWindow,
  // A set-returning call (sql/set_functions.h): children are its arguments, `type` its
  // element type, `set_function` which one. Never evaluated (0A000 if it is): the planner
  // moves it into a ProjectSet or Function Scan plan node and refers to its value as a kColumn.
  kSetFunction,
};

// kScalar: a plain function called in FROM (`FROM upper('a')`), one row with its value
// (children {the call}).
enum class SetFunctionKind { kGenerateSeries, kUnnest, kScalar, kJson /* sql/json_functions.h */ };

enum class WindowFunction { kRowNumber, kRank, kDenseRank };

// kStringAgg: string_agg(text, delimiter text), children {value, delimiter}.
// kArrayAgg: array_agg(anynonarray), NULL inputs included, in input order.
enum class AggregateKind {
  kCountStar,
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kStringAgg,
  kArrayAgg,
  kJsonAgg,  // json(b)_agg and json(b)_object_agg (sql/json_functions.h); result type tells
  kJsonObjectAgg,
};

struct BoundExpr {
  BoundKind kind = BoundKind::kConstant;
  TypeId type = TypeId::kUnknown;
  Value constant;         // kConstant
  int param_index = -1;   // kParam: 0-based
  int column_index = -1;  // kColumn: 0-based, into the scope's columns
  const FunctionDef* function = nullptr;
  bool negate = false;    // kDistinct: IS NOT DISTINCT FROM; kBooleanTest: IS NOT
  bool has_else = false;  // kCase
  BooleanTestKind boolean_test = BooleanTestKind::kTrue;  // kBooleanTest
  bool greatest = true;                                   // kMinMax: GREATEST, else LEAST
  AggregateKind aggregate = AggregateKind::kCountStar;    // kAggregate
  bool aggregate_distinct = false;                        // kAggregate: f(DISTINCT x)
  int outer_level = 0;                                    // kOuterColumn
  int subquery_index = -1;                                // kSubquery
  SubqueryKind subquery = SubqueryKind::kScalar;          // kSubquery
  bool correlated = false;  // kSubquery: refers to an enclosing query's row
  WindowFunction window = WindowFunction::kRowNumber;  // kWindow
  int window_partitions = 0;                           // kWindow
  // kWindow, and kAggregate's ORDER BY (its keys are the children after the arguments): per
  // key, bit 0 DESC, bit 1 NULLS FIRST.
  std::vector<uint8_t> window_order;
  SetFunctionKind set_function = SetFunctionKind::kGenerateSeries;  // kSetFunction
  std::vector<std::unique_ptr<BoundExpr>> children;
  int location = -1;
};
using BoundExprPtr = std::unique_ptr<BoundExpr>;

struct BoundColumn {
  std::string name;
  BoundExprPtr expr;
};

// A bound SELECT without FROM: rows of expressions (one row for a target list; several for
// VALUES), all rows with the same column types.
struct BoundSelect {
  std::vector<std::string> column_names;
  std::vector<TypeId> column_types;
  std::vector<std::vector<BoundExprPtr>> rows;
};

// The columns a column reference may name: those of the tables in FROM (or the target of
// INSERT/UPDATE/DELETE). Hidden columns resolve only by exact name and are left out of `*`.
struct ScopeColumn {
  std::string name;
  TypeId type = TypeId::kInvalid;
  bool hidden = false;
  std::string table;  // the name it is qualified by (table alias or name)
  // Found only by a qualified name (a column merged by JOIN ... USING / NATURAL: the merged
  // column answers to the bare name).
  bool qualified_only = false;
  // Not a column of the row: a reference resolves to a copy of this expression over the same
  // scope's row (a merged JOIN ... USING column, e.g. COALESCE(a.x, b.x) for FULL JOIN).
  std::shared_ptr<const BoundExpr> expr;
  // A table column under an alias: the table's own name (for PostgreSQL's hint when `t.x`
  // names the table instead of its alias). Empty otherwise.
  std::string relation;
};
// One table's columns, or the concatenated columns of the tables of a join (in row order).
struct Scope {
  std::string table_name;  // the alias when there is one; empty for a join
  std::vector<ScopeColumn> columns;
};

class Binder;

// Plans a subquery met while binding (implemented by the query processor, which knows the
// catalog). The subquery is bound with the same Binder (parameters are shared) between
// EnterSubquery and LeaveSubquery.
struct PlannedSubquery {
  int index = -1;  // into the statement's subplans
  std::vector<TypeId> column_types;
};
class SubqueryPlanner {
 public:
  virtual ~SubqueryPlanner() = default;
  virtual Result<PlannedSubquery> PlanSubquery(const SelectStatement& select, Binder& binder) = 0;
};

// How $n references resolve: PostgreSQL's variable-parameter analysis (Parse, PREPARE) or its
// fixed-parameter analysis (only declared parameters exist; EXECUTE's arguments declare none).
enum class ParameterMode { kInfer, kFixed };

class Binder {
 public:
  // `param_types` holds the declared types ($1 first; kInvalid = infer). With kInfer the binder
  // extends it to every $n used and fills in what it infers; with kFixed a $n beyond it fails
  // with 42P02.
  Binder(std::shared_ptr<const std::string> source, std::vector<TypeId> param_types,
         ParameterMode mode = ParameterMode::kInfer)
      : source_(std::move(source)),
        param_types_(std::move(param_types)),
        param_referenced_(param_types_.size(), false),
        mode_(mode) {}

  Result<BoundSelect> BindSelect(const SelectStatement& select);
  // Column references resolve against `scope` (borrowed; null: no columns, 42703).
  void SetScope(const Scope* scope) { scope_ = scope; }
  // Subqueries fail with 0A000 unless a planner is set (borrowed).
  void SetSubqueryPlanner(SubqueryPlanner* planner) { subquery_planner_ = planner; }
  SubqueryPlanner* subquery_planner() const { return subquery_planner_; }
  // Binding state saved around a subquery: the current scope becomes the innermost outer scope
  // (column references fall back to outer scopes, innermost first).
  struct SubqueryState {
    const Scope* scope = nullptr;
    bool aggregates_allowed = false;
    std::string aggregate_context;
    int aggregate_depth = 0;
    bool windows_allowed = false;
    std::string window_context;
    bool in_window = false;
    bool set_functions_allowed = false;
    std::string set_function_context;
  };
  SubqueryState EnterSubquery();
  // Returns whether the subquery referred to an enclosing query's row.
  bool LeaveSubquery(SubqueryState state);

  // How many enclosing query levels are visible (0 in a top-level query).
  size_t Depth() const { return outer_scopes_.size(); }
  // `left <name> right` with PostgreSQL's operator resolution (JOIN ... USING's equality).
  Result<BoundExprPtr> BindBinaryOperator(std::string_view name, BoundExprPtr left,
                                          BoundExprPtr right, int location);

  // Whether aggregate calls may appear in what is bound next (a SELECT list, HAVING, ORDER BY);
  // when not, they fail with 42803 `aggregate functions are not allowed in <context>` (or
  // `... are not allowed here` for an empty context). Not allowed until this is called.
  void AllowAggregates(bool allowed, std::string_view context = "") {
    aggregates_allowed_ = allowed;
    aggregate_context_ = std::string(context);
    windows_allowed_ = false;
    window_context_ = std::string(context);
    set_functions_allowed_ = allowed;
    set_function_context_ = std::string(context);
  }
  // Whether window function calls may appear in what is bound next (a SELECT list, ORDER BY);
  // when not, they fail with 42P20 `window functions are not allowed in <context>`.
  // AllowAggregates(...) disallows them with its context.
  // Set-returning functions follow: allowed where both aggregates and windows are (a SELECT
  // list, ORDER BY); elsewhere 0A000 `set-returning functions are not allowed in <context>`.
  void AllowWindows(bool allowed, std::string_view context = "") {
    windows_allowed_ = allowed;
    window_context_ = std::string(context);
    set_functions_allowed_ = allowed && aggregates_allowed_;
    if (!allowed) set_function_context_ = std::string(context);
  }
  // A boolean condition (WHERE): 42804 `argument of WHERE must be type boolean, not type x`.
  Result<BoundExprPtr> BindCondition(const ParsedExpr& expr, std::string_view context);
  Result<BoundExprPtr> BindExpr(const ParsedExpr& expr);
  // PostgreSQL's select_common_type over `exprs` (errors name `context`, e.g. "UNION").
  Result<TypeId> CommonType(std::span<const BoundExprPtr> exprs, std::string_view context);
  // Coerces `expr` to `target` with implicit-cast rules (errors name `context`, e.g. "CASE").
  Result<BoundExprPtr> Coerce(BoundExprPtr expr, TypeId target, std::string_view context);
  // Coerces with assignment-cast rules (PostgreSQL's COERCION_ASSIGNMENT, e.g. numeric to
  // int4). Returns null when no such cast exists, so the caller can word the error; a literal
  // that does not convert fails with its own error and position.
  Result<BoundExprPtr> CoerceForAssignment(BoundExprPtr expr, TypeId target);
  // The type a type name denotes (typmods are accepted and ignored, as PostgreSQL does for
  // parameter types): 42704 for an unknown name, 0A000 for arrays, positioned at the name.
  Result<TypeId> BindTypeName(const TypeName& type) const;

  // `status` positioned at `location` of the source (unless it has a position already).
  Status PositionAt(Status status, int location) const {
    return WithPosition(std::move(status), location);
  }

  // Parameter types after binding; parameters used but not constrained are text, like
  // PostgreSQL reports for `SELECT $1`. A parameter neither declared nor used (`SELECT $2`
  // leaves $1) fails with 42P18, as in PostgreSQL.
  Result<std::vector<TypeId>> FinalParameterTypes() const;

 private:
  Status WithPosition(Status status, int location) const;
  Result<BoundExprPtr> BindConstant(const ConstantExpr& expr);
  Result<BoundExprPtr> BindParam(const ParamExpr& expr);
  Result<BoundExprPtr> BindCast(const CastExpr& expr);
  Result<BoundExprPtr> BindCastTo(const CastExpr& expr, TypeId target);
  Result<BoundExprPtr> BindIntervalCast(const CastExpr& expr);  // sql/interval.h
  Result<BoundExprPtr> BindOperator(std::string_view name, std::vector<BoundExprPtr> args,
                                    int location);
  Result<BoundExprPtr> BindFunction(const FuncCallExpr& expr);
  Result<BoundExprPtr> BindArrayConstructor(std::vector<BoundExprPtr> args, int location);
  Result<BoundExprPtr> BindVariadicCall(std::string_view name, std::vector<BoundExprPtr> args,
                                        int location);
  Result<BoundExprPtr> BindAggregate(const FuncCallExpr& expr);
  Result<BoundExprPtr> WithAggregateOrder(const FuncCallExpr& expr, BoundExprPtr node);
  Result<BoundExprPtr> BindWindow(const FuncCallExpr& expr);
  Result<BoundExprPtr> BindSubquery(const SubqueryExpr& expr);
  Result<BoundExprPtr> BindColumnRef(const ColumnRefExpr& expr);
  Result<BoundExprPtr> BindCall(std::string_view name, std::vector<BoundExprPtr> args, int location,
                                bool is_operator);
  Result<BoundExprPtr> BindBool(const BoolOpExpr& expr);
  Result<BoundExprPtr> BindBoolArg(const ParsedExpr& expr, std::string_view context);
  Result<BoundExprPtr> BindCase(const CaseExpr& expr);
  Result<BoundExprPtr> BindCoalesce(const CoalesceExpr& expr);
  Result<BoundExprPtr> BindBooleanTest(const BooleanTestExpr& expr);
  Result<BoundExprPtr> BindMinMax(const MinMaxExpr& expr);
  Result<BoundExprPtr> BindSqlValueFunction(const SqlValueFunctionExpr& expr);
  // generate_series / unnest (sql/set_functions.h) where set-returning calls are allowed.
  Result<BoundExprPtr> BindSetFunction(const FuncCallExpr& expr);
  // `bound`, or PostgreSQL's 0A000 when binding it met a set-returning call (CASE, COALESCE,
  // aggregate and window arguments).
  Result<BoundExprPtr> RefuseSetFunctions(Result<BoundExprPtr> bound, size_t count_before,
                                          std::string_view message);
  // Null when no cast from expr's type to `target` exists in `context`.
  Result<BoundExprPtr> CoerceIn(BoundExprPtr expr, TypeId target, CastContext context);

  std::shared_ptr<const std::string> source_;
  std::vector<TypeId> param_types_;
  std::vector<bool> param_referenced_;
  ParameterMode mode_;
  const Scope* scope_ = nullptr;
  bool aggregates_allowed_ = false;
  std::string aggregate_context_;
  bool windows_allowed_ = false;
  std::string window_context_;
  bool in_window_ = false;   // binding a window call's arguments or keys
  int aggregate_depth_ = 0;  // > 0 while binding an aggregate's argument
  bool set_functions_allowed_ = false;
  std::string set_function_context_;
  size_t set_functions_bound_ = 0;  // set-returning calls bound so far
  int last_set_function_location_ = -1;
  SubqueryPlanner* subquery_planner_ = nullptr;
  std::vector<const Scope*> outer_scopes_;  // enclosing queries' scopes, outermost first
  std::vector<bool> correlated_;            // per entry of outer_scopes_: the subquery entered
                                            // there refers to an enclosing row
};

// A deep copy.
BoundExprPtr CopyBoundExpr(const BoundExpr& expr);

// Structural equality of bound expressions (GROUP BY matching, as PostgreSQL's equal()).
bool SameExpr(const BoundExpr& a, const BoundExpr& b);
bool ContainsAggregate(const BoundExpr& expr);
bool ContainsWindow(const BoundExpr& expr);
bool ContainsSetFunction(const BoundExpr& expr);

// PostgreSQL's FigureColname: the output column name of an unaliased target.
std::string ColumnName(const ParsedExpr& expr);

struct EvalContext;

// Runs subqueries for Evaluate (implemented by the executor).
class SubqueryRunner {
 public:
  virtual ~SubqueryRunner() = default;
  // REQUIRES: expr.kind == kSubquery.
  virtual Result<Value> Run(const BoundExpr& expr, EvalContext& context) = 0;
};

struct EvalContext {
  std::span<const Value> params;
  FunctionContext* functions = nullptr;
  std::span<const Value> row;  // the current row, for kColumn
  SubqueryRunner* subqueries = nullptr;
  const EvalContext* outer = nullptr;  // the enclosing query's context (kOuterColumn)
};

Result<Value> Evaluate(const BoundExpr& expr, EvalContext& context);

}  // namespace borealis::sql
