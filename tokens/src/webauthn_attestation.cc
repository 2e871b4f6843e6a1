// What each format requires (WebAuthn sections 8.2, 8.6, 8.7), and which part
// of it libfido2 does: fido_cred_verify checks the x5c[0] signature over
// authData || SHA-256(clientDataJSON) (packed) or the U2F registration message
// (fido-u2f); fido_cred_verify_self the credential key's own signature. The
// certificate requirements, the chain and `none` are checked here.
#include "webauthn_attestation.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "webauthn_cbor.h"
#include "webauthn_chain.h"

namespace tokens::webauthn::detail {
namespace {

struct X509Free {
  void operator()(X509* c) const noexcept { X509_free(c); }
};
using Cert = std::unique_ptr<X509, X509Free>;

Cert decode_cert(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  Cert cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert && p != der.data() + der.size()) cert.reset();
  return cert;
}

// x5c: a non-empty array of definite byte strings.
std::optional<std::vector<std::span<const uint8_t>>> certificate_list(const cbor_item_t* x5c) {
  if (!cbor_isa_array(x5c) || !cbor_array_is_definite(x5c) || cbor_array_size(x5c) == 0) {
    return std::nullopt;
  }
  std::vector<std::span<const uint8_t>> out;
  cbor_item_t** items = cbor_array_handle(x5c);
  for (size_t i = 0; i < cbor_array_size(x5c); ++i) {
    const auto der = cbor_bytes(items[i]);
    if (!der || der->empty()) return std::nullopt;
    out.push_back(*der);
  }
  return out;
}

// The packed attestation certificate requirements (section 8.2.1) that bear on
// trust: X.509 v3, not a CA, and if it names an AAGUID
// (id-fido-gen-ce-aaguid, 1.3.6.1.4.1.45724.1.1.4) it is the one in authData.
bool packed_certificate_fits(X509* cert, const Aaguid& aaguid) {
  if (X509_get_version(cert) != 2) return false;
  if (X509_check_ca(cert) != 0) return false;
  ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.4.1.45724.1.1.4", 1);
  if (oid == nullptr) return false;
  const int index = X509_get_ext_by_OBJ(cert, oid, -1);
  ASN1_OBJECT_free(oid);
  if (index < 0) return true;
  X509_EXTENSION* ext = X509_get_ext(cert, index);
  if (X509_EXTENSION_get_critical(ext)) return false;  // must not be critical
  // The extension value is an OCTET STRING holding a DER OCTET STRING of 16.
  const ASN1_OCTET_STRING* outer = X509_EXTENSION_get_data(ext);
  const unsigned char* p = ASN1_STRING_get0_data(outer);
  const long length = ASN1_STRING_length(outer);
  ASN1_OCTET_STRING* inner = d2i_ASN1_OCTET_STRING(nullptr, &p, length);
  const bool match = inner != nullptr && p == ASN1_STRING_get0_data(outer) + length &&
                     ASN1_STRING_length(inner) == 16 &&
                     std::equal(aaguid.begin(), aaguid.end(), ASN1_STRING_get0_data(inner));
  ASN1_OCTET_STRING_free(inner);
  return match;
}

bool is_p256_key(X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[32] = {};
  size_t length = 0;
  return EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1 &&
         std::string_view(group, length) == "prime256v1";
}

// libfido2 does the signature; a fresh object per call (NOTES.md: a reused
// one keeps the old client-data hash).
bool fido_verifies(const AttestationInput& in, bool self) {
  unsigned char* statement = nullptr;
  size_t statement_capacity = 0;
  const size_t statement_length =
      cbor_serialize_alloc(in.statement, &statement, &statement_capacity);
  fido_cred_t* cred = fido_cred_new();
  const std::string rp_id(in.rp_id);
  const std::string format(in.format);
  bool ok = statement_length > 0 && cred != nullptr &&
            fido_cred_set_type(cred, in.credential_key->algorithm()) == FIDO_OK &&
            fido_cred_set_clientdata(
                cred, reinterpret_cast<const unsigned char*>(in.client_data_json.data()),
                in.client_data_json.size()) == FIDO_OK &&
            fido_cred_set_rp(cred, rp_id.c_str(), nullptr) == FIDO_OK &&
            fido_cred_set_authdata_raw(cred, in.authenticator_data.data(),
                                       in.authenticator_data.size()) == FIDO_OK &&
            fido_cred_set_fmt(cred, format.c_str()) == FIDO_OK &&
            fido_cred_set_attstmt(cred, statement, statement_length) == FIDO_OK;
  if (ok) ok = (self ? fido_cred_verify_self(cred) : fido_cred_verify(cred)) == FIDO_OK;
  fido_cred_free(&cred);
  std::free(statement);
  return ok;
}

}  // namespace

Verdict<std::string> verify_attestation_statement(const AttestationInput& in,
                                                  const AttestationPolicy& policy) {
  const bool roots = !policy.root_certificates_pem.empty();
  const cbor_item_t* stmt = in.statement;
  if (stmt == nullptr || !cbor_isa_map(stmt) || !cbor_map_is_definite(stmt)) {
    return Refusal::bad_attestation;
  }

  if (in.format == "none") {
    if (cbor_map_size(stmt) != 0) return Refusal::bad_attestation;
    if (roots) return Refusal::untrusted_attestation;
    return std::string("none");
  }

  const cbor_item_t* sig = cbor_map_text_value(stmt, "sig");
  const cbor_item_t* x5c_item = cbor_map_text_value(stmt, "x5c");
  if (!cbor_bytes(sig)) return Refusal::bad_attestation;
  std::vector<std::span<const uint8_t>> x5c;
  if (x5c_item != nullptr) {
    auto list = certificate_list(x5c_item);
    if (!list) return Refusal::bad_attestation;
    x5c = std::move(*list);
  }
  const Aaguid& aaguid = in.parsed->attested->aaguid;

  if (in.format == "fido-u2f") {
    if (cbor_map_size(stmt) != 2 || x5c.size() != 1) return Refusal::bad_attestation;
    if (in.credential_key->algorithm() != kCoseEs256) return Refusal::bad_attestation;
    Cert cert = decode_cert(x5c[0]);
    if (!cert || !is_p256_key(cert.get())) return Refusal::bad_attestation;
    if (!fido_verifies(in, /*self=*/false)) return Refusal::bad_attestation;
  } else {  // packed
    const auto alg = cbor_int_value(cbor_map_text_value(stmt, "alg"));
    if (!alg) return Refusal::bad_attestation;
    if (x5c.empty()) {
      // Self attestation: signed by the credential key, with its algorithm.
      if (*alg != in.credential_key->algorithm()) return Refusal::bad_attestation;
      if (!fido_verifies(in, /*self=*/true)) return Refusal::bad_attestation;
      if (roots) return Refusal::untrusted_attestation;
      return std::string("self");
    }
    Cert cert = decode_cert(x5c[0]);
    if (!cert || !packed_certificate_fits(cert.get(), aaguid)) return Refusal::bad_attestation;
    if (!fido_verifies(in, /*self=*/false)) return Refusal::bad_attestation;
  }

  if (!roots) return std::string("unverified");
  if (!chain_reaches_root(x5c, policy.root_certificates_pem)) {
    return Refusal::untrusted_attestation;
  }
  return std::string("trusted");
}

}  // namespace tokens::webauthn::detail
