// Chain building and verification are OpenSSL's: X509_verify_cert with the
// roots as the only trust anchors and x5c[1..] as untrusted intermediates.
#include "webauthn_chain.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace tokens::webauthn::detail {
namespace {

X509* decode_der(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert != nullptr && p != der.data() + der.size()) {  // trailing bytes
    X509_free(cert);
    return nullptr;
  }
  return cert;
}

}  // namespace

bool chain_reaches_root(const std::vector<std::span<const uint8_t>>& x5c,
                        const std::vector<std::string>& roots_pem) {
  if (x5c.empty() || roots_pem.empty()) return false;
  X509_STORE* store = X509_STORE_new();
  STACK_OF(X509)* intermediates = sk_X509_new_null();
  X509* leaf = decode_der(x5c[0]);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  bool ok = store != nullptr && intermediates != nullptr && leaf != nullptr && ctx != nullptr;

  size_t roots = 0;
  for (size_t i = 0; ok && i < roots_pem.size(); ++i) {
    // A text may be a bundle: every certificate in it is a root. Reading
    // stops at the first block that does not parse; nothing after it counts.
    BIO* bio = BIO_new_mem_buf(roots_pem[i].data(), static_cast<int>(roots_pem[i].size()));
    while (bio != nullptr) {
      X509* root = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
      if (root == nullptr) break;
      if (X509_STORE_add_cert(store, root) == 1) ++roots;
      X509_free(root);
    }
    BIO_free(bio);
  }
  ERR_clear_error();  // the end of each text reads as "no start line"
  ok = ok && roots > 0;
  for (size_t i = 1; ok && i < x5c.size(); ++i) {
    X509* cert = decode_der(x5c[i]);
    ok = cert != nullptr && sk_X509_push(intermediates, cert) > 0;
    if (!ok) X509_free(cert);
  }
  if (ok) {
    X509_STORE_set_flags(store, X509_V_FLAG_NO_CHECK_TIME);
    ok = X509_STORE_CTX_init(ctx, store, leaf, intermediates) == 1 && X509_verify_cert(ctx) == 1;
  }
  X509_STORE_CTX_free(ctx);
  X509_free(leaf);
  sk_X509_pop_free(intermediates, X509_free);
  X509_STORE_free(store);
  return ok;
}

}  // namespace tokens::webauthn::detail
