// RFC 7512 PKCS#11 URIs through p11-kit's URI API: parsing token and key
// URIs, and formatting the URI of a key made here.
//
// Thread safety: a Pkcs11Uri is a value owned by one thread; the functions
// share no state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "pkcs11.h"

namespace hsm::internal {

class Pkcs11Uri {
 public:
  // bad_request (field "uri") when `text` is not a PKCS#11 URI, naming
  // p11-kit's reason. Attributes p11-kit does not know make it malformed too:
  // silently ignoring one would widen a match.
  static common::Result<Pkcs11Uri> parse(const std::string& text);

  bool matches_token(const CK_TOKEN_INFO& info) const;
  bool matches_slot(const CK_SLOT_INFO& info) const;
  bool matches_module(const CK_INFO& info) const;

  // The object attributes the URI names (object=, id=, type=).
  std::optional<std::string> label() const;
  std::optional<std::vector<uint8_t>> id() const;
  std::optional<ck_object_class_t> object_class() const;

  P11KitUri* get() const { return uri_.get(); }

 private:
  struct Free {
    void operator()(P11KitUri* uri) const { p11_kit_uri_free(uri); }
  };
  explicit Pkcs11Uri(P11KitUri* uri) : uri_(uri) {}
  const CK_ATTRIBUTE* attribute(ck_attribute_type_t type) const;
  std::unique_ptr<P11KitUri, Free> uri_;
};

// "pkcs11:token=<token label>;id=%..;object=<label>" for a key in `token`.
common::Result<std::string> format_key_uri(const CK_TOKEN_INFO& token, const std::string& label,
                                           std::span<const uint8_t> id);

// "pkcs11:token=<label>", percent-encoded as needed.
common::Result<std::string> format_token_uri(const std::string& token_label);

// A PKCS#11 blank-padded label field as a string (trailing spaces removed).
std::string padded_field(const unsigned char* field, size_t size);

}  // namespace hsm::internal
