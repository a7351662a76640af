#include "sql/binder.h"

#include <algorithm>

#include "fmt/format.h"
#include "sql/array_functions.h"
#include "sql/catalog_functions.h"
#include "sql/catalog_types.h"
#include "sql/datetime.h"
#include "sql/datetime_input.h"
#include "sql/functions.h"
#include "sql/interval.h"
#include "sql/parser.h"
#include "sql/row_expressions.h"
#include "sql/set_functions.h"
#include "sql/types.h"
#include "sql/typmod.h"

namespace borealis::sql {
namespace {

BoundExprPtr MakeConstant(Value value, int location) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundKind::kConstant;
  e->type = value.type();
  e->constant = std::move(value);
  e->location = location;
  return e;
}

BoundExprPtr MakeNode(BoundKind kind, TypeId type, std::vector<BoundExprPtr> children,
                      int location) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = kind;
  e->type = type;
  e->children = std::move(children);
  e->location = location;
  return e;
}

bool IsUnknown(const BoundExpr& e) {
  return e.type == TypeId::kUnknown || e.type == TypeId::kInvalid;
}

std::string TypeListForMessage(std::span<const BoundExprPtr> args) {
  std::string out;
  for (const BoundExprPtr& a : args) {
    if (!out.empty()) out += ", ";
    out += GetTypeInfo(IsUnknown(*a) ? TypeId::kUnknown : a->type).display_name;
  }
  return out;
}

// PostgreSQL's func_select_candidate, reduced to the types this engine has.
Result<const FunctionDef*> SelectCandidate(std::vector<const FunctionDef*> candidates,
                                           std::span<const BoundExprPtr> args, bool is_operator) {
  auto input = [&args](size_t i) { return IsUnknown(*args[i]) ? TypeId::kUnknown : args[i]->type; };
  // Whether input i can be passed to a parameter of type `declared` implicitly. A polymorphic
  // anynonarray parameter takes any value (an unknown one as text).
  auto accepts = [&](size_t i, TypeId declared) {
    TypeId t = input(i);
    if (declared == TypeId::kAnyNonArray) return t != TypeId::kVoid;
    return t == TypeId::kUnknown || CanCast(t, declared, CastContext::kImplicit);
  };
  // Exact match, treating a lone unknown in a binary call as the other argument's type.
  for (const FunctionDef* c : candidates) {
    if (c->variadic_any) {
      // Only concat and concat_ws: one signature per name, so no ranking is needed.
      bool ok = true;
      for (size_t i = 0; i < c->args.size() && ok; ++i) ok = accepts(i, c->args[i]);
      return ok ? c : nullptr;
    }
    bool exact = true;
    for (size_t i = 0; i < args.size(); ++i) {
      TypeId t = input(i);
      if (t == TypeId::kUnknown && args.size() == 2) t = input(1 - i);
      if (t != c->args[i]) exact = false;
    }
    if (exact) return c;
  }
  std::vector<const FunctionDef*> viable;
  for (const FunctionDef* c : candidates) {
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok; ++i) {
      ok = accepts(i, c->args[i]);
    }
    if (ok) viable.push_back(c);
  }
  if (viable.size() <= 1) return viable.empty() ? nullptr : viable[0];
  auto keep_best = [&viable](auto score) {
    int best = -1;
    for (const FunctionDef* c : viable) best = std::max(best, score(c));
    std::vector<const FunctionDef*> kept;
    for (const FunctionDef* c : viable) {
      if (score(c) == best) kept.push_back(c);
    }
    viable = std::move(kept);
  };
  keep_best([&](const FunctionDef* c) {
    int n = 0;
    for (size_t i = 0; i < args.size(); ++i) n += input(i) == c->args[i];
    return n;
  });
  if (viable.size() == 1) return viable[0];
  keep_best([&](const FunctionDef* c) {
    int n = 0;
    for (size_t i = 0; i < args.size(); ++i) {
      n += input(i) != TypeId::kUnknown && GetTypeInfo(c->args[i]).preferred;
    }
    return n;
  });
  if (viable.size() == 1) return viable[0];
  bool all_unknown = true;
  for (size_t i = 0; i < args.size(); ++i) all_unknown &= input(i) == TypeId::kUnknown;
  // Unknown positions (PostgreSQL's func_select_candidate): the string category if any
  // candidate takes a string there, else the one category every candidate takes there (several:
  // ambiguous); then preferred types. For operators whose inputs are all unknown, PostgreSQL's
  // wider operator catalog (intervals, money, geometry, ...) always spans several categories,
  // so that case is ambiguous here too even where our smaller catalog agrees on one.
  for (size_t i = 0; i < args.size(); ++i) {
    if (input(i) != TypeId::kUnknown) continue;
    bool any_string = false;
    bool one_category = true;
    for (const FunctionDef* c : viable) {
      TypeCategory category = GetTypeInfo(c->args[i]).category;
      any_string |= category == TypeCategory::kString;
      one_category &= category == GetTypeInfo(viable[0]->args[i]).category;
    }
    if (!any_string && (!one_category || (is_operator && all_unknown))) {
      return Status::Sql("42725", "ambiguous");
    }
    TypeCategory chosen =
        any_string ? TypeCategory::kString : GetTypeInfo(viable[0]->args[i]).category;
    std::erase_if(viable, [i, chosen](const FunctionDef* c) {
      return GetTypeInfo(c->args[i]).category != chosen;
    });
  }
  keep_best([&](const FunctionDef* c) {
    int n = 0;
    for (size_t i = 0; i < args.size(); ++i) {
      n += input(i) == TypeId::kUnknown && GetTypeInfo(c->args[i]).preferred;
    }
    return n;
  });
  if (viable.size() == 1) return viable[0];
  return Status::Sql("42725", "ambiguous");
}

}  // namespace

Status Binder::WithPosition(Status status, int location) const {
  if (location < 0 || status.ok() || status.position() != 0 || source_ == nullptr) return status;
  return std::move(status).WithPosition(ErrorPosition(*source_, location));
}

Result<std::vector<TypeId>> Binder::FinalParameterTypes() const {
  std::vector<TypeId> out = param_types_;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] != TypeId::kInvalid && out[i] != TypeId::kUnknown) continue;
    if (!param_referenced_[i]) {
      return Status::Sql("42P18",
                         fmt::format("could not determine data type of parameter ${}", i + 1));
    }
    out[i] = TypeId::kText;
  }
  return out;
}

Result<BoundSelect> Binder::BindSelect(const SelectStatement& select) {
  BoundSelect out;
  if (!select.values.empty()) {
    size_t width = select.values[0].size();
    std::vector<std::vector<BoundExprPtr>> rows;
    for (const std::vector<ExprPtr>& row : select.values) {
      if (row.size() != width) {
        return WithPosition(Status::Sql("42601", "VALUES lists must all be the same length"),
                            row.empty() ? -1 : row[0]->location);
      }
      std::vector<BoundExprPtr> bound;
      for (const ExprPtr& e : row) {
        ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*e));
        bound.push_back(std::move(b));
      }
      rows.push_back(std::move(bound));
    }
    for (size_t col = 0; col < width; ++col) {
      std::vector<BoundExprPtr> column;
      for (auto& row : rows) column.push_back(std::move(row[col]));
      ASSIGN_OR_RETURN(TypeId type, CommonType(column, "VALUES"));
      for (size_t r = 0; r < rows.size(); ++r) {
        ASSIGN_OR_RETURN(rows[r][col], Coerce(std::move(column[r]), type, "VALUES"));
      }
      out.column_names.push_back(fmt::format("column{}", col + 1));
      out.column_types.push_back(type);
    }
    out.rows = std::move(rows);
    return out;
  }
  std::vector<BoundExprPtr> row;
  for (const ResultTarget& target : select.targets) {
    if (target.expr->kind == ExprKind::kColumnRef && target.expr->As<ColumnRefExpr>().star) {
      return WithPosition(Status::Sql("42601", "SELECT * with no tables specified is not valid"),
                          target.expr->location);
    }
    ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(*target.expr));
    if (IsUnknown(*bound)) {  // unknown-typed outputs become text (PostgreSQL 10+)
      ASSIGN_OR_RETURN(bound, Coerce(std::move(bound), TypeId::kText, "SELECT"));
    }
    out.column_names.push_back(target.alias ? *target.alias : ColumnName(*target.expr));
    out.column_types.push_back(bound->type);
    row.push_back(std::move(bound));
  }
  out.rows.push_back(std::move(row));
  return out;
}

namespace {
// Turns the row's column references of a merged join column into references `level` queries
// out.
void ToOuterColumns(BoundExpr& expr, int level) {
  if (expr.kind == BoundKind::kColumn) {
    expr.kind = BoundKind::kOuterColumn;
    expr.outer_level = level;
    return;
  }
  for (BoundExprPtr& child : expr.children) ToOuterColumns(*child, level);
}
}  // namespace

BoundExprPtr CopyBoundExpr(const BoundExpr& expr) {
  auto copy = std::make_unique<BoundExpr>();
  copy->kind = expr.kind;
  copy->type = expr.type;
  copy->constant = expr.constant;
  copy->param_index = expr.param_index;
  copy->column_index = expr.column_index;
  copy->function = expr.function;
  copy->negate = expr.negate;
  copy->has_else = expr.has_else;
  copy->boolean_test = expr.boolean_test;
  copy->greatest = expr.greatest;
  copy->aggregate = expr.aggregate;
  copy->aggregate_distinct = expr.aggregate_distinct;
  copy->outer_level = expr.outer_level;
  copy->subquery_index = expr.subquery_index;
  copy->subquery = expr.subquery;
  copy->correlated = expr.correlated;
  copy->window = expr.window;
  copy->window_partitions = expr.window_partitions;
  copy->window_order = expr.window_order;
  copy->set_function = expr.set_function;
  copy->location = expr.location;
  for (const BoundExprPtr& child : expr.children) copy->children.push_back(CopyBoundExpr(*child));
  return copy;
}

