// RFC 4648 base32 through liboath, shaped the way authenticator apps want it.
#include <liboath/oath.h>

#include <cstdlib>

#include "common/secret.h"
#include "oath_library.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

// liboath hands back malloc'd buffers; both directions carry TOTP seeds, so
// they are wiped before they go back to the allocator.
void wipe_and_free(char* buffer, size_t length) {
  if (buffer == nullptr) return;
  common::wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(buffer), length));
  std::free(buffer);  // NOLINT(cppcoreguidelines-no-malloc): liboath allocated it
}

}  // namespace

std::string base32_encode(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return {};
  if (!detail::ensure_oath_initialised()) std::abort();
  char* out = nullptr;
  size_t out_length = 0;
  const int rc = oath_base32_encode(reinterpret_cast<const char*>(bytes.data()), bytes.size(), &out,
                                    &out_length);
  // Only allocation failure makes encoding fail; carrying on without a result
  // would hand the caller an empty secret.
  if (rc != OATH_OK || out == nullptr) std::abort();
  std::string text(out, out_length);
  wipe_and_free(out, out_length);
  // Authenticator apps (Google Authenticator among them) reject '=' in the
  // otpauth secret parameter.
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

common::Result<std::vector<uint8_t>> base32_decode(std::string_view text) {
  if (auto init = detail::ensure_oath_initialised(); !init) return init.error();
  // liboath already ignores spaces, accepts lower case and restores missing
  // padding; anything else that is not base32 is refused.
  if (text.empty()) return std::vector<uint8_t>{};
  // A NUL-terminated copy, because a string_view need not be one; the text is
  // the seed in another form, so the copy is wiped too.
  std::string copy(text);
  char* out = nullptr;
  size_t out_length = 0;
  const int rc = oath_base32_decode(copy.c_str(), copy.size(), &out, &out_length);
  common::wipe(copy);
  if (rc != OATH_OK) {
    wipe_and_free(out, out_length);
    return common::make_error(common::Errc::bad_request, "malformed base32 text", "secret");
  }
  std::vector<uint8_t> bytes(reinterpret_cast<uint8_t*>(out),
                             reinterpret_cast<uint8_t*>(out) + out_length);
  wipe_and_free(out, out_length);
  return bytes;
}

}  // namespace tokens
