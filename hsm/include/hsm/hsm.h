// hsm: the keys authd must never hold itself, behind PKCS#11.
//
// An Hsm is one PKCS#11 token, reached through a module loaded with p11-kit
// (a .so path or a p11-kit module name such as "softhsm2"). The token and the
// keys inside it are named by PKCS#11 URIs (RFC 7512), e.g.
//   token:  pkcs11:token=authd
//   key:    pkcs11:token=authd;object=audit-20261125T101500Z
// A key URI names the key's label (object=) and optionally its CKA_ID (id=);
// for an EC key the URI names the pair (the private half signs, the public
// half is exported).
//
// Private keys made by generate() are CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE
// and not CKA_EXTRACTABLE: no operation here (or anywhere) can read them out.
//
// Errors: every CKR_* becomes a common::Error whose message names the
// operation and the CKR_ constant (never a PIN or a plaintext): unavailable for
// a token or device fault (the action did not happen), not_found for a key or
// token that does not exist, bad_request for malformed URIs or arguments,
// invalid_credentials for a wrong PIN, conflict for a label already in use.
//
// Thread safety: an Hsm is safe to call from any number of threads at once;
// it keeps a pool of logged-in sessions and each call borrows one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/secret.h"

namespace hsm {

using common::Result;

struct ModuleConfig {
  // A PKCS#11 module: an absolute path to a .so, or a p11-kit module name
  // (as in /usr/share/p11-kit/modules/NAME.module).
  std::string module = "softhsm2";
  // The token, as a PKCS#11 URI (token=, manufacturer=, serial=, model=).
  std::string token_uri = "pkcs11:token=authd";
  // The user PIN, in a regular file owned by this process's user and not
  // readable by group or others (0600 or 0400); refused otherwise. A trailing
  // newline is ignored. The PIN is never put on a command line or logged.
  std::filesystem::path pin_file;
  // SoftHSM only: its configuration file, exported as SOFTHSM2_CONF before the
  // module is loaded. Empty: leave the environment alone.
  std::filesystem::path softhsm2_conf;
  // Sessions kept open and logged in; callers beyond this wait for one.
  unsigned sessions = 4;
};

enum class KeyType {
  ec_p256,  // ECDSA P-256 signing pair
  aes256,   // AES-256 secret key for GCM wrapping
  ed25519,  // EdDSA signing pair on edwards25519 (modules offering CKM_EDDSA)
};

// What a key's attributes say, for checks and tests.
struct KeyAttributes {
  KeyType type = KeyType::ec_p256;
  bool sensitive = false;      // the private/secret half
  bool extractable = true;     // the private/secret half
  bool value_readable = true;  // C_GetAttributeValue(CKA_VALUE) succeeded
};

class Hsm {
 public:
  virtual ~Hsm() = default;

  // ECDSA P-256 over SHA-256(message): the digest is computed here with
  // OpenSSL and signed with CKM_ECDSA in the token (SoftHSM lacks
  // CKM_ECDSA_SHA256). Returns the raw r||s form (64 bytes), as JWS ES256 uses;
  // see ecdsa_raw_to_der() for the X9.62 DER form.
  virtual Result<std::vector<uint8_t>> sign_es256(const std::string& key_uri,
                                                  std::span<const uint8_t> message) = 0;

  // Ed25519 (PureEdDSA, RFC 8032) over `message` with CKM_EDDSA, where the
  // module offers it (SoftHSM 2.6 does); 64-byte signature. not_found for a
  // key that is not an Ed25519 private key; a module without CKM_EDDSA
  // answers with its CKR_MECHANISM_INVALID error.
  virtual Result<std::vector<uint8_t>> sign_ed25519(const std::string& key_uri,
                                                    std::span<const uint8_t> message) = 0;

  // AES-256-GCM with a key held in the token; a fresh random 96-bit IV per
  // call. Returns iv (12) || ciphertext || tag (16).
  virtual Result<std::vector<uint8_t>> seal(const std::string& key_uri,
                                            std::span<const uint8_t> plaintext,
                                            std::span<const uint8_t> aad) = 0;

