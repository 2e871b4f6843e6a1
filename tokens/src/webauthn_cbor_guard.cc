// The header walk in front of cbor_load (see webauthn_cbor.h for why).
#include <cstring>

#include "webauthn_cbor.h"

namespace tokens::webauthn::detail {
namespace {

struct Header {
  uint8_t major = 0;
  uint64_t argument = 0;  // length, count, value or tag number
};

// Reads one initial byte and its argument at `pos`, advancing it. Refuses
// truncation, the reserved additional-information values 28..30 and
// indefinite lengths (31).
bool read_header(std::span<const uint8_t> in, size_t& pos, Header& out) {
  if (pos >= in.size()) return false;
  const uint8_t initial = in[pos++];
  out.major = initial >> 5;
  const uint8_t info = initial & 0x1f;
  if (info < 24) {
    out.argument = info;
    return true;
  }
  if (info > 27) return false;
  const size_t width = size_t{1} << (info - 24);  // 1, 2, 4 or 8 bytes
  if (in.size() - pos < width) return false;
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value = (value << 8) | in[pos + i];
  pos += width;
  out.argument = value;
  return true;
}

// Walks the item at `pos`; `depth` counts the enclosing arrays, maps and tags.
bool walk(std::span<const uint8_t> in, size_t& pos, size_t depth) {
  if (depth > kMaxCborDepth) return false;
  Header h;
  if (!read_header(in, pos, h)) return false;
  const uint64_t remaining = in.size() - pos;
  switch (h.major) {
    case 0:  // unsigned integer
    case 1:  // negative integer
      return true;
    case 2:  // byte string
    case 3:  // text string
      if (h.argument > remaining) return false;
      pos += static_cast<size_t>(h.argument);
      return true;
    case 4:  // array: every element takes at least one byte
      if (h.argument > remaining) return false;
      for (uint64_t i = 0; i < h.argument; ++i) {
        if (!walk(in, pos, depth + 1)) return false;
      }
      return true;
    case 5:  // map: every key and value takes at least one byte
      if (h.argument > remaining / 2) return false;
      for (uint64_t i = 0; i < 2 * h.argument; ++i) {
        if (!walk(in, pos, depth + 1)) return false;
      }
      return true;
    case 6:  // tag: one item follows
      return walk(in, pos, depth + 1);
    default:  // 7: simple values and floats; the width was consumed above
      return true;
  }
}

}  // namespace

std::optional<size_t> cbor_item_extent(std::span<const uint8_t> input) noexcept {
  size_t pos = 0;
  if (!walk(input, pos, 0)) return std::nullopt;
  return pos;
}

CborItem load_cbor(std::span<const uint8_t> input) noexcept {
  const auto extent = cbor_item_extent(input);
  if (!extent || *extent != input.size()) return nullptr;
  cbor_load_result result{};
  CborItem item(cbor_load(input.data(), input.size(), &result));
  if (!item || result.error.code != CBOR_ERR_NONE || result.read != input.size()) return nullptr;
  return item;
}

}  // namespace tokens::webauthn::detail
