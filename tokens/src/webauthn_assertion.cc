// verify_assertion: the login path, so it does only what the checks need, in
// the cheapest order: byte comparisons and one small JSON parse before any
// key is built, one SHA-256 for the rpIdHash, the stored COSE key decoded once
// straight into libfido2's es256_pk_t, and clientDataJSON hashed by libfido2
// itself. Where the rest of the time goes (OpenSSL 3.0 building the P-256
// group for each key libfido2 1.12 makes) is in bench/webauthn_verify_bench.cc.
#include <algorithm>
#include <memory>

#include "tokens/webauthn.h"
#include "webauthn_authenticator_data.h"
#include "webauthn_client_data.h"
#include "webauthn_cose_key.h"
#include "webauthn_digest.h"

namespace tokens::webauthn {
namespace {

struct AssertFree {
  void operator()(fido_assert_t* a) const noexcept { fido_assert_free(&a); }
};

// A fresh fido_assert_t per verification (NOTES.md: the client-data hash of a
// reused one cannot be reset). UP/UV are checked before this, so the options
// stay FIDO_OPT_OMIT.
bool signature_verifies(const AssertionResponse& response, const detail::FidoPublicKey& key,
                        const std::string& rp_id) {
  std::unique_ptr<fido_assert_t, AssertFree> assert(fido_assert_new());
  return assert&& fido_assert_set_rp(assert.get(), rp_id.c_str()) ==
         FIDO_OK&& fido_assert_set_clientdata(
             assert.get(), reinterpret_cast<const unsigned char*>(response.client_data_json.data()),
             response.client_data_json.size()) ==
         FIDO_OK&& fido_assert_set_count(assert.get(), 1) ==
         FIDO_OK&& fido_assert_set_authdata_raw(assert.get(), 0, response.authenticator_data.data(),
                                                response.authenticator_data.size()) ==
         FIDO_OK&& fido_assert_set_sig(assert.get(), 0, response.signature.data(),
                                       response.signature.size()) ==
         FIDO_OK&& fido_assert_verify(assert.get(), 0, key.algorithm(), key.get()) == FIDO_OK;
}

}  // namespace

Verdict<VerifiedAssertion> verify_assertion(const AssertionResponse& response,
                                            const StoredCredential& credential,
                                            const AssertionExpectation& expected) {
  using namespace detail;
  if (response.raw_id.empty() ||
      !std::equal(response.raw_id.begin(), response.raw_id.end(), credential.credential_id.begin(),
                  credential.credential_id.end())) {
    return Refusal::unknown_credential;
  }
  // Not secret (the server chose it), so a plain comparison does.
  if (!response.user_handle.empty() && !expected.user_handle.empty() &&
      response.user_handle != expected.user_handle) {
    return Refusal::wrong_user_handle;
  }
  if (auto refusal = check_client_data(response.client_data_json, "webauthn.get",
                                       expected.challenge, expected.rp.origins)) {
    return *refusal;
  }
  const auto auth_data =
      parse_authenticator_data(response.authenticator_data, /*attested_required=*/false);
  if (!auth_data) return Refusal::malformed;
  if (!constant_time_equal(auth_data->rp_id_hash, sha256(expected.rp.id))) {
    return Refusal::wrong_rp_id;
  }
  if (!(auth_data->flags & kFlagUp)) return Refusal::no_user_presence;
  const bool uv = (auth_data->flags & kFlagUv) != 0;
  if (expected.user_verification == UserVerification::required && !uv) {
    return Refusal::no_user_verification;
  }
  if (response.signature.empty()) return Refusal::malformed;

  auto key = parse_cose_key(credential.public_key);
  if (!key) return key.refusal();
  // The stored algorithm and the key must agree; a mismatch is a storage bug
  // or tampering, never a reason to try another algorithm.
  if (key->algorithm() != credential.algorithm) return Refusal::unsupported_algorithm;
  if (!signature_verifies(response, *key, expected.rp.id)) return Refusal::bad_signature;

  // A clone shows itself by a counter that does not rise. Authenticators
  // without a counter send 0 every time, which is accepted only while the
  // stored value is 0 too.
  const uint32_t count = auth_data->sign_count;
  const bool no_counter = count == 0 && credential.sign_count == 0;
  if (!no_counter && count <= credential.sign_count) return Refusal::counter_regressed;

  VerifiedAssertion out;
  out.sign_count = count;
  out.user_verified = uv;
  out.backed_up = (auth_data->flags & kFlagBs) != 0;
  return out;
}

std::optional<uint32_t> presented_sign_count(const AssertionResponse& response) {
  const auto auth_data =
      detail::parse_authenticator_data(response.authenticator_data, /*attested_required=*/false);
  if (!auth_data) return std::nullopt;
  return auth_data->sign_count;
}

}  // namespace tokens::webauthn