Result<BoundExprPtr> Binder::BindBinaryOperator(std::string_view name, BoundExprPtr left,
                                                BoundExprPtr right, int location) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  return BindOperator(name, std::move(args), location);
}

Result<BoundExprPtr> Binder::BindColumnRef(const ColumnRefExpr& ref) {
  std::string name;
  for (const std::string& part : ref.names) name += (name.empty() ? "" : ".") + part;
  if (ref.star) {
    return WithPosition(Status::Sql("0A000", "* is not supported in this position yet"),
                        ref.location);
  }
  if (ref.names.size() > 2) {
    return WithPosition(Status::Sql("0A000",
                                    "qualified column names with a schema are not "
                                    "supported yet"),
                        ref.location);
  }
  bool qualified = ref.names.size() == 2;
  bool qualifier_found = false;
  // Level 0 is this query's scope, level n the n-th enclosing query's (PostgreSQL searches
  // the innermost first).
  for (size_t level = 0; level <= outer_scopes_.size(); ++level) {
    const Scope* scope = level == 0 ? scope_ : outer_scopes_[outer_scopes_.size() - level];
    if (scope == nullptr) continue;
    int found = -1;
    bool table_here = false;
    for (size_t i = 0; i < scope->columns.size(); ++i) {
      const ScopeColumn& column = scope->columns[i];
      if (qualified && column.table != ref.names[0]) continue;
      if (!qualified && column.qualified_only) continue;
      table_here = true;
      if (column.name != ref.names.back()) continue;
      if (found >= 0) {
        return WithPosition(Status::Sql("42702", fmt::format("column reference \"{}\" is "
                                                             "ambiguous",
                                                             name)),
                            ref.location);
      }
      found = static_cast<int>(i);
    }
    qualifier_found |= table_here;
    if (found >= 0 && scope->columns[found].expr) {
      // A merged join column: its expression, read from the row of the level it was found at.
      BoundExprPtr bound = CopyBoundExpr(*scope->columns[found].expr);
      if (level > 0) ToOuterColumns(*bound, static_cast<int>(level));
      for (size_t j = outer_scopes_.size() - level; level > 0 && j < correlated_.size(); ++j) {
        correlated_[j] = true;
      }
      return bound;
    }
    if (found >= 0) {
      auto bound = std::make_unique<BoundExpr>();
      bound->kind = level == 0 ? BoundKind::kColumn : BoundKind::kOuterColumn;
      bound->type = scope->columns[found].type;
      bound->column_index = found;
      bound->outer_level = static_cast<int>(level);
      bound->location = ref.location;
      // Every subquery between here and the scope found refers to an enclosing row.
      for (size_t j = outer_scopes_.size() - level; j < correlated_.size(); ++j) {
        correlated_[j] = true;
      }
      return BoundExprPtr(std::move(bound));
    }
    if (qualified && table_here) break;
  }
  if (qualified && !qualifier_found) {
    // PostgreSQL's errorMissingRTE: the name is a table of this query under an alias.
    for (size_t level = 0; level <= outer_scopes_.size(); ++level) {
      const Scope* scope = level == 0 ? scope_ : outer_scopes_[outer_scopes_.size() - level];
      if (scope == nullptr) continue;
      for (const ScopeColumn& column : scope->columns) {
        if (column.relation != ref.names[0]) continue;
        return WithPosition(Status::Sql("42P01", fmt::format("invalid reference to FROM-clause "
                                                             "entry for table \"{}\"",
                                                             ref.names[0]))
                                .WithHint(fmt::format("Perhaps you meant to reference the table "
                                                      "alias \"{}\".",
                                                      column.table)),
                            ref.location);
      }
    }
    return WithPosition(Status::Sql("42P01", fmt::format("missing FROM-clause entry for "
                                                         "table \"{}\"",
                                                         ref.names[0])),
                        ref.location);
  }
  if (!qualified) {
    // A whole-row reference (`SELECT t FROM t`): a record of the relation's visible columns.
    for (size_t level = 0; level <= outer_scopes_.size(); ++level) {
      const Scope* scope = level == 0 ? scope_ : outer_scopes_[outer_scopes_.size() - level];
      if (scope == nullptr) continue;
      std::vector<BoundExprPtr> fields;
      bool relation_here = false;
      for (size_t i = 0; i < scope->columns.size(); ++i) {
        const ScopeColumn& column = scope->columns[i];
        if (column.table != ref.names[0] || column.expr) continue;
        relation_here = true;
        if (column.hidden) continue;
        auto field = std::make_unique<BoundExpr>();
        field->kind = level == 0 ? BoundKind::kColumn : BoundKind::kOuterColumn;
        field->type = column.type;
        field->column_index = static_cast<int>(i);
        field->outer_level = static_cast<int>(level);
        field->location = ref.location;
        fields.push_back(std::move(field));
      }
      if (!relation_here) continue;
      for (size_t j = outer_scopes_.size() - level; j < correlated_.size(); ++j) {
        correlated_[j] = true;
      }
      return MakeRecord(std::move(fields), ref.location);
    }
  }
  return WithPosition(Status::Sql("42703", fmt::format("column {} does not exist",
                                                       qualified ? name : "\"" + name + "\"")),
                      ref.location);
}

Binder::SubqueryState Binder::EnterSubquery() {
  SubqueryState state{scope_,           aggregates_allowed_, aggregate_context_, aggregate_depth_,
                      windows_allowed_, window_context_,     in_window_};
  state.set_functions_allowed = set_functions_allowed_;
  state.set_function_context = set_function_context_;
  set_functions_allowed_ = false;
  set_function_context_.clear();
  windows_allowed_ = false;
  window_context_.clear();
  in_window_ = false;
  outer_scopes_.push_back(scope_);
  correlated_.push_back(false);
  scope_ = nullptr;
  aggregates_allowed_ = false;
  aggregate_context_.clear();
  aggregate_depth_ = 0;
  return state;
}

bool Binder::LeaveSubquery(SubqueryState state) {
  BOREALIS_CHECK(!outer_scopes_.empty());
  bool correlated = correlated_.back();
  outer_scopes_.pop_back();
  correlated_.pop_back();
  scope_ = state.scope;
  aggregates_allowed_ = state.aggregates_allowed;
  aggregate_context_ = std::move(state.aggregate_context);
  aggregate_depth_ = state.aggregate_depth;
  windows_allowed_ = state.windows_allowed;
  window_context_ = std::move(state.window_context);
  in_window_ = state.in_window;
  set_functions_allowed_ = state.set_functions_allowed;
  set_function_context_ = std::move(state.set_function_context);
  return correlated;
}

Result<BoundExprPtr> Binder::BindSubquery(const SubqueryExpr& expr) {
  if (subquery_planner_ == nullptr) {
    return WithPosition(Status::Sql("0A000",
                                    "subqueries are not supported in this statement "
                                    "yet"),
                        expr.location);
  }
  BoundExprPtr test;
  if (expr.subquery == SubqueryKind::kAny) {
    ASSIGN_OR_RETURN(test, BindExpr(*expr.test));
  }
  SubqueryState state = EnterSubquery();
  Result<PlannedSubquery> planned = subquery_planner_->PlanSubquery(*expr.select, *this);
  bool correlated = LeaveSubquery(std::move(state));
  if (!planned.ok()) return planned.status();
  if (expr.subquery != SubqueryKind::kExists && planned->column_types.size() != 1) {
    return WithPosition(Status::Sql("42601", expr.subquery == SubqueryKind::kAny
                                                 ? "subquery has too many columns"
                                                 : "subquery must return only one column"),
                        expr.location);
  }
  TypeId type = expr.subquery == SubqueryKind::kScalar ? planned->column_types[0] : TypeId::kBool;
  if (expr.subquery == SubqueryKind::kArray) {
    std::optional<TypeId> array = ArrayTypeOf(planned->column_types[0]);
    if (!array) {
      return WithPosition(
          Status::Sql("0A000", fmt::format("arrays of type {} are not supported yet",
                                           GetTypeInfo(planned->column_types[0]).display_name)),
          expr.location);
    }
    type = *array;
  }
  std::vector<BoundExprPtr> children;
  if (expr.subquery == SubqueryKind::kAny) {
    TypeId inner = planned->column_types[0];
    if (IsUnknown(*test)) {
      ASSIGN_OR_RETURN(test, Coerce(std::move(test), inner, "IN"));
    }
    std::vector<BoundExprPtr> operands;
    for (int i = 0; i < 2; ++i) {
      auto column = std::make_unique<BoundExpr>();
      column->kind = BoundKind::kColumn;
      column->type = i == 0 ? test->type : inner;
      column->column_index = i;
      column->location = expr.location;
      operands.push_back(std::move(column));
    }
    ASSIGN_OR_RETURN(BoundExprPtr comparison,
                     BindOperator(expr.operator_name, std::move(operands), expr.location));
    if (comparison->type != TypeId::kBool) {
      return WithPosition(Status::Sql("42804",
                                      "op ANY/ALL (array) requires operator to yield "
                                      "boolean"),
                          expr.location);
    }
    children.push_back(std::move(test));
    children.push_back(std::move(comparison));
  }
  auto node = MakeNode(BoundKind::kSubquery, type, std::move(children), expr.location);
  node->subquery_index = planned->index;
  node->subquery = expr.subquery;
  node->correlated = correlated;
  return node;
}

Result<BoundExprPtr> Binder::BindCondition(const ParsedExpr& expr, std::string_view context) {
  ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(expr));
  if (bound->type == TypeId::kBool) return bound;
  if (IsUnknown(*bound)) return Coerce(std::move(bound), TypeId::kBool, context);
  return WithPosition(
      Status::Sql("42804", fmt::format("argument of {} must be type boolean, not "
                                       "type {}",
                                       context, GetTypeInfo(bound->type).display_name)),
      bound->location);
}

