#include "sessions/session_manager.h"

#include <algorithm>
#include <mutex>

#include "audit/audit_log.h"
#include "sessions/session_token.h"

namespace core::sessions {

using common::Errc;
using common::make_error;

struct SessionManager::Entry {
  std::string hash;
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string organisation;
  std::vector<std::string> roles;
  std::string route;
  std::string auth_methods;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::atomic<int64_t> last_seen{0};
  std::atomic<int64_t> persisted_last_seen{0};
  std::atomic<bool> must_change_password{false};
  std::atomic<bool> ended{false};
  // Set by the sweep that first saw the entry ended; the next sweep drops it.
  // Keeping an ended entry for one sweep period stops a lookup that read the
  // row just before it ended from re-caching it as live.
  std::atomic<bool> seen_ended_by_sweep{false};
};

namespace {

std::chrono::seconds interval_for(const policy::SessionPolicy& policy) {
  const auto tenth = policy.idle_timeout / 10;
  return std::max(std::chrono::seconds(1), std::min(std::chrono::seconds(30), tenth));
}

constexpr int64_t kSweepEverySeconds = 60;

common::Error invalid_session() {
  return make_error(Errc::invalid_session, "the session is unknown, has expired or has ended");
}

}  // namespace

SessionManager::SessionManager(store::Store& store, policy::SessionPolicy policy,
                               std::shared_ptr<common::Clock> clock,
                               std::shared_ptr<common::Random> random)
    : store_(store),
      policy_(policy),
      clock_(std::move(clock)),
      random_(std::move(random)),
      persist_interval_(interval_for(policy)) {}

common::Result<SessionManager::Created> SessionManager::create(store::StoreTx& tx,
                                                               const store::UserRecord& user,
                                                               std::string_view source_address,
                                                               int64_t now,
                                                               std::string_view auth_methods) {
  Created created;
  created.token = new_session_token(*random_);
  auto& r = created.record;
  r.hash = session_hash(created.token);
  r.user_id = user.id;
  r.route = "web";
  r.auth_methods = std::string(auth_methods);
  r.source_address = std::string(source_address);
  r.created_at = now;
  r.expires_at = now + policy_.absolute_timeout.count();
  r.last_seen_at = now;
  auto inserted = tx.insert_session(r);
  if (!inserted) return inserted.error();
  return created;
}

void SessionManager::remember(const store::SessionRecord& record, const store::UserRecord& user) {
  auto entry = std::make_shared<Entry>();
  entry->hash = record.hash;
  entry->user_id = user.id;
  entry->username = user.username;
  entry->display_name = user.display_name;
  entry->organisation = user.organisation;
  entry->roles = user.roles;
  entry->route = record.route;
  entry->auth_methods = record.auth_methods;
  entry->created_at = record.created_at;
  entry->expires_at = record.expires_at;
  entry->last_seen = record.last_seen_at;
  entry->persisted_last_seen = record.last_seen_at;
  entry->must_change_password = user.must_change_password;
  entry->ended = record.ended_at.has_value();
  {
    std::unique_lock lock(mutex_);
    cache_.try_emplace(record.hash, std::move(entry));
  }
  maybe_sweep(common::unix_seconds(clock_->now()));
}

SessionManager::EntryPtr SessionManager::find_cached(const std::string& hash) const {
  std::shared_lock lock(mutex_);
  auto it = cache_.find(hash);
  return it == cache_.end() ? nullptr : it->second;
}

common::Result<SessionManager::EntryPtr> SessionManager::load(const std::string& hash) {
  store::SessionRecord record;
  store::UserRecord user;
  {
    auto tx = store_.begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto found = (*tx)->find_session(hash);
    if (!found) return found.error();
    if (!*found || (*found)->ended_at) return invalid_session();
    record = std::move(**found);
    auto owner = (*tx)->find_user_by_id(record.user_id);
    if (!owner) return owner.error();
    if (!*owner) return invalid_session();
    user = std::move(**owner);
  }
  remember(record, user);
  auto entry = find_cached(hash);
  if (!entry) return invalid_session();  // swept at once: long expired
  return entry;
}

common::Result<Principal> SessionManager::authenticate(std::string_view token,
                                                       std::string_view source_address) {
  if (!plausible_token(token)) return invalid_session();
  const std::string hash = session_hash(token);
  EntryPtr entry = find_cached(hash);
  if (!entry) {
    auto loaded = load(hash);
    if (!loaded) return loaded.error();
    entry = std::move(*loaded);
  }
  return check(entry, source_address, /*refresh=*/true);
}

common::Result<Principal> SessionManager::current(const Principal& who) {
  if (who.session_hash.empty()) return invalid_session();
  EntryPtr entry = find_cached(who.session_hash);
  if (!entry) {
    auto loaded = load(who.session_hash);
    if (!loaded) return loaded.error();
    entry = std::move(*loaded);
  }
  return check(entry, who.source_address, /*refresh=*/false);
}

common::Result<Principal> SessionManager::check(const EntryPtr& entry,
                                                std::string_view source_address, bool refresh) {
  if (entry->ended) return invalid_session();
  const int64_t now = common::unix_seconds(clock_->now());
  if (now >= entry->expires_at) {
    expire(entry, now, "absolute_timeout", source_address);
    return invalid_session();
  }
  if (now >= entry->last_seen.load() + policy_.idle_timeout.count()) {
    expire(entry, now, "idle_timeout", source_address);
    return invalid_session();
  }
  if (refresh) {
    int64_t seen = entry->last_seen.load();
    while (seen < now && !entry->last_seen.compare_exchange_weak(seen, now)) {
    }
    persist_last_seen(entry, now);
  }
  return principal_of(*entry, source_address);
}

void SessionManager::persist_last_seen(const EntryPtr& entry, int64_t now) {
  int64_t persisted = entry->persisted_last_seen.load();
  if (now - persisted < persist_interval_.count()) return;
  // One thread wins the right to write; the others carry on without waiting.
  if (!entry->persisted_last_seen.compare_exchange_strong(persisted, now)) return;
  auto tx = store_.begin(store::Store::Mode::write);
  if (tx && (*tx)->touch_session(entry->hash, now) && (*tx)->commit()) return;
  // Not written: try again on a later call. The session stays valid; at worst
  // a restart would end it a little early.
  entry->persisted_last_seen.store(persisted);
}

void SessionManager::expire(const EntryPtr& entry, int64_t now, const char* reason,
                            std::string_view source_address) {
  if (entry->ended.exchange(true)) return;
  auto tx = store_.begin(store::Store::Mode::write);
  if (!tx) return;  // refused anyway; the row expires by its times and is ended on next sight
  auto ended = (*tx)->end_session(entry->hash, now, reason);
  if (!ended || !*ended) return;
  audit::Draft draft;
  draft.actor = entry->username;
  draft.subject = entry->username;
  draft.action = "session.expire";
  draft.outcome = audit::kSuccess;
  draft.reason = reason;
  draft.source_address = std::string(source_address);
  if (!audit::append(**tx, common::from_unix_seconds(now), draft)) return;
  (void)(*tx)->commit();
}

common::Result<void> SessionManager::logout(const Principal& who) {
  auto live = current(who);
  if (!live) return live.error();
  EntryPtr entry = find_cached(who.session_hash);
  if (!entry) return invalid_session();
  const int64_t now = common::unix_seconds(clock_->now());
  auto tx = store_.begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto ended = (*tx)->end_session(who.session_hash, now, "logout");
  if (!ended) return ended.error();
  if (!*ended) {
    entry->ended = true;
    return invalid_session();
  }
  audit::Draft draft;
  draft.actor = live->username;
  draft.subject = live->username;
  draft.action = "logout";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = who.source_address;
  auto logged = audit::append(**tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  entry->ended = true;
  return {};
}

void SessionManager::password_changed(int64_t user_id) {
  std::shared_lock lock(mutex_);
  for (auto& [hash, entry] : cache_) {
    if (entry->user_id == user_id) entry->must_change_password = false;
  }
}

void SessionManager::forget(const std::vector<std::string>& hashes) {
  {
    std::unique_lock lock(mutex_);
    for (const auto& hash : hashes) {
      auto& entry = cache_[hash];
      if (!entry) {
        entry = std::make_shared<Entry>();
        entry->hash = hash;
      }
      entry->ended = true;
    }
  }
  maybe_sweep(common::unix_seconds(clock_->now()));
}

void SessionManager::maybe_sweep(int64_t now) {
  int64_t last = last_sweep_.load();
  if (now - last < kSweepEverySeconds) return;
  if (!last_sweep_.compare_exchange_strong(last, now)) return;
  std::unique_lock lock(mutex_);
  for (auto it = cache_.begin(); it != cache_.end();) {
    Entry& e = *it->second;
    bool drop = false;
    if (e.ended) {
      drop = e.seen_ended_by_sweep.exchange(true);
    } else {
      // Expired but not yet seen: the row's own times still say so on reload.
      drop = now >= e.expires_at || now >= e.last_seen.load() + policy_.idle_timeout.count();
    }
    it = drop ? cache_.erase(it) : std::next(it);
  }
}

Principal SessionManager::principal_of(const Entry& e, std::string_view source_address) const {
  Principal p;
  p.session_hash = e.hash;
  p.user_id = e.user_id;
  p.username = e.username;
  p.display_name = e.display_name;
  p.organisation = e.organisation;
  p.roles = e.roles;
  p.route = e.route;
  for (size_t at = 0; at < e.auth_methods.size();) {
    const size_t end = std::min(e.auth_methods.find(' ', at), e.auth_methods.size());
    if (end > at) p.auth_methods.push_back(e.auth_methods.substr(at, end - at));
    at = end + 1;
  }
  p.source_address = std::string(source_address);
  p.created_at = common::from_unix_seconds(e.created_at);
  p.expires_at = common::from_unix_seconds(e.expires_at);
  p.idle_expires_at = common::from_unix_seconds(
      std::min(e.expires_at, e.last_seen.load() + policy_.idle_timeout.count()));
  p.must_change_password = e.must_change_password;
  return p;
}

}  // namespace core::sessions
