// Untrusted CBOR for WebAuthn: a header walk that bounds every declared length
// before libcbor sees the bytes, and small lookups on the loaded items.
//
// libcbor 0.8 allocates whatever an item header declares (a byte string of
// 2^63 bytes, an array of 2^32 items) before it reads the content, so a
// few-byte input can demand gigabytes. cbor_item_extent() walks the headers
// without allocating and refuses any declared length or count that the rest of
// the input cannot hold, indefinite lengths (CTAP2 canonical CBOR has none) and
// nesting deeper than kMaxCborDepth.
//
// Thread safety: pure functions; a CborItem is owned by one thread at a time.
#pragma once

#include <cbor.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace tokens::webauthn::detail {

inline constexpr size_t kMaxCborDepth = 16;

// The length in bytes of the one CBOR data item at the start of `input`, or
// nullopt when it is truncated, declares more than `input` holds, uses an
// indefinite length or a reserved header, or nests deeper than kMaxCborDepth.
// Bytes after the item are not looked at.
std::optional<size_t> cbor_item_extent(std::span<const uint8_t> input) noexcept;

struct CborDecref {
  void operator()(cbor_item_t* item) const noexcept { cbor_decref(&item); }
};
using CborItem = std::unique_ptr<cbor_item_t, CborDecref>;

// Exactly one well-bounded item filling all of `input` (no trailing bytes),
// loaded with libcbor; null otherwise.
CborItem load_cbor(std::span<const uint8_t> input) noexcept;

// The value under text key `key` in a definite map, or null (not a map, no
// such key). Borrowed: it lives as long as `map`.
cbor_item_t* cbor_map_text_value(const cbor_item_t* map, std::string_view key) noexcept;

// The value under integer key `key` (COSE labels: 1, 3, -1, -2 ...), or null.
cbor_item_t* cbor_map_int_value(const cbor_item_t* map, int64_t key) noexcept;

// True for a definite map whose keys are all integers or definite text strings
// and all distinct. Lookups take the first match while libfido2 keeps the
// last, so a map with a repeated key could show each a different value (an
// x5c chain checked here, another certificate's signature checked there).
bool cbor_map_keys_unique(const cbor_item_t* map) noexcept;

// A CBOR integer (unsigned or negative) that fits int64_t.
std::optional<int64_t> cbor_int_value(const cbor_item_t* item) noexcept;

// The bytes of a definite byte string; nullopt for anything else.
std::optional<std::span<const uint8_t>> cbor_bytes(const cbor_item_t* item) noexcept;

}  // namespace tokens::webauthn::detail
