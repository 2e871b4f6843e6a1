// The automatic rules (lifecycle/rules.h), applied: each action in its own
// write transaction with its audit entry (and any outbox message), so one
// account's trouble does not hold back the rest, and a second run finds
// nothing left to do. A run ends with a "sweep.run" entry summing it up.
#include <map>
#include <nlohmann/json.hpp>

#include "accounts/conditions.h"
#include "accounts/lifecycle.h"
#include "accounts/scope.h"
#include "audit/audit_log.h"
#include "lifecycle/lifecycle.h"
#include "lifecycle/rules.h"
#include "notifications/outbox.h"
#include "notifications/vetting_notice.h"

namespace core::lifecycle {
namespace {

using common::Errc;

struct Actor {
  std::string name;
  std::string source_address;
};

common::Result<void> append(store::StoreTx& tx, const Actor& actor, std::string_view action,
                            std::string_view subject, std::string_view reason,
                            const nlohmann::json& detail, int64_t now) {
  audit::Draft draft;
  draft.actor = actor.name;
  draft.subject = std::string(subject);
  draft.action = std::string(action);
  draft.outcome = audit::kSuccess;
  draft.reason = std::string(reason);
  draft.source_address = actor.source_address;
  draft.detail = detail.dump();
  auto logged = audit::append(tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  return {};
}

class Sweep {
 public:
  Sweep(Context& ctx, Actor actor) : ctx_(ctx), actor_(std::move(actor)), now_(ctx.now()) {}

  common::Result<SweepResult> run() {
    std::vector<store::UserRecord> users;
    std::vector<store::TokenRecord> tokens;
    {
      auto tx = ctx_.store->begin(store::Store::Mode::read);
      if (!tx) return tx.error();
      auto all_users = (*tx)->list_users();
      if (!all_users) return all_users.error();
      users = std::move(*all_users);
      auto all_tokens = (*tx)->list_tokens();
      if (!all_tokens) return all_tokens.error();
      tokens = std::move(*all_tokens);
    }
    const auto& policy = ctx_.policy().lifecycle;
    const int64_t today = accounts::day_of(now_);
    for (const auto& snapshot : users) {
      usernames_[snapshot.id] = snapshot.username;
      if (vetting_due(snapshot, policy, today).step != VettingStep::none) {
        if (auto ok = vetting(snapshot.id); !ok) return ok.error();
      }
      if (is_dormant(snapshot, policy, now_)) {
        if (auto ok = dormant(snapshot.id); !ok) return ok.error();
      }
      if (pending_too_long(snapshot, policy, now_)) {
        result_.pending_too_long.push_back(snapshot.username);
      }
    }
    for (const auto& token : tokens) {
      if (!temporary_expired(token, now_)) continue;
      if (auto ok = expire_token(token); !ok) return ok.error();
    }
    if (auto ok = forget_dead_ceremonies(); !ok) return ok.error();
    if (auto ok = summarise(); !ok) return ok.error();
    return result_;
  }

 private:
  // Re-reads the account inside the write transaction: an administrator may
  // have acted since the snapshot, and a concurrent sweep may have warned.
  common::Result<std::optional<store::UserRecord>> fresh(store::StoreTx& tx, int64_t id) {
    return tx.find_user_by_id(id);
  }

  common::Result<void> vetting(int64_t user_id) {
    auto tx = ctx_.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    auto user = fresh(**tx, user_id);
    if (!user) return user.error();
    if (!*user) return {};
    const auto due = vetting_due(**user, ctx_.policy().lifecycle, accounts::day_of(now_));
    if (due.step == VettingStep::none) return {};
    if (due.step == VettingStep::expire) {
      return suspend(std::move(*tx), **user, "vetting_expired",
                     "enhanced vetting disclosure dated " +
                         (*user)->conditions.vetting_disclosure_on + " stopped counting on " +
                         accounts::format_date(due.expires_on),
                     result_.suspended_vetting_expired);
    }
    const auto& u = **user;
    nlohmann::json notified = nlohmann::json::array();
    for (const auto& message :
         {notifications::vetting_warning_to_user(u, due.days_left, due.expires_on),
          notifications::vetting_warning_to_manager(u, due.days_left, due.expires_on)}) {
      auto id = notifications::enqueue(**tx, message, now_);
      if (!id) return id.error();
      if (*id != 0) notified.push_back(message.recipient == u.email ? "user" : "manager");
    }
    auto warned = (*tx)->set_vetting_warned(u.id, due.warn_days);
    if (!warned) return warned.error();
    nlohmann::json detail{{"warning_days", due.warn_days},
                          {"days_left", due.days_left},
                          {"expires_on", accounts::format_date(due.expires_on)},
                          {"notified", notified}};
    if (auto ok = append(**tx, actor_, "vetting.warning", u.username, "ok", detail, now_); !ok) {
      return ok;
    }
    auto committed = (*tx)->commit();
    if (!committed) return committed.error();
    result_.warned_vetting.push_back(u.username + ":" + std::to_string(due.warn_days));
    return {};
  }

  common::Result<void> dormant(int64_t user_id) {
    auto tx = ctx_.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    auto user = fresh(**tx, user_id);
    if (!user) return user.error();
    if (!*user || !is_dormant(**user, ctx_.policy().lifecycle, now_)) return {};
    const int64_t days = (now_ - activity_since(**user)) / kDay;
    const std::string note = (*user)->last_login_at
                                 ? "no login for " + std::to_string(days) + " days"
                                 : "never logged in, " + std::to_string(days) +
                                       " days since the account became active";
    return suspend(std::move(*tx), **user, "prolonged_inactivity", note,
                   result_.suspended_dormant);
  }

  common::Result<void> suspend(std::unique_ptr<store::StoreTx> tx, const store::UserRecord& user,
                               const char* reason, const std::string& note,
                               std::vector<std::string>& list) {
    store::StateChangeRecord change;
    change.state = "suspended";
    change.reason = reason;
    change.note = note;
    change.requested_by = actor_.name;
    change.actor = actor_.name;
    change.at = now_;
    auto ended = accounts::suspend_in_tx(ctx_, *tx, user, change, actor_.source_address);
    if (!ended) {
      // Not active any more (an administrator got there first): nothing to do.
      if (ended.error().code == Errc::conflict) return {};
      return ended.error();
    }
    auto committed = tx->commit();
    if (!committed) return committed.error();
    accounts::forget_sessions(ctx_, *ended);
    list.push_back(user.username);
    return {};
  }

  common::Result<void> expire_token(const store::TokenRecord& token) {
    auto tx = ctx_.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    auto changed = (*tx)->change_token_state(token.id, token.state, "revoked", now_);
    if (!changed) return changed.error();
    if (!*changed) return {};  // changed meanwhile; the next run looks again
    const auto holder = usernames_.find(token.user_id);
    nlohmann::json detail{{"token_id", token.id},
                          {"from", token.state},
                          {"temporary", true},
                          {"expired_at", *token.expires_at}};
    if (auto ok = append(**tx, actor_, "token.revoke",
                         holder == usernames_.end() ? "-" : holder->second, "temporary_expired",
                         detail, now_);
        !ok) {
      return ok;
    }
    auto committed = (*tx)->commit();
    if (!committed) return committed.error();
    result_.expired_temporary_tokens.push_back(token.id);
    return {};
  }

  // WebAuthn challenges past their expiry can never be used; a day's grace
  // keeps recent ones for anyone reading the table after an incident.
  common::Result<void> forget_dead_ceremonies() {
    auto tx = ctx_.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    auto deleted = (*tx)->delete_ceremonies_expired_before(now_ - 86400);
    if (!deleted) return deleted.error();
    ceremonies_deleted_ = *deleted;
    return (*tx)->commit();
  }

  common::Result<void> summarise() {
    auto tx = ctx_.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    nlohmann::json detail{{"suspended_vetting_expired", result_.suspended_vetting_expired.size()},
                          {"suspended_dormant", result_.suspended_dormant.size()},
                          {"warned_vetting", result_.warned_vetting.size()},
                          {"pending_too_long", result_.pending_too_long.size()},
                          {"expired_temporary_tokens", result_.expired_temporary_tokens.size()},
                          {"webauthn_ceremonies_deleted", ceremonies_deleted_}};
    if (auto ok = append(**tx, actor_, "sweep.run", "-", "ok", detail, now_); !ok) return ok;
    return (*tx)->commit();
  }

  Context& ctx_;
  Actor actor_;
  int64_t now_;
  SweepResult result_;
  std::map<int64_t, std::string> usernames_;
  int64_t ceremonies_deleted_ = 0;
};

// The lists name only accounts in the caller's scope (the actions happened
// everywhere, and the audit trail names them all).
common::Result<SweepResult> scoped(Context& ctx, const Principal& who, SweepResult all) {
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  std::map<std::string, bool> visible;  // username -> in scope
  const auto in_scope = [&](const std::string& username) -> common::Result<bool> {
    if (auto known = visible.find(username); known != visible.end()) return known->second;
    auto user = (*tx)->find_user(username);
    if (!user) return user.error();
    bool ok = false;
    if (*user) {
      auto org = (*tx)->find_organisation((*user)->organisation);
      if (!org) return org.error();
      if (*org) {
        auto scope = accounts::in_scope(**tx, who, **org);
        if (!scope) return scope.error();
        ok = *scope;
      }
    }
    visible[username] = ok;
    return ok;
  };
  const auto filter = [&](std::vector<std::string>& names,
                          auto username_of) -> common::Result<void> {
    std::vector<std::string> kept;
    for (auto& name : names) {
      auto ok = in_scope(username_of(name));
      if (!ok) return ok.error();
      if (*ok) kept.push_back(std::move(name));
    }
    names = std::move(kept);
    return {};
  };
  const auto plain = [](const std::string& name) { return name; };
  for (auto* list : {&all.suspended_vetting_expired, &all.suspended_dormant, &all.pending_too_long}) {
    if (auto ok = filter(*list, plain); !ok) return ok.error();
  }
  if (auto ok = filter(all.warned_vetting,
                       [](const std::string& entry) { return entry.substr(0, entry.rfind(':')); });
      !ok) {
    return ok.error();
  }
  std::map<std::string, std::string> holders;  // token id -> username
  for (const auto& id : all.expired_temporary_tokens) {
    auto token = (*tx)->find_token(id);
    if (!token) return token.error();
    if (!*token) continue;
    auto holder = (*tx)->find_user_by_id((*token)->user_id);
    if (!holder) return holder.error();
    if (*holder) holders[id] = (*holder)->username;
  }
  if (auto ok = filter(all.expired_temporary_tokens,
                       [&](const std::string& id) {
                         const auto found = holders.find(id);
                         return found == holders.end() ? std::string() : found->second;
                       });
      !ok) {
    return ok.error();
  }
  return all;
}

}  // namespace

common::Result<SweepResult> sweep(Context& ctx, const Principal& who) {
  auto live = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::sweep_run,
                                           "sweep.run");
  if (!live) return live.error();
  auto all = Sweep(ctx, Actor{live->username, live->source_address}).run();
  if (!all) return all;
  return scoped(ctx, *live, std::move(*all));
}

common::Result<SweepResult> scheduled_sweep(Context& ctx) {
  return Sweep(ctx, Actor{kSweepActor, ""}).run();
}

}  // namespace core::lifecycle
