#include "webauthn/ceremony.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tokens/webauthn.h"
#include "webauthn/setup.h"

namespace core::webauthn {
namespace {

std::vector<uint8_t> hmac(const std::vector<uint8_t>& key, std::string_view message) {
  std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(),
           &length) == nullptr) {
    std::abort();  // OpenSSL cannot compute SHA-256: nothing sensible is left to do
  }
  out.resize(length);
  return out;
}

}  // namespace

NewCeremony make_ceremony(Context& ctx, std::string_view kind, std::optional<int64_t> user_id,
                          std::string_view username, std::string_view token_id,
                          std::string_view source_address, int64_t now) {
  NewCeremony out;
  out.transaction = "wtx_" + tokens::webauthn::base64url_encode(ctx.random().bytes(32));
  auto& r = out.record;
  r.id_hash = common::sha256_hex(out.transaction);
  r.kind = std::string(kind);
  r.user_id = user_id;
  r.username = std::string(username);
  r.token_id = std::string(token_id);
  r.challenge = ctx.random().bytes(32);
  r.created_at = now;
  r.expires_at = now + ctx.policy().webauthn.challenge_timeout_s;
  r.source_address = std::string(source_address);
  return out;
}

common::Result<std::optional<store::CeremonyRecord>> take_ceremony(Context& ctx,
                                                                   std::string_view transaction,
                                                                   std::string_view kind) {
  const std::string id_hash = common::sha256_hex(transaction);
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto found = (*tx)->find_ceremony(id_hash);
  if (!found) return found.error();
  if (!*found || (*found)->kind != kind || (*found)->used_at || (*found)->expires_at <= now) {
    return std::optional<store::CeremonyRecord>{};
  }
  auto consumed = (*tx)->consume_ceremony(id_hash, now);
  if (!consumed) return consumed.error();
  if (!*consumed) return std::optional<store::CeremonyRecord>{};
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return std::move(*found);
}

std::vector<uint8_t> user_handle(const Context& ctx, int64_t user_id) {
  auto mac = hmac(ctx.webauthn->decoy_key, "user-handle|" + std::to_string(user_id));
  mac.resize(16);
  return mac;
}

std::vector<uint8_t> decoy_credential_id(const Context& ctx, std::string_view username) {
  auto id = hmac(ctx.webauthn->decoy_key, "decoy-credential|1|" + std::string(username));
  const auto second = hmac(ctx.webauthn->decoy_key, "decoy-credential|2|" + std::string(username));
  id.insert(id.end(), second.begin(), second.end());
  return id;
}

}  // namespace core::webauthn
