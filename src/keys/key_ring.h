// KeyRing: the key registry (store table `keys`) held in memory, so that the
// request path finds the current wrapping key, or the key that sealed a seed,
// without a database read.
//
// The store is the truth; the ring is reloaded whenever the registry changes
// (initialise, open, rotation), always after the change committed.
//
// Thread safety: safe from any number of threads (shared mutex; readers get
// copies).
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace core::keys {

inline constexpr const char* kAudit = "audit";
inline constexpr const char* kAssertion = "assertion";
inline constexpr const char* kWrap = "wrap";

class KeyRing {
 public:
  // Replaces the ring with the registry as `tx` sees it.
  common::Result<void> reload(store::StoreTx& tx);
  void set(std::vector<store::KeyRecord> keys);

  // The key of `purpose` that is not retired.
  std::optional<store::KeyRecord> current(std::string_view purpose) const;
  // Current or retired.
  std::optional<store::KeyRecord> find(std::string_view key_id) const;
  std::vector<store::KeyRecord> all() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<store::KeyRecord> keys_;
};

}  // namespace core::keys
