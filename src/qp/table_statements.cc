#include "qp/table_statements.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "fmt/format.h"
#include "qp/index_statements.h"
#include "qp/on_conflict.h"
#include "qp/roles.h"
#include "qp/select_binder.h"
#include "qp/sequence_statements.h"
#include "qp/temp_tables.h"
#include "qp/view_statements.h"
#include "sql/functions.h"
#include "sql/parser.h"
#include "sql/typmod.h"

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

// The system catalogs are read-only (PostgreSQL refuses ordinary users the same way).
Status CheckWritable(const TableInfo& table) {
  if (!table.virtual_table) return Status::Ok();
  return Status::Sql("42501",
                     fmt::format("permission denied for table {}", table.descriptor->name));
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
  if (descriptor.default_expression) {  // SERIAL, identity (qp/sequence_statements.h)
    return BindDefaultExpression(*descriptor.default_expression, type, descriptor.name);
  }
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

// RETURNING over `scope` (the written table's, or UPDATE ... FROM's joined row).
Status BindReturning(sql::Binder& binder, const sql::Scope& scope, const StarOrder* star,
                     const std::vector<sql::ResultTarget>& returning, const std::string& source,
                     TablePlan& plan) {
  if (returning.empty()) return Status::Ok();
  binder.SetScope(&scope);
  binder.AllowAggregates(false, "RETURNING");
  TargetList list;
  RETURN_IF_ERROR(BindTargets(binder, &scope, star, returning, source, list));
  plan.column_names = std::move(list.names);
  plan.column_types = std::move(list.types);
  plan.returning = std::move(list.exprs);
  plan.returns_rows = true;
  return Status::Ok();
}

// An explicit value for an identity column (PostgreSQL's rewriteTargetListIU): GENERATED ALWAYS
// refuses it without OVERRIDING SYSTEM VALUE (428C9); OVERRIDING USER VALUE replaces it with
// the column's default (true).
Result<bool> IdentityTakesDefault(const sql::InsertStatement& insert, const TableInfo& table,
                                  int column) {
  const catalog::ColumnDescriptor& descriptor = table.descriptor->columns[column];
  if (descriptor.identity == 0) return false;
  if (insert.overriding == 'u') return true;
  if (descriptor.identity == 'a' && insert.overriding != 's') {
    return Status::Sql("428C9", fmt::format("cannot insert a non-DEFAULT value into column \"{}\"",
                                            descriptor.name))
        .WithDetail(fmt::format("Column \"{}\" is an identity column defined as GENERATED ALWAYS.",
                                descriptor.name))
        .WithHint("Use OVERRIDING SYSTEM VALUE to override.");
  }
  return false;
}

// INSERT ... SELECT: the query's plan, and one row of expressions over its output row.
Status BindInsertQuery(const sql::InsertStatement& insert, const TableInfo& table,
                       std::vector<int> targets, const std::string& source, sql::Binder& binder,
                       SelectBinder& select_binder, TablePlan& plan) {
  BoundQuery query;
  RETURN_IF_ERROR(select_binder.BindQuery(*insert.select, query, /*resolve_unknowns=*/false));
  size_t width = query.column_types.size();
  const sql::SelectStatement& select = *insert.select;
  for (size_t i = 0; i < width && i < targets.size(); ++i) {
    ASSIGN_OR_RETURN(bool use_default, IdentityTakesDefault(insert, table, targets[i]));
    if (use_default) {
      return Status::Sql("0A000",
                         "OVERRIDING USER VALUE with INSERT ... SELECT is not supported "
                         "yet");
    }
  }
  if (width > targets.size()) {
    int location = targets.size() < select.targets.size() && !insert.select->targets.empty()
                       ? select.targets[targets.size()].expr->location
                       : -1;
    return Positioned(Status::Sql("42601", "INSERT has more expressions than target columns"),
                      source, location);
  }
  if (width < targets.size()) {
    if (!insert.columns.empty()) {
      return Positioned(Status::Sql("42601", "INSERT has more target columns than expressions"),
                        source, insert.columns[width].location);
    }
    targets.resize(width);
  }
  // Unknown-typed outputs (string literals) take the target column's type, as in PostgreSQL.
  PlanNode* project = query.plan.get();
  while (project != nullptr && project->kind != PlanKind::kProject &&
         (project->kind == PlanKind::kLimit || project->kind == PlanKind::kDistinct)) {
    project = project->child.get();
  }
  if (project != nullptr && project->kind != PlanKind::kProject) project = nullptr;
  std::vector<BoundExprPtr> full(table.scope.columns.size());
  for (size_t i = 0; i < width; ++i) {
    TypeId to = table.scope.columns[targets[i]].type;
    TypeId from = query.column_types[i];
    int location = i < select.targets.size() ? select.targets[i].expr->location : -1;
    if (from == TypeId::kUnknown) {
      if (project == nullptr) {
        return Positioned(Status::Sql("0A000",
                                      "untyped literals in this INSERT ... SELECT are not "
                                      "supported yet"),
                          source, location);
      }
      ASSIGN_OR_RETURN(BoundExprPtr coerced,
                       binder.CoerceForAssignment(std::move(project->outputs[i]), to));
      BOREALIS_CHECK(coerced != nullptr);
      project->outputs[i] = std::move(coerced);
      from = to;
    }
    ASSIGN_OR_RETURN(BoundExprPtr value,
                     binder.CoerceForAssignment(ColumnOf(static_cast<int>(i), from, -1), to));
    if (!value) {
      return Positioned(
          Status::Sql(
              "42804",
              fmt::format("column \"{}\" is of type {} but expression is of type {}",
                          table.scope.columns[targets[i]].name, sql::GetTypeInfo(to).display_name,
                          sql::GetTypeInfo(from).display_name))
              .WithHint("You will need to rewrite or cast the expression."),
          source, location);
    }
    full[targets[i]] = std::move(value);
  }
  for (size_t i = 0; i < full.size(); ++i) {
    if (!full[i]) {
      ASSIGN_OR_RETURN(full[i], DefaultFor(table, static_cast<int>(i)));
    }
  }
  plan.insert_rows.push_back(std::move(full));
  plan.plan = std::move(query.plan);
  return Status::Ok();
}

// A DML target's privileges beyond its verb (qp/roles.h): SELECT when the statement reads the
// target's rows (WHERE, RETURNING; PostgreSQL checks per column, here per table), and `extra`.
Status CheckTargetReads(const TableInfo& table, const txn::KvTransaction& txn, bool reads,
                        uint32_t extra = 0) {
  if (!table.descriptor) return Status::Ok();
  uint32_t wanted = (reads ? catalog::kAclSelect : 0) | extra;
  if (wanted == 0) return Status::Ok();
  return CheckTablePrivilege(txn, *table.descriptor, wanted);
}

Status BindInsert(const sql::InsertStatement& insert, const std::string& source,
                  sql::Binder& binder, SelectBinder& select_binder, txn::KvTransaction& txn,
                  catalog::DescriptorCache& cache, TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(insert.table, source, txn, cache, "insert into"));
  RETURN_IF_ERROR(CheckWritable(*table));
  RETURN_IF_ERROR(CheckTargetReads(
      *table, txn, !insert.returning.empty(),
      insert.on_conflict && insert.on_conflict->do_update ? catalog::kAclUpdate : 0));
  const TableInfo& target = *table;
  plan.tables.push_back(std::move(table));
  std::vector<int> targets;
  if (insert.columns.empty()) {
    for (size_t i = 0; i < target.scope.columns.size(); ++i) {
      if (!target.scope.columns[i].hidden) targets.push_back(static_cast<int>(i));
    }
  } else {
    std::set<int> seen;
    for (const sql::NamedColumn& column : insert.columns) {
      ASSIGN_OR_RETURN(int index, TargetColumn(target, column, source));
      if (!seen.insert(index).second) {
        return Positioned(Status::Sql("42701", fmt::format("column \"{}\" specified more than once",
                                                           column.name)),
                          source, column.location);
      }
      targets.push_back(index);
    }
  }
  if (insert.on_conflict) {  // qp/on_conflict.h
    ASSIGN_OR_RETURN(plan.on_conflict, BindOnConflict(*insert.on_conflict, target, source, binder));
  }
  if (insert.select) {
    RETURN_IF_ERROR(BindInsertQuery(insert, target, targets, source, binder, select_binder, plan));
    return BindReturning(binder, target.scope, nullptr, insert.returning, source, plan);
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
  binder.AllowAggregates(false, "VALUES");  // PostgreSQL's wording for misplaced calls
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
    std::vector<BoundExprPtr> full(target.scope.columns.size());
    for (size_t i = 0; i < targets.size() && !default_values; ++i) {
      if ((*row)[i]) {
        ASSIGN_OR_RETURN(bool use_default, IdentityTakesDefault(insert, target, targets[i]));
        if (use_default) continue;
        ASSIGN_OR_RETURN(full[targets[i]],
                         AssignTo(binder, target, targets[i], *(*row)[i], source));
      }
    }
    for (size_t i = 0; i < full.size(); ++i) {
      if (!full[i]) {
        ASSIGN_OR_RETURN(full[i], DefaultFor(target, static_cast<int>(i)));
      }
    }
    plan.insert_rows.push_back(std::move(full));
  }
  return BindReturning(binder, target.scope, nullptr, insert.returning, source, plan);
}