Result<BoundExprPtr> Binder::BindExpr(const ParsedExpr& expr) {
  // Row comparisons, row IS [NOT] NULL, row IN (...) (sql/row_expressions.h).
  if (HasRowOperand(expr)) return BindRowExpression(*this, expr);
  switch (expr.kind) {
    case ExprKind::kConstant:
      return BindConstant(expr.As<ConstantExpr>());
    case ExprKind::kColumnRef:
      return BindColumnRef(expr.As<ColumnRefExpr>());
    case ExprKind::kSubquery:
      return BindSubquery(expr.As<SubqueryExpr>());
    case ExprKind::kParam:
      return BindParam(expr.As<ParamExpr>());
    case ExprKind::kCast:
      return BindCast(expr.As<CastExpr>());
    case ExprKind::kOperator: {
      const auto& op = expr.As<OperatorExpr>();
      std::vector<BoundExprPtr> args;
      if (op.left) {
        ASSIGN_OR_RETURN(BoundExprPtr left, BindExpr(*op.left));
        args.push_back(std::move(left));
      }
      ASSIGN_OR_RETURN(BoundExprPtr right, BindExpr(*op.right));
      if (op.quantifier != OperatorExpr::Quantifier::kNone) {
        // x op ANY|ALL (array): registered per element type (sql/catalog_functions.h).
        bool all = op.quantifier == OperatorExpr::Quantifier::kAll;
        if (!IsUnknown(*right) && !IsArrayType(right->type)) {
          return WithPosition(Status::Sql("42809", fmt::format("op {} (array) requires array on "
                                                               "right side",
                                                               all ? "ALL" : "ANY")),
                              expr.location);
        }
        args.push_back(std::move(right));
        return BindOperator(QuantifiedOperatorName(op.name, all), std::move(args), expr.location);
      }
      args.push_back(std::move(right));
      return BindOperator(op.name, std::move(args), expr.location);
    }
    case ExprKind::kBoolOp:
      return BindBool(expr.As<BoolOpExpr>());
    case ExprKind::kNullTest: {
      const auto& test = expr.As<NullTestExpr>();
      ASSIGN_OR_RETURN(BoundExprPtr arg, BindExpr(*test.arg));
      std::vector<BoundExprPtr> children;
      children.push_back(std::move(arg));
      return MakeNode(test.is_not ? BoundKind::kIsNotNull : BoundKind::kIsNull, TypeId::kBool,
                      std::move(children), expr.location);
    }
    case ExprKind::kBooleanTest:
      return BindBooleanTest(expr.As<BooleanTestExpr>());
    case ExprKind::kMinMax:
      return BindMinMax(expr.As<MinMaxExpr>());
    case ExprKind::kDistinct:
    case ExprKind::kNullIf: {
      bool is_distinct = expr.kind == ExprKind::kDistinct;
      const ParsedExpr& l =
          is_distinct ? *expr.As<DistinctExpr>().left : *expr.As<NullIfExpr>().left;
      const ParsedExpr& r =
          is_distinct ? *expr.As<DistinctExpr>().right : *expr.As<NullIfExpr>().right;
      std::vector<BoundExprPtr> args;
      ASSIGN_OR_RETURN(BoundExprPtr left, BindExpr(l));
      ASSIGN_OR_RETURN(BoundExprPtr right, BindExpr(r));
      args.push_back(std::move(left));
      args.push_back(std::move(right));
      ASSIGN_OR_RETURN(BoundExprPtr eq, BindOperator("=", std::move(args), expr.location));
      TypeId result_type = is_distinct ? TypeId::kBool : eq->children[0]->type;
      auto node = MakeNode(is_distinct ? BoundKind::kDistinct : BoundKind::kNullIf, result_type,
                           std::move(eq->children), expr.location);
      node->function = eq->function;
      node->negate = is_distinct && expr.As<DistinctExpr>().is_not;
      return node;
    }
    case ExprKind::kBetween: {
      const auto& between = expr.As<BetweenExpr>();
      auto range = [&](const ParsedExpr& low, const ParsedExpr& high) -> Result<BoundExprPtr> {
        std::vector<BoundExprPtr> lower_args, upper_args;
        ASSIGN_OR_RETURN(BoundExprPtr a1, BindExpr(*between.arg));
        ASSIGN_OR_RETURN(BoundExprPtr lo, BindExpr(low));
        ASSIGN_OR_RETURN(BoundExprPtr a2, BindExpr(*between.arg));
        ASSIGN_OR_RETURN(BoundExprPtr hi, BindExpr(high));
        lower_args.push_back(std::move(a1));
        lower_args.push_back(std::move(lo));
        upper_args.push_back(std::move(a2));
        upper_args.push_back(std::move(hi));
        std::vector<BoundExprPtr> both;
        ASSIGN_OR_RETURN(
            BoundExprPtr ge,
            BindOperator(between.negated ? "<" : ">=", std::move(lower_args), expr.location));
        ASSIGN_OR_RETURN(
            BoundExprPtr le,
            BindOperator(between.negated ? ">" : "<=", std::move(upper_args), expr.location));
        both.push_back(std::move(ge));
        both.push_back(std::move(le));
        return MakeNode(between.negated ? BoundKind::kOr : BoundKind::kAnd, TypeId::kBool,
                        std::move(both), expr.location);
      };
      ASSIGN_OR_RETURN(BoundExprPtr forward, range(*between.low, *between.high));
      if (!between.symmetric) return forward;
      ASSIGN_OR_RETURN(BoundExprPtr backward, range(*between.high, *between.low));
      std::vector<BoundExprPtr> either;
      either.push_back(std::move(forward));
      either.push_back(std::move(backward));
      return MakeNode(between.negated ? BoundKind::kAnd : BoundKind::kOr, TypeId::kBool,
                      std::move(either), expr.location);
    }
    case ExprKind::kInList: {
      const auto& in = expr.As<InListExpr>();
      std::vector<BoundExprPtr> tests;
      for (const ExprPtr& item : in.list) {
        std::vector<BoundExprPtr> args;
        ASSIGN_OR_RETURN(BoundExprPtr a, BindExpr(*in.arg));
        ASSIGN_OR_RETURN(BoundExprPtr b, BindExpr(*item));
        args.push_back(std::move(a));
        args.push_back(std::move(b));
        ASSIGN_OR_RETURN(BoundExprPtr test,
                         BindOperator(in.negated ? "<>" : "=", std::move(args), expr.location));
        tests.push_back(std::move(test));
      }
      return MakeNode(in.negated ? BoundKind::kAnd : BoundKind::kOr, TypeId::kBool,
                      std::move(tests), expr.location);
    }
    case ExprKind::kLike: {
      const auto& like = expr.As<LikeExpr>();
      std::vector<BoundExprPtr> args;
      ASSIGN_OR_RETURN(BoundExprPtr a, BindExpr(*like.arg));
      ASSIGN_OR_RETURN(BoundExprPtr p, BindExpr(*like.pattern));
      args.push_back(std::move(a));
      args.push_back(std::move(p));
      std::string name =
          std::string(like.negated ? "!" : "") + (like.case_insensitive ? "~~*" : "~~");
      return BindOperator(name, std::move(args), expr.location);
    }
    case ExprKind::kCase: {
      size_t before = set_functions_bound_;
      return RefuseSetFunctions(BindCase(expr.As<CaseExpr>()), before,
                                "set-returning functions are not allowed in CASE");
    }
    case ExprKind::kCoalesce: {
      size_t before = set_functions_bound_;
      return RefuseSetFunctions(BindCoalesce(expr.As<CoalesceExpr>()), before,
                                "set-returning functions are not allowed in COALESCE");
    }
    case ExprKind::kFuncCall:
      return BindFunction(expr.As<FuncCallExpr>());
    case ExprKind::kRow:
      return BindRowExpression(*this, expr);
    case ExprKind::kSqlValueFunction:
      return BindSqlValueFunction(expr.As<SqlValueFunctionExpr>());
  }
  return Status::Internal("unknown expression kind");
}

Result<BoundExprPtr> Binder::BindConstant(const ConstantExpr& expr) {
  switch (expr.literal) {
    case LiteralKind::kNull:
      return MakeConstant(Value::Null(TypeId::kUnknown), expr.location);
    case LiteralKind::kBool:
      return MakeConstant(Value::Bool(expr.bool_value), expr.location);
    case LiteralKind::kString:
      return MakeConstant(Value::String(TypeId::kUnknown, expr.text), expr.location);
    case LiteralKind::kInteger: {
      bool fits_int4 = expr.int_value >= INT32_MIN && expr.int_value <= INT32_MAX;
      return MakeConstant(Value::Int(fits_int4 ? TypeId::kInt4 : TypeId::kInt8, expr.int_value),
                          expr.location);
    }
    case LiteralKind::kNumeric: {
      // Integers too large for int4 arrive here: int8 if they fit, else numeric.
      if (expr.text.find_first_not_of("-0123456789") == std::string::npos) {
        Result<Value> as_int8 = ParseText(TypeId::kInt8, expr.text);
        if (as_int8.ok()) return MakeConstant(std::move(as_int8).value(), expr.location);
      }
      Result<Value> numeric = ParseText(TypeId::kNumeric, expr.text);
      if (!numeric.ok()) return WithPosition(numeric.status(), expr.location);
      return MakeConstant(std::move(numeric).value(), expr.location);
    }
    case LiteralKind::kBitString:
      return WithPosition(Status::Sql("0A000", "bit string literals are not supported yet"),
                          expr.location);
  }
  return Status::Internal("unknown literal kind");
}

