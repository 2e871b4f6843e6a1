// NIST SP 800-63B 5.1.1.2: length limits, no composition rules, and a refusal
// of values known to be common, compromised, context-specific (the username)
// or trivially patterned. Comparisons use NFKC case folding, so "PassWord" and
// "ＰＡＳＳＷＯＲＤ" both match a list entry "password".
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <system_error>

#include "common/secret.h"
#include "password/password.h"
#include "password/unicode.h"

namespace core::password {
namespace {

constexpr std::string_view kCommentPrefix = "#!comment:";

// Wipes a secret copy however the function that made it returns.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& text) : text_(text) {}
  ~WipeOnExit() { common::wipe(text_); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::string& text_;
};

common::Error weak(std::string message) {
  return common::make_error(common::Errc::weak_password, std::move(message));
}

// One character, or a group of up to four, repeated to the end: "aaaa...",
// "abab...", "abcabc...".
bool is_repetition(const std::vector<int32_t>& cps) {
  for (size_t unit = 1; unit <= 4 && unit < cps.size(); ++unit) {
    bool repeats = true;
    for (size_t i = unit; i < cps.size() && repeats; ++i) repeats = cps[i] == cps[i - unit];
    if (repeats) return true;
  }
  return false;
}

// Each character one after the previous, up or down: "abcdef...", "zyx...",
// "3456789012..." (digits wrap round).
bool is_sequence(const std::vector<int32_t>& cps) {
  if (cps.size() < 2) return false;
  const auto step = [](int32_t from, int32_t to) {
    const bool digits = from >= '0' && from <= '9' && to >= '0' && to <= '9';
    const int32_t diff = to - from;
    if (digits && (diff == -9 || diff == 9)) return diff > 0 ? -1 : 1;
    return diff;
  };
  const int32_t first = step(cps[0], cps[1]);
  if (first != 1 && first != -1) return false;
  for (size_t i = 2; i < cps.size(); ++i) {
    if (step(cps[i - 1], cps[i]) != first) return false;
  }
  return true;
}

common::Error unreadable(const std::string& path, const std::string& why) {
  return common::make_error(common::Errc::unavailable,
                            "cannot read password blocklist " + path + ": " + why);
}

}  // namespace

common::Result<std::shared_ptr<const PasswordRules>> PasswordRules::load(
    const policy::PasswordPolicy& policy) {
  std::shared_ptr<PasswordRules> rules(new PasswordRules());
  rules->policy_ = policy;
  for (const auto& path : policy.blocklist_paths) {
    // ifstream opens a directory happily and then reads nothing: check first.
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      return unreadable(path, std::system_category().message(errno));
    }
    if (!S_ISREG(info.st_mode)) return unreadable(path, "not a regular file");
    std::ifstream in(path);
    if (!in) return unreadable(path, "cannot open");
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line.starts_with(kCommentPrefix)) continue;
      if (detail::scan(line) != detail::Utf8Problem::none) continue;
      rules->blocklist_.insert(detail::nfkc_casefold(line));
    }
    if (in.bad()) {
      return unreadable(path, "read error");
    }
  }
  return std::shared_ptr<const PasswordRules>(std::move(rules));
}

common::Result<void> PasswordRules::check(std::string_view normalised,
                                          std::string_view username) const {
  if (detail::scan(normalised) != detail::Utf8Problem::none) {
    return common::make_error(common::Errc::bad_request, "password is not valid text", "password");
  }
  const size_t length = detail::count_code_points(normalised);
  if (length < policy_.min_length) {
    return weak("password must be at least " + std::to_string(policy_.min_length) +
                " characters long");
  }
  if (length > policy_.max_length) {
    return weak("password must be at most " + std::to_string(policy_.max_length) +
                " characters long");
  }
  std::string folded = detail::nfkc_casefold(normalised);
  WipeOnExit wipe_folded(folded);
  if (!username.empty() && detail::scan(username) == detail::Utf8Problem::none &&
      folded == detail::nfkc_casefold(username)) {
    return weak("password must not be the username");
  }
  if (blocklist_.contains(folded)) {
    return weak("password is on a list of common or breached passwords; choose another");
  }
  auto cps = detail::code_points(folded);
  const bool patterned = is_repetition(cps) || is_sequence(cps);
  detail::wipe(cps);
  if (patterned) {
    return weak("password must not be a repeated or sequential run of characters");
  }
  return {};
}

}  // namespace core::password
