// COPY FROM a server file: permission and path checks, then the file streamed into CopyIn.
#include "qp/copy_file.h"

#include <memory>

#include "common/check.h"
#include "qp/bulk_statements.h"

namespace borealis::qp {

Result<uint64_t> RunCopyFromFile(const sql::CopyStatement& copy, const std::string& source,
                                 txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                 std::function<int64_t()> next_row_id,
                                 sql::FunctionContext* functions, bool is_superuser,
                                 runtime::Disk* disk) {
  BOREALIS_CHECK(copy.is_from && !copy.filename.empty());
  if (!is_superuser) {
    return Status::Sql("42501",
                       "must be superuser or have privileges of the pg_read_server_files role to "
                       "COPY from a file");
  }
  // The table and columns first (42P01 before a path or file error), as in PostgreSQL.
  ASSIGN_OR_RETURN(std::unique_ptr<CopyIn> copy_in,
                   CopyIn::Start(copy, source, txn, cache, std::move(next_row_id), functions));
  if (copy.filename.front() != '/') {
    return Status::Sql("42602", "relative path not allowed for COPY to or from a file");
  }
  if (disk == nullptr) return Status::Sql("0A000", "COPY from a file is not supported here");
  auto opened = disk->Open(copy.filename, runtime::OpenMode::kReadOnly);
  if (!opened.ok()) {
    const bool missing = opened.status().code() == Code::kNotFound;
    return Status::Sql(
        missing ? "58P01" : "58030",
        "could not open file \"" + copy.filename + "\" for reading: " +
            (missing ? std::string("No such file or directory") : opened.status().ToString()));
  }
  std::unique_ptr<runtime::File> file = std::move(opened).value();
  ASSIGN_OR_RETURN(uint64_t size, file->Size());
  for (uint64_t offset = 0; offset < size;) {
    ASSIGN_OR_RETURN(std::string chunk, file->ReadAt(offset, kCopyFileChunkBytes));
    if (chunk.empty()) break;  // the file shrank while we read it
    offset += chunk.size();
    RETURN_IF_ERROR(copy_in->Feed(chunk));
  }
  (void)file->Close();
  return copy_in->Finish();
}

}  // namespace borealis::qp