// The rows an UPDATE or DELETE touches: a scan of `table` filtered by WHERE (with the
// primary-key access path chosen), plus the RETURNING list.
Status BindRowSource(std::unique_ptr<TableInfo> table, const sql::ExprPtr& where,
                     const std::vector<sql::ResultTarget>& returning, const std::string& source,
                     sql::Binder& binder, TablePlan& plan) {
  // The written table is plan.tables[0] (RunDml's target): it goes in before WHERE or
  // RETURNING bind subqueries, which add the tables they read after it.
  const TableInfo& target = *table;
  plan.tables.insert(plan.tables.begin(), std::move(table));
  PlanPtr root = sql::planner::MakeScan(target);
  if (where) {
    binder.AllowAggregates(false, "WHERE");  // PostgreSQL's wording for misplaced calls
    ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindCondition(*where, "WHERE"));
    root = sql::planner::MakeFilter(std::move(root), std::move(bound));
  }
  sql::planner::Optimize(*root);
  plan.plan = std::move(root);
  return BindReturning(binder, target.scope, nullptr, returning, source, plan);
}

// UPDATE ... FROM / DELETE ... USING: the target joined with `items`; SET and RETURNING read
// the joined row (target_columns says where the target's columns are in it).
Status BindJoinedRowSource(std::unique_ptr<TableInfo> table,
                           const std::vector<sql::FromItem>& items, const sql::ExprPtr& where,
                           const std::vector<sql::Assignment>* assignments,
                           const std::vector<sql::ResultTarget>& returning,
                           const std::string& source, sql::Binder& binder,
                           SelectBinder& select_binder, TablePlan& plan) {
  const TableInfo& target = *table;
  plan.tables.push_back(std::move(table));
  BoundFrom from;
  RETURN_IF_ERROR(select_binder.BindDmlFrom(target, items, where, from));
  binder.SetScope(&from.scope);
  binder.AllowAggregates(false, "UPDATE");
  std::set<int> seen;
  static const std::vector<sql::Assignment> kNone;
  for (const sql::Assignment& assignment : assignments ? *assignments : kNone) {
    ASSIGN_OR_RETURN(int column, TargetColumn(target, assignment.column, source));
    if (!seen.insert(column).second) {
      return Positioned(Status::Sql("42601", fmt::format("multiple assignments to same column "
                                                         "\"{}\"",
                                                         assignment.column.name)),
                        source, assignment.column.location);
    }
    if (target.descriptor->IsKeyColumn(target.descriptor->columns[column].id)) {
      return Positioned(Status::Sql("0A000", "updating primary key columns is not supported yet"),
                        source, assignment.column.location);
    }
    BoundExprPtr value;
    if (assignment.value) {
      ASSIGN_OR_RETURN(value, AssignTo(binder, target, column, *assignment.value, source));
      RemapColumns(*value, from.layout);
    } else {
      ASSIGN_OR_RETURN(value, DefaultFor(target, column));
    }
    plan.assignments.emplace_back(column, std::move(value));
  }
  RETURN_IF_ERROR(BindReturning(binder, from.scope, &from.star, returning, source, plan));
  for (BoundExprPtr& expr : plan.returning) RemapColumns(*expr, from.layout);
  for (size_t i = 0; i < target.scope.columns.size(); ++i) {
    plan.target_columns.push_back(from.layout[i]);
  }
  plan.plan = std::move(from.plan);
  return Status::Ok();
}

