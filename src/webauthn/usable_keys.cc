#include "webauthn/usable_keys.h"

#include <set>
#include <string>

namespace core::webauthn {

common::Result<std::vector<store::WebAuthnCredentialRecord>> usable_keys(store::StoreTx& tx,
                                                                         int64_t user_id,
                                                                         int64_t now) {
  auto tokens = tx.tokens_of(user_id);
  if (!tokens) return tokens.error();
  std::set<std::string> active;
  for (const auto& token : *tokens) {
    const bool expired = token.temporary && token.expires_at && *token.expires_at <= now;
    if (token.type == "fido2" && token.state == "active" && !expired) active.insert(token.id);
  }
  auto credentials = tx.webauthn_credentials_of(user_id);
  if (!credentials) return credentials.error();
  std::vector<store::WebAuthnCredentialRecord> out;
  for (auto& credential : *credentials) {
    if (active.count(credential.token_id) != 0) out.push_back(std::move(credential));
  }
  return out;
}

}  // namespace core::webauthn
