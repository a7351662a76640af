#include "qp/savepoints.h"

#include "common/check.h"
#include "fmt/format.h"

namespace borealis::qp {

Status SavepointStack::Push(std::string name, State state) {
  if (entries_.size() >= kMaxSavepoints) {
    return Status::Sql("54000", fmt::format("too many savepoints in one transaction (at most {})",
                                            kMaxSavepoints));
  }
  entries_.push_back(Entry{std::move(name), std::move(state)});
  return Status::Ok();
}

Result<size_t> SavepointStack::Find(std::string_view name) const {
  for (size_t i = entries_.size(); i-- > 0;) {
    if (entries_[i].name == name) return i;
  }
  return Status::Sql("3B001", fmt::format("savepoint \"{}\" does not exist", name));
}

void SavepointStack::Truncate(size_t count) {
  BOREALIS_CHECK(count <= entries_.size(), count, entries_.size());
  entries_.resize(count);
}

Status SavepointOutsideBlock(std::string_view what) {
  return Status::Sql("25P01", fmt::format("{} can only be used in transaction blocks", what));
}

}  // namespace borealis::qp