Status BindUpdate(const sql::UpdateStatement& update, const std::string& source,
                  sql::Binder& binder, SelectBinder& select_binder, txn::KvTransaction& txn,
                  catalog::DescriptorCache& cache, TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(update.table, source, txn, cache, "update"));
  RETURN_IF_ERROR(CheckWritable(*table));
  RETURN_IF_ERROR(
      CheckTargetReads(*table, txn, update.where != nullptr || !update.returning.empty()));
  if (!update.from.empty()) {
    return BindJoinedRowSource(std::move(table), update.from, update.where, &update.assignments,
                               update.returning, source, binder, select_binder, plan);
  }
  binder.SetScope(&table->scope);
  binder.AllowAggregates(false, "UPDATE");  // PostgreSQL's wording for misplaced calls
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
    const catalog::ColumnDescriptor& target_column = table->descriptor->columns[column];
    if (assignment.value && target_column.identity == 'a') {
      return Status::Sql("428C9", fmt::format("column \"{}\" can only be updated to DEFAULT",
                                              target_column.name))
          .WithDetail(fmt::format("Column \"{}\" is an identity column defined as GENERATED "
                                  "ALWAYS.",
                                  target_column.name));
    }
    BoundExprPtr value;
    if (assignment.value) {
      ASSIGN_OR_RETURN(value, AssignTo(binder, *table, column, *assignment.value, source));
    } else {
      ASSIGN_OR_RETURN(value, DefaultFor(*table, column));
    }
    plan.assignments.emplace_back(column, std::move(value));
  }
  return BindRowSource(std::move(table), update.where, update.returning, source, binder, plan);
}

