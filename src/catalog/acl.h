// Access control lists of catalog objects (issue 4, helper R): PostgreSQL's aclitem model.
//
// An ACL is a list of items (grantee, grantor, privilege bits); grantee 0 is PUBLIC. Role OIDs
// come from auth::RoleStore (admin is 10). A relation whose ACL was never changed has no stored
// list (pg_class.relacl is NULL) and behaves as DefaultAcl: the owner holds every privilege of
// its kind, nobody else any. As in PostgreSQL, a superuser's GRANT/REVOKE is recorded as
// granted by the owner, so the grantor of every item here is the owner (grant options are not
// supported: 0A000 in qp/roles.h).
//
// Text form: PostgreSQL's aclitem[] output, e.g. `{admin=arwdDxt/admin,bob=r/admin,=r/admin}`.
// Binary form (descriptors): uvarint count, then per item uvarint grantee, grantor, privileges.
// Pure functions on values; no limits beyond kMaxAclItems.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::catalog {

// PostgreSQL's AclMode bits (utils/acl.h) and their letters, in this order: "arwdDxtXUCTc".
inline constexpr uint32_t kAclInsert = 1u << 0;       // a
inline constexpr uint32_t kAclSelect = 1u << 1;       // r
inline constexpr uint32_t kAclUpdate = 1u << 2;       // w
inline constexpr uint32_t kAclDelete = 1u << 3;       // d
inline constexpr uint32_t kAclTruncate = 1u << 4;     // D
inline constexpr uint32_t kAclReferences = 1u << 5;   // x
inline constexpr uint32_t kAclTrigger = 1u << 6;      // t
inline constexpr uint32_t kAclExecute = 1u << 7;      // X
inline constexpr uint32_t kAclUsage = 1u << 8;        // U
inline constexpr uint32_t kAclCreate = 1u << 9;       // C
inline constexpr uint32_t kAclCreateTemp = 1u << 10;  // T
inline constexpr uint32_t kAclConnect = 1u << 11;     // c
inline constexpr uint32_t kAclAllTable =
    kAclInsert | kAclSelect | kAclUpdate | kAclDelete | kAclTruncate | kAclReferences | kAclTrigger;
inline constexpr uint32_t kAclAllSequence = kAclUsage | kAclSelect | kAclUpdate;
inline constexpr uint32_t kAclAllSchema = kAclUsage | kAclCreate;

inline constexpr uint32_t kPublicGrantee = 0;
// The owner of objects created before roles existed: the bootstrap superuser (admin).
inline constexpr uint32_t kBootstrapOwnerOid = 10;
inline constexpr size_t kMaxAclItems = 10000;

enum class AclObject { kTable, kSequence, kSchema };

struct AclItem {
  uint32_t grantee = kPublicGrantee;
  uint32_t grantor = 0;
  uint32_t privileges = 0;
  friend bool operator==(const AclItem&, const AclItem&) = default;
};
using Acl = std::vector<AclItem>;

uint32_t AllPrivileges(AclObject object);
Acl DefaultAcl(AclObject object, uint32_t owner);

// The bits a privilege keyword names for `object` ("select", "usage", ...; lower case), or
// nullopt when it does not apply there (PostgreSQL: 0LP01 `invalid privilege type X for
// table`). "all" gives AllPrivileges.
std::optional<uint32_t> PrivilegeBits(AclObject object, std::string_view keyword);
// PostgreSQL's upper-case keyword of one bit ("SELECT"), for has_*_privilege parsing.
std::string_view PrivilegeKeyword(uint32_t bit);

// GRANT / REVOKE `privileges` to / from `grantee`, granted by `owner` (see the top).
// `acl` nullopt means DefaultAcl. Items left with no privileges are removed; the order is
// PostgreSQL's (existing items keep their place, new ones go last). 54000 beyond kMaxAclItems.
Result<Acl> GrantPrivileges(const std::optional<Acl>& acl, AclObject object, uint32_t owner,
                            uint32_t grantee, uint32_t privileges);
Acl RevokePrivileges(const std::optional<Acl>& acl, AclObject object, uint32_t owner,
                     uint32_t grantee, uint32_t privileges);

// The privileges `role` holds through `acl` (nullopt: DefaultAcl): items for PUBLIC and for
// every grantee `has_privileges_of(grantee)` accepts (the role itself and the roles it
// inherits from). Superusers and ownership are the caller's business.
uint32_t HeldPrivileges(const std::optional<Acl>& acl, AclObject object, uint32_t owner,
                        const std::function<bool(uint32_t grantee)>& has_privileges_of);

// `{admin=arwdDxt/admin,=r/admin}`; `role_name` maps OIDs to names (quoted like PostgreSQL's
// putid when they need it).
std::string FormatAcl(const Acl& acl, const std::function<std::string(uint32_t)>& role_name);
std::string FormatPrivileges(uint32_t privileges);

std::string EncodeAcl(const Acl& acl);
Result<Acl> DecodeAcl(std::string_view bytes);

// ALTER ... OWNER TO: `old_owner` becomes `new_owner` in every item (grantee and grantor);
// items that then name the same grantee and grantor are merged (PostgreSQL's aclnewowner).
Acl ChangeAclOwner(const Acl& acl, uint32_t old_owner, uint32_t new_owner);

// Whether `acl` mentions `role` as grantee or grantor (DROP ROLE's dependency check).
bool AclMentions(const Acl& acl, uint32_t role);

}  // namespace borealis::catalog
