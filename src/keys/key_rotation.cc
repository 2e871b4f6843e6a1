#include "keys/key_rotation.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "accounts/permissions.h"
#include "audit/audit_log.h"
#include "audit/rfc3339.h"
#include "enrolment/seed_rewrap.h"
#include "keys/key_registry.h"
#include "keys/public_key_export.h"

namespace core::keys {
namespace {

using common::Errc;
using common::make_error;

std::string label_for(std::string_view purpose, common::TimePoint now) {
  const std::time_t t = static_cast<std::time_t>(common::unix_seconds(now));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(purpose) + "-" + stamp;
}

void record(Context& ctx, const Principal& admin, std::string_view action, std::string_view subject,
            bool success, std::string_view reason, const nlohmann::json& detail) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return;
  audit::Draft draft;
  draft.actor = admin.username;
  draft.subject = std::string(subject);
  draft.action = std::string(action);
  draft.outcome = success ? audit::kSuccess : audit::kFailure;
  draft.reason = std::string(reason);
  draft.source_address = admin.source_address;
  draft.detail = detail.dump();
  if (audit::append(**tx, ctx.config.clock->now(), draft)) (void)(*tx)->commit();
}

// A fresh key in the token; a label already taken (two rotations within a
// second) gets a random suffix.
common::Result<std::string> generate(Context& ctx, std::string_view purpose) {
  const auto type = purpose == kWrap ? hsm::KeyType::aes256 : hsm::KeyType::ec_p256;
  const std::string label = label_for(purpose, ctx.config.clock->now());
  auto uri = ctx.hsm->generate(type, label);
  if (!uri && uri.error().code == Errc::conflict) {
    uri = ctx.hsm->generate(type, label + "-" + common::to_hex(ctx.random().bytes(3)));
  }
  if (!uri) return hsm_failure(uri.error(), "generating a " + std::string(purpose) + " key");
  return uri;
}

}  // namespace

common::Result<KeyView> rotate_key(Context& ctx, const Principal& who, std::string_view purpose) {
  auto admin = accounts::require_admin(ctx, who, "key.rotate");
  if (!admin) return admin.error();
  if (purpose != kAudit && purpose != kAssertion && purpose != kWrap) {
    return make_error(Errc::bad_request, "purpose must be audit, assertion or wrap", "purpose");
  }
  std::lock_guard rotation(ctx.rotation_mutex);
  const auto old = ctx.keys.current(purpose);
  const std::string old_id = old ? old->key_id : "";

  auto uri = generate(ctx, purpose);
  if (!uri) {
    record(ctx, *admin, "key.rotate", purpose, false, "hsm_unavailable",
           {{"purpose", purpose}, {"error", uri.error().message}});
    return uri.error();
  }
  auto fresh = describe_key(*ctx.hsm, purpose, *uri, 0);
  if (!fresh) return fresh.error();

  // The switch: retire, record, audit, in one transaction. Its time is read
  // inside, after the audit key's last checkpoint, so that checkpoint falls
  // within the old key's validity.
  auto switch_keys = [&]() -> common::Result<void> {
    const int64_t now_ms = audit::unix_ms(ctx.config.clock->now());
    fresh->created_at_ms = now_ms;
    auto tx = ctx.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    if (old) {
      auto retired = (*tx)->retire_key(old->key_id, now_ms);
      if (!retired) return retired.error();
      if (!*retired) return make_error(Errc::conflict, "the current key changed meanwhile");
    }
    if (auto inserted = (*tx)->insert_key(*fresh); !inserted) return inserted;
    audit::Draft draft;
    draft.actor = admin->username;
    draft.subject = fresh->key_id;
    draft.action = "key.rotate";
    draft.outcome = audit::kSuccess;
    draft.reason = "ok";
    draft.source_address = admin->source_address;
    draft.detail =
        nlohmann::json{{"purpose", purpose}, {"previous", old_id}, {"uri", fresh->uri}}.dump();
    auto logged = audit::append(**tx, audit::from_unix_ms(now_ms), draft);
    if (!logged) return logged.error();
    if (auto committed = (*tx)->commit(); !committed) return committed;
    auto read = ctx.store->begin(store::Store::Mode::read);
    if (!read) return read.error();
    return ctx.keys.reload(**read);
  };
  auto switched = purpose == kAudit && ctx.checkpointer ? ctx.checkpointer->switch_key(switch_keys)
                                                        : switch_keys();
  if (!switched) {
    record(ctx, *admin, "key.rotate", purpose, false,
           switched.error().code == Errc::unavailable ? "unavailable" : "failed",
           {{"purpose", purpose}, {"uri", *uri}, {"error", switched.error().message}});
    return switched.error();
  }

  if (purpose == kWrap) {
    auto rewrapped = enrolment::rewrap_seeds(*ctx.store, *ctx.vault, ctx.keys);
    if (!rewrapped) {
      record(ctx, *admin, "key.rewrap", fresh->key_id, false, "unavailable",
             {{"error", rewrapped.error().message}});
      return make_error(Errc::unavailable,
                        "the new wrapping key is current, but re-wrapping stopped (it resumes at "
                        "the next start): " +
                            rewrapped.error().message);
    }
    record(ctx, *admin, "key.rewrap", fresh->key_id, true, "ok",
           {{"rewrapped", rewrapped->rewrapped}, {"undecryptable", rewrapped->undecryptable}});
  }
  if (!ctx.config.public_keys_dir.empty()) {
    auto exported = export_public_keys(ctx.config.public_keys_dir, ctx.keys.all());
    if (!exported) {
      return make_error(Errc::unavailable,
                        "the key was rotated, but the public keys could not be exported: " +
                            exported.error().message);
    }
  }
  return key_view(*fresh);
}

common::Result<std::vector<KeyView>> list_keys(Context& ctx) {
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto records = (*tx)->list_keys();
  if (!records) return records.error();
  std::vector<KeyView> views;
  for (const auto& r : *records) views.push_back(key_view(r));
  return views;
}

}  // namespace core::keys
