// Service::initialise: a fresh database with the first local authority
// (LA-001) and a bootstrap administrator whose TOTP token is already active,
// all recorded in the audit trail by actor "authd-init", in one transaction.
// Any failure removes the file again, so `authd init` can simply be re-run.
#include <nlohmann/json.hpp>
#include <system_error>

#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "service/service_impl.h"

namespace core {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kActor = "authd-init";

// No 0/O, 1/l/I: the password is read off a terminal and typed once.
// 55 symbols, 20 of them: about 115 bits.
constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr size_t kPasswordLength = 20;

std::string one_time_password(common::Random& random) {
  std::string out;
  // Rejection sampling keeps every symbol equally likely.
  const unsigned limit = 256 - (256 % kAlphabet.size());
  while (out.size() < kPasswordLength) {
    std::vector<uint8_t> bytes = random.bytes(32);
    for (uint8_t b : bytes) {
      if (b < limit && out.size() < kPasswordLength) out.push_back(kAlphabet[b % kAlphabet.size()]);
    }
    common::wipe(bytes);
  }
  return out;
}

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
  admin.password = one_time_password(ctx.random());
  auto normalised = password::normalise(admin.password);
  if (!normalised) return normalised.error();
  auto phc = password::hash(*normalised, ctx.argon2, ctx.random());
  common::wipe(*normalised);
  if (!phc) return phc.error();

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
  auto id = (*tx)->insert_user(user);
  if (!id) return id.error();
  user.id = *id;
  draft.subject = user.username;
  draft.action = "user.create";
  draft.detail = nlohmann::json{{"organisation", user.organisation}, {"roles", user.roles}}.dump();
  if (auto ok = audit::append(**tx, common::from_unix_seconds(now), draft); !ok) return ok.error();

  auto token = enrolment::add_totp_token(ctx, **tx, user, /*active=*/true, kActor, "");
  if (!token) return token.error();
  admin.otpauth_uri = std::move(token->otpauth_uri);
  if (auto ok = (*tx)->commit(); !ok) return ok.error();
  return admin;
}

}  // namespace

Result<BootstrapAdmin> Service::initialise(const Config& config) {
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
      result = populate(**ctx);
    } else {
      result = ctx.error();
    }
  }  // every connection closed before any cleanup
  if (!result) remove_database(config.database_path);
  return result;
}

}  // namespace core
