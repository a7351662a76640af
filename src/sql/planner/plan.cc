#include "sql/planner/plan.h"

#include "fmt/format.h"
#include "sql/functions.h"
#include "sql/planner/checks.h"
#include "sql/planner/index_selection.h"

namespace borealis::sql::planner {
namespace {

bool ReferencesRow(const BoundExpr& expr) {
  if (expr.kind == BoundKind::kColumn) return true;
  // A correlated subquery may read this query's row (children of ANY compare their own row).
  if (expr.kind == BoundKind::kSubquery) {
    if (expr.correlated) return true;
    for (size_t i = 0; i + 1 < expr.children.size(); ++i) {
      if (ReferencesRow(*expr.children[i])) return true;
    }
    return false;
  }
  for (const BoundExprPtr& child : expr.children) {
    if (ReferencesRow(*child)) return true;
  }
  return false;
}

void CollectConjuncts(BoundExpr& expr, std::vector<BoundExpr*>& out) {
  if (expr.kind == BoundKind::kAnd) {
    for (BoundExprPtr& child : expr.children) CollectConjuncts(*child, out);
    return;
  }
  out.push_back(&expr);
}

// The column a key-comparison side names: a column, or a varchar column read as text (the
// same bytes in the key encoding).
int KeySideColumn(const BoundExpr& expr, const TableInfo& table) {
  if (expr.kind == BoundKind::kColumn) return expr.column_index;
  if (expr.kind == BoundKind::kCast && expr.type == TypeId::kText &&
      expr.children[0]->kind == BoundKind::kColumn && expr.children[0]->type == TypeId::kVarchar) {
    (void)table;
    return expr.children[0]->column_index;
  }
  return -1;
}

// Whether `=` between the column's type and `value_type` can use the key: same type, or both
// integers (the executor converts and treats out-of-range as no match).
bool KeyComparable(TypeId column_type, TypeId value_type, const BoundExpr& column_side) {
  if (column_side.kind == BoundKind::kCast) return value_type == TypeId::kText;
  if (column_type == value_type) return true;
  return IsIntegerType(column_type) && IsIntegerType(value_type);
}

void ChooseAccessPath(PlanNode& filter, PlanNode& scan) {
  const TableInfo& table = *scan.table;
  std::vector<BoundExpr*> conjuncts;
  CollectConjuncts(*filter.predicate, conjuncts);
  std::vector<const BoundExpr*> fixed(table.key_columns.size(), nullptr);
  for (BoundExpr* conjunct : conjuncts) {
    if (conjunct->kind != BoundKind::kFunction || conjunct->function == nullptr ||
        conjunct->function->name != "=" || conjunct->children.size() != 2) {
      continue;
    }
    for (int side = 0; side < 2; ++side) {
      const BoundExpr& column_side = *conjunct->children[side];
      const BoundExpr& value_side = *conjunct->children[1 - side];
      int column = KeySideColumn(column_side, table);
      if (column < 0 || ReferencesRow(value_side)) continue;
      if (!KeyComparable(table.scope.columns[column].type, value_side.type, column_side)) continue;
      for (size_t k = 0; k < table.key_columns.size(); ++k) {
        if (table.key_columns[k] == column && fixed[k] == nullptr) fixed[k] = &value_side;
      }
    }
  }
  size_t leading = 0;
  while (leading < fixed.size() && fixed[leading] != nullptr) ++leading;
  if (leading == 0) return;
  scan.access = leading == fixed.size() ? AccessKind::kPointGet : AccessKind::kPrefixRange;
  for (size_t k = 0; k < leading; ++k) scan.key_values.push_back(CopyExpr(*fixed[k]));
}

void ExplainInto(const PlanNode& node, int depth, std::string& out) {
  std::string line(static_cast<size_t>(depth) * 2, ' ');
  switch (node.kind) {
    case PlanKind::kScan: {
      const char* access = node.access == AccessKind::kPointGet      ? "point get"
                           : node.access == AccessKind::kPrefixRange ? "prefix range"
                           : node.access == AccessKind::kIndexScan   ? "index scan"
                                                                     : "full scan";
      line += fmt::format("Scan {} {}", node.table->descriptor->name, access);
      if (node.index != nullptr) {
        line += fmt::format(" {}", node.index->name);
        if (node.range_lower || node.range_upper) line += " (range)";
        if (node.index_reverse) line += " backward";
      }
      if (!node.key_values.empty())
        line += fmt::format(" ({} key columns)", node.key_values.size());
      break;
    }
    case PlanKind::kOneRow:
      line += "OneRow";
      break;
    case PlanKind::kFilter:
      line += "Filter";
      break;
    case PlanKind::kAggregate:
      line += fmt::format("Aggregate ({} keys, {} aggregates)", node.group_keys.size(),
                          node.aggregates.size());
      break;
    case PlanKind::kDistinct:
      line += "Distinct";
      break;
    case PlanKind::kJoin:
      line += node.join_type == JoinType::kLeft    ? "Left "
              : node.join_type == JoinType::kRight ? "Right "
              : node.join_type == JoinType::kFull  ? "Full "
                                                   : "";
      line += node.lateral              ? "Lateral nested loop join"
              : !node.left_keys.empty() ? "Hash join"
              : node.predicate          ? "Nested loop join"
                                        : "Nested loop cross join";
      break;
    case PlanKind::kSetOperation:
      line += node.set_operation == SetOperation::kUnion       ? "Union"
              : node.set_operation == SetOperation::kIntersect ? "Intersect"
                                                               : "Except";
      if (node.set_all) line += " All";
      break;
    case PlanKind::kLockRows:
      line += "LockRows";
      break;
    case PlanKind::kProject:
      line += fmt::format("Project ({} columns)", node.outputs.size());
      break;
    case PlanKind::kSort:
      line += fmt::format("Sort ({} keys)", node.sort_keys.size());
      break;
    case PlanKind::kLimit:
      line += "Limit";
      break;
    case PlanKind::kValues:
      line += fmt::format("Values ({} rows)", node.values_rows.size());
      break;
    case PlanKind::kSubqueryScan:
      line += node.reads_lateral_row ? "Subquery scan (lateral)" : "Subquery scan";
      break;
    case PlanKind::kRecursiveUnion:
      line += node.set_all ? "Recursive union all" : "Recursive union";
      break;
    case PlanKind::kWorkTableScan:
      line += "Work table scan";
      break;
    case PlanKind::kWindow:
      line += fmt::format("Window ({} functions)", node.windows.size());
      break;
    case PlanKind::kProjectSet:
      line += fmt::format("ProjectSet ({} functions)", node.set_functions.size());
      break;
    case PlanKind::kFunctionScan:
      line += fmt::format("Function scan ({} functions)", node.set_functions.size());
      break;
  }
  out += line + "\n";
  if (node.child) ExplainInto(*node.child, depth + 1, out);
  if (node.right) ExplainInto(*node.right, depth + 1, out);
}

}  // namespace

Result<TableInfo> MakeTableInfo(std::shared_ptr<const catalog::TableDescriptor> descriptor,
                                std::string scope_name) {
  TableInfo info;
  info.scope.table_name = std::move(scope_name);
  for (const catalog::ColumnDescriptor& column : descriptor->columns) {
    std::optional<TypeId> type = TypeFromOid(column.type_oid);
    Result<encoding::ColumnType> column_type = catalog::ColumnTypeForOid(column.type_oid);
    if (!type || !column_type.ok()) {
      return Status::Sql("0A000",
                         fmt::format("column type oid {} is not supported yet", column.type_oid));
    }
    info.scope.columns.push_back(
        ScopeColumn{column.name, *type, column.hidden, info.scope.table_name});
    if (info.scope.table_name != descriptor->name) {
      info.scope.columns.back().relation = descriptor->name;
    }
    info.column_types.push_back(*column_type);
  }
  info.primary_index.id = catalog::kPrimaryIndexId;
  info.primary_index.name = descriptor->PrimaryKeyName();
  info.primary_index.unique = true;
  for (uint32_t id : descriptor->primary_key) {
    info.key_columns.push_back(descriptor->ColumnIndex(id));
    info.primary_index.columns.push_back(catalog::IndexColumn{id, false, false});
  }
  if (!descriptor->checks.empty()) {
    ASSIGN_OR_RETURN(info.checks, BindChecks(*descriptor, info.scope));
  }
  info.descriptor = std::move(descriptor);
  return info;
}

BoundExprPtr CopyExpr(const BoundExpr& expr) { return CopyBoundExpr(expr); }

PlanPtr MakeScan(const TableInfo& table) {
  auto scan = std::make_unique<PlanNode>(PlanKind::kScan);
  scan->table = &table;
  return scan;
}

PlanPtr MakeFilter(PlanPtr child, BoundExprPtr predicate) {
  auto filter = std::make_unique<PlanNode>(PlanKind::kFilter);
  filter->child = std::move(child);
  filter->predicate = std::move(predicate);
  return filter;
}

void Optimize(PlanNode& root) {
  for (PlanNode* node = &root; node != nullptr; node = node->child.get()) {
    if (node->right) Optimize(*node->right);
    if (node->kind == PlanKind::kFilter && node->child && node->child->kind == PlanKind::kScan &&
        node->child->access == AccessKind::kFullScan) {
      ChooseAccessPath(*node, *node->child);
      if (node->child->access == AccessKind::kFullScan) ChooseIndexAccess(*node, *node->child);
    }
  }
  ChooseOrderedIndexScan(root);
}

std::string Explain(const PlanNode& root) {
  std::string out;
  ExplainInto(root, 0, out);
  return out;
}

}  // namespace borealis::sql::planner
