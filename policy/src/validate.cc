// validate(): the parser's checks for a Policy built in code.
#include "keys.h"
#include "policy/policy.h"

namespace policy {

std::string validate(const Policy& policy) {
  std::string out;
  const auto add = [&out](const std::string& path, const std::string& what) {
    out += (out.empty() ? "" : "; ") + path + ": " + what;
  };
  for (const auto& key : detail::keys()) {
    if (auto problem = detail::check_key(key, policy); !problem.empty()) add(key.path(), problem);
  }
  for (const auto& problem : detail::cross_key_problems(policy)) add(problem.path, problem.what);
  return out;
}

}  // namespace policy
