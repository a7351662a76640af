// COPY's data formats, text and csv (PostgreSQL's copyfromparse.c / copyto.c behaviour), as
// pure code: option validation, a streaming record parser and the record formatter.
//
// Contract:
// - ParseCopyOptions validates a COPY option list like PostgreSQL's ProcessCopyOptions
//   (same SQLSTATEs and messages); binary format and HEADER MATCH are 0A000.
// - CopyParser takes the data in arbitrary chunks (CopyData messages split records anywhere)
//   and hands back complete records, each a vector of fields (nullopt = NULL) with its
//   1-based line number and raw text (for CONTEXT lines). It holds at most one incomplete
//   record (kMaxCopyRecordBytes, 54000 beyond). Text format: backslash escapes, `\N` (or the
//   NULL option) for NULL, `\.` ends the data; line ends \n, \r\n or \r as detected on the first
//   line. CSV: quotes, escapes, quoted fields across lines, unquoted NULL string is NULL.
//   Structure errors (unterminated CSV quote, mixed line ends) are 22P04.
// - FormatCopyRecord appends one record in the format (with PostgreSQL's escaping/quoting).
// Not thread-safe; plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/ast_bulk.h"

namespace borealis::qp {

// The longest record (line) COPY FROM accepts.
inline constexpr size_t kMaxCopyRecordBytes = size_t{64} << 20;

enum class CopyFormat { kText, kCsv };

struct CopyOptions {
  CopyFormat format = CopyFormat::kText;
  bool header = false;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';
  char escape = '"';
  bool force_quote_all = false;
  std::vector<std::string> force_quote;
  std::vector<std::string> force_not_null;
  std::vector<std::string> force_null;
  bool freeze = false;
};

// `source` gives option error positions.
Result<CopyOptions> ParseCopyOptions(const std::vector<sql::OptionItem>& items, bool is_from,
                                     const std::string& source);

struct CopyRecord {
  std::vector<std::optional<std::string>> fields;
  // For CSV FORCE_NOT_NULL / FORCE_NULL: whether each field was quoted.
  std::vector<bool> quoted;
  uint64_t line = 0;        // 1-based line number of the record's first line
  std::string raw;          // the record's text without its line end
  bool end_marker = false;  // `\.`: no more data
};

class CopyParser {
 public:
  explicit CopyParser(CopyOptions options) : options_(std::move(options)) {}

  // Adds data; complete records are appended to `out`.
  Status Feed(std::string_view data, std::vector<CopyRecord>& out);
  // End of data: the last record may lack its line end.
  Status Finish(std::vector<CopyRecord>& out);
  uint64_t line() const { return line_; }
  bool ended() const { return ended_; }

 private:
  // Finds the end of the record starting at buffer_[start]: the index of its line end (or
  // the buffer's end at EOF); npos when incomplete.
  Result<size_t> RecordEnd(size_t start, bool at_eof, size_t& line_end_length);
  Status ParseRecord(std::string_view text, CopyRecord& record) const;
  Status ParseTextRecord(std::string_view text, CopyRecord& record) const;
  Status ParseCsvRecord(std::string_view text, CopyRecord& record) const;
  Status Take(bool at_eof, std::vector<CopyRecord>& out);

  CopyOptions options_;
  std::string buffer_;
  size_t scanned_ = 0;  // bytes of buffer_ already scanned for a line end (text format)
  uint64_t line_ = 0;   // lines consumed
  bool header_skipped_ = false;
  bool ended_ = false;
  enum class Eol { kUnknown, kNl, kCr, kCrNl } eol_ = Eol::kUnknown;
};

// Appends one record (fields nullopt = NULL) and its newline. `force_quote` (CSV only) is one
// flag per field.
void FormatCopyRecord(const CopyOptions& options,
                      const std::vector<std::optional<std::string>>& fields,
                      const std::vector<bool>& force_quote, std::string& out);

}  // namespace borealis::qp
