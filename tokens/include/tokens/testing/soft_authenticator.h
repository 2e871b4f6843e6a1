// A software FIDO2 authenticator together with the browser in front of it,
// for tests and benchmarks. create() and get() take the options JSON authd
// sends (PublicKeyCredential*OptionsJSON) and return what credential.toJSON()
// returns after navigator.credentials.create() / get(): RegistrationResponseJSON
// and AuthenticationResponseJSON text. Keys are OpenSSL keys, authenticatorData
// is built byte by byte, COSE keys and attestation objects are encoded with
// libcbor, signatures are OpenSSL's.
//
// Every setting exists to make one of the verifier's refusals reachable; the
// defaults give a response a correct relying party accepts.
//
// Not for production: keys live in memory unprotected. Thread safety: one
// thread at a time per object.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokens/webauthn.h"

namespace tokens::testing {

enum class AttestationFormat {
  packed_self,  // "packed" signed by the credential key, no x5c
  packed_x5c,   // "packed" signed by an attestation key, x5c = [leaf, intermediate]
  fido_u2f,     // "fido-u2f", x5c = [leaf] (needs ES256); all-zero AAGUID
  none,         // "none", empty attStmt
};

struct SoftAuthenticatorSettings {
  int32_t algorithm = webauthn::kCoseEs256;  // kCoseEs256 | kCoseEdDsa | kCoseRs256
  AttestationFormat format = AttestationFormat::packed_self;
  // Sent in authenticatorData and in the attestation certificate's
  // id-fido-gen-ce-aaguid extension (packed_x5c); fido_u2f sends zeros.
  webauthn::Aaguid aaguid = {0x5f, 0x7e, 0x1a, 0x00, 0x3c, 0x42, 0x4b, 0x8e,
                             0x9d, 0x21, 0x6a, 0x57, 0x0c, 0xe4, 0x11, 0x07};
  bool user_present = true;   // the UP flag
  bool user_verified = true;  // the UV flag
  // Unset: create() sends 0 and each get() one more than the last. Set: every
  // response carries exactly this value (a clone going back, or an
  // authenticator without a counter staying at 0).
  std::optional<uint32_t> counter{};
  // Tampering. Non-empty rp_id_for_hash: the rpIdHash is SHA-256 of this
  // instead of the options' rp id. client_data_type: sent instead of
  // "webauthn.create" / "webauthn.get". corrupt_signature: one bit of the
  // attestation or assertion signature flipped after signing.
  std::string rp_id_for_hash{};
  std::string client_data_type{};
  bool corrupt_signature = false;
  std::vector<std::string> transports = {"usb"};
  std::string attachment = "cross-platform";
};

class SoftAuthenticator {
 public:
  explicit SoftAuthenticator(SoftAuthenticatorSettings settings = {});
  ~SoftAuthenticator();
  SoftAuthenticator(const SoftAuthenticator&) = delete;
  SoftAuthenticator& operator=(const SoftAuthenticator&) = delete;

  // Changes apply to the next create()/get().
  SoftAuthenticatorSettings& settings();

  // Makes a new credential (replacing any previous one) for rp.id, user.id and
  // challenge in `creation_options_json`, with the settings' algorithm (which
  // must be in pubKeyCredParams) and format. Returns RegistrationResponseJSON,
  // or "" when the options are not usable (as a browser would reject them).
  std::string create(std::string_view creation_options_json, std::string_view origin);

  // Signs an assertion with the credential for rpId and challenge in
  // `request_options_json`. Returns AuthenticationResponseJSON, or "" when
  // there is no credential or allowCredentials is non-empty without it.
  std::string get(std::string_view request_options_json, std::string_view origin);

  // The current credential's id (empty before create()).
  const webauthn::Bytes& credential_id() const;
  // PEM of the test CA at the top of the packed_x5c and fido_u2f chains; the
  // same for the life of this object.
  std::string attestation_root_pem() const;
  // The last signature counter sent.
  uint32_t counter() const;

 private:
  struct State;
  SoftAuthenticatorSettings settings_;
  std::unique_ptr<State> state_;
};

}  // namespace tokens::testing
