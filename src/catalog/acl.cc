#include "catalog/acl.h"

#include <cctype>

#include "encoding/varint.h"

namespace borealis::catalog {
namespace {

constexpr std::string_view kLetters = "arwdDxtXUCTc";
constexpr std::string_view kKeywords[] = {"INSERT",   "SELECT",     "UPDATE",    "DELETE",
                                          "TRUNCATE", "REFERENCES", "TRIGGER",   "EXECUTE",
                                          "USAGE",    "CREATE",     "TEMPORARY", "CONNECT"};

std::string QuoteRoleName(std::string_view name) {
  // PostgreSQL's putid: quote unless every character is alphanumeric or '_'.
  bool plain = !name.empty();
  for (char c : name) {
    plain &= std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  }
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

uint32_t AllPrivileges(AclObject object) {
  switch (object) {
    case AclObject::kTable:
      return kAclAllTable;
    case AclObject::kSequence:
      return kAclAllSequence;
    case AclObject::kSchema:
      return kAclAllSchema;
  }
  return 0;
}

Acl DefaultAcl(AclObject object, uint32_t owner) {
  return {AclItem{owner, owner, AllPrivileges(object)}};
}

std::optional<uint32_t> PrivilegeBits(AclObject object, std::string_view keyword) {
  if (keyword == "all") return AllPrivileges(object);
  for (size_t i = 0; i < std::size(kKeywords); ++i) {
    std::string lower;
    for (char c : kKeywords[i]) lower += static_cast<char>(std::tolower(c));
    if (lower == keyword) {
      uint32_t bit = 1u << i;
      if ((AllPrivileges(object) & bit) == 0) return std::nullopt;
      return bit;
    }
  }
  return std::nullopt;
}

std::string_view PrivilegeKeyword(uint32_t bit) {
  for (size_t i = 0; i < std::size(kKeywords); ++i) {
    if (bit == (1u << i)) return kKeywords[i];
  }
  return "";
}

Result<Acl> GrantPrivileges(const std::optional<Acl>& acl, AclObject object, uint32_t owner,
                            uint32_t grantee, uint32_t privileges) {
  Acl out = acl ? *acl : DefaultAcl(object, owner);
  for (AclItem& item : out) {
    if (item.grantee == grantee && item.grantor == owner) {
      item.privileges |= privileges;
      return out;
    }
  }
  if (privileges == 0) return out;
  if (out.size() >= kMaxAclItems) {
    return Status::Sql("54000", "too many entries in an access control list (kMaxAclItems)");
  }
  out.push_back({grantee, owner, privileges});
  return out;
}

Acl RevokePrivileges(const std::optional<Acl>& acl, AclObject object, uint32_t owner,
                     uint32_t grantee, uint32_t privileges) {
  Acl out = acl ? *acl : DefaultAcl(object, owner);
  Acl kept;
  for (AclItem item : out) {
    if (item.grantee == grantee && item.grantor == owner) item.privileges &= ~privileges;
    if (item.privileges != 0) kept.push_back(item);
  }
  return kept;
}

uint32_t HeldPrivileges(const std::optional<Acl>& acl, AclObject object, uint32_t owner,
                        const std::function<bool(uint32_t grantee)>& has_privileges_of) {
  const Acl& items = acl ? *acl : DefaultAcl(object, owner);
  uint32_t held = 0;
  for (const AclItem& item : items) {
    if (item.grantee == kPublicGrantee || has_privileges_of(item.grantee)) {
      held |= item.privileges;
    }
  }
  return held;
}

std::string FormatPrivileges(uint32_t privileges) {
  std::string out;
  for (size_t i = 0; i < kLetters.size(); ++i) {
    if (privileges & (1u << i)) out += kLetters[i];
  }
  return out;
}

std::string FormatAcl(const Acl& acl, const std::function<std::string(uint32_t)>& role_name) {
  std::string out = "{";
  for (size_t i = 0; i < acl.size(); ++i) {
    if (i > 0) out += ',';
    std::string item;
    if (acl[i].grantee != kPublicGrantee) item += QuoteRoleName(role_name(acl[i].grantee));
    item +=
        '=' + FormatPrivileges(acl[i].privileges) + '/' + QuoteRoleName(role_name(acl[i].grantor));
    // Array output quotes elements holding '"', ',', '{', '}', '\\' or spaces.
    bool quote = item.find_first_of("\",{}\\ ") != std::string::npos;
    if (quote) {
      std::string escaped = "\"";
      for (char c : item) {
        if (c == '"' || c == '\\') escaped += '\\';
        escaped += c;
      }
      item = escaped + "\"";
    }
    out += item;
  }
  return out + "}";
}

std::string EncodeAcl(const Acl& acl) {
  std::string out;
  encoding::AppendUvarint(out, acl.size());
  for (const AclItem& item : acl) {
    encoding::AppendUvarint(out, item.grantee);
    encoding::AppendUvarint(out, item.grantor);
    encoding::AppendUvarint(out, item.privileges);
  }
  return out;
}

Result<Acl> DecodeAcl(std::string_view bytes) {
  encoding::ByteReader reader(bytes);
  ASSIGN_OR_RETURN(uint64_t count, reader.ReadUvarint());
  if (count > kMaxAclItems) return Status::Corruption("acl: too many items");
  Acl acl;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t values[3];
    for (uint64_t& value : values) {
      ASSIGN_OR_RETURN(value, reader.ReadUvarint());
      if (value > UINT32_MAX) return Status::Corruption("acl: value out of range");
    }
    acl.push_back({static_cast<uint32_t>(values[0]), static_cast<uint32_t>(values[1]),
                   static_cast<uint32_t>(values[2])});
  }
  if (!reader.empty()) return Status::Corruption("acl: bytes after the items");
  return acl;
}

Acl ChangeAclOwner(const Acl& acl, uint32_t old_owner, uint32_t new_owner) {
  Acl out;
  for (AclItem item : acl) {
    if (item.grantee == old_owner) item.grantee = new_owner;
    if (item.grantor == old_owner) item.grantor = new_owner;
    bool merged = false;
    for (AclItem& kept : out) {
      if (kept.grantee == item.grantee && kept.grantor == item.grantor) {
        kept.privileges |= item.privileges;
        merged = true;
      }
    }
    if (!merged) out.push_back(item);
  }
  return out;
}

bool AclMentions(const Acl& acl, uint32_t role) {
  for (const AclItem& item : acl) {
    if (item.grantee == role || item.grantor == role) return true;
  }
  return false;
}

}  // namespace borealis::catalog
