// WebAuthn (Level 3) for a relying party: the JSON forms of the ceremony
// options, parsing of what a browser's credential.toJSON() sends back, and
// verification of registrations (attestation) and assertions (login).
//
// Signatures are checked by libfido2 (fido_cred_verify for packed and
// fido-u2f attestation, fido_assert_verify for assertions); certificate
// chains by OpenSSL against the configured roots. What libfido2 leaves to the
// server is done here: clientDataJSON type, challenge and origin, the rpId
// hash, the UP/UV flags, the signature counter and the attestation chain.
// Every length and every CBOR item is bounds-checked before use: all input
// here is untrusted.
//
// Nothing here keeps state, reads a clock or opens a file: challenges, their
// expiry and single use, and the stored credentials belong to the caller.
//
// Thread safety: free functions on plain values; safe from any thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tokens::webauthn {

using Bytes = std::vector<uint8_t>;
using Aaguid = std::array<uint8_t, 16>;

// COSE algorithm identifiers (RFC 9053) that authd accepts.
inline constexpr int32_t kCoseEs256 = -7;
inline constexpr int32_t kCoseEdDsa = -8;
inline constexpr int32_t kCoseRs256 = -257;

// Why a response was refused. The caller audits the name and answers every
// refusal with one generic error.
enum class Refusal {
  malformed,              // not parseable: JSON, base64url, CBOR, lengths, flags
  wrong_type,             // clientDataJSON.type is not webauthn.create / webauthn.get
  wrong_challenge,        // clientDataJSON.challenge is not the one issued
  wrong_origin,           // clientDataJSON.origin is not an allowed origin
  wrong_rp_id,            // authenticatorData's rpIdHash is not SHA-256(rp id)
  no_user_presence,       // UP flag clear
  no_user_verification,   // UV flag clear while user verification is required
  unsupported_algorithm,  // the key's COSE algorithm is not ES256, EdDSA or RS256
  format_not_allowed,     // the attestation format is not in the policy's list
  bad_attestation,        // the attestation statement or its signature is invalid
  untrusted_attestation,  // roots are configured and the chain reaches none of them
                          // (self and none attestation included)
  aaguid_not_allowed,     // an AAGUID allowlist is configured and this one is not on it
  unknown_credential,     // the credential id is not the stored one (assertions)
  wrong_user_handle,      // the assertion names a user handle other than the expected one
  bad_signature,          // the assertion signature does not verify
  counter_regressed,      // the signature counter did not rise: a possible clone.
                          // Reported only for a valid signature.
};

// The stable audit name of a refusal, e.g. "wrong_origin".
const char* refusal_name(Refusal refusal) noexcept;

// Either a verified value or the reason it was refused.
//
// Attestation certificate chains are checked without their validity dates
// (X509_V_FLAG_NO_CHECK_TIME): nothing here reads a clock, and makers'
// attestation certificates commonly outlive the dates in them.
template <class T>
class Verdict {
 public:
  Verdict(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Verdict(Refusal refusal) : v_(refusal) {}   // NOLINT: implicit by design
  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // Preconditions: ok() for value(), !ok() for refusal(); violated ones abort.
  const T& value() const {
    check(ok());
    return std::get<0>(v_);
  }
  T& value() {
    check(ok());
    return std::get<0>(v_);
  }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }
  Refusal refusal() const {
    check(!ok());
    return std::get<1>(v_);
  }

 private:
  static void check(bool condition) {
    if (!condition) __builtin_trap();
  }
  std::variant<T, Refusal> v_;
};

enum class UserVerification { required, preferred, discouraged };
const char* user_verification_name(UserVerification uv) noexcept;  // "required", ...

// The relying party as the server is configured.
struct RelyingParty {
  std::string id;    // a registrable domain, e.g. "localhost", "authd.example.org"
  std::string name;  // shown by the browser at registration
  // Exact origins clientDataJSON may name, e.g. "https://authd.example.org".
  std::vector<std::string> origins;
};

// What attestation a registration must carry.
struct AttestationPolicy {
  // Accepted statement formats: any of "packed", "fido-u2f", "none". "none"
  // (and an empty attStmt) is accepted only when listed.
  std::vector<std::string> formats = {"packed", "fido-u2f"};
  // Empty: any authenticator model. Otherwise the AAGUID must be listed
  // (fido-u2f keys have the all-zero AAGUID).
  std::vector<Aaguid> aaguids;
  // PEM texts, each one certificate or a bundle of them. Empty: a valid attestation signature is
  // enough (an x5c chain is not checked against anything). Otherwise the x5c chain must verify up
  // to one of these roots, and self and none attestation are refused as untrusted_attestation.
  std::vector<std::string> root_certificates_pem;
};

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hex, any case) and back.
std::optional<Aaguid> parse_aaguid(std::string_view text);
std::string aaguid_string(const Aaguid& aaguid);

// RFC 4648 section 5 without padding (the WebAuthn JSON encoding). Decoding
// refuses padding, the standard alphabet's '+' and '/', and non-canonical
// trailing bits.
std::string base64url_encode(std::span<const uint8_t> bytes);
std::optional<Bytes> base64url_decode(std::string_view text);

// ---------------------------------------------------------------------------
// Options (server -> browser), as PublicKeyCredential*OptionsJSON text.

struct CredentialDescriptor {
  Bytes id;
  std::vector<std::string> transports;  // "usb", "nfc", "ble", "hybrid", "internal"
};

