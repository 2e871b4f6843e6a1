// The software authenticator: OpenSSL keys and signatures, libcbor encoding,
// authenticatorData assembled by hand following WebAuthn section 6.1, and
// JSON shaped like Chromium's credential.toJSON().
#include "tokens/testing/soft_authenticator.h"

#include <cbor.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tokens::testing {
namespace {

using nlohmann::json;
using webauthn::Bytes;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct X509Free {
  void operator()(X509* c) const noexcept { X509_free(c); }
};
using Cert = std::unique_ptr<X509, X509Free>;
struct CborFree {
  void operator()(cbor_item_t* i) const noexcept { cbor_decref(&i); }
};
using Item = std::unique_ptr<cbor_item_t, CborFree>;

// Test code: a failure of OpenSSL or libcbor here is a broken environment,
// not an input to handle, so it throws and the test fails loudly.
void require(bool condition, const char* what) {
  if (!condition) throw std::runtime_error(std::string("soft authenticator: ") + what);
}

Pkey generate(int32_t algorithm) {
  EVP_PKEY* key = nullptr;
  if (algorithm == webauthn::kCoseEs256) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (algorithm == webauthn::kCoseEdDsa) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else if (algorithm == webauthn::kCoseRs256) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  }
  require(key != nullptr, "key generation");
  return Pkey(key);
}

Bytes sign(EVP_PKEY* key, int32_t algorithm, const Bytes& message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = algorithm == webauthn::kCoseEdDsa ? nullptr : EVP_sha256();
  size_t length = 0;
  Bytes out;
  bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, md, nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &length, message.data(), message.size()) == 1;
  if (ok) {
    out.resize(length);
    ok = EVP_DigestSign(ctx, out.data(), &length, message.data(), message.size()) == 1;
    out.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  require(ok, "signing");
  return out;
}

Bytes sha256(const void* data, size_t size) {
  Bytes out(SHA256_DIGEST_LENGTH);
  SHA256(static_cast<const unsigned char*>(data), size, out.data());
  return out;
}

// Smallest width, as CTAP2 canonical CBOR requires (libfido2 insists on it
// for COSE labels).
Item cbor_int(int64_t v) {
  const uint64_t magnitude = v >= 0 ? static_cast<uint64_t>(v) : static_cast<uint64_t>(-1 - v);
  cbor_item_t* item = nullptr;
  if (magnitude <= 0xff) {
    const auto m = static_cast<uint8_t>(magnitude);
    item = v >= 0 ? cbor_build_uint8(m) : cbor_build_negint8(m);
  } else if (magnitude <= 0xffff) {
    const auto m = static_cast<uint16_t>(magnitude);
    item = v >= 0 ? cbor_build_uint16(m) : cbor_build_negint16(m);
  } else {
    item = v >= 0 ? cbor_build_uint64(magnitude) : cbor_build_negint64(magnitude);
  }
  require(item != nullptr, "cbor int");
  return Item(item);
}

Item cbor_bytes(const Bytes& b) {
  Item item(cbor_build_bytestring(b.data(), b.size()));
  require(item != nullptr, "cbor bytes");
  return item;
}

Item cbor_text(const std::string& s) {
  Item item(cbor_build_stringn(s.data(), s.size()));
  require(item != nullptr, "cbor text");
  return item;
}

void map_add(cbor_item_t* map, Item key, Item value) {
  require(cbor_map_add(map, cbor_pair{key.get(), value.get()}), "cbor map add");
}

Bytes serialize(const cbor_item_t* item) {
  unsigned char* buffer = nullptr;
  size_t capacity = 0;
  const size_t length = cbor_serialize_alloc(item, &buffer, &capacity);
  require(length > 0, "cbor serialize");
  Bytes out(buffer, buffer + length);
  std::free(buffer);
  return out;
}

Bytes ec_point(EVP_PKEY* key) {  // 0x04 || x || y
  Bytes point(65);
  size_t length = 0;
  require(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(),
                                          &length) == 1 &&
              length == 65,
          "ec point");
  return point;
}

