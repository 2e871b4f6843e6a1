// One dummy hash per parameter set, made on first use. Each set has its own
// lock so that making one (tens of milliseconds) never holds up callers of
// another set, and a set already made is returned without waiting.
#include <map>
#include <mutex>
#include <tuple>

#include "common/secret.h"
#include "password/password.h"

namespace core::password {
namespace {

struct Entry {
  std::mutex mutex;
  std::string phc;  // empty until made; never changes once set
};

using Key = std::tuple<uint32_t, uint32_t, uint32_t>;

Entry& entry_for(const Argon2Params& params) {
  static std::mutex mutex;
  // Deliberately never destroyed: threads may still log in while the process exits.
  static auto* entries = new std::map<Key, Entry>();
  std::lock_guard lock(mutex);
  return (*entries)[Key{params.memory_kib, params.iterations, params.parallelism}];
}

}  // namespace

const std::string& dummy_hash(const Argon2Params& params) {
  static const std::string no_hash;
  Entry& entry = entry_for(params);
  std::lock_guard lock(entry.mutex);
  if (entry.phc.empty()) {
    auto random = common::openssl_random();
    // A random 256-bit password nobody knows: nothing can verify against it.
    auto secret = random->bytes(32);
    std::string password = common::to_hex(secret);
    common::wipe(secret);
    auto made = hash(password, params, *random);
    common::wipe(password);
    if (!made.ok()) return no_hash;
    entry.phc = std::move(made).value();
  }
  return entry.phc;
}

}  // namespace core::password
