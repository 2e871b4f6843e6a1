// Service::initialise: a fresh database with the keys the token holds, the
// first local authority (LA-001) and a bootstrap administrator whose TOTP
// token is already active, all recorded in the audit trail by actor
// "authd-init", then signed by a first checkpoint, and the public keys
// exported. Any failure removes the file again, so `authd init` can simply be
// re-run (the exported key files are rewritten by the next run).
#include <nlohmann/json.hpp>
#include <system_error>

#include "accounts/one_time_password.h"
#include "audit/audit_log.h"
#include "audit/checkpointer.h"
#include "audit/rfc3339.h"
#include "enrolment/enrolment.h"
#include "keys/key_registry.h"
#include "keys/public_key_export.h"
#include "service/service_impl.h"

namespace core {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kActor = "authd-init";

void remove_database(const std::filesystem::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path.string() + suffix, ec);
  }
}

Result<BootstrapAdmin> populate(Context& ctx) {
  const int64_t now = ctx.now();
  BootstrapAdmin admin;
  admin.username = "admin";
  admin.password = accounts::one_time_password(ctx.random());
  auto normalised = password::normalise(admin.password);
  if (!normalised) return normalised.error();
  auto phc = password::hash(*normalised, ctx.argon2, ctx.random());
  common::wipe(*normalised);
  if (!phc) return phc.error();

  auto prepared = enrolment::prepare_totp_token(ctx, /*active=*/true);
  if (!prepared) return prepared.error();

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  const store::OrganisationRecord org{"LA-001", "Local Authority 001", "local_authority", "", now};
  if (auto ok = (*tx)->insert_organisation(org); !ok) return ok.error();
  audit::Draft draft;
  draft.actor = kActor;
  draft.subject = org.id;
  draft.action = "org.create";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.detail = nlohmann::json{{"kind", org.kind}, {"parent", ""}}.dump();
  if (auto ok = audit::append(**tx, common::from_unix_seconds(now), draft); !ok) return ok.error();

  store::UserRecord user;
  user.username = admin.username;
  user.display_name = "Bootstrap administrator";
  user.organisation = org.id;
  user.roles = {"central_team", "user_account_administrator"};
  user.password_hash = std::move(*phc);
  user.must_change_password = true;
  user.created_at = now;
  user.password_set_at = now;
  // The bootstrap administrator is active from the start, with no conditions
  // of access recorded: someone must be able to approve the first accounts.
  // It is the operator's break-glass account; record its conditions with
  // record_conditions (or close it) once real administrators exist, because
  // reactivating it after a suspension needs them met.
  user.state = "active";
  auto id = (*tx)->insert_user(user);
  if (!id) return id.error();
  user.id = *id;
  draft.subject = user.username;
  draft.action = "user.create";
  draft.detail = nlohmann::json{{"organisation", user.organisation}, {"roles", user.roles}}.dump();
  if (auto ok = audit::append(**tx, common::from_unix_seconds(now), draft); !ok) return ok.error();

  auto token = enrolment::add_totp_token(ctx, **tx, user, std::move(*prepared), kActor, "");
  if (!token) return token.error();
  admin.otpauth_uri = std::move(token->otpauth_uri);
  if (auto ok = (*tx)->commit(); !ok) return ok.error();
  return admin;
}

// The three keys go into the registry as current, each recorded in the trail.
Result<void> record_keys(Context& ctx, const InitialKeys& initial, const char* actor) {
  const int64_t now_ms = audit::unix_ms(ctx.config.clock->now());
  std::vector<store::KeyRecord> records;
  for (const auto& [purpose, uri] :
       {std::pair{keys::kAudit, &initial.audit}, std::pair{keys::kAssertion, &initial.assertion},
        std::pair{keys::kWrap, &initial.wrap}}) {
    auto record = keys::describe_key(*ctx.hsm, purpose, *uri, now_ms);
    if (!record) {
      auto error = record.error();
      error.message = std::string("the ") + purpose + " key: " + error.message;
      return error;
    }
    records.push_back(std::move(*record));
  }
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  for (const auto& record : records) {
    if (auto ok = (*tx)->insert_key(record); !ok) return ok;
    audit::Draft draft;
    draft.actor = actor;
    draft.subject = record.key_id;
    draft.action = "key.add";
    draft.outcome = audit::kSuccess;
    draft.reason = "ok";
    draft.detail = nlohmann::json{{"purpose", record.purpose}, {"uri", record.uri}}.dump();
    if (auto ok = audit::append(**tx, ctx.config.clock->now(), draft); !ok) return ok.error();
  }
  if (auto ok = (*tx)->commit(); !ok) return ok;
  ctx.keys.set(std::move(records));
  return {};
}

Result<BootstrapAdmin> set_up(Context& ctx, const InitialKeys& initial) {
  if (auto recorded = record_keys(ctx, initial, kActor); !recorded) return recorded.error();
  auto admin = populate(ctx);
  if (!admin) return admin;
  // Signed before anyone can touch the file: the whole initial trail is
  // evidence from the start.
  audit::Checkpointer signer(*ctx.store, ctx.hsm, ctx.keys, ctx.config.clock, ctx.policy().audit,
                             ctx.health);
  auto signed_head = signer.sign_head();
  if (!signed_head) return signed_head.error();
  if (!ctx.config.public_keys_dir.empty()) {
    auto exported = keys::export_public_keys(ctx.config.public_keys_dir, ctx.keys.all());
    if (!exported) return exported.error();
  }
  return admin;
}

}  // namespace

Result<BootstrapAdmin> Service::initialise(const Config& config, const InitialKeys& initial) {
  std::error_code ec;
  if (std::filesystem::exists(config.database_path, ec) || ec) {
    return make_error(Errc::conflict,
                      "database " + config.database_path.string() + " already exists");
  }
  Result<BootstrapAdmin> result = make_error(Errc::internal, "not run");
  {
    auto store = store::open_sqlite_store(config.database_path, /*create=*/true);
    if (!store) {
      // create_new refused nothing existing, so whatever is there is ours.
      if (store.error().code != Errc::conflict) remove_database(config.database_path);
      return store.error();
    }
    auto ctx = make_context(config, std::move(*store));
    if (ctx) {
      result = set_up(**ctx, initial);
    } else {
      result = ctx.error();
    }
  }  // every connection closed before any cleanup
  if (!result) remove_database(config.database_path);
  return result;
}

Result<void> Service::adopt_keys(const Config& config, const InitialKeys& initial) {
  auto store = store::open_sqlite_store(config.database_path, /*create=*/false);
  if (!store) return store.error();
  auto ctx = make_context(config, std::move(*store));
  if (!ctx) return ctx.error();
  if (!(*ctx)->keys.all().empty()) {
    return make_error(Errc::conflict,
                      "the database already records its keys; use rotation instead");
  }
  if (auto recorded = record_keys(**ctx, initial, "authd-upgrade"); !recorded) return recorded;
  if (!config.public_keys_dir.empty()) {
    auto exported = keys::export_public_keys(config.public_keys_dir, (*ctx)->keys.all());
    if (!exported) return exported.error();
  }
  return {};
}

}  // namespace core
