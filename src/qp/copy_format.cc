#include "qp/copy_format.h"

#include <algorithm>
#include <set>

#include "fmt/format.h"
#include "qp/select_binder.h"
#include "sql/parser.h"

namespace borealis::qp {
namespace {

Status BadCopyData(std::string message) { return Status::Sql("22P04", std::move(message)); }

// PostgreSQL's defGetBoolean.
Result<bool> BooleanOption(const sql::OptionItem& item) {
  if (!item.value) return true;
  std::string v = *item.value;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "true" || v == "on" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "off" || v == "0" || v == "no") return false;
  return Status::Sql("22023", fmt::format("{} requires a Boolean value", item.name));
}

Result<std::string> StringOption(const sql::OptionItem& item) {
  if (!item.value) return Status::Sql("22023", fmt::format("{} requires a parameter", item.name));
  return *item.value;
}

Result<std::vector<std::string>> ListOption(const sql::OptionItem& item) {
  if (item.value) {
    return Status::Sql("22023", fmt::format("argument to option \"{}\" must be a list of column "
                                            "names",
                                            item.name));
  }
  return item.list;
}

}  // namespace

Result<CopyOptions> ParseCopyOptions(const std::vector<sql::OptionItem>& items, bool is_from,
                                     const std::string& source) {
  CopyOptions options;
  std::set<std::string> seen;
  std::optional<std::string> delimiter, null_string, quote, escape;
  bool format_csv = false;
  bool any_force_quote = false, any_force_not_null = false, any_force_null = false;
  for (const sql::OptionItem& item : items) {
    if (!seen.insert(item.name).second) {
      return Positioned(Status::Sql("42601", "conflicting or redundant options"), source,
                        item.location);
    }
    if (item.name == "format") {
      ASSIGN_OR_RETURN(std::string format, StringOption(item));
      if (format == "csv") {
        format_csv = true;
      } else if (format == "binary") {
        return Status::Sql("0A000", "COPY BINARY is not supported yet");
      } else if (format != "text") {
        return Positioned(
            Status::Sql("22023", fmt::format("COPY format \"{}\" not recognized", format)), source,
            item.location);
      }
    } else if (item.name == "freeze") {
      ASSIGN_OR_RETURN(options.freeze, BooleanOption(item));
    } else if (item.name == "delimiter") {
      ASSIGN_OR_RETURN(delimiter, StringOption(item));
    } else if (item.name == "null") {
      ASSIGN_OR_RETURN(null_string, StringOption(item));
    } else if (item.name == "header") {
      if (item.value && (*item.value == "match" || *item.value == "MATCH")) {
        return Status::Sql("0A000", "COPY HEADER MATCH is not supported yet");
      }
      ASSIGN_OR_RETURN(options.header, BooleanOption(item));
    } else if (item.name == "quote") {
      ASSIGN_OR_RETURN(quote, StringOption(item));
    } else if (item.name == "escape") {
      ASSIGN_OR_RETURN(escape, StringOption(item));
    } else if (item.name == "force_quote") {
      any_force_quote = true;
      if (item.star) {
        options.force_quote_all = true;
      } else {
        ASSIGN_OR_RETURN(options.force_quote, ListOption(item));
      }
    } else if (item.name == "force_not_null") {
      any_force_not_null = true;
      ASSIGN_OR_RETURN(options.force_not_null, ListOption(item));
    } else if (item.name == "force_null") {
      any_force_null = true;
      ASSIGN_OR_RETURN(options.force_null, ListOption(item));
    } else if (item.name == "encoding") {
      ASSIGN_OR_RETURN(std::string encoding, StringOption(item));
      std::string lower = encoding;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (lower != "utf8" && lower != "utf-8" && lower != "unicode") {
        return Status::Sql("0A000", "COPY ENCODING other than UTF8 is not supported yet");
      }
    } else {
      return Positioned(
          Status::Sql("42601", fmt::format("option \"{}\" not recognized", item.name)), source,
          item.location);
    }
  }
  // The checks of PostgreSQL's ProcessCopyOptions, in its order.
  if (format_csv) {
    options.format = CopyFormat::kCsv;
    options.delimiter = ',';
    options.null_string = "";
  }
  if (delimiter) {
    if (delimiter->size() != 1) {
      return Status::Sql("0A000", "COPY delimiter must be a single one-byte character");
    }
    options.delimiter = (*delimiter)[0];
  }
  if (null_string) options.null_string = *null_string;
  if (quote) {
    if (!format_csv) return Status::Sql("0A000", "COPY quote available only in CSV mode");
    if (quote->size() != 1) {
      return Status::Sql("0A000", "COPY quote must be a single one-byte character");
    }
    options.quote = (*quote)[0];
  }
  options.escape = options.quote;
  if (escape) {
    if (!format_csv) return Status::Sql("0A000", "COPY escape available only in CSV mode");
    if (escape->size() != 1) {
      return Status::Sql("0A000", "COPY escape must be a single one-byte character");
    }
    options.escape = (*escape)[0];
  }
  char d = options.delimiter;
  if (d == '\n' || d == '\r') {
    return Status::Sql("22023", "COPY delimiter cannot be newline or carriage return");
  }
  if (options.null_string.find_first_of("\r\n") != std::string::npos) {
    return Status::Sql("22023", "COPY null representation cannot use newline or carriage return");
  }
  if (!format_csv &&
      std::string_view("\\.abcdefghijklmnopqrstuvwxyz0123456789").find(d) != std::string::npos) {
    return Status::Sql("22023", fmt::format("COPY delimiter cannot be \"{}\"", std::string(1, d)));
  }
  if (format_csv && d == options.quote) {
    return Status::Sql("22023", "COPY delimiter and quote must be different");
  }
  if (any_force_quote) {
    if (!format_csv) return Status::Sql("0A000", "COPY force quote available only in CSV mode");
    if (is_from) return Status::Sql("0A000", "COPY force quote only available using COPY TO");
  }
  if (any_force_not_null) {
    if (!format_csv) {
      return Status::Sql("0A000", "COPY force not null available only in CSV mode");
    }
    if (!is_from) {
      return Status::Sql("0A000", "COPY force not null only available using COPY FROM");
    }
  }
  if (any_force_null) {
    if (!format_csv) return Status::Sql("0A000", "COPY force null available only in CSV mode");
    if (!is_from) return Status::Sql("0A000", "COPY force null only available using COPY FROM");
  }
  if (options.null_string.find(d) != std::string::npos) {
    return Status::Sql("0A000", "COPY delimiter must not appear in the NULL specification");
  }
  if (format_csv && options.null_string.find(options.quote) != std::string::npos) {
    return Status::Sql("0A000", "CSV quote character must not appear in the NULL specification");
  }
  return options;
}

