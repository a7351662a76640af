#include "qp/table_statements.h"

#include <set>

#include "fmt/format.h"
#include "sql/parser.h"

namespace borealis::qp {
namespace {

using sql::BoundExpr;
using sql::BoundExprPtr;
using sql::ExprKind;
using sql::TypeId;
using sql::Value;
using sql::planner::PlanKind;
using sql::planner::PlanNode;
using sql::planner::PlanPtr;
using sql::planner::TableInfo;

constexpr char kPublicSchema[] = "public";

Status Positioned(Status status, const std::string& source, int location) {
  if (location < 0) return status;
  return std::move(status).WithPosition(sql::ErrorPosition(source, location));
}

std::string QualifiedName(const sql::TableRef& ref) {
  return ref.schema.empty() ? ref.name : ref.schema + "." + ref.name;
}

Result<std::shared_ptr<const catalog::TableDescriptor>> FindTable(const sql::TableRef& ref,
                                                                  txn::KvTransaction& txn,
                                                                  catalog::DescriptorCache& cache) {
  if (!ref.schema.empty() && ref.schema != kPublicSchema) {
    return std::shared_ptr<const catalog::TableDescriptor>();
  }
  return cache.Lookup(txn, kPublicSchema, ref.name);
}

Result<std::unique_ptr<TableInfo>> ResolveTable(const sql::TableRef& ref, const std::string& source,
                                                txn::KvTransaction& txn,
                                                catalog::DescriptorCache& cache) {
  ASSIGN_OR_RETURN(auto descriptor, FindTable(ref, txn, cache));
  if (!descriptor) {
    return Positioned(
        Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", QualifiedName(ref))),
        source, ref.location);
  }
  ASSIGN_OR_RETURN(TableInfo info, sql::planner::MakeTableInfo(std::move(descriptor),
                                                               ref.alias.value_or(ref.name)));
  return std::make_unique<TableInfo>(std::move(info));
}

BoundExprPtr Constant(Value value, int location) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = sql::BoundKind::kConstant;
  expr->type = value.type();
  expr->constant = std::move(value);
  expr->location = location;
  return expr;
}

// The column's DEFAULT as a constant of its type (NULL when it has none).
Result<BoundExprPtr> DefaultFor(const TableInfo& table, int column) {
  const catalog::ColumnDescriptor& descriptor = table.descriptor->columns[column];
  TypeId type = table.scope.columns[column].type;
  if (!descriptor.default_text) return Constant(Value::Null(type), -1);
  ASSIGN_OR_RETURN(Value value, sql::ParseText(type, *descriptor.default_text));
  return Constant(std::move(value), -1);
}

Result<BoundExprPtr> AssignTo(sql::Binder& binder, const TableInfo& table, int column,
                              const sql::ParsedExpr& parsed, const std::string& source) {
  ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(parsed));
  TypeId from = bound->type == TypeId::kInvalid ? TypeId::kUnknown : bound->type;
  TypeId to = table.scope.columns[column].type;
  ASSIGN_OR_RETURN(BoundExprPtr coerced, binder.CoerceForAssignment(std::move(bound), to));
  if (!coerced) {
    return Positioned(
        Status::Sql("42804",
                    fmt::format("column \"{}\" is of type {} but expression is of type {}",
                                table.scope.columns[column].name, sql::GetTypeInfo(to).display_name,
                                sql::GetTypeInfo(from).display_name))
            .WithHint("You will need to rewrite or cast the expression."),
        source, parsed.location);
  }
  return coerced;
}

bool IsStar(const sql::ParsedExpr& expr) {
  return expr.kind == ExprKind::kColumnRef && expr.As<sql::ColumnRefExpr>().star;
}

