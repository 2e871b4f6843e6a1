// Fuzz target: a registration as the browser sends it. JSON input goes
// through parse_registration_response and, when it parses, verify_registration;
// a raw frame (fuzz_fixture.h: rawId, clientDataJSON, attestationObject) goes
// straight to verify_registration, so mutations reach the CBOR, COSE key,
// authenticatorData and attestation statement parsers without base64url.
//
// Each response is verified against two fixed expectations: a permissive one
// (every format, no roots: the success path for every attestation) and a
// strict one (the corpus's attestation root, an AAGUID allowlist, UV
// required: the chain check and the later refusals).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_credentials.h"
#include "fuzz_fixture.h"

namespace {

using namespace authd_fuzz;

const wa::RegistrationExpectation& permissive() {
  static const wa::RegistrationExpectation e = [] {
    wa::RegistrationExpectation out;
    out.rp = relying_party();
    out.challenge = registration_challenge();
    out.attestation.formats = {"packed", "fido-u2f", "none"};
    return out;
  }();
  return e;
}

const wa::RegistrationExpectation& strict() {
  static const wa::RegistrationExpectation e = [] {
    wa::RegistrationExpectation out = permissive();
    out.user_verification = wa::UserVerification::required;
    out.attestation.formats = {"packed", "fido-u2f"};
    out.attestation.aaguids = {kAuthenticatorAaguid};
    out.attestation.root_certificates_pem = {kAttestationRootPem};
    return out;
  }();
  return e;
}

void verify(const wa::RegistrationResponse& response) {
  for (const auto* expected : {&permissive(), &strict()}) {
    const auto verdict = wa::verify_registration(response, *expected);
    if (verdict.ok()) {
      // Touch the result so a sanitizer sees any use of freed or short data.
      volatile size_t sink = verdict->credential_id.size() + verdict->public_key.size() +
                             verdict->format.size() + verdict->attestation_trust.size();
      (void)sink;
    } else {
      (void)wa::refusal_name(verdict.refusal());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 0 && data[0] == kRawFrameMarker) {
    const auto fields = split_frame(data, size, 3);
    wa::RegistrationResponse response;
    response.raw_id = to_bytes(fields[0]);
    response.client_data_json.assign(fields[1].begin(), fields[1].end());
    response.attestation_object = to_bytes(fields[2]);
    verify(response);
    return 0;
  }
  const auto parsed =
      wa::parse_registration_response(std::string_view(reinterpret_cast<const char*>(data), size));
  if (parsed.ok()) verify(parsed.value());
  return 0;
}