Result<BoundExprPtr> Binder::BindParam(const ParamExpr& expr) {
  bool exists = expr.number >= 1 && static_cast<size_t>(expr.number) <= param_types_.size();
  if (expr.number < 1 || expr.number > kMaxParameters ||
      (mode_ == ParameterMode::kFixed && !exists)) {
    return WithPosition(Status::Sql("42P02", fmt::format("there is no parameter ${}", expr.number)),
                        expr.location);
  }
  if (static_cast<size_t>(expr.number) > param_types_.size()) {
    param_types_.resize(expr.number, TypeId::kInvalid);
    param_referenced_.resize(expr.number, false);
  }
  param_referenced_[expr.number - 1] = true;
  auto e = std::make_unique<BoundExpr>();
  e->kind = BoundKind::kParam;
  e->param_index = expr.number - 1;
  TypeId declared = param_types_[e->param_index];
  e->type = declared == TypeId::kInvalid ? TypeId::kUnknown : declared;
  e->location = expr.location;
  return e;
}

Result<BoundExprPtr> Binder::BindCast(const CastExpr& expr) {
  ASSIGN_OR_RETURN(TypeId target, BindTypeName(expr.type));
  if (target == TypeId::kInterval && expr.type.has_modifiers) return BindIntervalCast(expr);
  std::optional<int32_t> typmod;
  if (expr.type.has_modifiers) {
    std::vector<std::string> warnings;  // TIMESTAMP(7): PostgreSQL warns; not reported yet
    Result<int32_t> checked = TypmodFromModifiers(target, expr.type.modifiers, warnings);
    if (!checked.ok()) return WithPosition(checked.status(), expr.type.location);
    typmod = *checked;
  }
  ASSIGN_OR_RETURN(BoundExprPtr cast, BindCastTo(expr, target));
  if (!typmod) return cast;
  // A type modifier is applied by the type's length-coercion function, as in PostgreSQL:
  // varchar(x, n, true) truncates, numeric(x, typmod) rounds (sql/typmod.h).
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(cast));
  bool character = target == TypeId::kVarchar || target == TypeId::kBpchar;
  int32_t argument = character ? *typmod - kVarHeaderSize : *typmod;
  args.push_back(MakeConstant(Value::Int(TypeId::kInt4, argument), expr.type.location));
  if (character) args.push_back(MakeConstant(Value::Bool(true), expr.type.location));
  return BindCall(GetTypeInfo(target).name, std::move(args), expr.location, false);
}

// `INTERVAL '1' YEAR`, `interval(3)`, `x::interval day to second`: a string literal is read
// under the modifier, as interval_in reads it ('1' YEAR is a year); other arguments are cast,
// then restricted by interval(interval, int4, bool) (sql/interval.h).
Result<BoundExprPtr> Binder::BindIntervalCast(const CastExpr& expr) {
  Result<int32_t> typmod = IntervalTypmodFromModifiers(expr.type.modifiers);
  if (!typmod.ok()) return WithPosition(typmod.status(), expr.type.location);
  if (expr.arg->kind == ExprKind::kConstant &&
      expr.arg->As<ConstantExpr>().literal == LiteralKind::kString) {
    Result<Interval> value = ParseInterval(expr.arg->As<ConstantExpr>().text, *typmod);
    if (!value.ok()) return WithPosition(value.status(), expr.arg->location);
    return MakeConstant(Value::FromInterval(*value), expr.location);
  }
  ASSIGN_OR_RETURN(BoundExprPtr cast, BindCastTo(expr, TypeId::kInterval));
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(cast));
  args.push_back(MakeConstant(Value::Int(TypeId::kInt4, *typmod), expr.type.location));
  args.push_back(MakeConstant(Value::Bool(true), expr.type.location));
  return BindCall("interval", std::move(args), expr.location, false);
}

namespace {
// A date/time literal read by the session's DateStyle order or relative to now is cast when
// evaluated, with the session (sql/datetime_input.h), not folded here.
bool CastNeedsSession(const Value& constant, TypeId to) {
  return IsDateTimeType(to) && !constant.is_null() &&
         DateTimeTextDependsOnSession(constant.string_value());
}
}  // namespace

Result<BoundExprPtr> Binder::BindCastTo(const CastExpr& expr, TypeId target) {
  ASSIGN_OR_RETURN(BoundExprPtr arg, BindExpr(*expr.arg));
  TypeId to = target;
  if (arg->kind == BoundKind::kParam && IsUnknown(*arg)) {
    // `$1::int` declares $1's type, as PostgreSQL infers it.
    param_types_[arg->param_index] = to;
    arg->type = to;
    return arg;
  }
  if (arg->kind == BoundKind::kConstant && IsUnknown(*arg) &&
      !CastNeedsCatalog(TypeId::kUnknown, to) && !CastNeedsSession(arg->constant, to)) {
    Result<Value> folded = CastValue(arg->constant, to);
    if (!folded.ok()) return WithPosition(folded.status(), arg->location);
    return MakeConstant(std::move(folded).value(), expr.location);
  }
  if (!CanCast(arg->type, to, CastContext::kExplicit)) {
    return WithPosition(Status::Sql("42846", fmt::format("cannot cast type {} to {}",
                                                         GetTypeInfo(arg->type).display_name,
                                                         GetTypeInfo(to).display_name)),
                        expr.location);
  }
  if (arg->type == to) return arg;
  std::vector<BoundExprPtr> children;
  children.push_back(std::move(arg));
  return MakeNode(BoundKind::kCast, to, std::move(children), expr.location);
}

Result<TypeId> Binder::BindTypeName(const TypeName& type) const {
  Result<TypeId> id = LookupTypeName(type.names);
  if (!id.ok()) return WithPosition(id.status(), type.location);
  if (type.array_bounds) {
    // Arrays exist as values in expressions (sql/catalog_types.h), not as column types.
    std::optional<TypeId> array = ArrayTypeOf(*id);
    if (!array) {
      return WithPosition(Status::Sql("0A000", "array types are not supported yet"), type.location);
    }
    return *array;
  }
  return *id;
}

Result<BoundExprPtr> Binder::CoerceIn(BoundExprPtr expr, TypeId target, CastContext context) {
  if (expr->type == target) return expr;
  if (expr->kind == BoundKind::kParam && IsUnknown(*expr)) {
    param_types_[expr->param_index] = target;
    expr->type = target;
    return expr;
  }
  if (expr->kind == BoundKind::kConstant && IsUnknown(*expr) &&
      !CastNeedsCatalog(TypeId::kUnknown, target) && !CastNeedsSession(expr->constant, target)) {
    Result<Value> folded = CastValue(expr->constant, target);
    if (!folded.ok()) return WithPosition(folded.status(), expr->location);
    return MakeConstant(std::move(folded).value(), expr->location);
  }
  if (!CanCast(expr->type, target, context)) return BoundExprPtr();
  int location = expr->location;
  std::vector<BoundExprPtr> children;
  children.push_back(std::move(expr));
  return MakeNode(BoundKind::kCast, target, std::move(children), location);
}

Result<BoundExprPtr> Binder::Coerce(BoundExprPtr expr, TypeId target, std::string_view context) {
  TypeId from = expr->type;
  int location = expr->location;
  ASSIGN_OR_RETURN(BoundExprPtr coerced, CoerceIn(std::move(expr), target, CastContext::kImplicit));
  if (coerced) return coerced;
  return WithPosition(Status::Sql("42804", fmt::format("{} could not convert type {} to {}",
                                                       context, GetTypeInfo(from).display_name,
                                                       GetTypeInfo(target).display_name)),
                      location);
}

Result<BoundExprPtr> Binder::CoerceForAssignment(BoundExprPtr expr, TypeId target) {
  return CoerceIn(std::move(expr), target, CastContext::kAssignment);
}

Result<BoundExprPtr> Binder::BindOperator(std::string_view name, std::vector<BoundExprPtr> args,
                                          int location) {
  return BindCall(name, std::move(args), location, true);
}

Result<BoundExprPtr> Binder::BindCall(std::string_view name, std::vector<BoundExprPtr> args,
                                      int location, bool is_operator) {
  std::vector<const FunctionDef*> candidates = LookupFunctions(name, is_operator, args.size());
  Result<const FunctionDef*> chosen = SelectCandidate(candidates, args, is_operator);
  std::string signature;
  if (is_operator) {
    signature = args.size() == 1 ? fmt::format("{} {}", name, TypeListForMessage(args))
                                 : fmt::format("{} {} {}", TypeListForMessage({&args[0], 1}), name,
                                               TypeListForMessage({&args[1], 1}));
  } else {
    signature = fmt::format("{}({})", name, TypeListForMessage(args));
  }
  const char* kind = is_operator ? "operator" : "function";
  if (!chosen.ok()) {
    return WithPosition(
        Status::Sql("42725", fmt::format("{} is not unique: {}", kind, signature))
            .WithHint(fmt::format("Could not choose a best candidate {}. You might need to add "
                                  "explicit type casts.",
                                  kind)),
        location);
  }
  if (*chosen == nullptr && !is_operator && args.size() == 1) {
    // A function-style cast, `float8(x)`: PostgreSQL's func_get_detail treats a call of a type
    // name on one argument as an explicit cast when no function matches.
    std::string type_name(name);
    Result<TypeId> type = LookupTypeName(std::span<const std::string>(&type_name, 1));
    if (type.ok() &&
        (IsUnknown(*args[0]) || CanCast(args[0]->type, *type, CastContext::kExplicit))) {
      ASSIGN_OR_RETURN(BoundExprPtr cast,
                       CoerceIn(std::move(args[0]), *type, CastContext::kExplicit));
      BOREALIS_CHECK(cast != nullptr);
      return cast;
    }
  }
  if (*chosen == nullptr) {
    std::string message = is_operator ? fmt::format("operator does not exist: {}", signature)
                                      : fmt::format("function {} does not exist", signature);
    return WithPosition(
        Status::Sql("42883", message)
            .WithHint(fmt::format("No {} matches the given name and argument types. You might "
                                  "need to add explicit type casts.",
                                  kind)),
        location);
  }
  const FunctionDef* def = *chosen;
  for (size_t i = 0; i < args.size(); ++i) {
    // Polymorphic and VARIADIC "any" arguments keep their type; unknowns among them become text.
    TypeId declared = i < def->args.size() ? def->args[i] : TypeId::kAnyNonArray;
    if (declared == TypeId::kAnyNonArray) {
      if (IsUnknown(*args[i])) {
        ASSIGN_OR_RETURN(args[i], Coerce(std::move(args[i]), TypeId::kText, name));
      }
      continue;
    }
    ASSIGN_OR_RETURN(args[i], Coerce(std::move(args[i]), declared, name));
  }
  auto node = MakeNode(BoundKind::kFunction, def->result, std::move(args), location);
  node->function = def;
  return node;
}