// The credential public key as a COSE_Key in CTAP2 canonical key order.
Bytes cose_key(EVP_PKEY* key, int32_t algorithm) {
  Item map(cbor_new_definite_map(5));
  require(map != nullptr, "cbor map");
  if (algorithm == webauthn::kCoseEs256) {
    const Bytes point = ec_point(key);
    map_add(map.get(), cbor_int(1), cbor_int(2));
    map_add(map.get(), cbor_int(3), cbor_int(algorithm));
    map_add(map.get(), cbor_int(-1), cbor_int(1));
    map_add(map.get(), cbor_int(-2), cbor_bytes(Bytes(point.begin() + 1, point.begin() + 33)));
    map_add(map.get(), cbor_int(-3), cbor_bytes(Bytes(point.begin() + 33, point.end())));
  } else if (algorithm == webauthn::kCoseEdDsa) {
    Bytes x(32);
    size_t length = x.size();
    require(EVP_PKEY_get_raw_public_key(key, x.data(), &length) == 1 && length == 32, "ed25519");
    map_add(map.get(), cbor_int(1), cbor_int(1));
    map_add(map.get(), cbor_int(3), cbor_int(algorithm));
    map_add(map.get(), cbor_int(-1), cbor_int(6));
    map_add(map.get(), cbor_int(-2), cbor_bytes(x));
  } else {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    require(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
                EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) == 1,
            "rsa params");
    Bytes nb(static_cast<size_t>(BN_num_bytes(n)));
    Bytes eb(static_cast<size_t>(BN_num_bytes(e)));
    BN_bn2bin(n, nb.data());
    BN_bn2bin(e, eb.data());
    BN_free(n);
    BN_free(e);
    map_add(map.get(), cbor_int(1), cbor_int(3));
    map_add(map.get(), cbor_int(3), cbor_int(algorithm));
    map_add(map.get(), cbor_int(-1), cbor_bytes(nb));
    map_add(map.get(), cbor_int(-2), cbor_bytes(eb));
  }
  return serialize(map.get());
}

Bytes spki(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  require(length > 0, "spki");
  Bytes out(der, der + length);
  OPENSSL_free(der);
  return out;
}

