#include "qp/plan_cache.h"

namespace borealis::qp {

RecordingKv::RecordingKv(SessionKv& inner) {
  Reset(&inner);
  set_temp_schema(inner.temp_schema());
}

void RecordingKv::Record(const std::string& key, std::optional<std::string> value) {
  for (const PlanDependency& dependency : dependencies_) {
    if (dependency.key == key) return;  // a snapshot answers a key the same way twice
  }
  if (dependencies_.size() >= kMaxPlanDependencies) {
    cacheable_ = false;
    return;
  }
  dependencies_.push_back(PlanDependency{key, std::move(value)});
}

Result<std::optional<std::string>> RecordingKv::Get(std::string key) {
  Result<std::optional<std::string>> got = SessionKv::Get(key);
  if (got.ok()) Record(key, *got);
  return got;
}

Result<std::vector<txn::Row>> RecordingKv::Scan(std::string begin, std::string end, size_t limit,
                                                bool reverse) {
  cacheable_ = false;
  return SessionKv::Scan(std::move(begin), std::move(end), limit, reverse);
}

Status RecordingKv::Put(std::string key, std::string value) {
  cacheable_ = false;
  return SessionKv::Put(std::move(key), std::move(value));
}

Status RecordingKv::Delete(std::string key) {
  cacheable_ = false;
  return SessionKv::Delete(std::move(key));
}

void RecordingKv::Lock(std::string key) {
  cacheable_ = false;
  SessionKv::Lock(std::move(key));
}

void RecordingKv::AddCheckKey(std::string key) {
  cacheable_ = false;
  SessionKv::AddCheckKey(std::move(key));
}

// An expectation that failed at once is not recorded: the caller reads the key itself next.
Status RecordingKv::Expect(std::string key, std::string value) {
  Status held = SessionKv::Expect(key, value);
  if (held.ok()) Record(key, std::move(value));
  return held;
}

Status RecordingKv::ExpectAbsent(std::string key) {
  Status held = SessionKv::ExpectAbsent(key);
  if (held.ok()) Record(key, std::nullopt);
  return held;
}

Status ExpectDependencies(txn::KvTransaction& txn,
                          const std::vector<PlanDependency>& dependencies) {
  for (const PlanDependency& dependency : dependencies) {
    Status held = dependency.value ? txn.Expect(dependency.key, *dependency.value)
                                   : txn.ExpectAbsent(dependency.key);
    if (!held.ok()) return held;
  }
  return Status::Ok();
}

namespace {

size_t ExprBytes(const sql::BoundExpr* expr) {
  if (expr == nullptr) return 0;
  size_t bytes = sizeof(sql::BoundExpr) + expr->window_order.size();
  for (const sql::BoundExprPtr& child : expr->children) bytes += ExprBytes(child.get());
  return bytes;
}

size_t ExprsBytes(const std::vector<sql::BoundExprPtr>& exprs) {
  size_t bytes = 0;
  for (const sql::BoundExprPtr& expr : exprs) bytes += ExprBytes(expr.get());
  return bytes;
}

size_t NodeBytes(const sql::planner::PlanNode* node) {
  if (node == nullptr) return 0;
  size_t bytes =
      sizeof(sql::planner::PlanNode) + NodeBytes(node->child.get()) + NodeBytes(node->right.get());
  bytes += ExprsBytes(node->key_values) + ExprBytes(node->range_lower.get()) +
           ExprBytes(node->range_upper.get()) + ExprBytes(node->predicate.get()) +
           ExprsBytes(node->left_keys) + ExprsBytes(node->right_keys) + ExprsBytes(node->outputs) +
           ExprsBytes(node->group_keys) + ExprsBytes(node->aggregates) + ExprsBytes(node->windows) +
           ExprBytes(node->limit.get()) + ExprBytes(node->offset.get());
  for (const auto& row : node->values_rows) bytes += ExprsBytes(row);
  for (const auto& key : node->sort_keys) bytes += ExprBytes(key.expr.get());
  bytes += (node->left_types.size() + node->right_types.size()) * sizeof(sql::TypeId);
  return bytes;
}

}  // namespace

size_t EstimatePlanBytes(const TablePlan& plan) {
  size_t bytes = sizeof(TablePlan) + NodeBytes(plan.plan.get());
  for (const sql::planner::PlanPtr& subplan : plan.subplans) bytes += NodeBytes(subplan.get());
  bytes += plan.tables.size() * sizeof(sql::planner::TableInfo);
  for (const std::string& name : plan.column_names) bytes += sizeof(std::string) + name.size();
  for (const auto& row : plan.insert_rows) bytes += ExprsBytes(row);
  for (const auto& [column, value] : plan.assignments) bytes += ExprBytes(value.get());
  bytes += ExprsBytes(plan.returning);
  return bytes;
}

const CachedPlan* PlanCache::FindPlan(std::string_view key, std::string_view context,
                                      const void* pinned) {
  const CachedPlan* found = plans_.Find(key);
  if (found != nullptr && (found->context != context || found->pinned.get() != pinned)) {
    plans_.Erase(std::string(key));
    found = nullptr;
  }
  if (found == nullptr) {
    ++stats_.plan_misses;
  } else {
    ++stats_.plan_hits;
  }
  return found;
}

bool PlanCache::Admit(std::string_view key) {
  size_t hash = std::hash<std::string_view>{}(key);
  if (seen_once_.erase(hash) > 0) return true;
  if (seen_once_.size() >= kMaxAdmissionFilterKeys) seen_once_.clear();
  seen_once_.insert(hash);
  return false;
}

void PlanCache::InsertPlan(std::string key, CachedPlan plan) {
  size_t bytes =
      sizeof(CachedPlan) + 2 * key.size() + plan.context.size() + EstimatePlanBytes(*plan.plan);
  for (const PlanDependency& dependency : plan.dependencies) {
    bytes += sizeof(PlanDependency) + dependency.key.size() +
             (dependency.value ? dependency.value->size() : 0);
  }
  plans_.Insert(std::move(key), std::move(plan), bytes);
}

const sql::ParseResult* PlanCache::FindParse(std::string_view text) {
  const sql::ParseResult* found = parses_.Find(text);
  if (found == nullptr) {
    ++stats_.parse_misses;
  } else {
    ++stats_.parse_hits;
  }
  return found;
}

// The AST's size is not tracked; a parse tree takes a few dozen times its text in practice.
inline constexpr size_t kParseBytesPerTextByte = 32;

void PlanCache::InsertParse(std::string text, sql::ParseResult parsed) {
  if (text.size() > kMaxCachedQueryBytes) return;
  size_t bytes = sizeof(sql::ParseResult) + 2 * text.size() + text.size() * kParseBytesPerTextByte;
  parses_.Insert(std::move(text), std::move(parsed), bytes);
}

}  // namespace borealis::qp