Result<BoundExprPtr> Binder::BindWindow(const FuncCallExpr& expr) {
  if (!windows_allowed_) {
    std::string message =
        window_context_.empty()
            ? std::string("window functions are not allowed here")
            : fmt::format("window functions are not allowed in {}", window_context_);
    return WithPosition(Status::Sql("42P20", message), expr.location);
  }
  if (in_window_) {
    return WithPosition(
        Status::Sql("42P20", "window functions are not allowed in window definitions"),
        expr.location);
  }
  if (aggregate_depth_ > 0) {
    return WithPosition(Status::Sql("42803",
                                    "aggregate function calls cannot contain window "
                                    "function calls"),
                        expr.location);
  }
  const std::string& name = expr.names.back();
  WindowFunction function = WindowFunction::kRowNumber;
  if (name == "row_number") {
    function = WindowFunction::kRowNumber;
  } else if (name == "rank") {
    function = WindowFunction::kRank;
  } else if (name == "dense_rank") {
    function = WindowFunction::kDenseRank;
  } else {
    return WithPosition(Status::Sql("0A000", fmt::format("window function {} is not supported "
                                                         "yet (row_number, rank, dense_rank "
                                                         "are)",
                                                         name)),
                        expr.location);
  }
  if (!expr.args.empty() || expr.star || expr.distinct) {
    return WithPosition(Status::Sql("42883", fmt::format("function {}() takes no arguments "
                                                         "here",
                                                         name)),
                        expr.location);
  }
  std::vector<BoundExprPtr> children;
  std::vector<uint8_t> order;
  in_window_ = true;
  auto bind_key = [&](const ParsedExpr& key) -> Result<BoundExprPtr> {
    ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(key));
    if (bound->type == TypeId::kUnknown || bound->type == TypeId::kInvalid) {
      ASSIGN_OR_RETURN(bound, Coerce(std::move(bound), TypeId::kText, "window"));
    }
    return bound;
  };
  for (const ExprPtr& key : expr.partition_by) {
    auto bound = bind_key(*key);
    if (!bound.ok()) {
      in_window_ = false;
      return bound.status();
    }
    children.push_back(std::move(*bound));
  }
  for (const OrderItem& item : expr.window_order) {
    auto bound = bind_key(*item.expr);
    if (!bound.ok()) {
      in_window_ = false;
      return bound.status();
    }
    children.push_back(std::move(*bound));
    bool nulls_first = item.nulls_first.value_or(item.descending);
    order.push_back(static_cast<uint8_t>((item.descending ? 1 : 0) | (nulls_first ? 2 : 0)));
  }
  in_window_ = false;
  auto node = MakeNode(BoundKind::kWindow, TypeId::kInt8, std::move(children), expr.location);
  node->window = function;
  node->window_partitions = static_cast<int>(expr.partition_by.size());
  node->window_order = std::move(order);
  return node;
}

Result<BoundExprPtr> Binder::BindFunction(const FuncCallExpr& expr) {
  if (expr.names.size() > 2 || (expr.names.size() == 2 && expr.names[0] != "pg_catalog")) {
    std::string full;
    for (const std::string& n : expr.names) full += (full.empty() ? "" : ".") + n;
    return WithPosition(
        Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", expr.names[0])),
        expr.location);
  }
  const std::string& name = expr.names.back();
  if (!expr.aggregate_order.empty() && expr.has_over) {
    return WithPosition(
        Status::Sql("0A000", "aggregate ORDER BY is not implemented for window functions"),
        expr.location);
  }
  if (!expr.aggregate_order.empty() && !IsAggregateName(expr.names)) {
    return WithPosition(Status::Sql("42809", fmt::format("ORDER BY specified, but {} is not an "
                                                         "aggregate function",
                                                         name)),
                        expr.location);
  }
  size_t set_functions_before = set_functions_bound_;
  if (expr.has_over) {
    // The engine's window functions take no arguments: a call here is in the window's
    // PARTITION BY / ORDER BY, which PostgreSQL evaluates below the window.
    return RefuseSetFunctions(BindWindow(expr), set_functions_before,
                              "set-returning functions in window definitions are not supported "
                              "yet");
  }
  if (IsAggregateName(expr.names)) {
    return RefuseSetFunctions(BindAggregate(expr), set_functions_before,
                              "aggregate function calls cannot contain set-returning function "
                              "calls");
  }
  if (IsSetFunctionName(expr.names) && !expr.star && !expr.distinct && !expr.variadic) {
    return BindSetFunction(expr);
  }
  if (expr.star || expr.distinct) {
    return WithPosition(Status::Sql("0A000", "aggregate functions are not supported yet"),
                        expr.location);
  }
  std::vector<BoundExprPtr> args;
  for (const ExprPtr& arg : expr.args) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(*arg));
    args.push_back(std::move(bound));
  }
  if (expr.names.size() == 2 && name == "array" && !expr.variadic) {
    return BindArrayConstructor(std::move(args), expr.location);
  }
  if (expr.variadic) return BindVariadicCall(name, std::move(args), expr.location);
  return BindCall(name, std::move(args), expr.location, false);
}

Result<BoundExprPtr> Binder::BindSetFunction(const FuncCallExpr& expr) {
  if (!set_functions_allowed_) {
    // PostgreSQL runs GROUP BY over a set-returning call; the engine does not yet.
    std::string message =
        set_function_context_.empty() ? std::string("set-returning functions are not allowed here")
        : set_function_context_ == "GROUP BY"
            ? std::string("set-returning functions in GROUP BY are not supported yet")
        : set_function_context_ == "functions in FROM"
            ? std::string("set-returning functions must appear at top level of FROM")
            : fmt::format("set-returning functions are not allowed in {}", set_function_context_);
    return WithPosition(Status::Sql("0A000", message), expr.location);
  }
  std::vector<BoundExprPtr> args;
  for (const ExprPtr& arg : expr.args) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(*arg));
    args.push_back(std::move(bound));
  }
  ASSIGN_OR_RETURN(BoundExprPtr call,
                   BindSetFunctionCall(*this, expr.names.back(), std::move(args), expr.location));
  ++set_functions_bound_;
  last_set_function_location_ = expr.location;
  return call;
}

Result<BoundExprPtr> Binder::RefuseSetFunctions(Result<BoundExprPtr> bound, size_t count_before,
                                                std::string_view message) {
  if (!bound.ok() || set_functions_bound_ == count_before) return bound;
  return WithPosition(Status::Sql("0A000", std::string(message))
                          .WithHint("You might be able to move the set-returning function into "
                                    "a LATERAL FROM item."),
                      last_set_function_location_);
}

// ARRAY[...] (the parser's pg_catalog.array): elements coerced to their common type.
Result<BoundExprPtr> Binder::BindArrayConstructor(std::vector<BoundExprPtr> args, int location) {
  if (args.empty()) {
    return WithPosition(Status::Sql("42P18", "cannot determine type of empty array")
                            .WithHint("Explicitly cast to the desired type, for example "
                                      "ARRAY[]::integer[]."),
                        location);
  }
  ASSIGN_OR_RETURN(TypeId element, CommonType(args, "ARRAY"));
  if (element == TypeId::kUnknown || element == TypeId::kInvalid) element = TypeId::kText;
  std::optional<TypeId> array = ArrayTypeOf(element);
  if (!array) {
    return WithPosition(Status::Sql("0A000", fmt::format("arrays of type {} are not supported yet",
                                                         GetTypeInfo(element).display_name)),
                        location);
  }
  for (BoundExprPtr& arg : args) {
    ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), element, "ARRAY"));
  }
  auto node = MakeNode(BoundKind::kFunction, *array, std::move(args), location);
  node->function = &ArrayConstructorFunction();
  return node;
}

// f(..., VARIADIC array) for the VARIADIC "any" functions (sql/array_functions.h).
Result<BoundExprPtr> Binder::BindVariadicCall(std::string_view name, std::vector<BoundExprPtr> args,
                                              int location) {
  const FunctionDef* def = VariadicArrayFunction(name);
  if (def == nullptr || args.empty()) {
    return WithPosition(Status::Sql("0A000", fmt::format("VARIADIC arguments of {}() are not "
                                                         "supported yet",
                                                         name)),
                        location);
  }
  BoundExprPtr& last = args.back();
  if (!IsArrayType(last->type)) {
    return WithPosition(Status::Sql("42804", "VARIADIC argument must be an array"), last->location);
  }
  size_t fixed = name == "concat" ? 0 : 1;
  if (args.size() != fixed + 1) {
    return WithPosition(Status::Sql("42883", fmt::format("function {}({}) does not exist", name,
                                                         TypeListForMessage(args))),
                        location);
  }
  for (size_t i = 0; i < fixed; ++i) {
    ASSIGN_OR_RETURN(args[i], Coerce(std::move(args[i]), TypeId::kText, name));
  }
  auto node = MakeNode(BoundKind::kFunction, TypeId::kText, std::move(args), location);
  node->function = def;
  return node;
}