Status BindDelete(const sql::DeleteStatement& remove, const std::string& source,
                  sql::Binder& binder, SelectBinder& select_binder, txn::KvTransaction& txn,
                  catalog::DescriptorCache& cache, TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(remove.table, source, txn, cache, "delete from"));
  RETURN_IF_ERROR(CheckWritable(*table));
  RETURN_IF_ERROR(
      CheckTargetReads(*table, txn, remove.where != nullptr || !remove.returning.empty()));
  if (!remove.using_items.empty()) {
    return BindJoinedRowSource(std::move(table), remove.using_items, remove.where, nullptr,
                               remove.returning, source, binder, select_binder, plan);
  }
  binder.SetScope(&table->scope);
  return BindRowSource(std::move(table), remove.where, remove.returning, source, binder, plan);
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

}  // namespace

Result<ColumnTypeChoice> ChooseColumnType(const sql::ColumnDef& column, const std::string& source) {
  // SERIAL and identity columns are planned by CREATE TABLE (qp/sequence_statements.h) only.
  static const std::set<std::string> kSerialNames = {"serial",  "serial4",     "bigserial",
                                                     "serial8", "smallserial", "serial2"};
  if (column.identity != 0 ||
      (column.type.names.size() == 1 && kSerialNames.count(column.type.names[0]) != 0)) {
    return Positioned(Status::Sql("0A000",
                                  "SERIAL and identity columns are only supported in "
                                  "CREATE TABLE"),
                      source, column.location);
  }
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
    case TypeId::kName:  // stored like text; input is cut to 63 bytes on the way in
    case TypeId::kNumeric:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
    case TypeId::kUuid:
    case TypeId::kJson:  // stored as text (sql/json_functions.h)
    case TypeId::kJsonb:
      break;
    default:
      return Positioned(
          Status::Sql("0A000", fmt::format("columns of type {} are not supported yet",
                                           sql::GetTypeInfo(choice.type).display_name)),
          source, column.type.location);
  }
  // `character` without a length is character(1), as in PostgreSQL.
  // `character` without a length is character(1); `bpchar` is unbounded, as in PostgreSQL.
  if (choice.type == TypeId::kBpchar && !column.type.has_modifiers &&
      column.type.names.back() != "bpchar") {
    choice.typmod = 1 + 4;
  }
  if (column.type.has_modifiers) {
    std::vector<std::string> warnings;  // TIMESTAMP(7): PostgreSQL warns; not reported yet
    Result<int32_t> typmod = sql::TypmodFromModifiers(choice.type, column.type.modifiers, warnings);
    if (!typmod.ok()) return Positioned(typmod.status(), source, column.type.location);
    choice.typmod = *typmod;
  }
  return choice;
}