// Binds a target list (SELECT list or RETURNING) over the table, expanding `*`.
Status BindTargets(sql::Binder& binder, const TableInfo& table,
                   const std::vector<sql::ResultTarget>& targets, const std::string& source,
                   TablePlan& plan) {
  for (const sql::ResultTarget& target : targets) {
    if (IsStar(*target.expr)) {
      const auto& ref = target.expr->As<sql::ColumnRefExpr>();
      if (!ref.names.empty() && ref.names.back() != table.scope.table_name) {
        return Positioned(Status::Sql("42P01", fmt::format("missing FROM-clause entry for table "
                                                           "\"{}\"",
                                                           ref.names.back())),
                          source, target.expr->location);
      }
      for (size_t i = 0; i < table.scope.columns.size(); ++i) {
        if (table.scope.columns[i].hidden) continue;
        auto column = std::make_unique<BoundExpr>();
        column->kind = sql::BoundKind::kColumn;
        column->type = table.scope.columns[i].type;
        column->column_index = static_cast<int>(i);
        plan.column_names.push_back(table.scope.columns[i].name);
        plan.column_types.push_back(column->type);
        plan.returning.push_back(std::move(column));
      }
      continue;
    }
    ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*target.expr));
    if (bound->type == TypeId::kUnknown || bound->type == TypeId::kInvalid) {
      ASSIGN_OR_RETURN(bound, binder.Coerce(std::move(bound), TypeId::kText, "SELECT"));
    }
    plan.column_names.push_back(target.alias ? *target.alias : sql::ColumnName(*target.expr));
    plan.column_types.push_back(bound->type);
    plan.returning.push_back(std::move(bound));
  }
  plan.returns_rows = true;
  return Status::Ok();
}

PlanPtr Wrap(PlanKind kind, PlanPtr child) {
  auto node = std::make_unique<PlanNode>(kind);
  node->child = std::move(child);
  return node;
}

Result<BoundExprPtr> BindLimit(sql::Binder& binder, const sql::ParsedExpr& expr,
                               const char* context) {
  ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(expr));
  return binder.Coerce(std::move(bound), TypeId::kInt8, context);
}

Status BindSelectFrom(const sql::SelectStatement& select, const std::string& source,
                      sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                      TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(*select.from, source, txn, cache));
  binder.SetScope(&table->scope);
  RETURN_IF_ERROR(BindTargets(binder, *table, select.targets, source, plan));
  PlanPtr root = sql::planner::MakeScan(*table);
  if (select.where) {
    ASSIGN_OR_RETURN(BoundExprPtr where, binder.BindCondition(*select.where, "WHERE"));
    root = sql::planner::MakeFilter(std::move(root), std::move(where));
  }
  if (select.locking != sql::LockStrength::kNone) {
    root = Wrap(PlanKind::kLockRows, std::move(root));
    root->table = table.get();
  }
  if (!select.order_by.empty()) {
    root = Wrap(PlanKind::kSort, std::move(root));
    for (const sql::OrderItem& item : select.order_by) {
      const sql::ParsedExpr* expr = item.expr.get();
      // ORDER BY n (output position) and ORDER BY output-name, as PostgreSQL resolves them.
      if (expr->kind == ExprKind::kConstant &&
          expr->As<sql::ConstantExpr>().literal == sql::LiteralKind::kInteger) {
        int64_t position = expr->As<sql::ConstantExpr>().int_value;
        if (position < 1 || static_cast<size_t>(position) > select.targets.size() ||
            IsStar(*select.targets[position - 1].expr)) {
          return Positioned(Status::Sql("42P10", fmt::format("ORDER BY position {} is not in "
                                                             "select list",
                                                             position)),
                            source, expr->location);
        }
        expr = select.targets[position - 1].expr.get();
      } else if (expr->kind == ExprKind::kColumnRef &&
                 expr->As<sql::ColumnRefExpr>().names.size() == 1) {
        const std::string& name = expr->As<sql::ColumnRefExpr>().names[0];
        for (const sql::ResultTarget& target : select.targets) {
          if (target.alias && *target.alias == name) {
            expr = target.expr.get();
            break;
          }
        }
      }
      ASSIGN_OR_RETURN(BoundExprPtr key, binder.BindExpr(*expr));
      if (key->type == TypeId::kUnknown || key->type == TypeId::kInvalid) {
        ASSIGN_OR_RETURN(key, binder.Coerce(std::move(key), TypeId::kText, "ORDER BY"));
      }
      sql::planner::SortKey sort_key;
      sort_key.expr = std::move(key);
      sort_key.descending = item.descending;
      sort_key.nulls_first = item.nulls_first.value_or(item.descending);
      root->sort_keys.push_back(std::move(sort_key));
    }
  }
  root = Wrap(PlanKind::kProject, std::move(root));
  root->outputs = std::move(plan.returning);
  plan.returning.clear();
  if (select.limit || select.offset) {
    root = Wrap(PlanKind::kLimit, std::move(root));
    if (select.limit) {
      ASSIGN_OR_RETURN(root->limit, BindLimit(binder, *select.limit, "LIMIT"));
    }
    if (select.offset) {
      ASSIGN_OR_RETURN(root->offset, BindLimit(binder, *select.offset, "OFFSET"));
    }
  }
  sql::planner::Optimize(*root);
  plan.plan = std::move(root);
  plan.tables.push_back(std::move(table));
  return Status::Ok();
}

