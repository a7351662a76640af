// Reading and writing table descriptors inside a transaction, and the per-QP descriptor cache.
//
// Contract: every function works at the transaction's snapshot through txn::KvTransaction
// (catalog/descriptor.h has the key layout). CreateTable and DropTable write the table's
// schema-version key, so a concurrent DML transaction that added that key to its check set
// aborts with OC001; two concurrent DDLs on one name or id conflict on the name key or the id
// allocator (OC000). DescriptorCache::Lookup validates a cached descriptor by expecting only
// its version key (txn::KvTransaction::Expect: a point read now, or folded into the
// transaction's next read), and re-reads the descriptor when it changed.
// Threading: DescriptorCache is thread-safe; the functions follow KvTransaction's rule.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "catalog/descriptor.h"
#include "catalog/views.h"
#include "txn/kv.h"

namespace borealis::catalog {

// Rows read per storage scan while dropping a table's rows.
inline constexpr size_t kDropScanBatchRows = 1024;
// Descriptors kept by one DescriptorCache (evicted wholesale beyond it).
inline constexpr size_t kMaxCachedDescriptors = 10000;

class DescriptorCache {
 public:
  // The table schema.name in the transaction's snapshot, or null when there is none.
  Result<std::shared_ptr<const TableDescriptor>> Lookup(txn::KvTransaction& txn,
                                                        std::string_view schema,
                                                        std::string_view name);
  // The view schema.name (catalog/views.h) when this cache holds it and its name row and
  // descriptor still hold what was cached (checked like Lookup's, possibly deferred), else
  // null without reading anything: the caller then looks the name up itself and may Remember
  // the view.
  Result<std::shared_ptr<const ViewDescriptor>> CachedView(txn::KvTransaction& txn,
                                                           std::string_view schema,
                                                           std::string_view name);
  // Keeps `view` as read in `txn` (not when the transaction wrote it itself).
  void RememberView(txn::KvTransaction& txn, const ViewDescriptor& view);
  // Forgets every entry (after a deferred expectation failed: see Lookup).
  void Clear();

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const TableDescriptor>> tables_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const ViewDescriptor>> views_;
};

// The next relation id (tables and sequences share the allocator); 54000 when none are left.
Result<uint32_t> AllocateRelationId(txn::KvTransaction& txn);

// Allocates the table id and writes descriptor, name and version keys, and the name keys of
// the primary key's index and of `table.indexes` (UNIQUE constraints; the caller gives them
// ids and names, catalog/indexes.h). `table.id` is ignored.
// 42P07 `relation "x" already exists` when a name is taken in the snapshot.
Result<TableDescriptor> CreateTable(txn::KvTransaction& txn, TableDescriptor table);

// Deletes the table's rows and index entries, descriptor, name (also its indexes') and version
// keys.
Status DropTable(txn::KvTransaction& txn, const TableDescriptor& table);

}  // namespace borealis::catalog