Result<std::shared_ptr<const TablePlan>> BindTableStatement(
    const sql::Statement& statement, std::shared_ptr<const std::string> source,
    std::vector<TypeId> declared, txn::KvTransaction& txn, catalog::DescriptorCache& cache) {
  auto plan = std::make_shared<TablePlan>();
  plan->kind = statement.kind;
  sql::Binder binder(source, std::move(declared));
  SelectBinder select_binder(*source, binder, txn, cache, *plan);
  binder.SetSubqueryPlanner(&select_binder);
  switch (statement.kind) {
    case sql::StatementKind::kSelect: {
      BoundQuery query;
      RETURN_IF_ERROR(select_binder.BindQuery(statement.As<sql::SelectStatement>(), query));
      plan->plan = std::move(query.plan);
      plan->column_names = std::move(query.column_names);
      plan->column_types = std::move(query.column_types);
      plan->returns_rows = true;
      break;
    }
    case sql::StatementKind::kInsert: {
      const auto& insert = statement.As<sql::InsertStatement>();
      if (insert.with) RETURN_IF_ERROR(select_binder.UseWith(*insert.with));
      RETURN_IF_ERROR(BindInsert(insert, *source, binder, select_binder, txn, cache, *plan));
      break;
    }
    case sql::StatementKind::kUpdate: {
      const auto& update = statement.As<sql::UpdateStatement>();
      if (update.with) RETURN_IF_ERROR(select_binder.UseWith(*update.with));
      RETURN_IF_ERROR(BindUpdate(update, *source, binder, select_binder, txn, cache, *plan));
      break;
    }
    case sql::StatementKind::kDelete: {
      const auto& remove = statement.As<sql::DeleteStatement>();
      if (remove.with) RETURN_IF_ERROR(select_binder.UseWith(*remove.with));
      RETURN_IF_ERROR(BindDelete(remove, *source, binder, select_binder, txn, cache, *plan));
      break;
    }
    default:
      return Status::Internal("not a table statement");
  }
  ASSIGN_OR_RETURN(plan->parameter_types, binder.FinalParameterTypes());
  return std::shared_ptr<const TablePlan>(std::move(plan));
}