Result<int> TargetColumn(const TableInfo& table, const sql::NamedColumn& column,
                         const std::string& source) {
  for (size_t i = 0; i < table.scope.columns.size(); ++i) {
    if (!table.scope.columns[i].hidden && table.scope.columns[i].name == column.name) {
      return static_cast<int>(i);
    }
  }
  return Positioned(Status::Sql("42703", fmt::format("column \"{}\" of relation \"{}\" does not "
                                                     "exist",
                                                     column.name, table.descriptor->name)),
                    source, column.location);
}

Status BindInsert(const sql::InsertStatement& insert, const std::string& source,
                  sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                  TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(insert.table, source, txn, cache));
  std::vector<int> targets;
  if (insert.columns.empty()) {
    for (size_t i = 0; i < table->scope.columns.size(); ++i) {
      if (!table->scope.columns[i].hidden) targets.push_back(static_cast<int>(i));
    }
  } else {
    std::set<int> seen;
    for (const sql::NamedColumn& column : insert.columns) {
      ASSIGN_OR_RETURN(int index, TargetColumn(*table, column, source));
      if (!seen.insert(index).second) {
        return Positioned(Status::Sql("42701", fmt::format("column \"{}\" specified more than once",
                                                           column.name)),
                          source, column.location);
      }
      targets.push_back(index);
    }
  }
  if (insert.rows.size() > kMaxInsertRows) {
    return Status::Sql(
        "54000", fmt::format("INSERT may list at most {} rows (kMaxInsertRows)", kMaxInsertRows));
  }
  std::vector<const std::vector<sql::ExprPtr>*> rows;
  static const std::vector<sql::ExprPtr> kDefaultValues;
  if (insert.rows.empty()) {
    rows.push_back(&kDefaultValues);
  } else {
    for (const auto& row : insert.rows) rows.push_back(&row);
  }
  // Without a column list, VALUES fills the first columns and the rest take their defaults.
  if (insert.columns.empty() && !insert.rows.empty() && insert.rows[0].size() < targets.size()) {
    targets.resize(insert.rows[0].size());
  }
  for (const std::vector<sql::ExprPtr>* row : rows) {
    bool default_values = insert.rows.empty();
    if (!default_values && row->size() > targets.size()) {
      return Positioned(Status::Sql("42601", "INSERT has more expressions than target columns"),
                        source, (*row)[targets.size()] ? (*row)[targets.size()]->location : -1);
    }
    if (!default_values && row->size() < targets.size()) {
      return Positioned(Status::Sql("42601", "INSERT has more target columns than expressions"),
                        source, insert.columns.empty() ? -1 : insert.columns[row->size()].location);
    }
    std::vector<BoundExprPtr> full(table->scope.columns.size());
    for (size_t i = 0; i < targets.size() && !default_values; ++i) {
      if ((*row)[i]) {
        ASSIGN_OR_RETURN(full[targets[i]],
                         AssignTo(binder, *table, targets[i], *(*row)[i], source));
      }
    }
    for (size_t i = 0; i < full.size(); ++i) {
      if (!full[i]) {
        ASSIGN_OR_RETURN(full[i], DefaultFor(*table, static_cast<int>(i)));
      }
    }
    plan.insert_rows.push_back(std::move(full));
  }
  if (!insert.returning.empty()) {
    binder.SetScope(&table->scope);
    RETURN_IF_ERROR(BindTargets(binder, *table, insert.returning, source, plan));
  }
  plan.tables.push_back(std::move(table));
  return Status::Ok();
}

