#include "qp/explain_statement.h"

#include "fmt/format.h"
#include "qp/create_table_as.h"
#include "qp/select_binder.h"
#include "sql/exec/executor.h"
#include "sql/planner/explain.h"

namespace borealis::qp {

namespace {

using sql::planner::ExecutionStats;
using sql::planner::ExplainTarget;
using sql::planner::NodeStats;

std::string ModifyLabel(const TablePlan& plan) {
  const char* verb = plan.kind == sql::StatementKind::kInsert   ? "Insert"
                     : plan.kind == sql::StatementKind::kUpdate ? "Update"
                                                                : "Delete";
  const sql::planner::TableInfo& table = *plan.tables[0];
  std::string label = std::string(verb) + " on " + table.descriptor->name;
  if (!table.scope.table_name.empty() && table.scope.table_name != table.descriptor->name) {
    label += " " + table.scope.table_name;
  }
  return label;
}

// Reads every row of a query, counting each node's rows into `stats`.
Status RunQuery(const TablePlan& plan, txn::KvTransaction& txn, sql::EvalContext eval,
                ExecutionStats& stats) {
  sql::exec::ExecContext context{&txn, eval};
  context.stats = &stats;
  sql::exec::AttachSubqueries(context, plan.subplans);
  ASSIGN_OR_RETURN(std::unique_ptr<sql::exec::Operator> op,
                   sql::exec::BuildOperator(*plan.plan, context));
  for (;;) {
    if (eval.functions != nullptr) RETURN_IF_ERROR(eval.functions->CheckCancel());
    ASSIGN_OR_RETURN(std::optional<sql::exec::Row> row, op->Next());
    if (!row) return Status::Ok();
  }
}

}  // namespace

Result<std::vector<std::string>> ExplainTableStatement(
    const TablePlan& plan, const sql::ExplainOptions& options, txn::KvTransaction& txn,
    sql::EvalContext eval, const std::function<int64_t()>& next_row_id) {
  ExplainTarget target;
  target.plan = plan.plan.get();
  target.subplans = plan.subplans;
  bool is_query = plan.kind == sql::StatementKind::kSelect;
  if (!is_query) {
    target.modify = ModifyLabel(plan);
    target.values_rows = plan.insert_rows.size();
  }
  if (!options.analyze) return sql::planner::PrintPlan(target, options, nullptr);
  ExecutionStats stats;
  if (is_query) {
    RETURN_IF_ERROR(RunQuery(plan, txn, eval, stats));
  } else {
    ASSIGN_OR_RETURN(DmlResult result, RunDml(plan, txn, eval, next_row_id, &stats));
    target.modify_stats = NodeStats{result.rows.size(), 1};
    if (target.plan == nullptr) target.values_stats = NodeStats{plan.insert_rows.size(), 1};
  }
  return sql::planner::PrintPlan(target, options, &stats);
}

Result<std::vector<std::string>> ExplainSelectWithoutTables(const sql::BoundSelect& select,
                                                            const sql::ExplainOptions& options,
                                                            sql::EvalContext eval) {
  ExplainTarget target;
  target.values_rows = select.rows.size();
  if (options.verbose && !select.rows.empty()) {
    for (const sql::BoundExprPtr& expr : select.rows[0]) {
      target.values_output.push_back(sql::planner::DeparseExpr(*expr, {}));
    }
  }
  if (!options.analyze) return sql::planner::PrintPlan(target, options, nullptr);
  for (const auto& row : select.rows) {
    for (const sql::BoundExprPtr& expr : row) {
      ASSIGN_OR_RETURN(sql::Value value, sql::Evaluate(*expr, eval));
      (void)value;
    }
  }
  target.values_stats = NodeStats{select.rows.size(), 1};
  ExecutionStats stats;
  return sql::planner::PrintPlan(target, options, &stats);
}

Result<std::vector<std::string>> ExplainCreateTableAs(
    const sql::CreateTableStatement& create, std::shared_ptr<const std::string> source,
    const sql::ExplainOptions& options, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
    std::vector<Notice>& notices, sql::EvalContext eval,
    const std::function<int64_t()>& next_row_id) {
  if (create.temporary) {
    return Status::Sql("0A000", "EXPLAIN of CREATE TEMPORARY TABLE AS is not supported yet");
  }
  ASSIGN_OR_RETURN(auto existing, FindTable(create.table, txn, cache));
  if (existing) {
    if (!create.if_not_exists) {
      return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", create.table.name));
    }
    notices.push_back(
        Notice{"NOTICE", "42P07",
               fmt::format("relation \"{}\" already exists, skipping", create.table.name), "", ""});
    return std::vector<std::string>{};
  }
  if (!options.analyze) {
    ASSIGN_OR_RETURN(std::shared_ptr<const TablePlan> query,
                     BindTableStatement(*create.as_query, source, {}, txn, cache));
    return ExplainTableStatement(*query, options, txn, eval, next_row_id);
  }
  // Create the table without rows, then fill it through an INSERT ... SELECT whose query is
  // the plan printed.
  sql::CreateTableStatement empty;
  empty.table = create.table;
  for (const sql::ColumnDef& column : create.columns) {  // CTAS columns are names only
    sql::ColumnDef name;
    name.name = column.name;
    empty.columns.push_back(std::move(name));
  }
  empty.as_query = create.as_query;
  empty.with_data = false;
  RETURN_IF_ERROR(RunCreateTableAs(empty, source, txn, cache, notices, eval, next_row_id).status());
  sql::InsertStatement insert;
  insert.table = create.table;
  insert.select = create.as_query;
  ASSIGN_OR_RETURN(std::shared_ptr<const TablePlan> plan,
                   BindTableStatement(insert, source, {}, txn, cache));
  ExplainTarget target;
  target.plan = plan->plan.get();
  target.subplans = plan->subplans;
  ExecutionStats stats;
  if (create.with_data) {
    RETURN_IF_ERROR(RunDml(*plan, txn, eval, next_row_id, &stats).status());
  }
  return sql::planner::PrintPlan(target, options, &stats);
}

}  // namespace borealis::qp
