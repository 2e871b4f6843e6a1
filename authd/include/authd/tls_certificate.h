// TLS key and certificate files for a data directory: a fresh self-signed pair
// for localhost, or an operator's own pair checked and copied in.
//
// Thread safety: pure functions over files.
#pragma once

#include <chrono>
#include <filesystem>

#include "common/result.h"

namespace authd {

// Writes a new EC P-256 private key (PKCS#8 PEM, mode 0600) and a self-signed
// X.509 v3 certificate (PEM) for CN=localhost with subjectAltName DNS:localhost,
// IP:127.0.0.1 and IP:::1, valid from now for `validity`.
//
// The certificate is an end-entity certificate (basicConstraints CA:FALSE,
// keyUsage digitalSignature, extendedKeyUsage serverAuth) that clients trust
// directly as its own anchor (curl --cacert cert.pem): browsers refuse a CA
// certificate presented as a server's own (Firefox:
// MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), while OpenSSL, curl and
// Python accept a self-signed leaf as its own trust anchor.
//
// Both files are created exclusively: an existing file is an error (conflict).
// internal when OpenSSL fails, unavailable when a file cannot be written.
common::Result<void> write_self_signed_certificate(
    const std::filesystem::path& certificate_file, const std::filesystem::path& key_file,
    std::chrono::hours validity = std::chrono::hours(24 * 365));

// Checks that an operator's PEM chain and key load and belong together (the
// same checks the server makes at start), then copies them to the given
// destinations (key mode 0600, created exclusively). bad_request naming the
// problem otherwise.
common::Result<void> install_certificate(const std::filesystem::path& source_certificate,
                                         const std::filesystem::path& source_key,
                                         const std::filesystem::path& certificate_file,
                                         const std::filesystem::path& key_file);

}  // namespace authd