Status BindUpdate(const sql::UpdateStatement& update, const std::string& source,
                  sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                  TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(update.table, source, txn, cache));
  binder.SetScope(&table->scope);
  std::set<int> seen;
  for (const sql::Assignment& assignment : update.assignments) {
    ASSIGN_OR_RETURN(int column, TargetColumn(*table, assignment.column, source));
    if (!seen.insert(column).second) {
      return Positioned(Status::Sql("42601", fmt::format("multiple assignments to same column "
                                                         "\"{}\"",
                                                         assignment.column.name)),
                        source, assignment.column.location);
    }
    if (table->descriptor->IsKeyColumn(table->descriptor->columns[column].id)) {
      return Positioned(Status::Sql("0A000", "updating primary key columns is not supported yet"),
                        source, assignment.column.location);
    }
    BoundExprPtr value;
    if (assignment.value) {
      ASSIGN_OR_RETURN(value, AssignTo(binder, *table, column, *assignment.value, source));
    } else {
      ASSIGN_OR_RETURN(value, DefaultFor(*table, column));
    }
    plan.assignments.emplace_back(column, std::move(value));
  }
  PlanPtr root = sql::planner::MakeScan(*table);
  if (update.where) {
    ASSIGN_OR_RETURN(BoundExprPtr where, binder.BindCondition(*update.where, "WHERE"));
    root = sql::planner::MakeFilter(std::move(root), std::move(where));
  }
  sql::planner::Optimize(*root);
  plan.plan = std::move(root);
  if (!update.returning.empty()) {
    RETURN_IF_ERROR(BindTargets(binder, *table, update.returning, source, plan));
  }
  plan.tables.push_back(std::move(table));
  return Status::Ok();
}

Status BindDelete(const sql::DeleteStatement& remove, const std::string& source,
                  sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                  TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(remove.table, source, txn, cache));
  binder.SetScope(&table->scope);
  PlanPtr root = sql::planner::MakeScan(*table);
  if (remove.where) {
    ASSIGN_OR_RETURN(BoundExprPtr where, binder.BindCondition(*remove.where, "WHERE"));
    root = sql::planner::MakeFilter(std::move(root), std::move(where));
  }
  sql::planner::Optimize(*root);
  plan.plan = std::move(root);
  if (!remove.returning.empty()) {
    RETURN_IF_ERROR(BindTargets(binder, *table, remove.returning, source, plan));
  }
  plan.tables.push_back(std::move(table));
  return Status::Ok();
}

Result<std::vector<Value>> EvaluateAll(const std::vector<BoundExprPtr>& exprs,
                                       sql::EvalContext& eval) {
  std::vector<Value> out;
  out.reserve(exprs.size());
  for (const BoundExprPtr& expr : exprs) {
    ASSIGN_OR_RETURN(Value value, sql::Evaluate(*expr, eval));
    out.push_back(std::move(value));
  }
  return out;
}

