#include "webauthn/setup.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace core::webauthn {
namespace {

using common::Errc;
using common::make_error;

constexpr std::string_view kDecoyKeySetting = "webauthn.decoy_key";

bool plain_domain(std::string_view id) {
  if (id.empty() || id.size() > 253 || id.front() == '.' || id.back() == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

// The host of "scheme://host[:port]" (policy has checked the shape).
std::string_view host_of(std::string_view origin) {
  origin.remove_prefix(origin.find("://") + 3);
  if (!origin.empty() && origin.front() == '[') return origin.substr(0, origin.find(']') + 1);
  return origin.substr(0, origin.find(':'));
}

// WebAuthn lets an origin use an rp id that is its host or a registrable
// suffix of it; anything else the browser refuses, so refuse it at start-up.
bool covered(std::string_view host, std::string_view rp_id) {
  if (host == rp_id) return true;
  return host.size() > rp_id.size() + 1 && host.ends_with(rp_id) &&
         host[host.size() - rp_id.size() - 1] == '.';
}

common::Result<std::string> read_roots(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(Errc::bad_request, "webauthn.attestation_roots: cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  // At least one certificate, so that a wrong file is noticed now rather
  // than as every registration failing.
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> first(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
  if (!first) {
    return make_error(Errc::bad_request,
                      "webauthn.attestation_roots: " + path + " holds no PEM certificate");
  }
  return pem;
}

common::Result<std::vector<uint8_t>> decoy_key(store::Store& store, common::Random& random) {
  {
    auto tx = store.begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto found = (*tx)->find_setting(kDecoyKeySetting);
    if (!found) return found.error();
    if (*found) return std::move(**found);
  }
  auto tx = store.begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto again = (*tx)->find_setting(kDecoyKeySetting);  // another instance may have won
  if (!again) return again.error();
  if (*again) return std::move(**again);
  std::vector<uint8_t> key = random.bytes(32);
  auto inserted = (*tx)->insert_setting(kDecoyKeySetting, key);
  if (!inserted) return inserted.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return key;
}

}  // namespace

common::Result<Setup> make_setup(const Config& config, store::Store& store,
                                 common::Random& random) {
  const auto& policy = config.policy.webauthn;
  Setup setup;
  setup.rp.id = config.relying_party.id;
  setup.rp.name = config.relying_party.name;
  if (!plain_domain(setup.rp.id)) {
    return make_error(Errc::bad_request, "webauthn rp_id \"" + setup.rp.id +
                                             "\" must be a lower-case domain such as "
                                             "authd.example.org");
  }
  if (setup.rp.name.empty() || setup.rp.name.size() > 64) {
    return make_error(Errc::bad_request, "webauthn rp_name must be 1 to 64 bytes");
  }
  for (const auto& origin : policy.origins) {
    if (!covered(host_of(origin), setup.rp.id)) {
      return make_error(Errc::bad_request, "webauthn.origins: \"" + origin +
                                               "\" is not on the relying party id \"" +
                                               setup.rp.id + "\" or a subdomain of it");
    }
  }
  setup.rp.origins = policy.origins;
  setup.attestation.formats = policy.attestation_formats;
  for (const auto& text : policy.aaguids) {
    auto aaguid = tokens::webauthn::parse_aaguid(text);
    if (!aaguid) return make_error(Errc::bad_request, "webauthn.aaguids: bad AAGUID " + text);
    setup.attestation.aaguids.push_back(*aaguid);
  }
  for (const auto& path : policy.attestation_roots) {
    auto pem = read_roots(path);
    if (!pem) return pem.error();
    setup.attestation.root_certificates_pem.push_back(std::move(*pem));
  }
  setup.user_verification = policy.user_verification == "required"
                                ? tokens::webauthn::UserVerification::required
                                : tokens::webauthn::UserVerification::preferred;
  auto key = decoy_key(store, random);
  if (!key) return key.error();
  setup.decoy_key = std::move(*key);
  return setup;
}

}  // namespace core::webauthn