  // The inverse of seal(). A ciphertext, tag or AAD that does not match fails
  // with bad_request ("does not decrypt"); a device fault with unavailable.
  virtual Result<common::SecretBytes> open(const std::string& key_uri,
                                           std::span<const uint8_t> sealed,
                                           std::span<const uint8_t> aad) = 0;

  // Bytes from the token's generator.
  virtual Result<std::vector<uint8_t>> random_bytes(size_t count) = 0;

  // The public half of an EC (P-256) or Ed25519 key pair as DER SubjectPublicKeyInfo.
  virtual Result<std::vector<uint8_t>> public_key_der(const std::string& key_uri) = 0;

  // Creates a new key in the token under `label` (conflict if a key with that
  // label exists): sensitive, not extractable, a token object. Returns its URI.
  virtual Result<std::string> generate(KeyType type, const std::string& label) = 0;

  // not_found if the URI names no key in the token.
  virtual Result<KeyAttributes> inspect(const std::string& key_uri) = 0;
};

// Loads the module, finds the token named by config.token_uri (not_found when
// no slot holds it, naming the URI), logs in with the PIN file and opens the
// session pool. Several Hsm objects may exist in one process.
//
// Limits (SoftHSM 2.6 reads SOFTHSM2_CONF once, in C_Initialize, and keeps one
// state per process): while any Hsm on a module is open, every other Hsm (and
// create_softhsm_token) in the process must use the same softhsm2_conf; a
// different one fails with `unavailable` until the others are destroyed, after
// which the module is finalised and re-initialised with the new file. Login
// state is per application: a second Hsm on an already logged-in token gets
// CKR_USER_ALREADY_LOGGED_IN, so the token does not check its PIN again (its
// PIN file's ownership and mode still are). A bad PIN file is bad_request with
// field "pin_file". SoftHSM reports a GCM tag mismatch as CKR_GENERAL_ERROR;
// open() treats that as "does not decrypt" while the session still answers.
Result<std::unique_ptr<Hsm>> open_pkcs11(const ModuleConfig& config);

// A new SoftHSM2 token for `authd init`: under `dir` (created 0700) it writes
// softhsm2.conf, tokens/ (0700), so.pin and user.pin (0600, random PINs from
// OpenSSL), initialises a token labelled `label` in a free slot and sets its
// user PIN. Returns the ModuleConfig that opens it. Leaves nothing behind on
// failure.
Result<ModuleConfig> create_softhsm_token(const std::filesystem::path& dir,
                                          const std::string& label);

// --- Public-key helpers (OpenSSL only; no token needed) --------------------

// PEM ("-----BEGIN PUBLIC KEY-----") of a DER SubjectPublicKeyInfo.
Result<std::string> spki_pem(std::span<const uint8_t> spki_der);
// The DER SubjectPublicKeyInfo inside a PEM public key.
Result<std::vector<uint8_t>> spki_der_from_pem(std::string_view pem);
// A public JWK (RFC 7517) for a P-256 key (an Ed25519 key gives the RFC 8037
// form {"kty":"OKP","crv":"Ed25519","x","kid","alg":"EdDSA","use":"sig"}):
// {"kty":"EC","crv":"P-256","x","y","kid","alg":"ES256","use":"sig"} as JSON text, kid =
// jwk_thumbprint().
Result<std::string> public_jwk(std::span<const uint8_t> spki_der);
// RFC 7638 JWK thumbprint (base64url SHA-256), used everywhere as the key id
// (over {"crv","kty","x"} for Ed25519, RFC 8037 appendix A.3).
Result<std::string> jwk_thumbprint(std::span<const uint8_t> spki_der);
// r||s (64 bytes for P-256) to X9.62 DER, as `openssl dgst -verify` expects.
Result<std::vector<uint8_t>> ecdsa_raw_to_der(std::span<const uint8_t> raw);
// Verifies a DER ECDSA signature over SHA-256(message). False for a wrong
// signature; bad_request for a malformed key.
Result<bool> verify_es256_der(std::span<const uint8_t> spki_der, std::span<const uint8_t> message,
                              std::span<const uint8_t> der_signature);

}  // namespace hsm