// A DEFAULT must be a constant here: a literal, possibly negated or cast.
bool IsConstantExpression(const sql::ParsedExpr& expr) {
  switch (expr.kind) {
    case ExprKind::kConstant:
      return true;
    case ExprKind::kCast:
      return IsConstantExpression(*expr.As<sql::CastExpr>().arg);
    case ExprKind::kOperator: {
      const auto& op = expr.As<sql::OperatorExpr>();
      return !op.left && (op.name == "-" || op.name == "+") && IsConstantExpression(*op.right);
    }
    default:
      return false;
  }
}

struct ColumnTypeChoice {
  TypeId type;
  int32_t typmod = -1;
};

Result<ColumnTypeChoice> ChooseColumnType(const sql::ColumnDef& column, const std::string& source) {
  sql::Binder binder(nullptr, {});
  Result<TypeId> bound = binder.BindTypeName(column.type);
  if (!bound.ok()) return Positioned(bound.status(), source, column.type.location);
  ColumnTypeChoice choice{*bound};
  switch (choice.type) {
    case TypeId::kBool:
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kText:
    case TypeId::kNumeric:
    case TypeId::kVarchar:
      break;
    default:
      return Positioned(
          Status::Sql("0A000", fmt::format("columns of type {} are not supported yet",
                                           sql::GetTypeInfo(choice.type).display_name)),
          source, column.type.location);
  }
  if (column.type.has_modifiers) {
    if (choice.type == TypeId::kVarchar && column.type.modifiers.size() == 1) {
      int64_t length = column.type.modifiers[0];
      if (length < 1 || length > 10485760) {
        return Positioned(Status::Sql("22023", "length for type varchar must be at least 1"),
                          source, column.type.location);
      }
      choice.typmod = static_cast<int32_t>(length + 4);
    } else {
      return Positioned(
          Status::Sql("0A000", fmt::format("type modifiers on {} are not supported yet",
                                           sql::GetTypeInfo(choice.type).display_name)),
          source, column.type.location);
    }
  }
  return choice;
}

}  // namespace

Result<std::shared_ptr<const TablePlan>> BindTableStatement(
    const sql::Statement& statement, std::shared_ptr<const std::string> source,
    std::vector<TypeId> declared, txn::KvTransaction& txn, catalog::DescriptorCache& cache) {
  auto plan = std::make_shared<TablePlan>();
  plan->kind = statement.kind;
  sql::Binder binder(source, std::move(declared));
  switch (statement.kind) {
    case sql::StatementKind::kSelect:
      RETURN_IF_ERROR(
          BindSelectFrom(statement.As<sql::SelectStatement>(), *source, binder, txn, cache, *plan));
      break;
    case sql::StatementKind::kInsert:
      RETURN_IF_ERROR(
          BindInsert(statement.As<sql::InsertStatement>(), *source, binder, txn, cache, *plan));
      break;
    case sql::StatementKind::kUpdate:
      RETURN_IF_ERROR(
          BindUpdate(statement.As<sql::UpdateStatement>(), *source, binder, txn, cache, *plan));
      break;
    case sql::StatementKind::kDelete:
      RETURN_IF_ERROR(
          BindDelete(statement.As<sql::DeleteStatement>(), *source, binder, txn, cache, *plan));
      break;
    default:
      return Status::Internal("not a table statement");
  }
  ASSIGN_OR_RETURN(plan->parameter_types, binder.FinalParameterTypes());
  return std::shared_ptr<const TablePlan>(std::move(plan));
}