Result<DmlResult> RunDml(const TablePlan& plan, txn::KvTransaction& txn, sql::EvalContext eval,
                         const std::function<int64_t()>& next_row_id,
                         sql::planner::ExecutionStats* stats) {
  DmlResult result;
  const TableInfo& table = *plan.tables[0];
  txn.AddCheckKey(catalog::SchemaVersionKey(table.descriptor->id));
  sql::exec::ExecContext context{&txn, eval};
  context.stats = stats;
  sql::exec::AttachSubqueries(context, plan.subplans);
  sql::EvalContext& values = context.eval;
  // Read every source row first: writes never feed back into the scan (INSERT ... SELECT
  // from the same table, UPDATE, DELETE).
  std::vector<sql::exec::Row> sources;
  if (plan.plan) {
    ASSIGN_OR_RETURN(std::unique_ptr<sql::exec::Operator> source,
                     sql::exec::BuildOperator(*plan.plan, context));
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<sql::exec::Row> row, source->Next());
      if (!row) break;
      if (sources.size() >= kMaxDmlSourceRows) {
        return Status::Sql("54000", fmt::format("a statement may write at most {} rows "
                                                "(kMaxDmlSourceRows)",
                                                kMaxDmlSourceRows));
      }
      sources.push_back(std::move(*row));
    }
  }
  if (plan.kind == sql::StatementKind::kInsert) {
    // VALUES rows, or one row of expressions over each row of INSERT ... SELECT.
    size_t count = plan.plan ? sources.size() : plan.insert_rows.size();
    std::set<std::string> touched;  // ON CONFLICT: primary keys written by this statement
    for (size_t r = 0; r < count; ++r) {
      const std::vector<BoundExprPtr>& exprs = plan.insert_rows[plan.plan ? 0 : r];
      values.row = plan.plan ? std::span<const Value>(sources[r]) : std::span<const Value>();
      ASSIGN_OR_RETURN(sql::exec::Row row, EvaluateAll(exprs, values));
      for (size_t i = 0; i < row.size(); ++i) {
        if (table.scope.columns[i].hidden) row[i] = Value::Int(TypeId::kInt8, next_row_id());
      }
      if (plan.on_conflict) {
        ASSIGN_OR_RETURN(std::optional<sql::exec::Row> written,
                         InsertOnConflict(txn, table, *plan.on_conflict, row, values, touched));
        if (!written) continue;
        row = std::move(*written);
      } else {
        RETURN_IF_ERROR(sql::exec::InsertRow(txn, table, row, values.functions));
      }
      ++result.count;
      if (plan.returns_rows) {
        values.row = row;
        ASSIGN_OR_RETURN(sql::exec::Row out, EvaluateAll(plan.returning, values));
        result.rows.push_back(std::move(out));
      }
    }
    return result;
  }
  bool joined = !plan.target_columns.empty();
  std::set<std::string> done;  // joined sources: each target row is changed once
  for (sql::exec::Row& source_row : sources) {
    sql::exec::Row row;
    if (joined) {
      for (int column : plan.target_columns) row.push_back(source_row[column]);
      ASSIGN_OR_RETURN(std::string key, sql::exec::EncodePrimaryKey(table, row));
      if (!done.insert(std::move(key)).second) continue;
    } else {
      row = source_row;
    }
    if (plan.kind == sql::StatementKind::kUpdate) {
      values.row = source_row;
      sql::exec::Row updated = row;
      for (const auto& [column, expr] : plan.assignments) {
        ASSIGN_OR_RETURN(updated[column], sql::Evaluate(*expr, values));
      }
      RETURN_IF_ERROR(sql::exec::UpdateRow(txn, table, row, updated, values.functions));
      row = std::move(updated);
    } else {
      RETURN_IF_ERROR(sql::exec::DeleteRow(txn, table, row));
    }
    ++result.count;
    if (plan.returns_rows) {
      if (joined) {
        for (size_t i = 0; i < plan.target_columns.size(); ++i) {
          source_row[plan.target_columns[i]] = row[i];
        }
        values.row = source_row;
      } else {
        values.row = row;
      }
      ASSIGN_OR_RETURN(sql::exec::Row out, EvaluateAll(plan.returning, values));
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
  // A temporary table goes to the session's schema (qp/temp_tables.h; the session made sure it
  // has one), and only that schema's names can clash with it.
  std::string schema = kPublicSchema;
  if (create.temporary) schema = std::string(TempSchemaOf(txn));
  if (schema.empty() ||
      (!create.temporary && !create.table.schema.empty() && create.table.schema != kPublicSchema)) {
    return Positioned(
        Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", create.table.schema)),
        text, create.table.location);
  }
  ASSIGN_OR_RETURN(auto existing, cache.Lookup(txn, schema, create.table.name));
  bool index_named = false;
  if (!create.temporary) {
    ASSIGN_OR_RETURN(index_named, IsIndexName(txn, create.table));  // qp/index_statements.h
  }
  if (existing || index_named) {
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
  table.schema = schema;
  table.name = create.table.name;
  std::vector<std::string> key_names = create.primary_key;
  int key_location = create.primary_key_location;
  // SERIAL and identity columns: their sequences (qp/sequence_statements.h).
  std::vector<std::pair<std::string, OwnedSequence>> owned_sequences;
  std::set<std::string> sequence_names = {create.table.name};
  for (const sql::ColumnDef& def : create.columns) {
    if (table.FindColumn(def.name) != nullptr) {
      return Positioned(
          Status::Sql("42701", fmt::format("column \"{}\" specified more than once", def.name)),
          text, def.location);
    }
    ASSIGN_OR_RETURN(std::optional<OwnedSequence> owned,
                     PlanOwnedSequence(def, table.name, text, txn, sequence_names));
    // A temporary table's sequences live in its schema too (dropped with it).
    if (owned && create.temporary) owned->sequence.schema = schema;
    ColumnTypeChoice type{owned ? owned->type : TypeId::kInt4, -1};
    if (!owned) {
      ASSIGN_OR_RETURN(type, ChooseColumnType(def, text));
    }
    catalog::ColumnDescriptor column;
    column.id = table.next_column_id++;
    column.name = def.name;
    column.type_oid = static_cast<uint32_t>(type.type);
    column.typmod = type.typmod;
    column.not_null = def.not_null;
    if (owned) {
      column.not_null = true;
      column.identity = owned->identity;
      column.default_expression = owned->default_expression;
      owned_sequences.emplace_back(def.name, std::move(*owned));
    }
    if (def.primary_key) {
      if (!key_names.empty()) {
        return Positioned(Status::Sql("42P16", fmt::format("multiple primary keys for table \"{}\" "
                                                           "are not allowed",
                                                           table.name)),
                          text, def.location);
      }
      key_names.push_back(def.name);
    }
    if (def.default_value && !IsConstantExpression(*def.default_value)) {
      ASSIGN_OR_RETURN(std::string expression, DefaultExpressionText(def, text));
      Result<BoundExprPtr> bound = BindDefaultExpression(expression, type.type, def.name);
      if (!bound.ok()) {
        Status status = bound.status();
        if (status.sqlstate() == "42703" || status.sqlstate() == "42P01") {
          status = Status::Sql("0A000", "cannot use column reference in DEFAULT expression");
        } else if (status.code() == Code::kCorruption || status.sqlstate() == "42601") {
          // The text found is not one expression of the column's type.
          status = Status::Sql("0A000", "this DEFAULT expression is not supported yet");
        }
        return Positioned(std::move(status), text, def.default_value->location);
      }
      column.default_expression = std::move(expression);
    } else if (def.default_value) {
      sql::Binder binder(source, {}, sql::ParameterMode::kFixed);
      TableInfo info;
      info.scope.columns.push_back(sql::ScopeColumn{def.name, type.type, false, ""});
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
  RETURN_IF_ERROR(AddTableConstraints(create, text, txn, table));  // qp/index_statements.h
  table.owner = CreatingRoleOid(txn);                              // qp/roles.h
  ASSIGN_OR_RETURN(catalog::TableDescriptor created, catalog::CreateTable(txn, std::move(table)));
  RETURN_IF_ERROR(CreateOwnedSequences(txn, created, owned_sequences));
  return std::string("CREATE TABLE");
}

Result<std::string> RunDropTable(const sql::DropTableStatement& drop, txn::KvTransaction& txn,
                                 catalog::DescriptorCache& cache, std::vector<Notice>& notices) {
  std::vector<std::shared_ptr<const catalog::TableDescriptor>> tables;
  for (const sql::TableRef& ref : drop.tables) {
    ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
    if (!table) {
      ASSIGN_OR_RETURN(bool is_index, IsIndexName(txn, ref));
      if (is_index) {
        return Status::Sql("42809", fmt::format("\"{}\" is not a table", ref.name))
            .WithHint("Use DROP INDEX to remove an index.");
      }
      ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view, FindView(ref, txn, cache));
      if (view) {
        return Status::Sql("42809", fmt::format("\"{}\" is not a table", ref.name))
            .WithHint("Use DROP VIEW to remove a view.");
      }
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
  std::vector<uint32_t> ids;
  std::vector<std::string> names;
  for (const auto& table : tables) RETURN_IF_ERROR(CheckTableOwner(txn, *table));  // qp/roles.h
  for (const auto& table : tables) {
    ids.push_back(table->id);
    names.push_back(table->name);
  }
  RETURN_IF_ERROR(DropDependentViews(txn, ids, names, "table", drop.cascade, notices));
  for (const auto& table : tables) {
    RETURN_IF_ERROR(catalog::DropTable(txn, *table));
    RETURN_IF_ERROR(DropOwnedSequences(txn, *table));  // SERIAL / identity
  }
  return std::string("DROP TABLE");
}

}  // namespace borealis::qp