// ---- Parsing ---------------------------------------------------------------------------------

Result<size_t> CopyParser::RecordEnd(size_t start, bool at_eof, size_t& line_end_length) {
  const bool csv = options_.format == CopyFormat::kCsv;
  bool in_quote = false;
  size_t i = csv ? start : std::max(start, scanned_);
  for (; i < buffer_.size(); ++i) {
    char c = buffer_[i];
    if (csv) {
      if (in_quote) {
        if (c == options_.escape && options_.escape != options_.quote && i + 1 < buffer_.size() &&
            (buffer_[i + 1] == options_.quote || buffer_[i + 1] == options_.escape)) {
          ++i;
          continue;
        }
        if (c == options_.quote) in_quote = false;
        continue;
      }
      if (c == options_.quote) {
        in_quote = true;
        continue;
      }
    } else if (c == '\\') {
      if (i + 1 >= buffer_.size()) {
        if (at_eof) continue;
        scanned_ = i;
        return std::string::npos;
      }
      ++i;  // an escaped character never ends the line
      continue;
    }
    if (c != '\n' && c != '\r') continue;
    if (c == '\r') {
      if (i + 1 >= buffer_.size() && !at_eof) {
        scanned_ = i;
        return std::string::npos;  // \r\n may be split across chunks
      }
      bool crnl = i + 1 < buffer_.size() && buffer_[i + 1] == '\n';
      if (eol_ == Eol::kUnknown) eol_ = crnl ? Eol::kCrNl : Eol::kCr;
      if (eol_ == Eol::kNl) {
        return BadCopyData(csv ? "unquoted carriage return found in data"
                               : "literal carriage return found in data");
      }
      if (eol_ == Eol::kCr && crnl) {
        return BadCopyData(csv ? "unquoted newline found in data"
                               : "literal newline found in data");
      }
      line_end_length = crnl ? 2 : 1;
      return i;
    }
    if (eol_ == Eol::kUnknown) eol_ = Eol::kNl;
    if (eol_ != Eol::kNl) {
      return BadCopyData(csv ? "unquoted newline found in data" : "literal newline found in data");
    }
    line_end_length = 1;
    return i;
  }
  if (csv && in_quote && at_eof) return BadCopyData("unterminated CSV quoted field");
  scanned_ = i;
  line_end_length = 0;
  if (at_eof && start < buffer_.size()) return buffer_.size();
  return std::string::npos;
}

