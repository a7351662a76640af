#include "sql/planner/index_selection.h"

#include "sql/functions.h"

namespace borealis::sql::planner {
namespace {

bool ReferencesRow(const BoundExpr& expr) {
  if (expr.kind == BoundKind::kColumn) return true;
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

void CollectConjuncts(const BoundExpr& expr, std::vector<const BoundExpr*>& out) {
  if (expr.kind == BoundKind::kAnd) {
    for (const BoundExprPtr& child : expr.children) CollectConjuncts(*child, out);
    return;
  }
  out.push_back(&expr);
}

// The column a comparison side names: a column, or a varchar column read as text (the same
// bytes in the key encoding); -1 otherwise.
int SideColumn(const BoundExpr& expr) {
  if (expr.kind == BoundKind::kColumn) return expr.column_index;
  if (expr.kind == BoundKind::kCast && expr.type == TypeId::kText &&
      expr.children[0]->kind == BoundKind::kColumn && expr.children[0]->type == TypeId::kVarchar) {
    return expr.children[0]->column_index;
  }
  return -1;
}

bool Comparable(TypeId column_type, TypeId value_type, const BoundExpr& column_side) {
  if (column_side.kind == BoundKind::kCast) return value_type == TypeId::kText;
  if (column_type == value_type) return column_type != TypeId::kUnknown;
  return IsIntegerType(column_type) && IsIntegerType(value_type);
}

// One usable comparison: column `op` value, with op normalised so the column is on the left.
struct Comparison {
  int column = -1;
  std::string op;  // "=", "<", "<=", ">", ">="
  const BoundExpr* value = nullptr;
};

std::string Mirror(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

std::vector<Comparison> UsableComparisons(const BoundExpr& predicate, const TableInfo& table) {
  std::vector<const BoundExpr*> conjuncts;
  CollectConjuncts(predicate, conjuncts);
  std::vector<Comparison> out;
  for (const BoundExpr* conjunct : conjuncts) {
    if (conjunct->kind != BoundKind::kFunction || conjunct->function == nullptr ||
        conjunct->children.size() != 2) {
      continue;
    }
    std::string name(conjunct->function->name);
    if (name != "=" && name != "<" && name != "<=" && name != ">" && name != ">=") continue;
    for (int side = 0; side < 2; ++side) {
      const BoundExpr& column_side = *conjunct->children[side];
      const BoundExpr& value_side = *conjunct->children[1 - side];
      int column = SideColumn(column_side);
      if (column < 0 || ReferencesRow(value_side)) continue;
      if (!Comparable(table.scope.columns[column].type, value_side.type, column_side)) continue;
      out.push_back(Comparison{column, side == 0 ? name : Mirror(name), &value_side});
      break;
    }
  }
  return out;
}

// The primary key (as an index), then the secondary indexes.
std::vector<const catalog::IndexDescriptor*> Indexes(const TableInfo& table) {
  std::vector<const catalog::IndexDescriptor*> out = {&table.primary_index};
  for (const catalog::IndexDescriptor& index : table.descriptor->indexes) out.push_back(&index);
  return out;
}

struct Candidate {
  const catalog::IndexDescriptor* index = nullptr;
  std::vector<const BoundExpr*> equal;
  const Comparison* lower = nullptr;
  const Comparison* upper = nullptr;

  bool Better(const Candidate& other) const {
    if (equal.size() != other.equal.size()) return equal.size() > other.equal.size();
    bool range = lower != nullptr || upper != nullptr;
    bool other_range = other.lower != nullptr || other.upper != nullptr;
    if (range != other_range) return range;
    bool primary = index->id == catalog::kPrimaryIndexId;  // no fetch per row
    if (primary != (other.index->id == catalog::kPrimaryIndexId)) return primary;
    return index->unique && !other.index->unique;
  }
};

Candidate Evaluate(const catalog::IndexDescriptor& index, const TableInfo& table,
                   const std::vector<Comparison>& comparisons) {
  Candidate candidate;
  candidate.index = &index;
  for (const catalog::IndexColumn& column : index.columns) {
    int position = table.descriptor->ColumnIndex(column.column_id);
    const Comparison* equal = nullptr;
    for (const Comparison& comparison : comparisons) {
      if (comparison.column == position && comparison.op == "=") {
        equal = &comparison;
        break;
      }
    }
    if (equal != nullptr) {
      candidate.equal.push_back(equal->value);
      continue;
    }
    for (const Comparison& comparison : comparisons) {
      if (comparison.column != position) continue;
      if ((comparison.op == ">" || comparison.op == ">=") && candidate.lower == nullptr) {
        candidate.lower = &comparison;
      }
      if ((comparison.op == "<" || comparison.op == "<=") && candidate.upper == nullptr) {
        candidate.upper = &comparison;
      }
    }
    break;
  }
  return candidate;
}

}  // namespace

void ChooseIndexAccess(PlanNode& filter, PlanNode& scan) {
  BOREALIS_CHECK(filter.child.get() == &scan && scan.kind == PlanKind::kScan);
  const TableInfo& table = *scan.table;
  if (table.virtual_table || table.primary_index.columns.empty() || !filter.predicate) return;
  std::vector<Comparison> comparisons = UsableComparisons(*filter.predicate, table);
  if (comparisons.empty()) return;
  std::optional<Candidate> best;
  for (const catalog::IndexDescriptor* index : Indexes(table)) {
    Candidate candidate = Evaluate(*index, table, comparisons);
    if (candidate.equal.empty() && candidate.lower == nullptr && candidate.upper == nullptr) {
      continue;
    }
    if (!best || candidate.Better(*best)) best = candidate;
  }
  if (!best) return;
  scan.access = AccessKind::kIndexScan;
  scan.index = best->index;
  for (const BoundExpr* value : best->equal) scan.key_values.push_back(CopyExpr(*value));
  if (best->lower != nullptr) {
    scan.range_lower = CopyExpr(*best->lower->value);
    scan.range_lower_inclusive = best->lower->op == ">=";
  }
  if (best->upper != nullptr) {
    scan.range_upper = CopyExpr(*best->upper->value);
    scan.range_upper_inclusive = best->upper->op == "<=";
  }
}

namespace {

// Whether `keys` sort like `index` read forwards (reverse = false) or backwards, starting at
// index column `first`.
bool SortMatches(const std::vector<SortKey>& keys, const TableInfo& table,
                 const catalog::IndexDescriptor& index, size_t first, bool reverse) {
  if (first + keys.size() > index.columns.size()) return false;
  for (size_t i = 0; i < keys.size(); ++i) {
    const BoundExpr& expr = *keys[i].expr;
    if (expr.kind != BoundKind::kColumn) return false;
    const catalog::IndexColumn& column = index.columns[first + i];
    if (table.descriptor->ColumnIndex(column.column_id) != expr.column_index) return false;
    if (keys[i].descending != (column.descending != reverse)) return false;
    if (keys[i].nulls_first != (column.nulls_first != reverse)) return false;
  }
  return true;
}

// Makes `scan` read `index` in the order of `keys` if it can; true when it does.
bool UseIndexOrder(const std::vector<SortKey>& keys, PlanNode& scan) {
  const TableInfo& table = *scan.table;
  if (table.virtual_table || table.primary_index.columns.empty()) return false;
  for (const catalog::IndexDescriptor* candidate : Indexes(table)) {
    const catalog::IndexDescriptor& index = *candidate;
    if (scan.access == AccessKind::kIndexScan && scan.index != &index) continue;
    if (scan.access != AccessKind::kIndexScan && scan.access != AccessKind::kFullScan) continue;
    std::vector<size_t> starts = {0};
    if (!scan.key_values.empty()) starts.push_back(scan.key_values.size());
    for (size_t first : starts) {
      for (bool reverse : {false, true}) {
        if (!SortMatches(keys, table, index, first, reverse)) continue;
        scan.access = AccessKind::kIndexScan;
        scan.index = &index;
        scan.index_reverse = reverse;
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void ChooseOrderedIndexScan(PlanNode& root) {
  PlanNode* parent = nullptr;
  bool limited = false;
  for (PlanNode* node = &root; node != nullptr; parent = node, node = node->child.get()) {
    if (node->kind == PlanKind::kLimit) limited = true;
    if (node->kind != PlanKind::kSort) {
      if (node->kind == PlanKind::kLimit || node->kind == PlanKind::kDistinct ||
          node->kind == PlanKind::kProject) {
        continue;
      }
      return;
    }
    if (!limited || parent == nullptr || !node->child) return;
    PlanNode* scan = node->child.get();
    if (scan->kind == PlanKind::kFilter && scan->child) scan = scan->child.get();
    if (scan->kind != PlanKind::kScan || scan->table == nullptr) return;
    if (!UseIndexOrder(node->sort_keys, *scan)) return;
    parent->child = std::move(node->child);  // the rows arrive sorted
    return;
  }
}

}  // namespace borealis::sql::planner
