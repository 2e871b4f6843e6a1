#include "keys/key_ring.h"

#include <mutex>

namespace core::keys {

common::Result<void> KeyRing::reload(store::StoreTx& tx) {
  auto keys = tx.list_keys();
  if (!keys) return keys.error();
  set(std::move(*keys));
  return {};
}

void KeyRing::set(std::vector<store::KeyRecord> keys) {
  std::unique_lock lock(mutex_);
  keys_ = std::move(keys);
}

std::optional<store::KeyRecord> KeyRing::current(std::string_view purpose) const {
  std::shared_lock lock(mutex_);
  for (const auto& k : keys_) {
    if (k.purpose == purpose && !k.retired_at_ms) return k;
  }
  return std::nullopt;
}

std::optional<store::KeyRecord> KeyRing::find(std::string_view key_id) const {
  std::shared_lock lock(mutex_);
  for (const auto& k : keys_) {
    if (k.key_id == key_id) return k;
  }
  return std::nullopt;
}

std::vector<store::KeyRecord> KeyRing::all() const {
  std::shared_lock lock(mutex_);
  return keys_;
}

}  // namespace core::keys