Bytes cert_der(X509* cert) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  require(length > 0, "cert der");
  Bytes out(der, der + length);
  OPENSSL_free(der);
  return out;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  require(ext != nullptr && X509_add_ext(cert, ext, -1) == 1, "cert extension");
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by `issuer_key` (self-signed
// when `issuer` is null). Leaf attestation certificates carry the subject
// WebAuthn section 8.2.1 asks for and, when given, the AAGUID extension.
Cert make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
               const webauthn::Aaguid* aaguid, long serial) {
  Cert cert(X509_new());
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365 * 10);
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto add = [&](const char* field, const std::string& v) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1, 0);
  };
  add("C", "GB");
  add("O", "authd test");
  if (!ca) add("OU", "Authenticator Attestation");
  add("CN", cn);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509* issuer_cert = issuer ? issuer : cert.get();
  add_ext(cert.get(), issuer_cert, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
  if (ca) add_ext(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) add_ext(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid");
  if (aaguid != nullptr) {
    // id-fido-gen-ce-aaguid: an OCTET STRING wrapping the DER OCTET STRING.
    ASN1_OCTET_STRING* inner = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(inner, aaguid->data(), static_cast<int>(aaguid->size()));
    unsigned char* der = nullptr;
    const int der_length = i2d_ASN1_OCTET_STRING(inner, &der);
    ASN1_OCTET_STRING* outer = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(outer, der, der_length);
    ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.4.1.45724.1.1.4", 1);
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, oid, 0, outer);
    require(ext != nullptr && X509_add_ext(cert.get(), ext, -1) == 1, "aaguid extension");
    X509_EXTENSION_free(ext);
    ASN1_OBJECT_free(oid);
    ASN1_OCTET_STRING_free(outer);
    ASN1_OCTET_STRING_free(inner);
    OPENSSL_free(der);
  }
  require(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::string b64(const Bytes& b) { return webauthn::base64url_encode(b); }

std::string client_data(const std::string& type, const std::string& challenge,
                        std::string_view origin) {
  // Member order and compact form as browsers serialise it.
  return "{\"type\":" + json(type).dump() + ",\"challenge\":" + json(challenge).dump() +
         ",\"origin\":" + json(std::string(origin)).dump() + ",\"crossOrigin\":false}";
}

void append_u32(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

}  // namespace

struct SoftAuthenticator::State {
  Pkey root_key, intermediate_key, attestation_key;
  Cert root, intermediate, packed_leaf, u2f_leaf;
  webauthn::Aaguid leaf_aaguid{};
  Pkey credential_key;
  int32_t algorithm = 0;
  Bytes credential_id;
  Bytes user_handle;
  uint32_t counter = 0;

  State() {
    root_key = generate(webauthn::kCoseEs256);
    intermediate_key = generate(webauthn::kCoseEs256);
    attestation_key = generate(webauthn::kCoseEs256);
    // Each object's CA has its own name, as two vendors' roots would.
    uint32_t tag = 0;
    require(RAND_bytes(reinterpret_cast<unsigned char*>(&tag), sizeof tag) == 1, "RAND_bytes");
    root = make_cert(root_key.get(), "authd test attestation root " + std::to_string(tag), nullptr,
                     root_key.get(), true, nullptr, 1);
    intermediate = make_cert(intermediate_key.get(), "authd test attestation intermediate",
                             root.get(), root_key.get(), true, nullptr, 2);
    u2f_leaf = make_cert(attestation_key.get(), "authd test u2f", root.get(), root_key.get(), false,
                         nullptr, 3);
  }

  // The packed leaf names the AAGUID, so it is remade when the setting changes.
  X509* packed_leaf_for(const webauthn::Aaguid& aaguid) {
    if (!packed_leaf || leaf_aaguid != aaguid) {
      packed_leaf = make_cert(attestation_key.get(), "authd test packed", intermediate.get(),
                              intermediate_key.get(), false, &aaguid, 4);
      leaf_aaguid = aaguid;
    }
    return packed_leaf.get();
  }

  uint32_t next_counter(const SoftAuthenticatorSettings& s, bool creating) {
    if (s.counter) {
      counter = *s.counter;
    } else {
      counter = creating ? 0 : counter + 1;
    }
    return counter;
  }
};

SoftAuthenticator::SoftAuthenticator(SoftAuthenticatorSettings settings)
    : settings_(std::move(settings)), state_(std::make_unique<State>()) {}
SoftAuthenticator::~SoftAuthenticator() = default;

SoftAuthenticatorSettings& SoftAuthenticator::settings() { return settings_; }
const Bytes& SoftAuthenticator::credential_id() const { return state_->credential_id; }
uint32_t SoftAuthenticator::counter() const { return state_->counter; }

std::string SoftAuthenticator::attestation_root_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  require(bio != nullptr && PEM_write_bio_X509(bio, state_->root.get()) == 1, "pem");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(length));
  BIO_free(bio);
  return out;
}

