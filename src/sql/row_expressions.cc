#include "sql/row_expressions.h"

#include <cctype>
#include <string>

#include "fmt/format.h"
#include "sql/functions.h"
#include "sql/types.h"

namespace borealis::sql {
namespace {

using T = TypeId;

BoundExprPtr MakeBool(BoundKind kind, std::vector<BoundExprPtr> children, int location) {
  if (children.size() == 1 && (kind == BoundKind::kAnd || kind == BoundKind::kOr)) {
    return std::move(children[0]);
  }
  auto node = std::make_unique<BoundExpr>();
  node->kind = kind;
  node->type = T::kBool;
  node->children = std::move(children);
  node->location = location;
  return node;
}

bool IsRow(const ParsedExpr* expr) { return expr != nullptr && expr->kind == ExprKind::kRow; }

const std::vector<ExprPtr>& Fields(const ParsedExpr& expr) { return expr.As<RowExpr>().args; }

Result<Value> ConstructRecord(std::span<const Value> args, FunctionContext& context) {
  std::vector<std::optional<std::string>> fields;
  fields.reserve(args.size());
  OutputOptions options = context.output_options();
  for (const Value& arg : args) {
    if (arg.is_null()) {
      fields.emplace_back();
    } else {
      fields.emplace_back(FormatText(arg, options));
    }
  }
  return Value::String(T::kRecord, FormatRecordText(fields));
}

const FunctionDef& RecordConstructor() {
  static const FunctionDef kDef = [] {
    FunctionDef def;
    def.name = "row";
    def.result = T::kRecord;
    def.impl = ConstructRecord;
    def.strict = false;
    def.variadic_any = true;
    return def;
  }();
  return kDef;
}

Result<BoundExprPtr> BindRecord(Binder& binder, const RowExpr& row) {
  std::vector<BoundExprPtr> fields;
  for (const ExprPtr& field : row.args) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*field));
    if (bound->type == T::kUnknown || bound->type == T::kInvalid) {
      ASSIGN_OR_RETURN(bound, binder.Coerce(std::move(bound), T::kText, "ROW"));
    }
    fields.push_back(std::move(bound));
  }
  return MakeRecord(std::move(fields), row.location);
}

// The operand's fields: a row constructor's, or 0A000 for a record-typed value.
Result<const std::vector<ExprPtr>*> RowFields(Binder& binder, const ParsedExpr& expr) {
  if (IsRow(&expr)) return &Fields(expr);
  return binder.PositionAt(
      Status::Sql("0A000", "comparing a row constructor with a record value is not supported yet"),
      expr.location);
}

Status Unequal(Binder& binder, int location) {
  return binder.PositionAt(Status::Sql("42601", "unequal number of entries in row expressions"),
                           location);
}

// left op right over fields i.. (PostgreSQL's RowCompareExpr semantics for ordering operators).
Result<BoundExprPtr> Compare(Binder& binder, const std::vector<ExprPtr>& left,
                             const std::vector<ExprPtr>& right, std::string_view op, int location) {
  auto pair = [&](size_t i, std::string_view name) -> Result<BoundExprPtr> {
    ASSIGN_OR_RETURN(BoundExprPtr l, binder.BindExpr(*left[i]));
    ASSIGN_OR_RETURN(BoundExprPtr r, binder.BindExpr(*right[i]));
    ASSIGN_OR_RETURN(BoundExprPtr compared,
                     binder.BindBinaryOperator(name, std::move(l), std::move(r), location));
    if (compared->type != T::kBool) {
      return binder.PositionAt(
          Status::Sql("42804", fmt::format("row comparison operator must yield type boolean, "
                                           "not type {}",
                                           GetTypeInfo(compared->type).display_name)),
          location);
    }
    return compared;
  };
  size_t n = left.size();
  if (n == 0) {
    return binder.PositionAt(Status::Sql("0A000", "comparison of empty rows is not supported yet"),
                             location);
  }
  if (op == "=" || op == "<>") {
    std::vector<BoundExprPtr> parts;
    for (size_t i = 0; i < n; ++i) {
      ASSIGN_OR_RETURN(BoundExprPtr part, pair(i, op));
      parts.push_back(std::move(part));
    }
    return MakeBool(op == "=" ? BoundKind::kAnd : BoundKind::kOr, std::move(parts), location);
  }
  if (op != "<" && op != "<=" && op != ">" && op != ">=") {
    // PostgreSQL resolves the pairwise operator first: its error comes first.
    RETURN_IF_ERROR(pair(0, op).status());
    return binder.PositionAt(Status::Sql("42883", fmt::format("could not determine "
                                                              "interpretation of row comparison "
                                                              "operator {}",
                                                              op))
                                 .WithHint("Row comparison operators must be associated with "
                                           "btree operator families."),
                             location);
  }
  std::string strict(op.substr(0, 1));  // < or >
  // From the last pair backwards: rest = (a_i strict b_i) OR (a_i = b_i AND rest).
  ASSIGN_OR_RETURN(BoundExprPtr rest, pair(n - 1, op));
  for (size_t i = n - 1; i-- > 0;) {
    ASSIGN_OR_RETURN(BoundExprPtr less, pair(i, strict));
    ASSIGN_OR_RETURN(BoundExprPtr equal, pair(i, "="));
    std::vector<BoundExprPtr> both;
    both.push_back(std::move(equal));
    both.push_back(std::move(rest));
    std::vector<BoundExprPtr> either;
    either.push_back(std::move(less));
    either.push_back(MakeBool(BoundKind::kAnd, std::move(both), location));
    rest = MakeBool(BoundKind::kOr, std::move(either), location);
  }
  return rest;
}

