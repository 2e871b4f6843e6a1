#include "authd/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

namespace authd {

const char* const kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
const char* const kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

void SslCtxFree::operator()(ssl_ctx_st* context) const noexcept { SSL_CTX_free(context); }

namespace {

// The most recent OpenSSL error as text, clearing the queue.
std::string openssl_error() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

common::Error failure(const std::string& what) {
  return common::make_error(common::Errc::bad_request, what + ": " + openssl_error());
}

// A key file with a passphrase would make OpenSSL prompt on the terminal; a
// daemon has no one to ask, so such a key simply fails to load.
int refuse_passphrase(char*, int, int, void*) { return 0; }

}  // namespace

common::Result<SslCtxPtr> make_server_tls_context(const std::filesystem::path& certificate_chain,
                                                  const std::filesystem::path& private_key) {
  ERR_clear_error();
  SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
  if (!context) return failure("cannot create a TLS context");
  SSL_CTX* ctx = context.get();

  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1) {
    return failure("cannot configure TLS");
  }
  SSL_CTX_set_security_level(ctx, 2);
  // No stateless TLS 1.2 tickets: their key lives as long as the process, and
  // whoever obtained it could decrypt every resumed session (no forward
  // secrecy). Resumption uses the server's session cache instead.
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  SSL_CTX_clear_options(ctx, SSL_OP_ALLOW_CLIENT_RENEGOTIATION | SSL_OP_LEGACY_SERVER_CONNECT);
  SSL_CTX_set_default_passwd_cb(ctx, refuse_passphrase);

  const std::string cert_path = certificate_chain.string();
  const std::string key_path = private_key.string();
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_path.c_str()) != 1) {
    return failure("cannot load the TLS certificate " + cert_path);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_path.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return failure("the TLS private key " + key_path + " does not match the certificate " +
                     cert_path);
    }
    return failure("cannot load the TLS private key " + key_path);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return failure("the TLS private key " + key_path + " does not match the certificate " +
                   cert_path);
  }
  return context;
}

}  // namespace authd