Status CopyParser::ParseTextRecord(std::string_view text, CopyRecord& record) const {
  size_t start = 0;
  for (;;) {
    // Find the field's end: the next unescaped delimiter.
    size_t end = start;
    while (end < text.size() && text[end] != options_.delimiter) {
      end += text[end] == '\\' && end + 1 < text.size() ? 2 : 1;
    }
    std::string_view raw = text.substr(start, end - start);
    record.quoted.push_back(false);
    if (raw == options_.null_string) {
      record.fields.emplace_back(std::nullopt);
    } else {
      std::string value;
      value.reserve(raw.size());
      for (size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\' || i + 1 >= raw.size()) {
          value.push_back(c);
          continue;
        }
        char n = raw[++i];
        if (n >= '0' && n <= '7') {
          int v = n - '0';
          for (int k = 0; k < 2 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7';
               ++k) {
            v = v * 8 + (raw[++i] - '0');
          }
          value.push_back(static_cast<char>(v & 0xff));
          continue;
        }
        if (n == 'x' && i + 1 < raw.size() &&
            std::isxdigit(static_cast<unsigned char>(raw[i + 1]))) {
          int v = 0;
          for (int k = 0;
               k < 2 && i + 1 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1]));
               ++k) {
            char h = static_cast<char>(std::tolower(static_cast<unsigned char>(raw[++i])));
            v = v * 16 + (h <= '9' ? h - '0' : h - 'a' + 10);
          }
          value.push_back(static_cast<char>(v));
          continue;
        }
        switch (n) {
          case 'b':
            value.push_back('\b');
            break;
          case 'f':
            value.push_back('\f');
            break;
          case 'n':
            value.push_back('\n');
            break;
          case 'r':
            value.push_back('\r');
            break;
          case 't':
            value.push_back('\t');
            break;
          case 'v':
            value.push_back('\v');
            break;
          default:
            value.push_back(n);
            break;
        }
      }
      record.fields.emplace_back(std::move(value));
    }
    if (end >= text.size()) break;
    start = end + 1;
  }
  return Status::Ok();
}

Status CopyParser::ParseCsvRecord(std::string_view text, CopyRecord& record) const {
  size_t i = 0;
  for (;;) {
    std::string value;
    bool quoted = false;
    size_t raw_start = i;
    bool in_quote = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (in_quote) {
        if (c == options_.escape && i + 1 < text.size() &&
            (text[i + 1] == options_.quote || text[i + 1] == options_.escape) &&
            !(options_.escape == options_.quote && text[i + 1] != options_.quote)) {
          value.push_back(text[++i]);
          continue;
        }
        if (c == options_.quote) {
          in_quote = false;
          continue;
        }
        value.push_back(c);
        continue;
      }
      if (c == options_.delimiter) break;
      if (c == options_.quote) {
        in_quote = true;
        quoted = true;
        continue;
      }
      value.push_back(c);
    }
    if (in_quote) return BadCopyData("unterminated CSV quoted field");
    std::string_view raw = text.substr(raw_start, i - raw_start);
    record.quoted.push_back(quoted);
    if (!quoted && raw == options_.null_string) {
      record.fields.emplace_back(std::nullopt);
    } else {
      record.fields.emplace_back(std::move(value));
    }
    if (i >= text.size()) break;
    ++i;  // the delimiter
  }
  return Status::Ok();
}

