// utf8proc does the Unicode work; this file only keeps secrets out of memory
// it does not control.
#include "password/unicode.h"

#include <utf8proc.h>

#include <cstdlib>
#include <span>

#include "common/secret.h"

namespace core::password::detail {
namespace {

const utf8proc_uint8_t* bytes_of(std::string_view text) {
  return reinterpret_cast<const utf8proc_uint8_t*>(text.data());
}

// NFKC = compatibility decomposition then canonical composition. STABLE keeps
// to Unicode's stability rules; REJECTNA was enforced by scan() already.
constexpr int kNfkc = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_REJECTNA;

std::string transform(std::string_view text, int options) {
  const auto opts = static_cast<utf8proc_option_t>(options);
  const utf8proc_ssize_t needed = utf8proc_decompose(
      bytes_of(text), static_cast<utf8proc_ssize_t>(text.size()), nullptr, 0, opts);
  // scan() accepted the text, so utf8proc cannot refuse it; going on would be a bug.
  if (needed < 0) std::abort();
  // reencode() writes UTF-8 over the UTF-32 in place and needs one spare slot.
  std::vector<utf8proc_int32_t> buffer(static_cast<size_t>(needed) + 1);
  const utf8proc_ssize_t decomposed = utf8proc_decompose(
      bytes_of(text), static_cast<utf8proc_ssize_t>(text.size()), buffer.data(), needed, opts);
  if (decomposed != needed) std::abort();
  const utf8proc_ssize_t length = utf8proc_reencode(buffer.data(), decomposed, opts);
  if (length < 0) std::abort();
  std::string out(reinterpret_cast<const char*>(buffer.data()), static_cast<size_t>(length));
  wipe(buffer);
  return out;
}

}  // namespace

Utf8Problem scan(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(
        bytes_of(text.substr(i)), static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0 || cp < 0) return Utf8Problem::invalid;
    const auto category = utf8proc_category(cp);
    if (category == UTF8PROC_CATEGORY_CC) return Utf8Problem::control;
    if (category == UTF8PROC_CATEGORY_CN) return Utf8Problem::unassigned;
    i += static_cast<size_t>(n);
  }
  return Utf8Problem::none;
}

std::string nfkc(std::string_view text) { return transform(text, kNfkc); }

std::string nfkc_casefold(std::string_view text) {
  return transform(text, kNfkc | UTF8PROC_CASEFOLD);
}

std::vector<int32_t> code_points(std::string_view text) {
  std::vector<int32_t> out;
  out.reserve(count_code_points(text));
  size_t i = 0;
  while (i < text.size()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(
        bytes_of(text.substr(i)), static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) std::abort();  // precondition: valid UTF-8
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

size_t count_code_points(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

void wipe(std::vector<int32_t>& code_points) {
  common::wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(code_points.data()),
                                  code_points.size() * sizeof(int32_t)));
}

}  // namespace core::password::detail
