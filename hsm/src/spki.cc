#include "spki.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

#include "hsm/hsm.h"

namespace hsm {
namespace internal {

using common::Errc;
using common::make_error;

common::Result<EvpPkey> parse_spki(std::span<const uint8_t> der) {
  const unsigned char* cursor = der.data();
  EvpPkey key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (!key || cursor != der.data() + der.size()) {
    ERR_clear_error();
    return make_error(Errc::bad_request, "not a DER SubjectPublicKeyInfo", "public_key");
  }
  return key;
}

common::Result<EvpPkey> parse_p256_spki(std::span<const uint8_t> der) {
  auto key = parse_spki(der);
  if (!key) return key;
  char group[64] = {};
  if (!EVP_PKEY_is_a(key->get(), "EC") ||
      EVP_PKEY_get_utf8_string_param(key->get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     nullptr) != 1 ||
      std::string(group) != "prime256v1") {
    ERR_clear_error();
    return make_error(Errc::bad_request, "not a P-256 public key", "public_key");
  }
  return key;
}

}  // namespace internal

Result<std::string> spki_pem(std::span<const uint8_t> spki_der) {
  auto key = internal::parse_spki(spki_der);
  if (!key) return key.error();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key->get()) != 1) {
    ERR_clear_error();
    return common::make_error(common::Errc::internal, "cannot write a PEM public key");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

Result<std::vector<uint8_t>> spki_der_from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  internal::EvpPkey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    ERR_clear_error();
    return common::make_error(common::Errc::bad_request, "not a PEM public key", "public_key");
  }
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key.get(), &der);
  if (length <= 0) {
    ERR_clear_error();
    return common::make_error(common::Errc::internal, "cannot encode a public key");
  }
  std::vector<uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

}  // namespace hsm
