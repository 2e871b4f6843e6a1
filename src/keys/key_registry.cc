#include "keys/key_registry.h"

#include "audit/rfc3339.h"

namespace core::keys {
namespace {

using common::Errc;
using common::make_error;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_ec(std::string_view purpose) { return purpose == kAudit || purpose == kAssertion; }

}  // namespace

common::Error hsm_failure(const common::Error& cause, std::string_view what) {
  return make_error(Errc::unavailable,
                    "HSM failure while " + std::string(what) + ": " + cause.message);
}

std::string uri_label(std::string_view uri) {
  // Path attributes end at '?' (the query holds module and PIN attributes).
  const auto query = uri.find('?');
  std::string_view path = uri.substr(0, query);
  if (path.starts_with("pkcs11:")) path.remove_prefix(7);
  while (!path.empty()) {
    const auto end = path.find(';');
    const std::string_view attribute = path.substr(0, end);
    if (attribute.starts_with("object=")) {
      const std::string_view value = attribute.substr(7);
      std::string out;
      for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '%' && i + 2 < value.size()) {
          const int hi = hex_value(value[i + 1]);
          const int lo = hex_value(value[i + 2]);
          if (hi >= 0 && lo >= 0) {
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
            continue;
          }
        }
        out.push_back(value[i]);
      }
      return out;
    }
    if (end == std::string_view::npos) break;
    path.remove_prefix(end + 1);
  }
  return {};
}

common::Result<store::KeyRecord> describe_key(hsm::Hsm& hsm, std::string_view purpose,
                                              const std::string& uri, int64_t created_at_ms) {
  if (!is_ec(purpose) && purpose != kWrap) {
    return make_error(Errc::bad_request, "purpose must be audit, assertion or wrap", "purpose");
  }
  auto attributes = hsm.inspect(uri);
  if (!attributes) {
    if (attributes.error().code == Errc::not_found) {
      return make_error(Errc::not_found, "no key " + uri + " in the token");
    }
    return hsm_failure(attributes.error(), "inspecting " + uri);
  }
  const hsm::KeyType wanted = is_ec(purpose) ? hsm::KeyType::ec_p256 : hsm::KeyType::aes256;
  if (attributes->type != wanted) {
    return make_error(Errc::bad_request, "the " + std::string(purpose) + " key " + uri +
                                             " must be " +
                                             (is_ec(purpose) ? "EC P-256" : "AES-256"));
  }
  store::KeyRecord record;
  record.purpose = std::string(purpose);
  record.uri = uri;
  record.created_at_ms = created_at_ms;
  if (is_ec(purpose)) {
    auto der = hsm.public_key_der(uri);
    if (!der) return hsm_failure(der.error(), "reading the public key of " + uri);
    auto kid = hsm::jwk_thumbprint(*der);
    if (!kid) return kid.error();
    auto pem = hsm::spki_pem(*der);
    if (!pem) return pem.error();
    record.key_id = std::move(*kid);
    record.public_key_pem = std::move(*pem);
  } else {
    record.key_id = uri_label(uri);
    if (record.key_id.empty()) {
      return make_error(Errc::bad_request, "the wrapping key URI " + uri + " names no object=");
    }
  }
  return record;
}

common::Result<void> check_current_keys(hsm::Hsm& hsm, const KeyRing& ring) {
  for (const char* purpose : {kAudit, kAssertion, kWrap}) {
    auto key = ring.current(purpose);
    if (!key) {
      return make_error(Errc::unavailable,
                        std::string("no current ") + purpose + " key is recorded in the database");
    }
    auto found = describe_key(hsm, purpose, key->uri, key->created_at_ms);
    if (!found) {
      if (found.error().code == Errc::not_found) {
        return make_error(Errc::unavailable, std::string("the ") + purpose + " key " + key->uri +
                                                 " is missing from the token");
      }
      return make_error(Errc::unavailable, std::string("the ") + purpose + " key " + key->uri +
                                               " cannot be used: " + found.error().message);
    }
    if (found->key_id != key->key_id) {
      return make_error(Errc::unavailable, std::string("the ") + purpose + " key " + key->uri +
                                               " in the token is not the recorded key " +
                                               key->key_id);
    }
  }
  return {};
}

KeyView key_view(const store::KeyRecord& r) {
  KeyView view;
  view.key_id = r.key_id;
  view.purpose = r.purpose;
  view.uri = r.uri;
  view.public_key_pem = r.public_key_pem;
  view.created_at = audit::from_unix_ms(r.created_at_ms);
  if (r.retired_at_ms) view.retired_at = audit::from_unix_ms(*r.retired_at_ms);
  return view;
}

}  // namespace core::keys