Result<BoundExprPtr> BindRowOperator(Binder& binder, const OperatorExpr& op) {
  if (op.left == nullptr || op.quantifier != OperatorExpr::Quantifier::kNone) {
    return binder.PositionAt(Status::Sql("0A000", "this row operation is not supported yet"),
                             op.location);
  }
  ASSIGN_OR_RETURN(const std::vector<ExprPtr>* left, RowFields(binder, *op.left));
  ASSIGN_OR_RETURN(const std::vector<ExprPtr>* right, RowFields(binder, *op.right));
  if (left->size() != right->size()) return Unequal(binder, op.location);
  return Compare(binder, *left, *right, op.name, op.location);
}

Result<BoundExprPtr> BindRowDistinct(Binder& binder, const DistinctExpr& distinct) {
  ASSIGN_OR_RETURN(const std::vector<ExprPtr>* left, RowFields(binder, *distinct.left));
  ASSIGN_OR_RETURN(const std::vector<ExprPtr>* right, RowFields(binder, *distinct.right));
  if (left->size() != right->size()) return Unequal(binder, distinct.location);
  std::vector<BoundExprPtr> parts;
  for (size_t i = 0; i < left->size(); ++i) {
    ASSIGN_OR_RETURN(BoundExprPtr l, binder.BindExpr(*(*left)[i]));
    ASSIGN_OR_RETURN(BoundExprPtr r, binder.BindExpr(*(*right)[i]));
    ASSIGN_OR_RETURN(BoundExprPtr eq,
                     binder.BindBinaryOperator("=", std::move(l), std::move(r), distinct.location));
    // The same shape the Binder gives `a IS DISTINCT FROM b`: the "=" function, its operands.
    eq->kind = BoundKind::kDistinct;
    eq->type = T::kBool;
    eq->negate = distinct.is_not;
    parts.push_back(std::move(eq));
  }
  // Distinct rows: some pair distinct; not distinct: every pair not distinct.
  return MakeBool(distinct.is_not ? BoundKind::kAnd : BoundKind::kOr, std::move(parts),
                  distinct.location);
}

Result<BoundExprPtr> BindRowNullTest(Binder& binder, const NullTestExpr& test) {
  std::vector<BoundExprPtr> parts;
  for (const ExprPtr& field : Fields(*test.arg)) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*field));
    std::vector<BoundExprPtr> children;
    children.push_back(std::move(bound));
    parts.push_back(MakeBool(test.is_not ? BoundKind::kIsNotNull : BoundKind::kIsNull,
                             std::move(children), test.location));
  }
  if (parts.empty()) {
    auto node = std::make_unique<BoundExpr>();
    node->kind = BoundKind::kConstant;
    node->type = T::kBool;
    node->constant = Value::Bool(true);  // ROW() IS NULL and IS NOT NULL are both true
    node->location = test.location;
    return BoundExprPtr(std::move(node));
  }
  return MakeBool(BoundKind::kAnd, std::move(parts), test.location);
}

Result<BoundExprPtr> BindRowInList(Binder& binder, const InListExpr& in) {
  const std::vector<ExprPtr>& left = Fields(*in.arg);
  std::vector<BoundExprPtr> tests;
  for (const ExprPtr& item : in.list) {
    ASSIGN_OR_RETURN(const std::vector<ExprPtr>* right, RowFields(binder, *item));
    if (left.size() != right->size()) return Unequal(binder, in.location);
    ASSIGN_OR_RETURN(BoundExprPtr test,
                     Compare(binder, left, *right, in.negated ? "<>" : "=", in.location));
    tests.push_back(std::move(test));
  }
  return MakeBool(in.negated ? BoundKind::kAnd : BoundKind::kOr, std::move(tests), in.location);
}

BoundExprPtr ColumnSlot(int index, TypeId type, int location) {
  auto column = std::make_unique<BoundExpr>();
  column->kind = BoundKind::kColumn;
  column->type = type;
  column->column_index = index;
  column->location = location;
  return column;
}

