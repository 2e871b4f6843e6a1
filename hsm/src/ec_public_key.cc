#include "ec_public_key.h"

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>

namespace hsm::internal {
namespace {

using common::Errc;
using common::make_error;

// OBJECT IDENTIFIER 1.2.840.10045.3.1.7 (prime256v1 / secp256r1).
constexpr uint8_t kP256Oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
constexpr size_t kUncompressedPoint = 65;
// OBJECT IDENTIFIER 1.3.101.112 (id-Ed25519), and PrintableString "edwards25519".
constexpr uint8_t kEd25519Oid[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
constexpr uint8_t kEd25519Name[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r',
                                    'd',  's',  '2', '5', '5', '1', '9'};

common::Error key_error(const char* why) {
  ERR_clear_error();
  return make_error(Errc::bad_request, std::string("HSM: EC public key ") + why);
}

}  // namespace

std::span<const uint8_t> p256_ec_params() { return kP256Oid; }
std::span<const uint8_t> ed25519_ec_params() { return kEd25519Oid; }

namespace {

bool same(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// The bytes inside a DER OCTET STRING, or the input itself when it is none.
std::vector<uint8_t> unwrap_octets(std::span<const uint8_t> point) {
  const unsigned char* cursor = point.data();
  std::unique_ptr<ASN1_OCTET_STRING, decltype(&ASN1_OCTET_STRING_free)> octets(
      d2i_ASN1_OCTET_STRING(nullptr, &cursor, static_cast<long>(point.size())),
      ASN1_OCTET_STRING_free);
  if (octets && cursor == point.data() + point.size()) {
    const uint8_t* data = ASN1_STRING_get0_data(octets.get());
    return std::vector<uint8_t>(data, data + ASN1_STRING_length(octets.get()));
  }
  ERR_clear_error();
  return std::vector<uint8_t>(point.begin(), point.end());
}

common::Result<std::vector<uint8_t>> ed25519_spki(std::span<const uint8_t> ec_point) {
  std::vector<uint8_t> raw = unwrap_octets(ec_point);
  if (raw.size() != 32) return key_error("is not a 32-byte Ed25519 key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()),
      EVP_PKEY_free);
  if (!key) return key_error("is not a valid Ed25519 key");
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key.get(), &der);
  if (length <= 0) return key_error("cannot be encoded");
  std::vector<uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

}  // namespace

common::Result<std::vector<uint8_t>> spki_from_ec_point(std::span<const uint8_t> ec_params,
                                                        std::span<const uint8_t> ec_point) {
  if (same(ec_params, kEd25519Oid) || same(ec_params, kEd25519Name)) return ed25519_spki(ec_point);
  if (!same(ec_params, kP256Oid)) return key_error("is not on P-256");
  std::vector<uint8_t> point = unwrap_octets(ec_point);
  if (point.size() != kUncompressedPoint || point[0] != 0x04) {
    return key_error("is not an uncompressed P-256 point");
  }

  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("prime256v1"),
                                       0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
    return key_error("is not a valid P-256 point");
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, EVP_PKEY_free);
  // fromdata does not check the point is on the curve; the public check does.
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> check(
      EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr), EVP_PKEY_CTX_free);
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return key_error("is not on the curve");

  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key.get(), &der);
  if (length <= 0) return key_error("cannot be encoded");
  std::vector<uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

}  // namespace hsm::internal
