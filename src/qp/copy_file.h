// COPY t [(cols)] FROM 'absolute path' (docs/design/sql.md "Bulk loading"): the server reads a
// file of its own host and feeds it, in chunks of at most kCopyFileChunkBytes, through the same
// CopyIn path as COPY FROM STDIN (same formats, options, errors and CONTEXT lines).
//
// Contract: the file is read through the injected runtime::Disk (null: 0A000). PostgreSQL's
// checks, in its order: only superusers (42501), the table (42P01), only absolute paths
// (42602), a missing file is 58P01 `could not open file "x" for reading: ...`. The rows go into
// the caller's transaction. COPY TO a file stays 0A000 (the caller decides).
// Threading: one statement on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "catalog/store.h"
#include "common/status.h"
#include "runtime/disk.h"
#include "sql/ast_bulk.h"
#include "sql/binder.h"
#include "txn/kv.h"

namespace borealis::qp {

inline constexpr uint64_t kCopyFileChunkBytes = 64 * 1024;

// REQUIRES: copy.is_from, !copy.filename.empty(). Returns the rows copied.
Result<uint64_t> RunCopyFromFile(const sql::CopyStatement& copy, const std::string& source,
                                 txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                 std::function<int64_t()> next_row_id,
                                 sql::FunctionContext* functions, bool is_superuser,
                                 runtime::Disk* disk);

}  // namespace borealis::qp
