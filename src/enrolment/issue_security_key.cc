// Issuing a FIDO2 security key: the token row (type "fido2", state
// "issued", no seed) and a one-time enrolment code that lets its holder
// register the key, even before they can log in at all. Only the code's
// SHA-256 is stored; the code itself is returned once.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/permissions.h"
#include "accounts/scope.h"
#include "accounts/validation.h"
#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "tokens/totp.h"

namespace core::enrolment {
namespace {

using common::Errc;
using common::make_error;

// 20 random bytes (160 bits) as base32 in groups of four, easy to read out
// over the telephone and to type: "ABCD-EFGH-...".
std::string new_enrolment_code(common::Random& random) {
  auto bytes = random.bytes(20);
  const std::string plain = tokens::base32_encode(bytes);
  common::wipe(bytes);
  std::string grouped;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && i % 4 == 0) grouped += '-';
    grouped += plain[i];
  }
  return grouped;
}

common::Result<IssuedSecurityKey> record_key(Context& ctx, const Principal& admin,
                                             std::string_view username,
                                             accounts::Refusals& refusals) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = accounts::find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  if (auto ok = may_hold_token(target->user, refusals); !ok) return ok.error();

  const int64_t now = ctx.now();
  store::TokenRecord token;
  token.id = new_token_id(ctx.random());
  token.user_id = target->user.id;
  token.type = "fido2";
  token.state = "issued";
  token.issued_at = now;
  token.state_changed_at = now;
  auto inserted = (*tx)->insert_token(token);
  if (!inserted) return inserted.error();

  IssuedSecurityKey issued;
  issued.token_id = token.id;
  issued.enrolment_code = new_enrolment_code(ctx.random());
  store::EnrolmentRecord enrolment;
  enrolment.token_id = token.id;
  enrolment.code_hash = common::sha256_hex(issued.enrolment_code);
  enrolment.expires_at = now + int64_t{ctx.policy().webauthn.enrolment_code_hours} * 3600;
  issued.enrolment_expires_at = common::from_unix_seconds(enrolment.expires_at);
  auto stored = (*tx)->insert_enrolment(enrolment);
  if (!stored) return stored.error();

  auto logged =
      accounts::audit_success(**tx, admin, "token.issue", target->user.username, "ok",
                              nlohmann::json{{"token_id", token.id},
                                             {"type", "fido2"},
                                             {"enrolment_expires_at", enrolment.expires_at}},
                              now);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) {
    common::wipe(issued.enrolment_code);
    return committed.error();
  }
  return issued;
}

}  // namespace

common::Result<IssuedSecurityKey> issue_security_key(Context& ctx, const Principal& who,
                                                     std::string_view username) {
  auto admin = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::token_issue,
                                            "token.issue");
  if (!admin) return admin.error();
  if (!accounts::valid_username(username)) return make_error(Errc::not_found, "no such user");
  accounts::Refusals refusals;
  return refusals.audited(ctx, *admin, "token.issue", accounts::subject_of(username),
                          record_key(ctx, *admin, username, refusals));
}

}  // namespace core::enrolment