namespace {

// PostgreSQL's pg_aggregate entries for sum/avg/min/max: the result type for an argument type,
// or kInvalid when there is no such aggregate. count takes anything and returns int8.
TypeId AggregateResultType(AggregateKind kind, TypeId arg) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return TypeId::kInt8;
    case AggregateKind::kSum:
      switch (arg) {
        case TypeId::kInt2:
        case TypeId::kInt4:
          return TypeId::kInt8;
        case TypeId::kInt8:
        case TypeId::kNumeric:
          return TypeId::kNumeric;
        case TypeId::kFloat4:
        case TypeId::kFloat8:
        case TypeId::kInterval:
          return arg;
        default:
          return TypeId::kInvalid;
      }
    case AggregateKind::kAvg:
      switch (arg) {
        case TypeId::kInt2:
        case TypeId::kInt4:
        case TypeId::kInt8:
        case TypeId::kNumeric:
          return TypeId::kNumeric;
        case TypeId::kFloat4:
        case TypeId::kFloat8:
          return TypeId::kFloat8;
        case TypeId::kInterval:
          return TypeId::kInterval;
        default:
          return TypeId::kInvalid;
      }
    case AggregateKind::kStringAgg:
      return TypeId::kText;
    case AggregateKind::kJsonAgg:
    case AggregateKind::kJsonObjectAgg:
      return TypeId::kInvalid;  // bound by BindAggregate itself
    case AggregateKind::kArrayAgg:
      return ArrayTypeOf(arg).value_or(TypeId::kInvalid);
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      switch (arg) {
        case TypeId::kInt2:
        case TypeId::kInt4:
        case TypeId::kInt8:
        case TypeId::kFloat4:
        case TypeId::kFloat8:
        case TypeId::kNumeric:
        case TypeId::kText:
        case TypeId::kBpchar:
        case TypeId::kOid:
        case TypeId::kDate:
        case TypeId::kTime:
        case TypeId::kTimestamp:
        case TypeId::kTimestampTz:
        case TypeId::kInterval:
          return arg;
        case TypeId::kVarchar:
        case TypeId::kName:
          return TypeId::kText;  // min(text) through the implicit cast
        default:
          return TypeId::kInvalid;
      }
  }
  return TypeId::kInvalid;
}

}  // namespace

Result<BoundExprPtr> Binder::BindAggregate(const FuncCallExpr& expr) {
  const std::string& name = expr.names.back();
  if (!aggregates_allowed_) {
    std::string message =
        aggregate_context_.empty()
            ? std::string("aggregate functions are not allowed here")
            : fmt::format("aggregate functions are not allowed in {}", aggregate_context_);
    return WithPosition(Status::Sql("42803", message), expr.location);
  }
  if (aggregate_depth_ > 0) {
    return WithPosition(Status::Sql("42803", "aggregate function calls cannot be nested"),
                        expr.location);
  }
  AggregateKind kind = name == "count"                             ? AggregateKind::kCount
                       : name == "sum"                             ? AggregateKind::kSum
                       : name == "avg"                             ? AggregateKind::kAvg
                       : name == "min"                             ? AggregateKind::kMin
                       : name == "string_agg"                      ? AggregateKind::kStringAgg
                       : name == "array_agg"                       ? AggregateKind::kArrayAgg
                       : name == "json_agg" || name == "jsonb_agg" ? AggregateKind::kJsonAgg
                       : name == "json_object_agg" || name == "jsonb_object_agg"
                           ? AggregateKind::kJsonObjectAgg
                           : AggregateKind::kMax;
  if (expr.star) {
    if (kind != AggregateKind::kCount) {
      return WithPosition(Status::Sql("42809", fmt::format("{}(*) specified, but {} is not a "
                                                           "function without arguments",
                                                           name, name)),
                          expr.location);
    }
    auto node = MakeNode(BoundKind::kAggregate, TypeId::kInt8, {}, expr.location);
    node->aggregate = AggregateKind::kCountStar;
    return node;
  }
  std::vector<BoundExprPtr> args;
  ++aggregate_depth_;
  for (const ExprPtr& arg : expr.args) {
    Result<BoundExprPtr> bound = BindExpr(*arg);
    if (!bound.ok()) {
      --aggregate_depth_;
      return bound.status();
    }
    args.push_back(std::move(bound).value());
  }
  --aggregate_depth_;
  if (kind == AggregateKind::kStringAgg) {
    if (args.size() != 2) {
      return WithPosition(Status::Sql("42883", fmt::format("function string_agg({}) does not "
                                                           "exist",
                                                           TypeListForMessage(args))),
                          expr.location);
    }
    for (BoundExprPtr& arg : args) {
      ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), TypeId::kText, name));
    }
    auto node = MakeNode(BoundKind::kAggregate, TypeId::kText, std::move(args), expr.location);
    node->aggregate = kind;
    node->aggregate_distinct = expr.distinct;
    return WithAggregateOrder(expr, std::move(node));
  }
  if (kind == AggregateKind::kJsonAgg || kind == AggregateKind::kJsonObjectAgg) {
    // json(b)_agg(anyelement), json(b)_object_agg("any", "any") (helper J).
    size_t wanted = kind == AggregateKind::kJsonAgg ? 1 : 2;
    if (args.size() != wanted) {
      return WithPosition(Status::Sql("42883", fmt::format("function {}({}) does not exist", name,
                                                           TypeListForMessage(args))),
                          expr.location);
    }
    for (BoundExprPtr& arg : args) {
      if (IsUnknown(*arg)) {
        ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), TypeId::kText, name));
      }
    }
    TypeId result = name.starts_with("jsonb") ? TypeId::kJsonb : TypeId::kJson;
    auto node = MakeNode(BoundKind::kAggregate, result, std::move(args), expr.location);
    node->aggregate = kind;
    node->aggregate_distinct = expr.distinct;
    return WithAggregateOrder(expr, std::move(node));
  }
  TypeId arg_type = args.size() == 1 ? args[0]->type : TypeId::kInvalid;
  // An unknown argument resolves as PostgreSQL's func_select_candidate does: count takes "any",
  // min and max have a text variant (the string category wins), sum and avg span several
  // categories (numeric, interval) and stay ambiguous below.
  if (args.size() == 1 && IsUnknown(*args[0]) &&
      (kind == AggregateKind::kCount || kind == AggregateKind::kMin ||
       kind == AggregateKind::kMax)) {
    ASSIGN_OR_RETURN(args[0], Coerce(std::move(args[0]), TypeId::kText, name));
    arg_type = TypeId::kText;
  }
  TypeId result = args.size() == 1 ? AggregateResultType(kind, arg_type) : TypeId::kInvalid;
  if (args.size() == 1 && IsUnknown(*args[0])) {
    return WithPosition(
        Status::Sql("42725", fmt::format("function {}(unknown) is not unique", name))
            .WithHint("Could not choose a best candidate function. You might need to add "
                      "explicit type casts."),
        expr.location);
  }
  if (result == TypeId::kInvalid) {
    return WithPosition(
        Status::Sql("42883",
                    fmt::format("function {}({}) does not exist", name, TypeListForMessage(args)))
            .WithHint("No function matches the given name and argument types. You might need "
                      "to add explicit type casts."),
        expr.location);
  }
  if ((kind == AggregateKind::kMin || kind == AggregateKind::kMax) && result != arg_type) {
    ASSIGN_OR_RETURN(args[0], Coerce(std::move(args[0]), result, name));
  }
  auto node = MakeNode(BoundKind::kAggregate, result, std::move(args), expr.location);
  node->aggregate = kind;
  node->aggregate_distinct = expr.distinct;
  return WithAggregateOrder(expr, std::move(node));
}

// agg(args ORDER BY keys): the keys become children after the arguments, their directions
// window_order flags (the executor sorts a group's inputs before aggregating them).
Result<BoundExprPtr> Binder::WithAggregateOrder(const FuncCallExpr& expr, BoundExprPtr node) {
  bool collects =
      node->aggregate == AggregateKind::kStringAgg || node->aggregate == AggregateKind::kArrayAgg;
  if (expr.aggregate_order.empty() && expr.distinct && collects && !expr.args.empty()) {
    // PostgreSQL sorts a DISTINCT aggregate's input: without ORDER BY the values come out in
    // ascending order (NULLs last).
    ++aggregate_depth_;
    Result<BoundExprPtr> key = BindExpr(*expr.args[0]);
    --aggregate_depth_;
    if (!key.ok()) return key.status();
    if (IsUnknown(**key)) {
      ASSIGN_OR_RETURN(key, Coerce(std::move(key).value(), TypeId::kText, "ORDER BY"));
    }
    node->children.push_back(std::move(key).value());
    node->window_order.push_back(0);
    return node;
  }
  if (expr.aggregate_order.empty()) return node;
  size_t arg_count = node->children.size();
  ++aggregate_depth_;
  for (const OrderItem& item : expr.aggregate_order) {
    Result<BoundExprPtr> key = BindExpr(*item.expr);
    if (key.ok() && IsUnknown(**key))
      key = Coerce(std::move(key).value(), TypeId::kText, "ORDER BY");
    if (!key.ok()) {
      --aggregate_depth_;
      return key.status();
    }
    if (expr.distinct) {
      bool in_arguments = false;
      for (size_t i = 0; i < arg_count; ++i) in_arguments |= SameExpr(*node->children[i], **key);
      if (!in_arguments) {
        --aggregate_depth_;
        return WithPosition(Status::Sql("42P10",
                                        "in an aggregate with DISTINCT, ORDER BY "
                                        "expressions must appear in argument list"),
                            item.expr->location);
      }
    }
    node->children.push_back(std::move(key).value());
    bool nulls_first = item.nulls_first.value_or(item.descending);
    node->window_order.push_back(
        static_cast<uint8_t>((item.descending ? 1 : 0) | (nulls_first ? 2 : 0)));
  }
  --aggregate_depth_;
  return node;
}