Result<DmlResult> RunDml(const TablePlan& plan, txn::KvTransaction& txn, sql::EvalContext eval,
                         const std::function<int64_t()>& next_row_id) {
  DmlResult result;
  const TableInfo& table = *plan.tables[0];
  txn.AddCheckKey(catalog::SchemaVersionKey(table.descriptor->id));
  if (plan.kind == sql::StatementKind::kInsert) {
    for (const std::vector<BoundExprPtr>& exprs : plan.insert_rows) {
      eval.row = {};
      ASSIGN_OR_RETURN(sql::exec::Row row, EvaluateAll(exprs, eval));
      for (size_t i = 0; i < row.size(); ++i) {
        if (table.scope.columns[i].hidden) row[i] = Value::Int(TypeId::kInt8, next_row_id());
      }
      RETURN_IF_ERROR(sql::exec::InsertRow(txn, table, row));
      ++result.count;
      if (plan.returns_rows) {
        eval.row = row;
        ASSIGN_OR_RETURN(sql::exec::Row out, EvaluateAll(plan.returning, eval));
        result.rows.push_back(std::move(out));
      }
    }
    return result;
  }
  sql::exec::ExecContext context{&txn, eval};
  ASSIGN_OR_RETURN(std::unique_ptr<sql::exec::Operator> source,
                   sql::exec::BuildOperator(*plan.plan, context));
  // Read every target row first: writes never feed back into the scan.
  std::vector<sql::exec::Row> targets;
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<sql::exec::Row> row, source->Next());
    if (!row) break;
    targets.push_back(std::move(*row));
  }
  for (sql::exec::Row& row : targets) {
    if (plan.kind == sql::StatementKind::kUpdate) {
      eval.row = row;
      sql::exec::Row updated = row;
      for (const auto& [column, expr] : plan.assignments) {
        ASSIGN_OR_RETURN(updated[column], sql::Evaluate(*expr, eval));
      }
      RETURN_IF_ERROR(sql::exec::UpdateRow(txn, table, updated));
      row = std::move(updated);
    } else {
      RETURN_IF_ERROR(sql::exec::DeleteRow(txn, table, row));
    }
    ++result.count;
    if (plan.returns_rows) {
      eval.row = row;
      ASSIGN_OR_RETURN(sql::exec::Row out, EvaluateAll(plan.returning, eval));
      result.rows.push_back(std::move(out));
    }
  }
  return result;
}