std::string SoftAuthenticator::create(std::string_view options_json, std::string_view origin) {
  const json options = json::parse(options_json, nullptr, false);
  if (!options.is_object()) return "";
  const json rp = options.value("rp", json());
  const json user = options.value("user", json());
  if (!rp.is_object() || !rp.contains("id") || !rp["id"].is_string() || !user.is_object() ||
      !user.contains("id") || !user["id"].is_string() || !options.contains("challenge") ||
      !options["challenge"].is_string() || !options.contains("pubKeyCredParams") ||
      !options["pubKeyCredParams"].is_array()) {
    return "";
  }
  bool offered = false;
  for (const auto& p : options["pubKeyCredParams"]) {
    offered = offered || (p.is_object() && p.value("alg", 0) == settings_.algorithm);
  }
  const auto user_handle = webauthn::base64url_decode(user["id"].get<std::string>());
  if (!offered || !user_handle) return "";
  const SoftAuthenticatorSettings& s = settings_;
  const bool u2f = s.format == AttestationFormat::fido_u2f;
  if (u2f && s.algorithm != webauthn::kCoseEs256) return "";

  State& st = *state_;
  st.credential_key = generate(s.algorithm);
  st.algorithm = s.algorithm;
  st.credential_id.assign(32, 0);
  require(RAND_bytes(st.credential_id.data(), 32) == 1, "RAND_bytes");
  st.user_handle = *user_handle;

  const std::string rp_id = rp["id"].get<std::string>();
  const std::string hashed_rp = s.rp_id_for_hash.empty() ? rp_id : s.rp_id_for_hash;
  const std::string cdj =
      client_data(s.client_data_type.empty() ? "webauthn.create" : s.client_data_type,
                  options["challenge"].get<std::string>(), origin);
  const Bytes cdh = sha256(cdj.data(), cdj.size());
  const Bytes rp_hash = sha256(hashed_rp.data(), hashed_rp.size());
  const Bytes cose = cose_key(st.credential_key.get(), s.algorithm);
  const webauthn::Aaguid aaguid = u2f ? webauthn::Aaguid{} : s.aaguid;

  Bytes auth_data = rp_hash;
  auth_data.push_back(
      static_cast<uint8_t>((s.user_present ? 0x01 : 0) | (s.user_verified ? 0x04 : 0) | 0x40));
  append_u32(auth_data, st.next_counter(s, true));
  auth_data.insert(auth_data.end(), aaguid.begin(), aaguid.end());
  auth_data.push_back(static_cast<uint8_t>(st.credential_id.size() >> 8));
  auth_data.push_back(static_cast<uint8_t>(st.credential_id.size()));
  auth_data.insert(auth_data.end(), st.credential_id.begin(), st.credential_id.end());
  auth_data.insert(auth_data.end(), cose.begin(), cose.end());

  Bytes signed_data = auth_data;
  signed_data.insert(signed_data.end(), cdh.begin(), cdh.end());
  Item statement(cbor_new_definite_map(3));
  require(statement != nullptr, "cbor map");
  std::string format = "packed";
  auto corrupt = [&](Bytes sig) {
    if (s.corrupt_signature) sig[sig.size() / 2] ^= 0x01;
    return sig;
  };
  switch (s.format) {
    case AttestationFormat::packed_self:
      map_add(statement.get(), cbor_text("alg"), cbor_int(s.algorithm));
      map_add(statement.get(), cbor_text("sig"),
              cbor_bytes(corrupt(sign(st.credential_key.get(), s.algorithm, signed_data))));
      break;
    case AttestationFormat::packed_x5c: {
      X509* leaf = st.packed_leaf_for(aaguid);
      map_add(statement.get(), cbor_text("alg"), cbor_int(webauthn::kCoseEs256));
      map_add(
          statement.get(), cbor_text("sig"),
          cbor_bytes(corrupt(sign(st.attestation_key.get(), webauthn::kCoseEs256, signed_data))));
      Item x5c(cbor_new_definite_array(2));
      require(x5c && cbor_array_push(x5c.get(), cbor_bytes(cert_der(leaf)).get()) &&
                  cbor_array_push(x5c.get(), cbor_bytes(cert_der(st.intermediate.get())).get()),
              "x5c");
      map_add(statement.get(), cbor_text("x5c"), std::move(x5c));
      break;
    }
    case AttestationFormat::fido_u2f: {
      format = "fido-u2f";
      // The U2F registration message (FIDO U2F raw message formats 4.3).
      const Bytes point = ec_point(st.credential_key.get());
      Bytes message{0x00};
      message.insert(message.end(), rp_hash.begin(), rp_hash.end());
      message.insert(message.end(), cdh.begin(), cdh.end());
      message.insert(message.end(), st.credential_id.begin(), st.credential_id.end());
      message.insert(message.end(), point.begin(), point.end());
      map_add(statement.get(), cbor_text("sig"),
              cbor_bytes(corrupt(sign(st.attestation_key.get(), webauthn::kCoseEs256, message))));
      Item x5c(cbor_new_definite_array(1));
      require(x5c && cbor_array_push(x5c.get(), cbor_bytes(cert_der(st.u2f_leaf.get())).get()),
              "x5c");
      map_add(statement.get(), cbor_text("x5c"), std::move(x5c));
      break;
    }
    case AttestationFormat::none:
      format = "none";
      break;
  }
  Item object(cbor_new_definite_map(3));
  require(object != nullptr, "cbor map");
  map_add(object.get(), cbor_text("fmt"), cbor_text(format));
  map_add(object.get(), cbor_text("attStmt"), std::move(statement));
  map_add(object.get(), cbor_text("authData"), cbor_bytes(auth_data));

  const json response = {
      {"id", b64(st.credential_id)},
      {"rawId", b64(st.credential_id)},
      {"response",
       {{"clientDataJSON", b64(Bytes(cdj.begin(), cdj.end()))},
        {"attestationObject", b64(serialize(object.get()))},
        {"authenticatorData", b64(auth_data)},
        {"transports", s.transports},
        {"publicKeyAlgorithm", s.algorithm},
        {"publicKey", b64(spki(st.credential_key.get()))}}},
      {"authenticatorAttachment", s.attachment},
      {"clientExtensionResults", json::object()},
      {"type", "public-key"},
  };
  return response.dump();
}

