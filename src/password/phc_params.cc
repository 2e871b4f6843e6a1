// Reads the cost out of a PHC string before libargon2 sees it: libargon2
// would allocate whatever m= says, so a damaged or hostile row could ask one
// login for terabytes. Salt and hash are left to libargon2 to decode.
#include <charconv>

#include "password/password.h"

namespace core::password {
namespace {

// Consumes `prefix` then a decimal number from the front of `text`.
bool take_number(std::string_view& text, std::string_view prefix, uint32_t& out) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  // No leading zeros: libargon2 rejects them too, and the encoding stays unique.
  if (text.front() == '0' && text.size() > 1 && text[1] >= '0' && text[1] <= '9') return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc()) return false;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return true;
}

}  // namespace

std::optional<Argon2Params> phc_params(std::string_view phc) {
  if (phc.find('\0') != std::string_view::npos) return std::nullopt;
  uint32_t version = 0;
  Argon2Params params;
  if (!take_number(phc, "$argon2id$v=", version) || version != 19 ||
      !take_number(phc, "$m=", params.memory_kib) || !take_number(phc, ",t=", params.iterations) ||
      !take_number(phc, ",p=", params.parallelism) || !phc.starts_with('$')) {
    return std::nullopt;
  }
  if (params.parallelism < 1 || params.parallelism > policy::kMaxArgon2Parallelism ||
      params.iterations < 1 || params.iterations > policy::kMaxArgon2Iterations ||
      params.memory_kib < 8 * params.parallelism ||
      params.memory_kib > policy::kMaxArgon2MemoryKib) {
    return std::nullopt;
  }
  return params;
}

}  // namespace core::password
