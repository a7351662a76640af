#include "sql/planner/explain.h"

#include <algorithm>
#include <map>

#include "fmt/format.h"
#include "sql/functions.h"
#include "sql/set_functions.h"
#include "sql/types.h"

namespace borealis::sql::planner {
namespace {

// EXPLAIN prints at most this many lines; a deeper plan is cut with a marker line.
constexpr size_t kMaxPlanLines = 100'000;

std::string TypeName(TypeId type) { return std::string(GetTypeInfo(type).display_name); }

std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string DeparseConstant(const Value& value, TypeId type) {
  if (value.is_null()) return "NULL::" + TypeName(type);
  std::string text = FormatText(value, OutputOptions{});
  switch (value.type()) {
    case TypeId::kBool:
      return text == "t" ? "true" : "false";
    case TypeId::kInt4:
    case TypeId::kNumeric:
      if (!text.empty() && text[0] != '-') return text;
      break;
    default:
      break;
  }
  return Quote(text) + "::" + TypeName(value.type());
}

std::string AggregateName(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return "count";
    case AggregateKind::kSum:
      return "sum";
    case AggregateKind::kAvg:
      return "avg";
    case AggregateKind::kMin:
      return "min";
    case AggregateKind::kMax:
      return "max";
    case AggregateKind::kStringAgg:
      return "string_agg";
    case AggregateKind::kArrayAgg:
      return "array_agg";
    case AggregateKind::kJsonAgg:
      return "json_agg";
    case AggregateKind::kJsonObjectAgg:
      return "json_object_agg";
  }
  return "?";
}

std::string WindowName(WindowFunction function) {
  switch (function) {
    case WindowFunction::kRowNumber:
      return "row_number";
    case WindowFunction::kRank:
      return "rank";
    case WindowFunction::kDenseRank:
      return "dense_rank";
  }
  return "?";
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

class Deparser {
 public:
  explicit Deparser(std::span<const std::string> columns) : columns_(columns) {}

  std::string Print(const BoundExpr& e) {
    auto child = [&](size_t i) { return Print(*e.children[i]); };
    auto all = [&](size_t from = 0) {
      std::vector<std::string> parts;
      for (size_t i = from; i < e.children.size(); ++i) parts.push_back(child(i));
      return parts;
    };
    switch (e.kind) {
      case BoundKind::kConstant:
        return DeparseConstant(e.constant, e.type);
      case BoundKind::kParam:
        return fmt::format("${}", e.param_index + 1);
      case BoundKind::kCast:
        return fmt::format("({})::{}", child(0), TypeName(e.type));
      case BoundKind::kFunction: {
        std::string_view name = e.function != nullptr ? e.function->name : "?";
        if (e.function != nullptr && e.function->is_operator) {
          if (e.children.size() == 2) return fmt::format("({} {} {})", child(0), name, child(1));
          if (e.children.size() == 1) return fmt::format("({} {})", name, child(0));
        }
        return fmt::format("{}({})", name, Join(all(), ", "));
      }
      case BoundKind::kAnd:
        return "(" + Join(all(), " AND ") + ")";
      case BoundKind::kOr:
        return "(" + Join(all(), " OR ") + ")";
      case BoundKind::kNot:
        return fmt::format("(NOT {})", child(0));
      case BoundKind::kIsNull:
        return fmt::format("({} IS NULL)", child(0));
      case BoundKind::kIsNotNull:
        return fmt::format("({} IS NOT NULL)", child(0));
      case BoundKind::kBooleanTest: {
        const char* what = e.boolean_test == BooleanTestKind::kTrue    ? "TRUE"
                           : e.boolean_test == BooleanTestKind::kFalse ? "FALSE"
                                                                       : "UNKNOWN";
        return fmt::format("({} IS {}{})", child(0), e.negate ? "NOT " : "", what);
      }
      case BoundKind::kDistinct:
        return fmt::format("({} IS {}DISTINCT FROM {})", child(0), e.negate ? "NOT " : "",
                           child(1));
      case BoundKind::kNullIf:
        return fmt::format("NULLIF({}, {})", child(0), child(1));
      case BoundKind::kCase: {
        std::string out = "CASE";
        size_t pairs = (e.children.size() - (e.has_else ? 1 : 0)) / 2;
        for (size_t i = 0; i < pairs; ++i) {
          out += fmt::format(" WHEN {} THEN {}", child(2 * i), child(2 * i + 1));
        }
        if (e.has_else) out += " ELSE " + child(e.children.size() - 1);
        return out + " END";
      }
      case BoundKind::kCoalesce:
        return "COALESCE(" + Join(all(), ", ") + ")";
      case BoundKind::kMinMax:
        return std::string(e.greatest ? "GREATEST(" : "LEAST(") + Join(all(), ", ") + ")";
      case BoundKind::kColumn:
        if (e.column_index >= 0 && static_cast<size_t>(e.column_index) < columns_.size()) {
          return columns_[static_cast<size_t>(e.column_index)];
        }
        return fmt::format("$c{}", e.column_index);
      case BoundKind::kAggregate: {
        if (e.aggregate == AggregateKind::kCountStar) return "count(*)";
        return fmt::format("{}({}{})", AggregateName(e.aggregate),
                           e.aggregate_distinct ? "DISTINCT " : "", Join(all(), ", "));
      }
      case BoundKind::kOuterColumn:
        return fmt::format("$outer{}", e.column_index);
      case BoundKind::kSubquery: {
        std::string plan = fmt::format("(SubPlan {})", e.subquery_index + 1);
        if (e.subquery == SubqueryKind::kExists) return "EXISTS" + plan;
        if (e.subquery == SubqueryKind::kAny && !e.children.empty()) {
          return fmt::format("({} = ANY {})", child(0), plan);
        }
        return plan;
      }
      case BoundKind::kWindow:
        return fmt::format("{}() OVER (?)", WindowName(e.window));
      case BoundKind::kSetFunction: {
        std::string args;
        for (size_t i = 0; i < e.children.size(); ++i) args += (i ? ", " : "") + child(i);
        return fmt::format("{}({})", SetFunctionName(e.set_function), args);
      }
    }
    return "?";
  }

 private:
  std::span<const std::string> columns_;
};

// The function a Function Scan's call runs (a plain function in FROM by its own name).
std::string CallName(const BoundExpr& call) {
  if (call.set_function == SetFunctionKind::kScalar && !call.children.empty() &&
      call.children[0]->function != nullptr) {
    return std::string(call.children[0]->function->name);
  }
  return std::string(SetFunctionName(call.set_function));
}

// A Project computing over a ProjectSet's rows: PostgreSQL prints it as a Result of its own.
bool ComputesOverProjectSet(const PlanNode& project) {
  if (project.kind != PlanKind::kProject || !project.child ||
      project.child->kind != PlanKind::kProjectSet) {
    return false;
  }
  for (const BoundExprPtr& output : project.outputs) {
    if (output->kind != BoundKind::kColumn) return true;
  }
  return false;
}

class Printer {
 public:
  Printer(const ExplainOptions& options, const ExecutionStats* stats, bool qualify)
      : options_(options), stats_(stats), qualify_(qualify) {}

  std::vector<std::string> TakeLines() { return std::move(lines_); }

  void Line(int indent, std::string text) {
    if (lines_.size() >= kMaxPlanLines) {
      if (lines_.size() == kMaxPlanLines) lines_.push_back("(plan truncated)");
      return;
    }
    lines_.push_back(std::string(static_cast<size_t>(indent), ' ') + std::move(text));
  }

  // A node heading: the root without an arrow, others with "->  " at `arrow` columns.
  // Returns the indentation of the node's properties and children.
  int Heading(int arrow, const std::string& name, std::optional<NodeStats> stats) {
    std::string text = name + StatsSuffix(stats);
    if (arrow < 0) {
      Line(0, std::move(text));
      return 2;
    }
    Line(arrow, "->  " + std::move(text));
    return arrow + 6;
  }

  std::string StatsSuffix(std::optional<NodeStats> stats) const {
    if (!options_.analyze) return "";
    if (!stats || stats->loops == 0) return " (never executed)";
    double rows = static_cast<double>(stats->rows) / static_cast<double>(stats->loops);
    return fmt::format(" (actual rows={:.0f} loops={})", rows, stats->loops);
  }

  std::optional<NodeStats> StatsOf(const PlanNode* node) const {
    if (stats_ == nullptr || node == nullptr) return std::nullopt;
    auto it = stats_->find(node);
    if (it == stats_->end()) return NodeStats{};
    return it->second;
  }

  // The names of a node's output columns, for deparsing the expressions above it.
  const std::vector<std::string>& Columns(const PlanNode& node) {
    auto it = columns_.find(&node);
    if (it != columns_.end()) return it->second;
    std::vector<std::string> names;
    switch (node.kind) {
      case PlanKind::kScan:
        for (const ScopeColumn& column : node.table->scope.columns) {
          std::string table = column.table.empty() ? node.table->scope.table_name : column.table;
          names.push_back(qualify_ && !table.empty() ? table + "." + column.name : column.name);
        }
        break;
      case PlanKind::kProject:
        for (const BoundExprPtr& output : node.outputs) {
          names.push_back(Deparse(*output, *node.child));
        }
        break;
      case PlanKind::kAggregate:
        for (const BoundExprPtr& key : node.group_keys) names.push_back(Deparse(*key, *node.child));
        for (const BoundExprPtr& aggregate : node.aggregates) {
          names.push_back(Deparse(*aggregate, *node.child));
        }
        break;
      case PlanKind::kWindow:
        names = Columns(*node.child);
        for (const BoundExprPtr& window : node.windows) {
          names.push_back(Deparse(*window, *node.child));
        }
        break;
      case PlanKind::kProjectSet:
        names = Columns(*node.child);
        for (const BoundExprPtr& call : node.set_functions) {
          names.push_back(Deparse(*call, *node.child));
        }
        break;
      case PlanKind::kFunctionScan:
        for (const BoundExprPtr& call : node.set_functions) {
          names.push_back(CallName(*call));
        }
        if (node.with_ordinality) names.push_back("ordinality");
        break;
      case PlanKind::kJoin: {
        names = Columns(*node.child);
        const std::vector<std::string>& right = Columns(*node.right);
        names.insert(names.end(), right.begin(), right.end());
        break;
      }
      case PlanKind::kValues: {
        size_t count = node.values_rows.empty() ? 0 : node.values_rows[0].size();
        for (size_t i = 0; i < count; ++i) {
          names.push_back(fmt::format("{}column{}", qualify_ ? "\"*VALUES*\"." : "", i + 1));
        }
        break;
      }
      case PlanKind::kOneRow:
      case PlanKind::kWorkTableScan:
        break;
      default:
        if (node.child) names = Columns(*node.child);
        break;
    }
    return columns_.emplace(&node, std::move(names)).first->second;
  }

  std::string Deparse(const BoundExpr& expr, const PlanNode& input) {
    return Deparser(Columns(input)).Print(expr);
  }

  // Prints `node` (and what it absorbs: Filters and Projects directly above a node print as
  // its properties) at `arrow` (-1: the root).
  void Node(const PlanNode& start, int arrow) {
    const PlanNode* node = &start;
    const PlanNode* top = &start;  // the node whose rows the line reports
    const PlanNode* output = nullptr;
    std::vector<std::pair<const PlanNode*, std::string>> filters;  // (filter node, predicate)
    for (;;) {
      if (node->kind == PlanKind::kProject && node->child &&
          node->child->kind != PlanKind::kOneRow && !ComputesOverProjectSet(*node)) {
        if (output == nullptr) output = node;
        node = node->child.get();
        continue;
      }
      if (node->kind == PlanKind::kFilter && node->child && node->predicate) {
        filters.emplace_back(node, Deparse(*node->predicate, *node->child));
        node = node->child.get();
        continue;
      }
      if (node->kind == PlanKind::kSubqueryScan && node->child &&
          node->child->kind == PlanKind::kFunctionScan) {
        node = node->child.get();  // a FROM function: PostgreSQL prints the Function Scan only
        continue;
      }
      break;
    }
    if (node->kind == PlanKind::kProject) output = node;  // over OneRow: "Result"
    std::vector<std::string> properties;
    index_conditions_.clear();
    std::string name = NodeName(*node, properties);
    int indent = Heading(arrow, name, StatsOf(top));
    if (options_.verbose) {
      const std::vector<std::string>& columns = Columns(output != nullptr ? *output : *node);
      if (!columns.empty()) Line(indent, "Output: " + Join(columns, ", "));
    }
    for (const std::string& property : properties) Line(indent, property);
    for (auto& [filter, predicate] : filters) {
      if (node->kind == PlanKind::kScan && !index_conditions_.empty()) {
        predicate = WithoutIndexConditions(*filter);
        if (predicate.empty()) continue;
      }
      Line(indent, "Filter: " + predicate);
      if (options_.analyze) {
        std::optional<NodeStats> after = StatsOf(filter);
        std::optional<NodeStats> before = StatsOf(filter->child.get());
        if (after && before && before->loops > 0 && before->rows > after->rows) {
          double removed =
              static_cast<double>(before->rows - after->rows) / static_cast<double>(before->loops);
          Line(indent, fmt::format("Rows Removed by Filter: {:.0f}", removed));
        }
      }
    }
    Children(*node, indent);
  }

  void Children(const PlanNode& node, int indent) {
    switch (node.kind) {
      case PlanKind::kSetOperation:
        if (node.set_operation != SetOperation::kUnion || !node.set_all) {
          // UNION, INTERSECT and EXCEPT read both inputs through an Append.
          int inner = Heading(indent, "Append", SumStats(node.child.get(), node.right.get()));
          Node(*node.child, inner);
          Node(*node.right, inner);
          return;
        }
        break;
      case PlanKind::kJoin:
        if (!node.left_keys.empty() && !node.lateral) {
          Node(*node.child, indent);
          int inner = Heading(indent, "Hash", StatsOf(node.right.get()));
          Node(*node.right, inner);
          return;
        }
        break;
      case PlanKind::kProject:  // over OneRow: the Result line stands for both
        if (ComputesOverProjectSet(node)) break;
        return;
      default:
        break;
    }
    if (node.child) Node(*node.child, indent);
    if (node.right) Node(*node.right, indent);
  }

  std::optional<NodeStats> SumStats(const PlanNode* a, const PlanNode* b) const {
    std::optional<NodeStats> left = StatsOf(a);
    std::optional<NodeStats> right = StatsOf(b);
    if (!left || !right) return std::nullopt;
    return NodeStats{left->rows + right->rows, std::max(left->loops, right->loops)};
  }

  // The filter's conjuncts other than the scan's index conditions (which the Filter re-checks
  // but PostgreSQL prints only as "Index Cond"); empty when nothing else is left.
  std::string WithoutIndexConditions(const PlanNode& filter) {
    std::vector<const BoundExpr*> conjuncts;
    if (filter.predicate->kind == BoundKind::kAnd) {
      for (const BoundExprPtr& child : filter.predicate->children) conjuncts.push_back(child.get());
    } else {
      conjuncts.push_back(filter.predicate.get());
    }
    std::vector<std::string> kept;
    for (const BoundExpr* conjunct : conjuncts) {
      std::string text = Deparse(*conjunct, *filter.child);
      if (std::find(index_conditions_.begin(), index_conditions_.end(), text) ==
          index_conditions_.end()) {
        kept.push_back(std::move(text));
      }
    }
    if (kept.size() == 1) return kept[0];
    return kept.empty() ? "" : "(" + Join(kept, " AND ") + ")";
  }

  std::string ScanName(const PlanNode& node, std::vector<std::string>& properties) {
    const TableInfo& table = *node.table;
    const std::string& name = table.descriptor->name;
    std::string relation = options_.verbose && !table.virtual_table ? "public." + name : name;
    if (!table.scope.table_name.empty() && table.scope.table_name != name) {
      relation += " " + table.scope.table_name;
    }
    if (table.virtual_table) {
      return (name == "generate_series" ? "Function Scan on " : "Seq Scan on ") + relation;
    }
    const catalog::IndexDescriptor* index = node.index;
    if (node.access == AccessKind::kPointGet || node.access == AccessKind::kPrefixRange) {
      index = &table.primary_index;
    }
    if (index == nullptr) return "Seq Scan on " + relation;
    std::vector<std::string> conditions;
    const std::vector<std::string>& columns = Columns(node);
    auto column_name = [&](size_t i) -> std::string {
      if (i >= index->columns.size()) return "?";
      int position = table.descriptor->ColumnIndex(index->columns[i].column_id);
      if (position < 0 || static_cast<size_t>(position) >= columns.size()) return "?";
      return columns[static_cast<size_t>(position)];
    };
    Deparser values({});
    for (size_t i = 0; i < node.key_values.size(); ++i) {
      conditions.push_back(
          fmt::format("({} = {})", column_name(i), values.Print(*node.key_values[i])));
    }
    size_t next = node.key_values.size();
    if (node.range_lower) {
      conditions.push_back(fmt::format("({} {} {})", column_name(next),
                                       node.range_lower_inclusive ? ">=" : ">",
                                       values.Print(*node.range_lower)));
    }
    if (node.range_upper) {
      conditions.push_back(fmt::format("({} {} {})", column_name(next),
                                       node.range_upper_inclusive ? "<=" : "<",
                                       values.Print(*node.range_upper)));
    }
    index_conditions_ = conditions;
    if (conditions.size() == 1) properties.push_back("Index Cond: " + conditions[0]);
    if (conditions.size() > 1)
      properties.push_back("Index Cond: (" + Join(conditions, " AND ") + ")");
    return fmt::format("Index Scan{} using {} on {}", node.index_reverse ? " Backward" : "",
                       index->name, relation);
  }

  std::string NodeName(const PlanNode& node, std::vector<std::string>& properties) {
    switch (node.kind) {
      case PlanKind::kScan:
        return ScanName(node, properties);
      case PlanKind::kOneRow:
      case PlanKind::kProject:
        return "Result";
      case PlanKind::kFilter:  // without a predicate
        return "Result";
      case PlanKind::kLockRows:
        return "LockRows";
      case PlanKind::kAggregate: {
        if (node.group_keys.empty()) return "Aggregate";
        std::vector<std::string> keys;
        for (const BoundExprPtr& key : node.group_keys) keys.push_back(Deparse(*key, *node.child));
        properties.push_back("Group Key: " + Join(keys, ", "));
        return "HashAggregate";
      }
      case PlanKind::kDistinct:
        properties.push_back("Group Key: " + Join(Columns(*node.child), ", "));
        return "HashAggregate";
      case PlanKind::kSort: {
        std::vector<std::string> keys;
        for (const SortKey& key : node.sort_keys) {
          std::string text = Deparse(*key.expr, *node.child);
          if (key.descending) text += " DESC";
          if (key.nulls_first && !key.descending) text += " NULLS FIRST";
          if (!key.nulls_first && key.descending) text += " NULLS LAST";
          keys.push_back(std::move(text));
        }
        properties.push_back("Sort Key: " + Join(keys, ", "));
        return "Sort";
      }
      case PlanKind::kLimit:
        return "Limit";
      case PlanKind::kSetOperation: {
        if (node.set_operation == SetOperation::kUnion) {
          if (node.set_all) return "Append";
          properties.push_back("Group Key: " + Join(Columns(*node.child), ", "));
          return "HashAggregate";
        }
        std::string name = node.set_operation == SetOperation::kIntersect ? "HashSetOp Intersect"
                                                                          : "HashSetOp Except";
        return node.set_all ? name + " All" : name;
      }
      case PlanKind::kJoin: {
        const char* type = node.join_type == JoinType::kLeft    ? " Left"
                           : node.join_type == JoinType::kRight ? " Right"
                           : node.join_type == JoinType::kFull  ? " Full"
                                                                : "";
        if (!node.left_keys.empty() && !node.lateral) {
          std::vector<std::string> conditions;
          for (size_t i = 0; i < node.left_keys.size(); ++i) {
            conditions.push_back(fmt::format("({} = {})", Deparse(*node.left_keys[i], *node.child),
                                             Deparse(*node.right_keys[i], *node.right)));
          }
          properties.push_back("Hash Cond: " + (conditions.size() == 1
                                                    ? conditions[0]
                                                    : "(" + Join(conditions, " AND ") + ")"));
          return fmt::format("Hash{} Join", type);
        }
        if (node.predicate) {
          std::vector<std::string> columns = Columns(node);
          properties.push_back("Join Filter: " + Deparser(columns).Print(*node.predicate));
        }
        return *type == '\0' ? "Nested Loop" : fmt::format("Nested Loop{} Join", type);
      }
      case PlanKind::kValues:
        return "Values Scan on \"*VALUES*\"";
      case PlanKind::kSubqueryScan:
        return "Subquery Scan";
      case PlanKind::kRecursiveUnion:
        return "Recursive Union";
      case PlanKind::kWorkTableScan:
        return "WorkTable Scan";
      case PlanKind::kWindow:
        return "WindowAgg";
      case PlanKind::kProjectSet:
        return "ProjectSet";
      case PlanKind::kFunctionScan: {
        std::string function =
            node.set_functions.size() == 1 ? CallName(*node.set_functions[0]) : "unnest";
        if (node.set_functions.size() > 1 &&
            node.set_functions[0]->set_function != SetFunctionKind::kUnnest) {
          function = "ROWS FROM";
        }
        std::string name = "Function Scan on " + function;
        if (!node.relation_name.empty() && node.relation_name != function) {
          name += " " + node.relation_name;
        }
        return name;
      }
    }
    return "?";
  }

 private:
  const ExplainOptions& options_;
  const ExecutionStats* stats_;
  bool qualify_;
  std::vector<std::string> lines_;
  std::map<const PlanNode*, std::vector<std::string>> columns_;
  std::vector<std::string> index_conditions_;  // of the scan being printed
};

// PostgreSQL qualifies column names when the plan reads more than one relation, or VERBOSE.
size_t CountScans(const PlanNode& node) {
  size_t count = node.kind == PlanKind::kScan || node.kind == PlanKind::kValues ? 1 : 0;
  if (node.child) count += CountScans(*node.child);
  if (node.right) count += CountScans(*node.right);
  return count;
}

}  // namespace

std::string DeparseExpr(const BoundExpr& expr, std::span<const std::string> columns) {
  return Deparser(columns).Print(expr);
}

std::vector<std::string> PrintPlan(const ExplainTarget& target, const ExplainOptions& options,
                                   const ExecutionStats* stats) {
  size_t scans = target.plan != nullptr ? CountScans(*target.plan) : 0;
  for (const PlanPtr& subplan : target.subplans) scans += CountScans(*subplan);
  Printer printer(options, stats, scans > 1);
  int arrow = -1;
  if (!target.modify.empty()) arrow = printer.Heading(-1, target.modify, target.modify_stats);
  if (target.plan != nullptr) {
    printer.Node(*target.plan, arrow);
  } else {
    std::string name = target.values_rows == 1 ? "Result" : "Values Scan on \"*VALUES*\"";
    int indent = printer.Heading(arrow, name, target.values_stats);
    if (options.verbose && !target.values_output.empty()) {
      printer.Line(indent, "Output: " + Join(target.values_output, ", "));
    }
  }
  for (size_t i = 0; i < target.subplans.size(); ++i) {
    printer.Line(2, fmt::format("SubPlan {}", i + 1));
    printer.Node(*target.subplans[i], 4);
  }
  return printer.TakeLines();
}

}  // namespace borealis::sql::planner
