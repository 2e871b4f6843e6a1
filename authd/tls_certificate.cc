#include "authd/tls_certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "authd/tls_context.h"
#include "common/secret.h"
#include "file_util.h"

namespace authd {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

common::Error openssl_failure(const std::string& what) {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  char text[256] = "unknown OpenSSL error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  return common::make_error(common::Errc::internal, what + ": " + text);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

bool add_extension(X509* certificate, X509V3_CTX* context, int nid, const char* value) {
  Owned<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, context, nid, value));
  return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

}  // namespace

common::Result<void> write_self_signed_certificate(const std::filesystem::path& certificate_file,
                                                   const std::filesystem::path& key_file,
                                                   std::chrono::hours validity) {
  ERR_clear_error();
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) return openssl_failure("cannot generate an EC P-256 key");

  Owned<X509> certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1) {
    return openssl_failure("cannot create a certificate");
  }
  // A positive 127-bit random serial, as RFC 5280 and the CA/B forum expect.
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) {
    return openssl_failure("cannot draw a serial number");
  }
  serial_bytes[0] = static_cast<unsigned char>((serial_bytes[0] & 0x7f) | 0x01);
  Owned<BIGNUM> serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  const long validity_seconds =
      static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(validity).count());
  X509_NAME* name = X509_get_subject_name(certificate.get());
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) ||
      !X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0) ||
      !X509_gmtime_adj(X509_getm_notAfter(certificate.get()), validity_seconds) ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(certificate.get(), name) != 1 ||
      X509_set_pubkey(certificate.get(), key.get()) != 1) {
    return openssl_failure("cannot fill in the certificate");
  }

  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
  // The subject key identifier goes first: the authority key identifier of a
  // self-signed certificate copies it.
  if (!add_extension(certificate.get(), &context, NID_subject_key_identifier, "hash") ||
      !add_extension(certificate.get(), &context, NID_authority_key_identifier, "keyid:always") ||
      !add_extension(certificate.get(), &context, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(certificate.get(), &context, NID_key_usage, "critical,digitalSignature") ||
      !add_extension(certificate.get(), &context, NID_ext_key_usage, "serverAuth") ||
      !add_extension(certificate.get(), &context, NID_subject_alt_name,
                     "DNS:localhost,IP:127.0.0.1,IP:::1")) {
    return openssl_failure("cannot add certificate extensions");
  }
  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0) {
    return openssl_failure("cannot sign the certificate");
  }

  Owned<BIO> key_pem(BIO_new(BIO_s_secmem()));
  Owned<BIO> certificate_pem(BIO_new(BIO_s_mem()));
  if (!key_pem || !certificate_pem ||
      PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509(certificate_pem.get(), certificate.get()) != 1) {
    return openssl_failure("cannot encode the key and certificate");
  }

  std::string key_text = bio_text(key_pem.get());
  auto key_written = write_new_file(key_file, key_text, 0600);
  common::wipe(key_text);
  if (!key_written) return key_written;
  auto certificate_written =
      write_new_file(certificate_file, bio_text(certificate_pem.get()), 0644);
  if (!certificate_written) {
    std::error_code ignored;
    std::filesystem::remove(key_file, ignored);
    return certificate_written;
  }
  return {};
}

common::Result<void> install_certificate(const std::filesystem::path& source_certificate,
                                         const std::filesystem::path& source_key,
                                         const std::filesystem::path& certificate_file,
                                         const std::filesystem::path& key_file) {
  auto usable = make_server_tls_context(source_certificate, source_key);
  if (!usable) return usable.error();

  auto certificate_text = read_whole_file(source_certificate);
  if (!certificate_text) return certificate_text.error();
  auto key_text = read_whole_file(source_key);
  if (!key_text) return key_text.error();

  auto key_written = write_new_file(key_file, *key_text, 0600);
  common::wipe(*key_text);
  if (!key_written) return key_written;
  auto certificate_written = write_new_file(certificate_file, *certificate_text, 0644);
  if (!certificate_written) {
    std::error_code ignored;
    std::filesystem::remove(key_file, ignored);
    return certificate_written;
  }
  return {};
}

}  // namespace authd