Result<std::string> RunCreateTable(const sql::CreateTableStatement& create,
                                   std::shared_ptr<const std::string> source,
                                   txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                   std::vector<Notice>& notices) {
  const std::string& text = *source;
  if (!create.table.schema.empty() && create.table.schema != kPublicSchema) {
    return Positioned(
        Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", create.table.schema)),
        text, create.table.location);
  }
  ASSIGN_OR_RETURN(auto existing, FindTable(create.table, txn, cache));
  if (existing) {
    if (create.if_not_exists) {
      notices.push_back(Notice{
          "NOTICE", "42P07",
          fmt::format("relation \"{}\" already exists, skipping", create.table.name), "", ""});
      return std::string("CREATE TABLE");
    }
    return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", create.table.name));
  }
  if (create.columns.size() > catalog::kMaxColumns) {
    return Status::Sql("54011",
                       fmt::format("tables can have at most {} columns", catalog::kMaxColumns));
  }
  catalog::TableDescriptor table;
  table.schema = kPublicSchema;
  table.name = create.table.name;
  std::vector<std::string> key_names = create.primary_key;
  int key_location = create.primary_key_location;
  for (const sql::ColumnDef& def : create.columns) {
    if (table.FindColumn(def.name) != nullptr) {
      return Positioned(
          Status::Sql("42701", fmt::format("column \"{}\" specified more than once", def.name)),
          text, def.location);
    }
    ASSIGN_OR_RETURN(ColumnTypeChoice type, ChooseColumnType(def, text));
    catalog::ColumnDescriptor column;
    column.id = table.next_column_id++;
    column.name = def.name;
    column.type_oid = static_cast<uint32_t>(type.type);
    column.typmod = type.typmod;
    column.not_null = def.not_null;
    if (def.primary_key) {
      if (!key_names.empty()) {
        return Positioned(Status::Sql("42P16", fmt::format("multiple primary keys for table \"{}\" "
                                                           "are not allowed",
                                                           table.name)),
                          text, def.location);
      }
      key_names.push_back(def.name);
    }
    if (def.default_value) {
      if (!IsConstantExpression(*def.default_value)) {
        return Positioned(Status::Sql("0A000",
                                      "DEFAULT expressions other than constants are not "
                                      "supported yet"),
                          text, def.default_value->location);
      }
      sql::Binder binder(source, {}, sql::ParameterMode::kFixed);
      TableInfo info;
      info.scope.columns.push_back(sql::ScopeColumn{def.name, type.type, false});
      ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*def.default_value));
      TypeId from = bound->type == TypeId::kInvalid ? TypeId::kUnknown : bound->type;
      ASSIGN_OR_RETURN(BoundExprPtr coerced,
                       binder.CoerceForAssignment(std::move(bound), type.type));
      if (!coerced) {
        return Positioned(
            Status::Sql("42804", fmt::format("column \"{}\" is of type {} but default expression "
                                             "is of type {}",
                                             def.name, sql::GetTypeInfo(type.type).display_name,
                                             sql::GetTypeInfo(from).display_name))
                .WithHint("You will need to rewrite or cast the expression."),
            text, def.default_value->location);
      }
      sql::EvalContext eval;
      ASSIGN_OR_RETURN(Value value, sql::Evaluate(*coerced, eval));
      if (!value.is_null()) {
        sql::OutputOptions exact;
        exact.extra_float_digits = 3;
        column.default_text = sql::FormatText(value, exact);
      }
    }
    table.columns.push_back(std::move(column));
  }
  if (table.columns.empty()) {
    return Status::Sql("0A000", "tables without columns are not supported yet");
  }
  if (key_names.size() > catalog::kMaxKeyColumns) {
    return Status::Sql("54011", fmt::format("cannot use more than {} columns in an index",
                                            catalog::kMaxKeyColumns));
  }
  for (const std::string& name : key_names) {
    const catalog::ColumnDescriptor* column = table.FindColumn(name);
    if (column == nullptr) {
      return Positioned(Status::Sql("42703", fmt::format("column \"{}\" named in key does not "
                                                         "exist",
                                                         name)),
                        text, key_location);
    }
    if (table.IsKeyColumn(column->id)) {
      return Positioned(Status::Sql("42701", fmt::format("column \"{}\" appears twice in primary "
                                                         "key constraint",
                                                         name)),
                        text, key_location);
    }
    table.primary_key.push_back(column->id);
    const_cast<catalog::ColumnDescriptor*>(column)->not_null = true;
  }
  if (table.primary_key.empty()) {
    std::string name = catalog::kRowIdColumnName;
    for (int suffix = 1; table.FindColumn(name) != nullptr; ++suffix) {
      name = fmt::format("{}_{}", catalog::kRowIdColumnName, suffix);
    }
    catalog::ColumnDescriptor rowid;
    rowid.id = table.next_column_id++;
    rowid.name = name;
    rowid.type_oid = static_cast<uint32_t>(TypeId::kInt8);
    rowid.not_null = true;
    rowid.hidden = true;
    table.primary_key.push_back(rowid.id);
    table.columns.push_back(std::move(rowid));
  }
  RETURN_IF_ERROR(catalog::CreateTable(txn, std::move(table)).status());
  return std::string("CREATE TABLE");
}

Result<std::string> RunDropTable(const sql::DropTableStatement& drop, txn::KvTransaction& txn,
                                 catalog::DescriptorCache& cache, std::vector<Notice>& notices) {
  std::vector<std::shared_ptr<const catalog::TableDescriptor>> tables;
  for (const sql::TableRef& ref : drop.tables) {
    ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
    if (!table) {
      if (drop.if_exists) {
        notices.push_back(Notice{"NOTICE", "00000",
                                 fmt::format("table \"{}\" does not exist, skipping", ref.name), "",
                                 ""});
        continue;
      }
      return Status::Sql("42P01", fmt::format("table \"{}\" does not exist", QualifiedName(ref)));
    }
    tables.push_back(std::move(table));
  }
  for (const auto& table : tables) RETURN_IF_ERROR(catalog::DropTable(txn, *table));
  return std::string("DROP TABLE");
}

}  // namespace borealis::qp