Status CopyParser::ParseRecord(std::string_view text, CopyRecord& record) const {
  if (options_.format == CopyFormat::kCsv) return ParseCsvRecord(text, record);
  return ParseTextRecord(text, record);
}

Status CopyParser::Take(bool at_eof, std::vector<CopyRecord>& out) {
  size_t position = 0;
  while (!ended_ && position < buffer_.size()) {
    size_t eol_length = 0;
    ASSIGN_OR_RETURN(size_t end, RecordEnd(position, at_eof, eol_length));
    if (end == std::string::npos) break;
    std::string_view text(buffer_.data() + position, end - position);
    uint64_t first_line = line_ + 1;
    line_ += 1 + static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
    position = end + eol_length;
    scanned_ = position;
    if (text == "\\.") {
      ended_ = true;
      break;
    }
    if (options_.header && !header_skipped_) {
      header_skipped_ = true;
      continue;
    }
    CopyRecord record;
    record.line = first_line;
    record.raw = std::string(text);
    Status parsed = ParseRecord(text, record);
    if (!parsed.ok()) return parsed;
    out.push_back(std::move(record));
  }
  if (ended_) {
    buffer_.clear();
    scanned_ = 0;
    return Status::Ok();
  }
  buffer_.erase(0, position);
  scanned_ = scanned_ >= position ? scanned_ - position : 0;
  return Status::Ok();
}

Status CopyParser::Feed(std::string_view data, std::vector<CopyRecord>& out) {
  if (ended_) return Status::Ok();  // data after \. is ignored, as in PostgreSQL
  buffer_.append(data);
  RETURN_IF_ERROR(Take(false, out));
  if (buffer_.size() > kMaxCopyRecordBytes) {
    return Status::Sql("54000", fmt::format("COPY record exceeds the limit of {} bytes "
                                            "(kMaxCopyRecordBytes)",
                                            kMaxCopyRecordBytes));
  }
  return Status::Ok();
}

Status CopyParser::Finish(std::vector<CopyRecord>& out) {
  if (ended_) return Status::Ok();
  return Take(true, out);
}

// ---- Formatting ------------------------------------------------------------------------------

namespace {

void AppendText(const CopyOptions& options, std::string_view value, std::string& out) {
  for (char c : value) {
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c == options.delimiter) out.push_back('\\');
        out.push_back(c);
    }
  }
}

void AppendCsv(const CopyOptions& options, std::string_view value, bool force, bool single_column,
               std::string& out) {
  bool quote = force || value == options.null_string;
  // A lone `\.` must be quoted so it does not read back as the end marker.
  if (!quote && single_column && value == "\\.") quote = true;
  if (!quote) {
    for (char c : value) {
      if (c == options.delimiter || c == options.quote || c == '\n' || c == '\r') {
        quote = true;
        break;
      }
    }
  }
  if (!quote) {
    out.append(value);
    return;
  }
  out.push_back(options.quote);
  for (char c : value) {
    if (c == options.quote || c == options.escape) out.push_back(options.escape);
    out.push_back(c);
  }
  out.push_back(options.quote);
}

}  // namespace

void FormatCopyRecord(const CopyOptions& options,
                      const std::vector<std::optional<std::string>>& fields,
                      const std::vector<bool>& force_quote, std::string& out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(options.delimiter);
    if (!fields[i]) {
      out.append(options.null_string);
    } else if (options.format == CopyFormat::kCsv) {
      bool force = options.force_quote_all || (i < force_quote.size() && force_quote[i]);
      AppendCsv(options, *fields[i], force, fields.size() == 1, out);
    } else {
      AppendText(options, *fields[i], out);
    }
  }
  out.push_back('\n');
}

}  // namespace borealis::qp
