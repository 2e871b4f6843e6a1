#include "webauthn/pending_key.h"

namespace core::webauthn {

common::Result<std::optional<PendingKey>> pending_key(store::StoreTx& tx, int64_t user_id,
                                                      int64_t now) {
  auto tokens = tx.tokens_of(user_id);
  if (!tokens) return tokens.error();
  std::optional<PendingKey> newest;
  for (auto& token : *tokens) {
    if (token.type != "fido2" || token.state != "issued") continue;
    if (newest && newest->token.issued_at > token.issued_at) continue;
    auto enrolment = tx.find_enrolment(token.id);
    if (!enrolment) return enrolment.error();
    if (!*enrolment || (*enrolment)->used_at || (*enrolment)->expires_at <= now) continue;
    newest = PendingKey{std::move(token), std::move(**enrolment)};
  }
  return newest;
}

}  // namespace core::webauthn
