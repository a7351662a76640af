#include "qp/on_conflict.h"

#include <algorithm>

#include "fmt/format.h"
#include "qp/select_binder.h"
#include "sql/exec/constraints.h"
#include "sql/functions.h"
#include "sql/parser.h"

namespace borealis::qp {
namespace {

using sql::BoundExprPtr;
using sql::TypeId;
using sql::Value;
using sql::exec::Row;
using sql::planner::TableInfo;

std::vector<uint32_t> SortedIds(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The arbiters of PostgreSQL's infer_arbiter_indexes.
Status InferArbiters(const sql::OnConflictClause& clause, const TableInfo& table,
                     const std::string& source, OnConflictPlan& plan) {
  const catalog::TableDescriptor& descriptor = *table.descriptor;
  bool hidden_key = descriptor.PrimaryKeyName().empty();
  if (clause.constraint) {
    if (!hidden_key && *clause.constraint == descriptor.PrimaryKeyName()) {
      plan.primary_key = true;
      return Status::Ok();
    }
    for (const catalog::IndexDescriptor& index : descriptor.indexes) {
      if (index.unique && index.constraint && index.name == *clause.constraint) {
        plan.unique_indexes.push_back(index.id);
        return Status::Ok();
      }
    }
    return Status::Sql("42704", fmt::format("constraint \"{}\" for table \"{}\" does not exist",
                                            *clause.constraint, descriptor.name));
  }
  if (clause.target_columns.empty()) {
    if (clause.do_update) {
      return Positioned(Status::Sql("42601",
                                    "ON CONFLICT DO UPDATE requires inference "
                                    "specification or constraint name")
                            .WithHint("For example, ON CONFLICT (column_name)."),
                        source, clause.location);
    }
    plan.primary_key = !hidden_key;
    for (const catalog::IndexDescriptor& index : descriptor.indexes) {
      if (index.unique) plan.unique_indexes.push_back(index.id);
    }
    return Status::Ok();
  }
  std::vector<uint32_t> target;
  for (const sql::NamedColumn& column : clause.target_columns) {
    const catalog::ColumnDescriptor* found = descriptor.FindColumn(column.name);
    if (found == nullptr || found->hidden) {
      return Positioned(
          Status::Sql("42703", fmt::format("column \"{}\" does not exist", column.name)), source,
          column.location);
    }
    if (std::find(target.begin(), target.end(), found->id) == target.end()) {
      target.push_back(found->id);
    }
  }
  target = SortedIds(std::move(target));
  if (!hidden_key && SortedIds(descriptor.primary_key) == target) plan.primary_key = true;
  for (const catalog::IndexDescriptor& index : descriptor.indexes) {
    if (!index.unique) continue;
    std::vector<uint32_t> columns;
    for (const catalog::IndexColumn& column : index.columns) columns.push_back(column.column_id);
    if (SortedIds(std::move(columns)) == target) plan.unique_indexes.push_back(index.id);
  }
  if (!plan.primary_key && plan.unique_indexes.empty()) {
    return Status::Sql("42P10",
                       "there is no unique or exclusion constraint matching the ON CONFLICT "
                       "specification");
  }
  return Status::Ok();
}

// The existing row the proposed `row` conflicts with through one arbiter, if any.
Result<std::optional<Row>> ExistingByPrimaryKey(txn::KvTransaction& txn, const TableInfo& table,
                                                const Row& row) {
  for (int column : table.key_columns) {
    if (row[column].is_null()) return std::optional<Row>();
  }
  ASSIGN_OR_RETURN(std::string key, sql::exec::EncodePrimaryKey(table, row));
  ASSIGN_OR_RETURN(std::optional<std::string> value, txn.Get(key));
  if (!value) return std::optional<Row>();
  ASSIGN_OR_RETURN(Row existing, sql::exec::DecodeTableRow(table, key, *value));
  return std::optional<Row>(std::move(existing));
}

Result<std::optional<Row>> ExistingByIndex(txn::KvTransaction& txn, const TableInfo& table,
                                           const catalog::IndexDescriptor& index, const Row& row) {
  for (const catalog::IndexColumn& column : index.columns) {
    int position = table.descriptor->ColumnIndex(column.column_id);
    BOREALIS_CHECK(position >= 0, column.column_id);
    if (row[position].is_null()) return std::optional<Row>();  // NULLs never conflict
  }
  ASSIGN_OR_RETURN(sql::exec::IndexEntry entry, sql::exec::EncodeIndexEntry(table, index, row));
  ASSIGN_OR_RETURN(std::optional<std::string> value, txn.Get(entry.key));
  if (!value) return std::optional<Row>();
  ASSIGN_OR_RETURN(std::string primary_key,
                   sql::exec::PrimaryKeyOfEntry(table, index, entry.key, *value));
  ASSIGN_OR_RETURN(std::optional<std::string> row_value, txn.Get(primary_key));
  if (!row_value) {
    return Status::Corruption(
        fmt::format("index \"{}\" has an entry for a missing row", index.name));
  }
  ASSIGN_OR_RETURN(Row existing, sql::exec::DecodeTableRow(table, primary_key, *row_value));
  return std::optional<Row>(std::move(existing));
}

}  // namespace

Result<std::shared_ptr<const OnConflictPlan>> BindOnConflict(const sql::OnConflictClause& clause,
                                                             const TableInfo& table,
                                                             const std::string& source,
                                                             sql::Binder& binder) {
  auto plan = std::make_shared<OnConflictPlan>();
  plan->do_update = clause.do_update;
  RETURN_IF_ERROR(InferArbiters(clause, table, source, *plan));
  if (!clause.do_update) return std::shared_ptr<const OnConflictPlan>(std::move(plan));
  // SET and WHERE see the target (by its name or alias) and EXCLUDED, the proposed row.
  sql::Scope scope;
  scope.columns = table.scope.columns;
  for (const sql::ScopeColumn& column : table.scope.columns) {
    sql::ScopeColumn excluded = column;
    excluded.table = "excluded";
    scope.columns.push_back(std::move(excluded));
  }
  binder.SetScope(&scope);
  binder.AllowAggregates(false, "UPDATE");
  std::set<int> seen;
  for (const sql::Assignment& assignment : clause.assignments) {
    int column = -1;
    for (size_t i = 0; i < table.scope.columns.size(); ++i) {
      if (!table.scope.columns[i].hidden && table.scope.columns[i].name == assignment.column.name) {
        column = static_cast<int>(i);
      }
    }
    if (column < 0) {
      return Positioned(
          Status::Sql("42703", fmt::format("column \"{}\" of relation \"{}\" does "
                                           "not exist",
                                           assignment.column.name, table.descriptor->name)),
          source, assignment.column.location);
    }
    if (!seen.insert(column).second) {
      return Positioned(Status::Sql("42601", fmt::format("multiple assignments to same column "
                                                         "\"{}\"",
                                                         assignment.column.name)),
                        source, assignment.column.location);
    }
    if (table.descriptor->IsKeyColumn(table.descriptor->columns[column].id)) {
      return Positioned(Status::Sql("0A000", "updating primary key columns is not supported yet"),
                        source, assignment.column.location);
    }
    TypeId to = table.scope.columns[column].type;
    BoundExprPtr value;
    if (assignment.value) {
      ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*assignment.value));
      TypeId from = bound->type == TypeId::kInvalid ? TypeId::kUnknown : bound->type;
      ASSIGN_OR_RETURN(value, binder.CoerceForAssignment(std::move(bound), to));
      if (!value) {
        return Positioned(
            Status::Sql("42804",
                        fmt::format("column \"{}\" is of type {} but expression is of type {}",
                                    assignment.column.name, sql::GetTypeInfo(to).display_name,
                                    sql::GetTypeInfo(from).display_name))
                .WithHint("You will need to rewrite or cast the expression."),
            source, assignment.value->location);
      }
    } else {
      const catalog::ColumnDescriptor& descriptor = table.descriptor->columns[column];
      if (descriptor.default_expression) {
        return Positioned(Status::Sql("0A000",
                                      "SET column = DEFAULT for a column with a "
                                      "non-constant default in ON CONFLICT DO UPDATE "
                                      "is not supported yet"),
                          source, assignment.column.location);
      }
      Value constant = Value::Null(to);
      if (descriptor.default_text) {
        ASSIGN_OR_RETURN(constant, sql::ParseText(to, *descriptor.default_text));
      }
      value = std::make_unique<sql::BoundExpr>();
      value->kind = sql::BoundKind::kConstant;
      value->type = to;
      value->constant = std::move(constant);
    }
    plan->assignments.emplace_back(column, std::move(value));
  }
  if (clause.where) {
    ASSIGN_OR_RETURN(plan->where, binder.BindCondition(*clause.where, "WHERE"));
  }
  binder.SetScope(nullptr);
  return std::shared_ptr<const OnConflictPlan>(std::move(plan));
}

