// A temporary replacement while a lost token is replaced (issue item 6): a
// TOTP token that stops authenticating lifecycle.temporary_token_days after
// issue (login refuses it from expires_at; the sweep then revokes it), and
// that activating the permanent replacement retires (activate_token).
// Only for an account with a lost token, one temporary token at a time.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "enrolment/token_lifecycle.h"
#include "enrolment/token_target.h"
#include "lifecycle/rules.h"
#include "tokens/qr.h"
#include "tokens/totp.h"

namespace core::enrolment {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "token.issue";

// Closed, rejected and nominated accounts hold no tokens at all; an active
// account, or one suspended (for the loss, typically), may hold a stand-in.
common::Result<void> may_hold_temporary(const store::UserRecord& user,
                                        const std::vector<store::TokenRecord>& tokens,
                                        std::string_view type, int64_t now,
                                        accounts::Refusals& refusals) {
  if (user.state != "active" && user.state != "suspended") {
    return refusals.refuse("account_not_active", Errc::conflict,
                           "the account is " + user.state + "; it cannot hold a token");
  }
  const bool lost = std::any_of(tokens.begin(), tokens.end(), [&](const store::TokenRecord& t) {
    return t.type == type && t.state == "lost";
  });
  if (!lost) {
    return refusals.refuse("no_lost_token", Errc::conflict,
                           "a temporary token only stands in for a lost one, and " +
                               user.username + " has no lost " + std::string(type) + " token");
  }
  const bool standing_in = std::any_of(tokens.begin(), tokens.end(), [&](const auto& t) {
    return t.type == type && t.temporary && (t.state == "issued" || t.state == "active") &&
           !(t.expires_at && *t.expires_at <= now);
  });
  if (standing_in) {
    return refusals.refuse("temporary_exists", Errc::conflict,
                           user.username + " already has a temporary " + std::string(type) +
                               " token; revoke it first");
  }
  return {};
}

common::Result<IssuedTotp> issue(Context& ctx, const Principal& admin, std::string_view username,
                                 std::string_view type, PreparedToken prepared,
                                 accounts::Refusals& refusals) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = accounts::find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  const auto& user = target->user;
  auto tokens = (*tx)->tokens_of(user.id);
  if (!tokens) return tokens.error();
  const int64_t now = prepared.record.issued_at;
  if (auto ok = may_hold_temporary(user, *tokens, type, now, refusals); !ok) return ok.error();

  auto& record = prepared.record;
  record.user_id = user.id;
  record.temporary = true;
  record.expires_at =
      now + static_cast<int64_t>(ctx.policy().lifecycle.temporary_token_days) * lifecycle::kDay;
  auto inserted = (*tx)->insert_token(record);
  if (!inserted) return inserted.error();
  auto logged = accounts::audit_success(**tx, admin, kAction, user.username, "ok",
                                        nlohmann::json{{"token_id", record.id},
                                                       {"type", record.type},
                                                       {"temporary", true},
                                                       {"expires_at", *record.expires_at}},
                                        now);
  if (!logged) return logged.error();

  IssuedTotp issued;
  issued.token_id = record.id;
  issued.otpauth_uri =
      tokens::otpauth_uri(ctx.policy().totp.issuer, user.username, prepared.seed.view(), ctx.totp);
  // Drawn before commit: if it fails, no token exists that nobody could enrol.
  auto svg = tokens::qr_svg(issued.otpauth_uri);
  if (!svg) {
    common::wipe(issued.otpauth_uri);
    return svg.error();
  }
  issued.qr_svg = std::move(*svg);
  auto committed = (*tx)->commit();
  if (!committed) {
    common::wipe(issued.otpauth_uri);
    return committed.error();
  }
  return issued;
}

}  // namespace

common::Result<IssuedTotp> issue_temporary_token(Context& ctx, const Principal& who,
                                                 std::string_view username,
                                                 std::string_view type) {
  auto admin = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::token_issue,
                                            kAction);
  if (!admin) return admin.error();
  if (type != "totp") return make_error(Errc::bad_request, "type must be \"totp\"", "type");
  accounts::Refusals refusals;
  // The seed is made and sealed by the HSM before the write lock is taken.
  auto prepared = prepare_totp_token(ctx, /*active=*/false);
  if (!prepared) return prepared.error();
  return refusals.audited(ctx, *admin, kAction, accounts::subject_of(username),
                          issue(ctx, *admin, username, type, std::move(*prepared), refusals));
}

}  // namespace core::enrolment
