#include "sql/explain_syntax.h"

#include <cctype>
#include <optional>

#include "fmt/format.h"
#include "sql/parser.h"

namespace borealis::sql {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// PostgreSQL's defGetBoolean.
Result<bool> OptionBoolean(const OptionItem& option) {
  if (!option.value) return true;
  std::string v = Lower(*option.value);
  if (v == "true" || v == "on" || v == "1") return true;
  if (v == "false" || v == "off" || v == "0") return false;
  return Status::Sql("42601", fmt::format("{} requires a Boolean value", option.name));
}

}  // namespace

Result<ExplainOptions> ValidateExplainOptions(const std::vector<OptionItem>& options,
                                              const std::string& source) {
  ExplainOptions out;
  std::optional<bool> timing;
  std::optional<bool> summary;
  for (const OptionItem& option : options) {
    if (option.name == "format") {
      std::string format = Lower(option.value.value_or(""));
      if (format == "text") continue;
      if (format == "xml" || format == "json" || format == "yaml") {
        return Status::Sql("0A000",
                           fmt::format("EXPLAIN (FORMAT {}) is not supported yet", *option.value))
            .WithHint("Borealis prints plans in the TEXT format only.");
      }
      return Status::Sql("22023", fmt::format("unrecognized value for EXPLAIN option \"{}\": "
                                              "\"{}\"",
                                              option.name, option.value.value_or("")))
          .WithPosition(ErrorPosition(source, option.location));
    }
    bool* target = option.name == "analyze"    ? &out.analyze
                   : option.name == "verbose"  ? &out.verbose
                   : option.name == "costs"    ? &out.costs
                   : option.name == "buffers"  ? &out.buffers
                   : option.name == "wal"      ? &out.wal
                   : option.name == "settings" ? &out.settings
                                               : nullptr;
    if (target != nullptr) {
      ASSIGN_OR_RETURN(*target, OptionBoolean(option));
    } else if (option.name == "timing") {
      ASSIGN_OR_RETURN(timing, OptionBoolean(option));
    } else if (option.name == "summary") {
      ASSIGN_OR_RETURN(summary, OptionBoolean(option));
    } else {
      return Status::Sql("42601", fmt::format("unrecognized EXPLAIN option \"{}\"", option.name))
          .WithPosition(ErrorPosition(source, option.location));
    }
  }
  if (out.wal && !out.analyze) {
    return Status::Sql("22023", "EXPLAIN option WAL requires ANALYZE");
  }
  out.timing = timing.value_or(out.analyze);
  if (out.timing && !out.analyze) {
    return Status::Sql("22023", "EXPLAIN option TIMING requires ANALYZE");
  }
  out.summary = summary.value_or(out.analyze);
  return out;
}

}  // namespace borealis::sql
