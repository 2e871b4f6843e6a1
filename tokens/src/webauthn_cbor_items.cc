// Lookups on loaded CBOR items for the attestation object and COSE keys.
#include <cstring>

#include "webauthn_cbor.h"

namespace tokens::webauthn::detail {

std::optional<int64_t> cbor_int_value(const cbor_item_t* item) noexcept {
  if (item == nullptr) return std::nullopt;
  if (cbor_isa_uint(item)) {
    const uint64_t v = cbor_get_int(item);
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (cbor_isa_negint(item)) {
    const uint64_t v = cbor_get_int(item);  // the value is -1 - v
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return -1 - static_cast<int64_t>(v);
  }
  return std::nullopt;
}

std::optional<std::span<const uint8_t>> cbor_bytes(const cbor_item_t* item) noexcept {
  if (item == nullptr || !cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) {
    return std::nullopt;
  }
  return std::span<const uint8_t>(cbor_bytestring_handle(item), cbor_bytestring_length(item));
}

cbor_item_t* cbor_map_text_value(const cbor_item_t* map, std::string_view key) noexcept {
  if (map == nullptr || !cbor_isa_map(map) || !cbor_map_is_definite(map)) return nullptr;
  const size_t n = cbor_map_size(map);
  cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < n; ++i) {
    const cbor_item_t* k = pairs[i].key;
    if (!cbor_isa_string(k) || !cbor_string_is_definite(k)) continue;
    if (cbor_string_length(k) == key.size() &&
        std::memcmp(cbor_string_handle(k), key.data(), key.size()) == 0) {
      return pairs[i].value;
    }
  }
  return nullptr;
}

bool cbor_map_keys_unique(const cbor_item_t* map) noexcept {
  if (map == nullptr || !cbor_isa_map(map) || !cbor_map_is_definite(map)) return false;
  const size_t n = cbor_map_size(map);
  cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < n; ++i) {
    const cbor_item_t* a = pairs[i].key;
    const bool text = cbor_isa_string(a) && cbor_string_is_definite(a);
    const auto number = cbor_int_value(a);
    if (!text && !number) return false;
    for (size_t j = i + 1; j < n; ++j) {
      const cbor_item_t* b = pairs[j].key;
      if (text && cbor_isa_string(b) && cbor_string_is_definite(b) &&
          cbor_string_length(a) == cbor_string_length(b) &&
          std::memcmp(cbor_string_handle(a), cbor_string_handle(b), cbor_string_length(a)) == 0) {
        return false;
      }
      if (number && cbor_int_value(b) == number) return false;
    }
  }
  return true;
}

cbor_item_t* cbor_map_int_value(const cbor_item_t* map, int64_t key) noexcept {
  if (map == nullptr || !cbor_isa_map(map) || !cbor_map_is_definite(map)) return nullptr;
  const size_t n = cbor_map_size(map);
  cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < n; ++i) {
    const auto k = cbor_int_value(pairs[i].key);
    if (k && *k == key) return pairs[i].value;
  }
  return nullptr;
}

}  // namespace tokens::webauthn::detail