// row op ANY (subquery): the subquery is planned with the same Binder, as Binder::BindSubquery
// does for one column.
Result<BoundExprPtr> BindRowSubquery(Binder& binder, const SubqueryExpr& expr) {
  SubqueryPlanner* planner = binder.subquery_planner();
  if (planner == nullptr) {
    return binder.PositionAt(
        Status::Sql("0A000", "subqueries are not supported in this statement yet"), expr.location);
  }
  std::vector<BoundExprPtr> tests;
  for (const ExprPtr& field : Fields(*expr.test)) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*field));
    tests.push_back(std::move(bound));
  }
  Binder::SubqueryState state = binder.EnterSubquery();
  Result<PlannedSubquery> planned = planner->PlanSubquery(*expr.select, binder);
  bool correlated = binder.LeaveSubquery(std::move(state));
  if (!planned.ok()) return planned.status();
  size_t n = tests.size();
  if (planned->column_types.size() != n) {
    return binder.PositionAt(
        Status::Sql("42601", planned->column_types.size() > n ? "subquery has too many columns"
                                                              : "subquery has too few columns"),
        expr.location);
  }
  std::vector<BoundExprPtr> parts;
  for (size_t i = 0; i < n; ++i) {
    TypeId inner = planned->column_types[i];
    if (tests[i]->type == T::kUnknown || tests[i]->type == T::kInvalid) {
      ASSIGN_OR_RETURN(tests[i], binder.Coerce(std::move(tests[i]), inner, "IN"));
    }
    ASSIGN_OR_RETURN(
        BoundExprPtr compared,
        binder.BindBinaryOperator(
            expr.operator_name, ColumnSlot(static_cast<int>(i), tests[i]->type, expr.location),
            ColumnSlot(static_cast<int>(n + i), inner, expr.location), expr.location));
    if (compared->type != T::kBool) {
      return binder.PositionAt(Status::Sql("42804",
                                           "op ANY/ALL (array) requires operator to "
                                           "yield boolean"),
                               expr.location);
    }
    parts.push_back(std::move(compared));
  }
  if (expr.operator_name != "=" && expr.operator_name != "<>") {
    return binder.PositionAt(
        Status::Sql("0A000", fmt::format("row comparison with {} ANY (subquery) is not supported "
                                         "yet",
                                         expr.operator_name)),
        expr.location);
  }
  auto node = std::make_unique<BoundExpr>();
  node->kind = BoundKind::kSubquery;
  node->type = T::kBool;
  node->subquery = SubqueryKind::kAny;
  node->subquery_index = planned->index;
  node->correlated = correlated;
  node->location = expr.location;
  node->children = std::move(tests);
  node->children.push_back(MakeBool(expr.operator_name == "=" ? BoundKind::kAnd : BoundKind::kOr,
                                    std::move(parts), expr.location));
  return BoundExprPtr(std::move(node));
}

}  // namespace

BoundExprPtr MakeRecord(std::vector<BoundExprPtr> fields, int location) {
  auto node = std::make_unique<BoundExpr>();
  node->kind = BoundKind::kFunction;
  node->type = T::kRecord;
  node->function = &RecordConstructor();
  node->location = location;
  node->children = std::move(fields);
  return node;
}

bool HasRowOperand(const ParsedExpr& expr) {
  switch (expr.kind) {
    case ExprKind::kRow:
      return true;
    case ExprKind::kOperator: {
      const auto& op = expr.As<OperatorExpr>();
      return IsRow(op.left.get()) || IsRow(op.right.get());
    }
    case ExprKind::kNullTest:
      return IsRow(expr.As<NullTestExpr>().arg.get());
    case ExprKind::kInList:
      return IsRow(expr.As<InListExpr>().arg.get());
    case ExprKind::kDistinct: {
      const auto& distinct = expr.As<DistinctExpr>();
      return IsRow(distinct.left.get()) || IsRow(distinct.right.get());
    }
    case ExprKind::kSubquery: {
      const auto& subquery = expr.As<SubqueryExpr>();
      return subquery.subquery == SubqueryKind::kAny && IsRow(subquery.test.get());
    }
    default:
      return false;
  }
}

Result<BoundExprPtr> BindRowExpression(Binder& binder, const ParsedExpr& expr) {
  switch (expr.kind) {
    case ExprKind::kRow:
      return BindRecord(binder, expr.As<RowExpr>());
    case ExprKind::kOperator:
      return BindRowOperator(binder, expr.As<OperatorExpr>());
    case ExprKind::kNullTest:
      return BindRowNullTest(binder, expr.As<NullTestExpr>());
    case ExprKind::kInList:
      return BindRowInList(binder, expr.As<InListExpr>());
    case ExprKind::kDistinct:
      return BindRowDistinct(binder, expr.As<DistinctExpr>());
    case ExprKind::kSubquery:
      return BindRowSubquery(binder, expr.As<SubqueryExpr>());
    default:
      break;
  }
  return Status::Internal("not a row expression");
}

std::string FormatRecordText(std::span<const std::optional<std::string>> fields) {
  std::string out = "(";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    if (!fields[i]) continue;
    const std::string& text = *fields[i];
    bool quote = text.empty();
    for (char c : text) {
      quote |= c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' ||
               std::isspace(static_cast<unsigned char>(c)) != 0;
    }
    if (!quote) {
      out += text;
      continue;
    }
    out += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') out += c;
      out += c;
    }
    out += '"';
  }
  out += ')';
  return out;
}

}  // namespace borealis::sql
