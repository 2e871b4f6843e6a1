// verify_registration: the order of checks is the header's (and close to
// WebAuthn section 7.1's), so the first failure names the refusal.
#include <algorithm>

#include "tokens/webauthn.h"
#include "webauthn_attestation.h"
#include "webauthn_authenticator_data.h"
#include "webauthn_cbor.h"
#include "webauthn_client_data.h"
#include "webauthn_cose_key.h"
#include "webauthn_digest.h"

namespace tokens::webauthn {

Verdict<RegisteredCredential> verify_registration(const RegistrationResponse& response,
                                                  const RegistrationExpectation& expected) {
  using namespace detail;
  if (auto refusal = check_client_data(response.client_data_json, "webauthn.create",
                                       expected.challenge, expected.rp.origins)) {
    return *refusal;
  }

  // The attestation object: a map of exactly fmt, attStmt and authData.
  const CborItem object = load_cbor(response.attestation_object);
  if (!object || !cbor_map_keys_unique(object.get()) || cbor_map_size(object.get()) != 3) {
    return Refusal::malformed;
  }
  const cbor_item_t* fmt = cbor_map_text_value(object.get(), "fmt");
  const cbor_item_t* statement = cbor_map_text_value(object.get(), "attStmt");
  const auto auth_data_bytes = cbor_bytes(cbor_map_text_value(object.get(), "authData"));
  if (fmt == nullptr || !cbor_isa_string(fmt) || !cbor_string_is_definite(fmt) ||
      !cbor_map_keys_unique(statement) || !auth_data_bytes) {
    return Refusal::malformed;
  }
  const std::string format(reinterpret_cast<const char*>(cbor_string_handle(fmt)),
                           cbor_string_length(fmt));

  const auto auth_data = parse_authenticator_data(*auth_data_bytes, /*attested_required=*/true);
  if (!auth_data) return Refusal::malformed;
  if (!constant_time_equal(auth_data->rp_id_hash, sha256(expected.rp.id))) {
    return Refusal::wrong_rp_id;
  }
  if (!(auth_data->flags & kFlagUp)) return Refusal::no_user_presence;
  const bool uv = (auth_data->flags & kFlagUv) != 0;
  if (expected.user_verification == UserVerification::required && !uv) {
    return Refusal::no_user_verification;
  }
  const AttestedCredential& attested = *auth_data->attested;
  if (!std::equal(attested.credential_id.begin(), attested.credential_id.end(),
                  response.raw_id.begin(), response.raw_id.end())) {
    return Refusal::malformed;
  }
  auto key = parse_cose_key(attested.public_key);
  if (!key) return key.refusal();

  const auto& allowed = expected.attestation.formats;
  const bool known = format == "packed" || format == "fido-u2f" || format == "none";
  if (!known || std::find(allowed.begin(), allowed.end(), format) == allowed.end()) {
    return Refusal::format_not_allowed;
  }
  AttestationInput input;
  input.format = format;
  input.statement = statement;
  input.authenticator_data = *auth_data_bytes;
  input.parsed = &*auth_data;
  input.credential_key = &key.value();
  input.client_data_json = response.client_data_json;
  input.rp_id = expected.rp.id;
  auto trust = verify_attestation_statement(input, expected.attestation);
  if (!trust) return trust.refusal();

  const auto& aaguids = expected.attestation.aaguids;
  if (!aaguids.empty() &&
      std::find(aaguids.begin(), aaguids.end(), attested.aaguid) == aaguids.end()) {
    return Refusal::aaguid_not_allowed;
  }

  RegisteredCredential out;
  out.credential_id.assign(attested.credential_id.begin(), attested.credential_id.end());
  out.algorithm = key->algorithm();
  out.public_key.assign(attested.public_key.begin(), attested.public_key.end());
  out.sign_count = auth_data->sign_count;
  out.aaguid = attested.aaguid;
  out.format = format;
  out.attestation_trust = std::move(trust.value());
  out.user_verified = uv;
  out.backup_eligible = (auth_data->flags & kFlagBe) != 0;
  out.backed_up = (auth_data->flags & kFlagBs) != 0;
  out.transports = response.transports;
  return out;
}

}  // namespace tokens::webauthn