std::string SoftAuthenticator::get(std::string_view options_json, std::string_view origin) {
  State& st = *state_;
  const json options = json::parse(options_json, nullptr, false);
  if (!st.credential_key || !options.is_object() || !options.contains("challenge") ||
      !options["challenge"].is_string() || !options.contains("rpId") ||
      !options["rpId"].is_string()) {
    return "";
  }
  if (options.contains("allowCredentials") && options["allowCredentials"].is_array() &&
      !options["allowCredentials"].empty()) {
    bool allowed = false;
    for (const auto& c : options["allowCredentials"]) {
      allowed = allowed || (c.is_object() && c.value("id", std::string()) == b64(st.credential_id));
    }
    if (!allowed) return "";
  }
  const SoftAuthenticatorSettings& s = settings_;
  const std::string rp_id = options["rpId"].get<std::string>();
  const std::string hashed_rp = s.rp_id_for_hash.empty() ? rp_id : s.rp_id_for_hash;
  const std::string cdj =
      client_data(s.client_data_type.empty() ? "webauthn.get" : s.client_data_type,
                  options["challenge"].get<std::string>(), origin);
  const Bytes cdh = sha256(cdj.data(), cdj.size());

  Bytes auth_data = sha256(hashed_rp.data(), hashed_rp.size());
  auth_data.push_back(
      static_cast<uint8_t>((s.user_present ? 0x01 : 0) | (s.user_verified ? 0x04 : 0)));
  append_u32(auth_data, st.next_counter(s, false));
  Bytes signed_data = auth_data;
  signed_data.insert(signed_data.end(), cdh.begin(), cdh.end());
  Bytes signature = sign(st.credential_key.get(), st.algorithm, signed_data);
  if (s.corrupt_signature) signature[signature.size() / 2] ^= 0x01;

  const json response = {
      {"id", b64(st.credential_id)},
      {"rawId", b64(st.credential_id)},
      {"response",
       {{"clientDataJSON", b64(Bytes(cdj.begin(), cdj.end()))},
        {"authenticatorData", b64(auth_data)},
        {"signature", b64(signature)},
        {"userHandle", b64(st.user_handle)}}},
      {"authenticatorAttachment", s.attachment},
      {"clientExtensionResults", json::object()},
      {"type", "public-key"},
  };
  return response.dump();
}

}  // namespace tokens::testing
