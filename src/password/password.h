// Password handling for the core (private to src/): NFKC normalisation,
// NIST SP 800-63B rules with a blocklist, and Argon2id hashing in PHC format.
//
// Thread safety: free functions are reentrant; a PasswordRules is immutable
// after load() and safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/random.h"
#include "common/result.h"
#include "policy/policy.h"

namespace core::password {

struct Argon2Params {
  uint32_t memory_kib = 19456;
  uint32_t iterations = 2;
  uint32_t parallelism = 1;

  bool operator==(const Argon2Params&) const = default;
};

Argon2Params params_from(const policy::PasswordPolicy& policy);

// Unicode NFKC of valid UTF-8. bad_request (field "password" unless given)
// for invalid UTF-8, a control character (category Cc) or a code point
// unassigned in utf8proc's Unicode version (NFKC of those could change with a
// later Unicode, locking the user out: NIST SP 800-63B 5.1.1.2 asks for
// stabilised strings). Every other character, spaces and emoji included, is
// accepted. The intermediate buffers are wiped.
common::Result<std::string> normalise(std::string_view utf8, std::string_view field = "password");

// Argon2id with a 16-byte salt from `random`; returns the PHC string
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash). `normalised` must come from normalise().
common::Result<std::string> hash(std::string_view normalised, const Argon2Params& params,
                                 common::Random& random);

// True when `normalised` matches the PHC string. False for any mismatch or a
// malformed PHC string. Runs the full Argon2id computation either way (for a
// malformed string, against the dummy hash at default parameters). The
// comparison is libargon2's constant-time one (argon2id_verify).
bool verify(std::string_view normalised, std::string_view phc);

// The cost parameters of an argon2id PHC string, or nullopt if it is not one
// we would verify (other Argon2 variants, version other than 19, costs above
// the limits policy/ allows).
std::optional<Argon2Params> phc_params(std::string_view phc);

// True when a stored hash should be replaced after the next successful login
// because the policy's cost differs from the one it was made with (or it is
// malformed).
bool needs_rehash(std::string_view phc, const Argon2Params& params);

// A valid PHC hash of a random password at `params`, made once per parameter
// set: verifying against it costs what a real verification costs, so unknown
// users take as long as known ones. Thread-safe; the first call per parameter
// set takes one hash's time. If the hash cannot be made (out of memory) it
// returns an empty string, which verifies nothing, and tries again next call.
const std::string& dummy_hash(const Argon2Params& params);

class PasswordRules {
 public:
  // Loads the blocklist (NFKC, case-folded) from policy.blocklist_paths,
  // skipping empty lines, "#!comment:" lines and lines that are not valid
  // passwords (they could never match). unavailable, naming the path, if a
  // list is missing, not a regular file or cannot be read.
  static common::Result<std::shared_ptr<const PasswordRules>> load(
      const policy::PasswordPolicy& policy);

  // Checks a normalised candidate: length in code points within
  // [min_length, max_length], not on the blocklist (case-insensitive: NFKC
  // case folding), not the username, not one character or a short group
  // repeated ("aaaa...", "abcabc...") and not a run of consecutive characters
  // ("abcd...", "3456...", NIST SP 800-63B 5.1.1.2). weak_password with a
  // message saying which rule failed (never echoing the password).
  common::Result<void> check(std::string_view normalised, std::string_view username) const;

  size_t blocklist_size() const { return blocklist_.size(); }

 private:
  PasswordRules() = default;
  policy::PasswordPolicy policy_;
  std::unordered_set<std::string> blocklist_;
};

}  // namespace core::password
