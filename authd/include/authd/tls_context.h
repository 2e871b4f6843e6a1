// The server's TLS configuration, in plain OpenSSL so it can be checked
// without the transport.
//
// TLS 1.2 is the minimum and 1.3 is preferred (OpenSSL picks the highest
// version both sides offer). TLS 1.2 is limited to ECDHE key exchange with
// AEAD ciphers (AES-GCM, ChaCha20-Poly1305), so every connection has forward
// secrecy; the server's cipher order wins; compression and renegotiation are
// off; OpenSSL security level 2 (RSA keys >= 2048 bits, no SHA-1 signatures).
//
// Thread safety: the returned context is configured once and then only read
// by OpenSSL, which is safe from many threads.
#pragma once

#include <filesystem>
#include <memory>

#include "common/result.h"

struct ssl_ctx_st;

namespace authd {

struct SslCtxFree {
  void operator()(ssl_ctx_st* context) const noexcept;
};
using SslCtxPtr = std::unique_ptr<ssl_ctx_st, SslCtxFree>;

// Builds a server context from a PEM certificate chain (leaf first) and its
// PEM private key. Fails (bad_request) naming the file when either cannot be
// read or parsed, when the key is passphrase-protected (there is no one to ask),
// when they do not match, or when the key is too weak for the security level.
common::Result<SslCtxPtr> make_server_tls_context(const std::filesystem::path& certificate_chain,
                                                  const std::filesystem::path& private_key);

// The TLS 1.2 cipher list and TLS 1.3 suites the server allows (OpenSSL syntax).
extern const char* const kTls12Ciphers;
extern const char* const kTls13Suites;

}  // namespace authd