Result<BoundExprPtr> Binder::BindBoolArg(const ParsedExpr& expr, std::string_view context) {
  ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(expr));
  if (bound->type == TypeId::kBool) return bound;
  if (IsUnknown(*bound)) return Coerce(std::move(bound), TypeId::kBool, context);
  return WithPosition(
      Status::Sql("42804", fmt::format("argument of {} must be type boolean, "
                                       "not type {}",
                                       context, GetTypeInfo(bound->type).display_name)),
      expr.location);
}

Result<BoundExprPtr> Binder::BindBool(const BoolOpExpr& expr) {
  const char* context = expr.op == BoolOp::kAnd ? "AND" : (expr.op == BoolOp::kOr ? "OR" : "NOT");
  std::vector<BoundExprPtr> args;
  for (const ExprPtr& arg : expr.args) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, BindBoolArg(*arg, context));
    args.push_back(std::move(bound));
  }
  BoundKind kind = expr.op == BoolOp::kAnd
                       ? BoundKind::kAnd
                       : (expr.op == BoolOp::kOr ? BoundKind::kOr : BoundKind::kNot);
  return MakeNode(kind, TypeId::kBool, std::move(args), expr.location);
}

// PostgreSQL's select_common_type.
Result<TypeId> Binder::CommonType(std::span<const BoundExprPtr> exprs, std::string_view context) {
  const BoundExpr* first = nullptr;
  TypeId chosen = TypeId::kUnknown;
  for (const BoundExprPtr& e : exprs) {
    if (IsUnknown(*e)) continue;
    if (first == nullptr) {
      first = e.get();
      chosen = e->type;
      continue;
    }
    if (e->type == chosen) continue;
    const TypeInfo& p = GetTypeInfo(chosen);
    const TypeInfo& n = GetTypeInfo(e->type);
    if (p.category != n.category) {
      return WithPosition(
          Status::Sql("42804", fmt::format("{} types {} and {} cannot be matched", context,
                                           p.display_name, n.display_name)),
          e->location);
    }
    if (!p.preferred && CanCast(chosen, e->type, CastContext::kImplicit) &&
        !CanCast(e->type, chosen, CastContext::kImplicit)) {
      chosen = e->type;
    }
  }
  return first == nullptr ? TypeId::kText : chosen;
}

Result<BoundExprPtr> Binder::BindCase(const CaseExpr& expr) {
  std::vector<BoundExprPtr> conditions;
  std::vector<BoundExprPtr> results;
  for (const auto& [when, then] : expr.whens) {
    if (expr.arg) {
      std::vector<BoundExprPtr> args;
      ASSIGN_OR_RETURN(BoundExprPtr a, BindExpr(*expr.arg));
      ASSIGN_OR_RETURN(BoundExprPtr w, BindExpr(*when));
      args.push_back(std::move(a));
      args.push_back(std::move(w));
      ASSIGN_OR_RETURN(BoundExprPtr eq, BindOperator("=", std::move(args), when->location));
      conditions.push_back(std::move(eq));
    } else {
      ASSIGN_OR_RETURN(BoundExprPtr cond, BindBoolArg(*when, "CASE"));
      conditions.push_back(std::move(cond));
    }
    ASSIGN_OR_RETURN(BoundExprPtr result, BindExpr(*then));
    results.push_back(std::move(result));
  }
  if (expr.else_result) {
    ASSIGN_OR_RETURN(BoundExprPtr e, BindExpr(*expr.else_result));
    results.push_back(std::move(e));
  }
  ASSIGN_OR_RETURN(TypeId type, CommonType(results, "CASE"));
  std::vector<BoundExprPtr> children;
  for (size_t i = 0; i < results.size(); ++i) {
    if (i < conditions.size()) children.push_back(std::move(conditions[i]));
    ASSIGN_OR_RETURN(BoundExprPtr r, Coerce(std::move(results[i]), type, "CASE"));
    children.push_back(std::move(r));
  }
  auto node = MakeNode(BoundKind::kCase, type, std::move(children), expr.location);
  node->has_else = expr.else_result != nullptr;
  return node;
}

Result<BoundExprPtr> Binder::BindCoalesce(const CoalesceExpr& expr) {
  std::vector<BoundExprPtr> args;
  for (const ExprPtr& arg : expr.args) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(*arg));
    args.push_back(std::move(bound));
  }
  ASSIGN_OR_RETURN(TypeId type, CommonType(args, "COALESCE"));
  for (BoundExprPtr& arg : args) {
    ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), type, "COALESCE"));
  }
  return MakeNode(BoundKind::kCoalesce, type, std::move(args), expr.location);
}

Result<BoundExprPtr> Binder::BindBooleanTest(const BooleanTestExpr& expr) {
  // The construct's name in PostgreSQL's "argument of IS NOT TRUE must be type boolean".
  std::string context = expr.is_not ? "IS NOT " : "IS ";
  switch (expr.test) {
    case BooleanTestKind::kTrue:
      context += "TRUE";
      break;
    case BooleanTestKind::kFalse:
      context += "FALSE";
      break;
    case BooleanTestKind::kUnknown:
      context += "UNKNOWN";
      break;
  }
  ASSIGN_OR_RETURN(BoundExprPtr arg, BindBoolArg(*expr.arg, context));
  std::vector<BoundExprPtr> children;
  children.push_back(std::move(arg));
  auto node = MakeNode(BoundKind::kBooleanTest, TypeId::kBool, std::move(children), expr.location);
  node->boolean_test = expr.test;
  node->negate = expr.is_not;
  return node;
}

// PostgreSQL's transformMinMaxExpr: the arguments are coerced to their common type, which
// must have an ordering (every type this engine has does).
Result<BoundExprPtr> Binder::BindMinMax(const MinMaxExpr& expr) {
  std::string_view context = expr.greatest ? "GREATEST" : "LEAST";
  std::vector<BoundExprPtr> args;
  for (const ExprPtr& arg : expr.args) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, BindExpr(*arg));
    args.push_back(std::move(bound));
  }
  ASSIGN_OR_RETURN(TypeId type, CommonType(args, context));
  for (BoundExprPtr& arg : args) {
    ASSIGN_OR_RETURN(arg, Coerce(std::move(arg), type, context));
  }
  if (type == TypeId::kVoid) {
    return WithPosition(Status::Sql("42883",
                                    "could not identify a comparison function for type "
                                    "void"),
                        expr.location);
  }
  auto node = MakeNode(BoundKind::kMinMax, type, std::move(args), expr.location);
  node->greatest = expr.greatest;
  return node;
}

Result<BoundExprPtr> Binder::BindSqlValueFunction(const SqlValueFunctionExpr& expr) {
  std::string_view name;
  switch (expr.function) {
    case SqlValueFunction::kCurrentUser:
    case SqlValueFunction::kUser:
    case SqlValueFunction::kCurrentRole:
      name = "current_user";
      break;
    case SqlValueFunction::kSessionUser:
      name = "session_user";
      break;
    case SqlValueFunction::kCurrentCatalog:
      name = "current_database";
      break;
    case SqlValueFunction::kCurrentSchema:
      name = "current_schema";
      break;
    case SqlValueFunction::kCurrentTimestamp:
      name = "now";
      break;
    case SqlValueFunction::kCurrentDate:
      name = "current_date";
      break;
    case SqlValueFunction::kLocalTimestamp:
      name = "localtimestamp";
      break;
    case SqlValueFunction::kLocalTime:
      name = "localtime";
      break;
    default:
      return WithPosition(Status::Sql("0A000", "time with time zone is not supported yet"),
                          expr.location);
  }
  return BindCall(name, {}, expr.location, false);
}

namespace {

// FigureColnameInternal: returns the name and its strength (0 none, 1 type name, 2 real).
std::pair<std::string, int> FigureColname(const ParsedExpr& expr) {
  switch (expr.kind) {
    case ExprKind::kColumnRef: {
      const auto& ref = expr.As<ColumnRefExpr>();
      if (ref.star || ref.names.empty()) return {"?column?", 0};
      return {ref.names.back(), 2};
    }
    case ExprKind::kFuncCall:
      return {expr.As<FuncCallExpr>().names.back(), 2};
    case ExprKind::kCast: {
      const auto& cast = expr.As<CastExpr>();
      auto inner = FigureColname(*cast.arg);
      if (inner.second == 2) return inner;
      Result<TypeId> type = LookupTypeName(cast.type.names);
      if (type.ok()) return {std::string(GetTypeInfo(*type).name), 1};
      return {cast.type.names.empty() ? "?column?" : cast.type.names.back(), 1};
    }
    case ExprKind::kCase: {
      const auto& c = expr.As<CaseExpr>();
      if (c.else_result) {
        auto inner = FigureColname(*c.else_result);
        if (inner.second == 2) return inner;
      }
      return {"case", 1};
    }
    case ExprKind::kCoalesce:
      return {"coalesce", 2};
    case ExprKind::kNullIf:
      return {"nullif", 2};
    case ExprKind::kRow:
      return {"row", 2};
    case ExprKind::kMinMax:
      return {expr.As<MinMaxExpr>().greatest ? "greatest" : "least", 2};
    case ExprKind::kSubquery: {
      const auto& sub = expr.As<SubqueryExpr>();
      if (sub.subquery == SubqueryKind::kExists) return {"exists", 2};
      if (sub.subquery == SubqueryKind::kArray) return {"array", 2};
      if (sub.subquery == SubqueryKind::kScalar && !sub.select->targets.empty()) {
        const ResultTarget& target = sub.select->targets[0];
        if (target.alias) return {*target.alias, 2};
        auto inner = FigureColname(*target.expr);
        if (inner.second == 2) return inner;
      }
      break;
    }
    case ExprKind::kSqlValueFunction:
      switch (expr.As<SqlValueFunctionExpr>().function) {
        case SqlValueFunction::kCurrentUser:
          return {"current_user", 2};
        case SqlValueFunction::kSessionUser:
          return {"session_user", 2};
        case SqlValueFunction::kUser:
          return {"user", 2};
        case SqlValueFunction::kCurrentRole:
          return {"current_role", 2};
        case SqlValueFunction::kCurrentCatalog:
          return {"current_catalog", 2};
        case SqlValueFunction::kCurrentSchema:
          return {"current_schema", 2};
        case SqlValueFunction::kCurrentDate:
          return {"current_date", 2};
        case SqlValueFunction::kCurrentTime:
          return {"current_time", 2};
        case SqlValueFunction::kCurrentTimestamp:
          return {"current_timestamp", 2};
        case SqlValueFunction::kLocalTime:
          return {"localtime", 2};
        case SqlValueFunction::kLocalTimestamp:
          return {"localtimestamp", 2};
      }
      break;
    default:
      break;
  }
  return {"?column?", 0};
}

}  // namespace

