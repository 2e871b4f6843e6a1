#include "pkcs11_uri.h"

#include <cstdlib>
#include <cstring>

namespace hsm::internal {

using common::Errc;
using common::make_error;

common::Result<Pkcs11Uri> Pkcs11Uri::parse(const std::string& text) {
  P11KitUri* raw = p11_kit_uri_new();
  if (raw == nullptr) return make_error(Errc::internal, "HSM: out of memory parsing a URI");
  Pkcs11Uri uri(raw);
  const int rc = p11_kit_uri_parse(text.c_str(), P11_KIT_URI_FOR_ANY, raw);
  if (rc != P11_KIT_URI_OK) {
    return make_error(Errc::bad_request,
                      "HSM: malformed PKCS#11 URI \"" + text + "\": " + p11_kit_uri_message(rc),
                      "uri");
  }
  if (p11_kit_uri_any_unrecognized(raw)) {
    return make_error(Errc::bad_request,
                      "HSM: PKCS#11 URI \"" + text + "\" has attributes p11-kit does not know",
                      "uri");
  }
  return uri;
}

bool Pkcs11Uri::matches_token(const CK_TOKEN_INFO& info) const {
  return p11_kit_uri_match_token_info(uri_.get(), const_cast<CK_TOKEN_INFO*>(&info)) == 1;
}

bool Pkcs11Uri::matches_slot(const CK_SLOT_INFO& info) const {
  return p11_kit_uri_match_slot_info(uri_.get(), const_cast<CK_SLOT_INFO*>(&info)) == 1;
}

bool Pkcs11Uri::matches_module(const CK_INFO& info) const {
  return p11_kit_uri_match_module_info(uri_.get(), const_cast<CK_INFO*>(&info)) == 1;
}

const CK_ATTRIBUTE* Pkcs11Uri::attribute(ck_attribute_type_t type) const {
  CK_ULONG count = 0;
  CK_ATTRIBUTE* attributes = p11_kit_uri_get_attributes(uri_.get(), &count);
  for (CK_ULONG i = 0; i < count; ++i) {
    if (attributes[i].type == type) return &attributes[i];
  }
  return nullptr;
}

std::optional<std::string> Pkcs11Uri::label() const {
  const CK_ATTRIBUTE* a = attribute(CKA_LABEL);
  if (a == nullptr) return std::nullopt;
  return std::string(static_cast<const char*>(a->value), a->value_len);
}

std::optional<std::vector<uint8_t>> Pkcs11Uri::id() const {
  const CK_ATTRIBUTE* a = attribute(CKA_ID);
  if (a == nullptr) return std::nullopt;
  const auto* bytes = static_cast<const uint8_t*>(a->value);
  return std::vector<uint8_t>(bytes, bytes + a->value_len);
}

std::optional<ck_object_class_t> Pkcs11Uri::object_class() const {
  const CK_ATTRIBUTE* a = attribute(CKA_CLASS);
  if (a == nullptr || a->value_len != sizeof(ck_object_class_t)) return std::nullopt;
  ck_object_class_t value;
  std::memcpy(&value, a->value, sizeof value);
  return value;
}

namespace {

common::Result<std::string> format(P11KitUri* uri, P11KitUriType type) {
  char* text = nullptr;
  const int rc = p11_kit_uri_format(uri, type, &text);
  if (rc != P11_KIT_URI_OK || text == nullptr) {
    return make_error(Errc::internal,
                      std::string("HSM: cannot format a PKCS#11 URI: ") + p11_kit_uri_message(rc));
  }
  std::string out(text);
  free(text);
  return out;
}

struct UriOwner {
  P11KitUri* uri = p11_kit_uri_new();
  ~UriOwner() { p11_kit_uri_free(uri); }
};

}  // namespace

common::Result<std::string> format_key_uri(const CK_TOKEN_INFO& token, const std::string& label,
                                           std::span<const uint8_t> id) {
  UriOwner owner;
  // Only the label: the token's other fields would pin the URI to one serial
  // number and stop it working on a restored backup.
  std::memcpy(p11_kit_uri_get_token_info(owner.uri)->label, token.label, sizeof token.label);
  CK_ATTRIBUTE label_attribute{CKA_LABEL, const_cast<char*>(label.data()), label.size()};
  CK_ATTRIBUTE id_attribute{CKA_ID, const_cast<uint8_t*>(id.data()), id.size()};
  if (p11_kit_uri_set_attribute(owner.uri, &label_attribute) != P11_KIT_URI_OK ||
      p11_kit_uri_set_attribute(owner.uri, &id_attribute) != P11_KIT_URI_OK) {
    return make_error(Errc::internal, "HSM: cannot build a key URI");
  }
  return format(owner.uri, P11_KIT_URI_FOR_OBJECT_ON_TOKEN);
}

common::Result<std::string> format_token_uri(const std::string& token_label) {
  CK_TOKEN_INFO info = {};
  if (token_label.size() > sizeof info.label) {
    return make_error(Errc::bad_request, "HSM: a token label has at most 32 bytes", "label");
  }
  UriOwner owner;
  unsigned char* field = p11_kit_uri_get_token_info(owner.uri)->label;
  std::memset(field, ' ', sizeof info.label);
  std::memcpy(field, token_label.data(), token_label.size());
  return format(owner.uri, P11_KIT_URI_FOR_TOKEN);
}

std::string padded_field(const unsigned char* field, size_t size) {
  while (size > 0 && (field[size - 1] == ' ' || field[size - 1] == '\0')) --size;
  return std::string(reinterpret_cast<const char*>(field), size);
}

}  // namespace hsm::internal
