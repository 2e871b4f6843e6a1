#include "webauthn/clone_alert.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "notifications/outbox.h"

namespace core::webauthn {
namespace {

bool administers(Context& ctx, const store::UserRecord& admin,
                 const store::OrganisationRecord& org) {
  if (admin.state != "active" || admin.email.empty()) return false;
  if (admin.organisation != org.id && admin.organisation != org.parent) return false;
  const auto& roles = ctx.policy().permissions.token_manage;
  return std::any_of(admin.roles.begin(), admin.roles.end(), [&](const std::string& role) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  });
}

notifications::Message alert_for(const store::UserRecord& admin, const store::UserRecord& user,
                                 const std::string& token_id) {
  notifications::Message m;
  m.kind = "token.suspect_clone";
  m.recipient = admin.email;
  m.about = user.username;
  m.subject = "Security key of " + user.username + " may have been copied";
  m.body = "Dear " + admin.display_name + ",\n\nA login with the security key " + token_id +
           " of " + user.display_name + " (" + user.username +
           ") presented a signature counter lower than one already seen. Two devices may be "
           "answering for the same key, so it may have been copied. The login was refused and "
           "the key can no longer be used.\n\nPlease contact the user, revoke the key, issue a "
           "new one and review the audit trail for the account.\n\nauthd\n";
  return m;
}

}  // namespace

common::Result<int64_t> report_suspected_clone(Context& ctx, store::StoreTx& tx,
                                               const store::UserRecord& user,
                                               const store::WebAuthnCredentialRecord& credential,
                                               uint32_t presented_count,
                                               const std::string& source_address, int64_t now) {
  auto moved = tx.change_token_state(credential.token_id, "active", "suspect_clone", now);
  if (!moved) return moved.error();
  auto org = tx.find_organisation(user.organisation);
  if (!org) return org.error();
  int64_t queued = 0;
  if (*org) {
    auto everyone = tx.list_users();
    if (!everyone) return everyone.error();
    for (const auto& admin : *everyone) {
      if (!administers(ctx, admin, **org)) continue;
      auto id = notifications::enqueue(tx, alert_for(admin, user, credential.token_id), now);
      if (!id) return id.error();
      if (*id != 0) ++queued;
    }
  }
  audit::Draft draft;
  draft.actor = "-";
  draft.subject = user.username;
  draft.action = "token.suspect_clone";
  draft.outcome = audit::kSuccess;
  draft.reason = "counter_regressed";
  draft.source_address = source_address;
  draft.detail = nlohmann::json{
      {"token_id", credential.token_id},
      {"stored_count", credential.sign_count},
      {"presented_count", presented_count},
      {"administrators_told",
       queued}}.dump();
  auto logged = audit::append(tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  return queued;
}

}  // namespace core::webauthn