std::string ColumnName(const ParsedExpr& expr) { return FigureColname(expr).first; }

bool SameExpr(const BoundExpr& a, const BoundExpr& b) {
  if (a.kind != b.kind || a.type != b.type || a.param_index != b.param_index ||
      a.column_index != b.column_index || a.function != b.function || a.negate != b.negate ||
      a.has_else != b.has_else || a.boolean_test != b.boolean_test || a.greatest != b.greatest ||
      a.aggregate != b.aggregate || a.aggregate_distinct != b.aggregate_distinct ||
      a.outer_level != b.outer_level || a.subquery_index != b.subquery_index ||
      a.subquery != b.subquery || a.correlated != b.correlated || a.window != b.window ||
      a.window_partitions != b.window_partitions || a.window_order != b.window_order ||
      a.set_function != b.set_function || a.children.size() != b.children.size()) {
    return false;
  }
  if (a.kind == BoundKind::kConstant) {
    if (a.constant.is_null() || b.constant.is_null()) {
      if (a.constant.is_null() != b.constant.is_null()) return false;
    } else if (a.constant.type() != b.constant.type() ||
               FormatText(a.constant, OutputOptions{.extra_float_digits = 3}) !=
                   FormatText(b.constant, OutputOptions{.extra_float_digits = 3})) {
      return false;
    }
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameExpr(*a.children[i], *b.children[i])) return false;
  }
  return true;
}

bool ContainsAggregate(const BoundExpr& expr) {
  if (expr.kind == BoundKind::kAggregate) return true;
  for (const BoundExprPtr& child : expr.children) {
    if (ContainsAggregate(*child)) return true;
  }
  return false;
}

bool ContainsSetFunction(const BoundExpr& expr) {
  if (expr.kind == BoundKind::kSetFunction) return true;
  for (const BoundExprPtr& child : expr.children) {
    if (ContainsSetFunction(*child)) return true;
  }
  return false;
}

bool ContainsWindow(const BoundExpr& expr) {
  if (expr.kind == BoundKind::kWindow) return true;
  for (const BoundExprPtr& child : expr.children) {
    if (ContainsWindow(*child)) return true;
  }
  return false;
}

Result<Value> Evaluate(const BoundExpr& expr, EvalContext& context) {
  switch (expr.kind) {
    case BoundKind::kConstant:
      return expr.constant.WithType(expr.type);
    case BoundKind::kColumn: {
      BOREALIS_CHECK_LT(static_cast<size_t>(expr.column_index), context.row.size());
      const Value& v = context.row[expr.column_index];
      if (v.is_null()) return Value::Null(expr.type);
      return v;
    }
    case BoundKind::kParam: {
      BOREALIS_CHECK_LT(static_cast<size_t>(expr.param_index), context.params.size());
      const Value& v = context.params[expr.param_index];
      if (v.is_null()) return Value::Null(expr.type);
      if (v.type() == expr.type) return v;
      return CastValue(v, expr.type);
    }
    case BoundKind::kCast: {
      ASSIGN_OR_RETURN(Value v, Evaluate(*expr.children[0], context));
      if (CastNeedsCatalog(v.type(), expr.type)) {
        return CastWithCatalog(v, expr.type, *context.functions);
      }
      if (IsStringType(expr.type) && context.functions != nullptr) {  // DateStyle, ...
        return CastValue(v, expr.type, context.functions->output_options());
      }
      if (IsDateTimeType(expr.type) && context.functions != nullptr && !v.is_null() &&
          (IsStringType(v.type()) || v.type() == TypeId::kUnknown)) {  // DateStyle order, now
        return ParseDateTimeInContext(expr.type, v.string_value(), *context.functions);
      }
      return CastValue(v, expr.type);
    }
    case BoundKind::kFunction: {
      std::vector<Value> args;
      args.reserve(expr.children.size());
      for (const BoundExprPtr& child : expr.children) {
        ASSIGN_OR_RETURN(Value v, Evaluate(*child, context));
        if (v.is_null() && expr.function->strict) return Value::Null(expr.type);
        args.push_back(std::move(v));
      }
      return expr.function->impl(args, *context.functions);
    }
    case BoundKind::kAnd:
    case BoundKind::kOr: {
      // Three-valued logic: a deciding value wins over NULL.
      bool decider = expr.kind == BoundKind::kOr;
      bool saw_null = false;
      for (const BoundExprPtr& child : expr.children) {
        ASSIGN_OR_RETURN(Value v, Evaluate(*child, context));
        if (v.is_null()) {
          saw_null = true;
        } else if (v.bool_value() == decider) {
          return Value::Bool(decider);
        }
      }
      return saw_null ? Value::Null(TypeId::kBool) : Value::Bool(!decider);
    }
    case BoundKind::kNot: {
      ASSIGN_OR_RETURN(Value v, Evaluate(*expr.children[0], context));
      return v.is_null() ? v : Value::Bool(!v.bool_value());
    }
    case BoundKind::kIsNull:
    case BoundKind::kIsNotNull: {
      ASSIGN_OR_RETURN(Value v, Evaluate(*expr.children[0], context));
      return Value::Bool(v.is_null() == (expr.kind == BoundKind::kIsNull));
    }
    case BoundKind::kBooleanTest: {
      ASSIGN_OR_RETURN(Value v, Evaluate(*expr.children[0], context));
      bool holds = false;
      switch (expr.boolean_test) {
        case BooleanTestKind::kTrue:
          holds = !v.is_null() && v.bool_value();
          break;
        case BooleanTestKind::kFalse:
          holds = !v.is_null() && !v.bool_value();
          break;
        case BooleanTestKind::kUnknown:
          holds = v.is_null();
          break;
      }
      return Value::Bool(holds != expr.negate);
    }
    case BoundKind::kMinMax: {
      std::optional<Value> best;
      for (const BoundExprPtr& child : expr.children) {
        ASSIGN_OR_RETURN(Value v, Evaluate(*child, context));
        if (v.is_null()) continue;
        int order = best ? CompareValues(v, *best) : 0;
        if (!best || (expr.greatest ? order > 0 : order < 0)) best = std::move(v);
      }
      return best ? best->WithType(expr.type) : Value::Null(expr.type);
    }
    case BoundKind::kDistinct:
    case BoundKind::kNullIf: {
      ASSIGN_OR_RETURN(Value a, Evaluate(*expr.children[0], context));
      ASSIGN_OR_RETURN(Value b, Evaluate(*expr.children[1], context));
      bool equal;
      if (a.is_null() || b.is_null()) {
        equal = a.is_null() && b.is_null();
      } else {
        Value pair[] = {a, b};
        ASSIGN_OR_RETURN(Value eq,
                         expr.function->impl(std::span<const Value>(pair, 2), *context.functions));
        equal = eq.bool_value();
      }
      if (expr.kind == BoundKind::kDistinct) return Value::Bool(equal == expr.negate);
      if (a.is_null()) return Value::Null(expr.type);
      return equal ? Value::Null(expr.type) : a.WithType(expr.type);
    }
    case BoundKind::kCase: {
      size_t arms = (expr.children.size() - (expr.has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < arms; ++i) {
        ASSIGN_OR_RETURN(Value cond, Evaluate(*expr.children[2 * i], context));
        if (!cond.is_null() && cond.bool_value())
          return Evaluate(*expr.children[2 * i + 1], context);
      }
      if (expr.has_else) return Evaluate(*expr.children.back(), context);
      return Value::Null(expr.type);
    }
    case BoundKind::kCoalesce: {
      for (const BoundExprPtr& child : expr.children) {
        ASSIGN_OR_RETURN(Value v, Evaluate(*child, context));
        if (!v.is_null()) return v;
      }
      return Value::Null(expr.type);
    }
    case BoundKind::kAggregate:
      return Status::Internal("aggregate evaluated outside an Aggregate plan node");
    case BoundKind::kWindow:
      return Status::Internal("window function evaluated outside a Window plan node");
    case BoundKind::kSetFunction:
      // PostgreSQL's words when a set-returning call reaches a place that wants one value.
      return Status::Sql("0A000", "set-valued function called in context that cannot accept a set");
    case BoundKind::kOuterColumn: {
      const EvalContext* outer = &context;
      for (int level = 0; level < expr.outer_level; ++level) {
        outer = outer->outer;
        BOREALIS_CHECK(outer != nullptr);
      }
      BOREALIS_CHECK_LT(static_cast<size_t>(expr.column_index), outer->row.size());
      const Value& v = outer->row[expr.column_index];
      if (v.is_null()) return Value::Null(expr.type);
      return v;
    }
    case BoundKind::kSubquery:
      if (context.subqueries == nullptr) return Status::Internal("no subquery runner");
      return context.subqueries->Run(expr, context);
  }
  return Status::Internal("unknown bound expression kind");
}

}  // namespace borealis::sql