Result<std::optional<Row>> InsertOnConflict(txn::KvTransaction& txn, const TableInfo& table,
                                            const OnConflictPlan& plan, const Row& input_row,
                                            sql::EvalContext& eval,
                                            std::set<std::string>& touched) {
  Row row = input_row;  // conflicts are found by the values as they would be stored
  RETURN_IF_ERROR(sql::exec::FitToColumns(table, row));
  std::optional<Row> existing;
  if (plan.primary_key) {
    ASSIGN_OR_RETURN(existing, ExistingByPrimaryKey(txn, table, row));
  }
  for (size_t i = 0; !existing && i < plan.unique_indexes.size(); ++i) {
    const catalog::IndexDescriptor* index = table.descriptor->FindIndexById(plan.unique_indexes[i]);
    BOREALIS_CHECK(index != nullptr, plan.unique_indexes[i]);
    ASSIGN_OR_RETURN(existing, ExistingByIndex(txn, table, *index, row));
  }
  if (!existing) {
    RETURN_IF_ERROR(sql::exec::InsertRow(txn, table, row, eval.functions));
    ASSIGN_OR_RETURN(std::string key, sql::exec::EncodePrimaryKey(table, row));
    touched.insert(std::move(key));
    return std::optional<Row>(row);
  }
  ASSIGN_OR_RETURN(std::string key, sql::exec::EncodePrimaryKey(table, *existing));
  bool again = touched.count(key) != 0;
  if (!plan.do_update) return std::optional<Row>();
  if (again) {
    return Status::Sql("21000", "ON CONFLICT DO UPDATE command cannot affect row a second time")
        .WithHint(
            "Ensure that no rows proposed for insertion within the same command have "
            "duplicate constrained values.");
  }
  // WHERE and SET read the existing row followed by EXCLUDED.
  Row both = *existing;
  both.insert(both.end(), row.begin(), row.end());
  std::span<const Value> saved = eval.row;
  eval.row = both;
  if (plan.where) {
    Result<Value> pass = sql::Evaluate(*plan.where, eval);
    if (!pass.ok()) {
      eval.row = saved;
      return pass.status();
    }
    if (pass->is_null() || !pass->bool_value()) {
      eval.row = saved;
      return std::optional<Row>();
    }
  }
  Row updated = *existing;
  for (const auto& [column, expr] : plan.assignments) {
    Result<Value> value = sql::Evaluate(*expr, eval);
    if (!value.ok()) {
      eval.row = saved;
      return value.status();
    }
    updated[column] = std::move(*value);
  }
  eval.row = saved;
  RETURN_IF_ERROR(sql::exec::UpdateRow(txn, table, *existing, updated, eval.functions));
  touched.insert(std::move(key));
  return std::optional<Row>(std::move(updated));
}

}  // namespace borealis::qp