struct CreationOptions {
  RelyingParty rp;        // id and name are used
  Bytes user_id;          // the user handle: opaque, 1..64 bytes, no personal data
  std::string user_name;  // the username
  std::string user_display_name;
  Bytes challenge;  // >= 16 bytes, from a cryptographic source
  std::chrono::milliseconds timeout{300000};
  std::vector<CredentialDescriptor> exclude_credentials;
  UserVerification user_verification = UserVerification::preferred;
  std::string resident_key = "discouraged";  // "discouraged" | "preferred" | "required"
  std::string authenticator_attachment;      // "" (any) | "cross-platform" | "platform"
  std::string attestation = "direct";        // "none" | "indirect" | "direct" | "enterprise"
};

// PublicKeyCredentialCreationOptionsJSON: pubKeyCredParams lists ES256,
// EdDSA and RS256 in that order; binary members are base64url.
std::string creation_options_json(const CreationOptions& options);

struct RequestOptions {
  std::string rp_id;
  Bytes challenge;
  std::chrono::milliseconds timeout{300000};
  std::vector<CredentialDescriptor> allow_credentials;
  UserVerification user_verification = UserVerification::preferred;
};

// PublicKeyCredentialRequestOptionsJSON.
std::string request_options_json(const RequestOptions& options);

// ---------------------------------------------------------------------------
// Registration (browser -> server).

// A RegistrationResponseJSON (credential.toJSON() after create()), decoded.
struct RegistrationResponse {
  Bytes raw_id;
  std::string client_data_json;
  Bytes attestation_object;
  std::vector<std::string> transports;  // as reported; informational
};

// Refuses (malformed) anything that is not a JSON object with type
// "public-key", matching id/rawId, and base64url response.clientDataJSON and
// response.attestationObject. Unknown members are ignored, as browsers add some.
Verdict<RegistrationResponse> parse_registration_response(std::string_view json);

struct RegistrationExpectation {
  RelyingParty rp{};
  Bytes challenge{};  // the one issued for this ceremony
  UserVerification user_verification = UserVerification::preferred;
  AttestationPolicy attestation{};
};

struct RegisteredCredential {
  Bytes credential_id;
  int32_t algorithm = 0;  // kCoseEs256 | kCoseEdDsa | kCoseRs256
  Bytes public_key;       // the COSE_Key exactly as the authenticator sent it
  uint32_t sign_count = 0;
  Aaguid aaguid{};
  std::string format;  // "packed" | "fido-u2f" | "none"
  // How far the attestation was trusted: "none" (format none), "self"
  // (packed without x5c), "unverified" (x5c signature valid, no roots
  // configured), "trusted" (chain verified to a configured root).
  std::string attestation_trust;
  bool user_verified = false;
  bool backup_eligible = false;
  bool backed_up = false;
  std::vector<std::string> transports;
};

// Checks, in order: clientDataJSON (type webauthn.create, challenge, origin),
// the attestation object (fmt, attStmt, authData with attested credential
// data: rpIdHash, UP, UV when required, the credential id equal to rawId,
// a supported COSE key), the format against the policy, the attestation
// signature with libfido2, the chain against the roots, the AAGUID.
Verdict<RegisteredCredential> verify_registration(const RegistrationResponse& response,
                                                  const RegistrationExpectation& expected);

// ---------------------------------------------------------------------------
// Authentication (browser -> server).

// An AuthenticationResponseJSON (credential.toJSON() after get()), decoded.
struct AssertionResponse {
  Bytes raw_id;
  std::string client_data_json;
  Bytes authenticator_data;
  Bytes signature;
  Bytes user_handle;  // may be empty
};

// As parse_registration_response, for response.clientDataJSON,
// authenticatorData, signature and the optional userHandle.
Verdict<AssertionResponse> parse_assertion_response(std::string_view json);

// A credential as the server stored it at registration.
struct StoredCredential {
  Bytes credential_id;
  int32_t algorithm = 0;
  Bytes public_key;  // COSE_Key
  uint32_t sign_count = 0;
};

struct AssertionExpectation {
  RelyingParty rp{};
  Bytes challenge{};
  UserVerification user_verification = UserVerification::preferred;
  // The handle the credential was registered with (CreationOptions::user_id).
  // An assertion may omit userHandle (non-discoverable credentials); one that
  // carries it must carry this. Empty: not checked.
  Bytes user_handle{};
};

struct VerifiedAssertion {
  uint32_t sign_count = 0;  // store it: the next assertion must exceed it
  bool user_verified = false;
  bool backed_up = false;
};

// Checks, in order: rawId equals the stored credential id, the userHandle
// when both it and the expected one are present, clientDataJSON
// (type webauthn.get, challenge, origin), authenticatorData (length, rpIdHash,
// UP, UV when required), the signature with libfido2 against the stored
// COSE key, then the counter: it must exceed the stored one, except that a
// counter of 0 with a stored 0 is accepted (authenticators without one).
Verdict<VerifiedAssertion> verify_assertion(const AssertionResponse& response,
                                            const StoredCredential& credential,
                                            const AssertionExpectation& expected);

// The signature counter authenticatorData carries, or nullopt when it is too
// short to carry one. For the audit of a counter_regressed refusal, which
// verify_assertion reports only for a valid signature: read it then only.
std::optional<uint32_t> presented_sign_count(const AssertionResponse& response);

}  // namespace tokens::webauthn
