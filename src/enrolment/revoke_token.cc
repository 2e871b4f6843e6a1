// Revocation by an administrator (token_manage): the token never
// authenticates again, even if presented (login accepts active tokens
// only, and the database refuses to make a revoked token usable).
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "enrolment/token_lifecycle.h"
#include "enrolment/token_target.h"

namespace core::enrolment {
namespace {

constexpr const char* kAction = "token.revoke";

common::Result<TokenView> revoke(Context& ctx, const Principal& admin, std::string_view token_id,
                                 std::string_view note, accounts::Refusals& refusals,
                                 std::string& subject) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_token_target(ctx, **tx, admin, token_id,
                                  &policy::PermissionsPolicy::token_manage, HolderMay::not_act,
                                  refusals);
  if (!target) return target.error();
  subject = target->holder.username;
  const int64_t now = ctx.now();
  auto state = apply_token_event(**tx, target->token, tokens::TokenEvent::revoke, now, refusals);
  if (!state) return state.error();
  auto logged = accounts::audit_success(
      **tx, admin, kAction, subject, "ok",
      nlohmann::json{{"token_id", target->token.id}, {"from", target->token.state}, {"note", note}},
      now);
  if (!logged) return logged.error();
  auto fresh = (*tx)->find_token(target->token.id);
  if (!fresh) return fresh.error();
  if (!*fresh) return common::make_error(common::Errc::internal, "the token vanished");
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return accounts::token_view(**fresh);
}

}  // namespace

common::Result<TokenView> revoke_token(Context& ctx, const Principal& who,
                                       std::string_view token_id, std::string_view note) {
  auto admin = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::token_manage,
                                            kAction);
  if (!admin) return admin.error();
  if (auto ok = check_token_note(note); !ok) return ok.error();
  accounts::Refusals refusals;
  std::string subject = token_subject(token_id);
  auto result = revoke(ctx, *admin, token_id, note, refusals, subject);
  return refusals.audited(ctx, *admin, kAction, subject, std::move(result));
}

}  // namespace core::enrolment
