#include "enrolment/totp_secret.h"

#include "keys/key_registry.h"

namespace core::enrolment {
namespace {

using common::Errc;
using common::make_error;

std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

// The HSM's health follows its last answer; a refusal to decrypt is the
// data's fault, not the token's.
template <class T>
common::Result<T> SeedVault::noted(common::Result<T> result) {
  const bool device_fault = !result.ok() && result.error().code != Errc::bad_request;
  health_.hsm_ok = !device_fault;
  return result;
}

common::Result<SealedSeed> SeedVault::seal(std::string_view token_id,
                                           const common::SecretBytes& seed) {
  auto key = keys_.current(keys::kWrap);
  if (!key) return make_error(Errc::unavailable, "no current wrapping key is recorded");
  auto sealed = noted(hsm_->seal(key->uri, seed.view(), bytes_of(token_id)));
  if (!sealed) return keys::hsm_failure(sealed.error(), "wrapping a TOTP secret");
  return SealedSeed{std::move(*sealed), key->key_id};
}

common::Result<common::SecretBytes> SeedVault::open(const store::TokenRecord& token) {
  if (!token.secret_key) {
    return make_error(Errc::internal,
                      "the TOTP secret of token " + token.id + " is not wrapped by the HSM");
  }
  auto key = keys_.find(*token.secret_key);
  if (!key) {
    return make_error(Errc::internal, "the TOTP secret of token " + token.id +
                                          " names an unknown wrapping key " + *token.secret_key);
  }
  auto seed = noted(hsm_->open(key->uri, token.sealed_secret, bytes_of(token.id)));
  if (!seed) {
    if (seed.error().code == Errc::bad_request) {
      return make_error(Errc::internal,
                        "the TOTP secret of token " + token.id + " does not decrypt");
    }
    return keys::hsm_failure(seed.error(), "unwrapping a TOTP secret");
  }
  return seed;
}

common::Result<common::SecretBytes> SeedVault::open(std::string_view aad,
                                                    const SealedSeed& sealed) {
  auto key = keys_.find(sealed.key_id);
  if (!key) return make_error(Errc::internal, "unknown wrapping key " + sealed.key_id);
  auto seed = noted(hsm_->open(key->uri, sealed.blob, bytes_of(aad)));
  if (!seed) return keys::hsm_failure(seed.error(), "unwrapping a TOTP secret");
  return seed;
}

common::SecretBytes legacy_plain_seed(const store::TokenRecord& token) {
  return common::SecretBytes(
      std::vector<uint8_t>(token.sealed_secret.begin(), token.sealed_secret.end()));
}

}  // namespace core::enrolment
