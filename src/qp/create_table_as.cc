// CREATE TABLE AS / SELECT INTO: a CREATE TABLE built from the query's result columns, then an
// INSERT ... SELECT of the same query.
#include "qp/create_table_as.h"

#include "fmt/format.h"
#include "qp/select_binder.h"
#include "qp/table_statements.h"
#include "sql/types.h"

namespace borealis::qp {

Result<std::string> RunCreateTableAs(const sql::CreateTableStatement& create,
                                     std::shared_ptr<const std::string> source,
                                     txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                     std::vector<Notice>& notices, sql::EvalContext eval,
                                     const std::function<int64_t()>& next_row_id) {
  BOREALIS_CHECK(create.as_query != nullptr);
  ASSIGN_OR_RETURN(std::shared_ptr<const TablePlan> query,
                   BindTableStatement(*create.as_query, source, {}, txn, cache));
  if (!query->parameter_types.empty()) return Status::Sql("42P02", "there is no parameter $1");
  if (create.columns.size() > query->column_names.size()) {
    return Status::Sql("42601", "too many column names were specified");
  }
  if (create.if_not_exists) {
    ASSIGN_OR_RETURN(auto existing, FindTable(create.table, txn, cache));
    if (existing) {
      notices.push_back(Notice{
          "NOTICE", "42P07",
          fmt::format("relation \"{}\" already exists, skipping", create.table.name), "", ""});
      return std::string("CREATE TABLE AS");
    }
  }
  sql::CreateTableStatement table;
  table.table = create.table;
  for (size_t i = 0; i < query->column_names.size(); ++i) {
    sql::ColumnDef column;
    column.name = i < create.columns.size() ? create.columns[i].name : query->column_names[i];
    // "bpchar" without a length is unbounded (not character(1)), as in PostgreSQL.
    // An unknown-typed literal becomes text, as in PostgreSQL.
    sql::TypeId type = query->column_types[i];
    if (type == sql::TypeId::kUnknown) type = sql::TypeId::kText;
    column.type.names = {"pg_catalog", std::string(sql::GetTypeInfo(type).name)};
    table.columns.push_back(std::move(column));
  }
  RETURN_IF_ERROR(RunCreateTable(table, source, txn, cache, notices).status());
  if (!create.with_data) return std::string("CREATE TABLE AS");
  sql::InsertStatement insert;
  insert.table = create.table;
  insert.select = create.as_query;
  ASSIGN_OR_RETURN(std::shared_ptr<const TablePlan> plan,
                   BindTableStatement(insert, source, {}, txn, cache));
  ASSIGN_OR_RETURN(DmlResult written, RunDml(*plan, txn, eval, next_row_id));
  return fmt::format("SELECT {}", written.count);
}

}  // namespace borealis::qp
