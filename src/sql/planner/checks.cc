#include "sql/planner/checks.h"

#include <algorithm>

#include "fmt/format.h"
#include "sql/parser.h"

namespace borealis::sql::planner {

Result<BoundExprPtr> BindCheckText(const std::string& text, const Scope& scope) {
  ASSIGN_OR_RETURN(ParseResult parsed, Parse("SELECT (" + text + ")"));
  if (parsed.statements.size() != 1 || !parsed.statements[0].statement ||
      parsed.statements[0].statement->kind != StatementKind::kSelect) {
    return Status::Sql("42601", "a CHECK condition must be one expression");
  }
  RETURN_IF_ERROR(parsed.statements[0].error);
  const auto& select = parsed.statements[0].statement->As<SelectStatement>();
  if (select.targets.size() != 1 || !select.from.empty() || select.has_subqueries ||
      select.calls_aggregates) {
    return Status::Sql("0A000", "this CHECK condition is not supported yet");
  }
  Binder binder(parsed.source, {}, ParameterMode::kFixed);
  binder.SetScope(&scope);
  return binder.BindCondition(*select.targets[0].expr, "CHECK");
}

Result<std::vector<CheckInfo>> BindChecks(const catalog::TableDescriptor& table,
                                          const Scope& scope) {
  std::vector<CheckInfo> checks;
  for (const catalog::CheckConstraint& check : table.checks) {
    Result<BoundExprPtr> bound = BindCheckText(check.expression, scope);
    if (!bound.ok()) {
      return Status::Corruption(fmt::format("check constraint \"{}\" does not bind: {}", check.name,
                                            bound.status().ToString()));
    }
    checks.push_back(CheckInfo{check.name, std::shared_ptr<const BoundExpr>(std::move(*bound))});
  }
  // PostgreSQL evaluates (and so reports) CHECK constraints in name order.
  std::sort(checks.begin(), checks.end(),
            [](const CheckInfo& a, const CheckInfo& b) { return a.name < b.name; });
  return checks;
}

}  // namespace borealis::sql::planner
