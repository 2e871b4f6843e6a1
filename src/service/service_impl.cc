#include "service/service_impl.h"

#include "accounts/accounts.h"
#include "accounts/lifecycle.h"
#include "accounts/permissions.h"
#include "enrolment/enrolment.h"
#include "enrolment/seed_rewrap.h"
#include "enrolment/token_lifecycle.h"
#include "keys/key_registry.h"
#include "keys/key_rotation.h"
#include "lifecycle/lifecycle.h"
#include "login/login_flow.h"
#include "webauthn/key_login.h"
#include "webauthn/key_registration.h"

namespace core {
namespace {

class ServiceImpl final : public Service {
 public:
  explicit ServiceImpl(std::unique_ptr<Context> ctx) : ctx_(std::move(ctx)) {}
  ~ServiceImpl() override {
    (void)shutdown();
    // The listener points into the Context, which is going.
    ctx_->store->set_audit_listener({});
  }

  Result<LoginGrant> login(const LoginRequest& request) override {
    return login::login(*ctx_, request);
  }
  Result<Principal> authenticate(std::string_view session_token,
                                 std::string_view source_address) override {
    return ctx_->sessions->authenticate(session_token, source_address);
  }
  Result<void> logout(const Principal& who) override { return ctx_->sessions->logout(who); }
  Result<void> change_password(const Principal& who, std::string_view current_password,
                               std::string_view new_password) override {
    return accounts::change_password(*ctx_, who, current_password, new_password);
  }
  Result<UserView> create_user(const Principal& who, const NewUser& user) override {
    return accounts::create_user(*ctx_, who, user);
  }
  Result<UserView> get_user(const Principal& who, std::string_view username) override {
    return accounts::get_user(*ctx_, who, username);
  }
  Result<std::vector<Organisation>> list_organisations(const Principal& who) override {
    return accounts::list_organisations(*ctx_, who);
  }
  Result<Organisation> create_organisation(const Principal& who, const Organisation& org) override {
    return accounts::create_organisation(*ctx_, who, org);
  }
  Result<IssuedTotp> issue_token(const Principal& who, std::string_view username,
                                 std::string_view type) override {
    return enrolment::issue_token(*ctx_, who, username, type);
  }
  Result<IssuedSecurityKey> issue_security_key(const Principal& who,
                                               std::string_view username) override {
    return enrolment::issue_security_key(*ctx_, who, username);
  }
  Result<WebAuthnCeremony> begin_key_registration(const Principal& who) override {
    return webauthn::begin_registration(*ctx_, who);
  }
  Result<WebAuthnCeremony> begin_key_registration(const KeyEnrolmentRequest& request) override {
    return webauthn::begin_registration(*ctx_, request);
  }
  Result<TokenView> finish_key_registration(const Principal* who, std::string_view transaction,
                                            std::string_view credential_json,
                                            std::string_view source_address) override {
    return webauthn::finish_registration(*ctx_, who, transaction, credential_json, source_address);
  }
  Result<WebAuthnCeremony> begin_key_login(const KeyLoginRequest& request) override {
    return webauthn::begin_login(*ctx_, request);
  }
  Result<LoginGrant> finish_key_login(std::string_view transaction,
                                      std::string_view credential_json,
                                      std::string_view source_address) override {
    return webauthn::finish_login(*ctx_, transaction, credential_json, source_address);
  }
  Result<TokenView> activate_token(const Principal& who, std::string_view token_id,
                                   std::string_view otp) override {
    return enrolment::activate_token(*ctx_, who, token_id, otp);
  }
  Result<UserView> approve_user(const Principal& who, std::string_view username) override {
    return accounts::approve_user(*ctx_, who, username);
  }
  Result<UserView> reject_user(const Principal& who, std::string_view username,
                               const ActionRecord& record) override {
    return accounts::reject_user(*ctx_, who, username, record);
  }
  Result<UserView> record_conditions(const Principal& who, std::string_view username,
                                     const ConditionsUpdate& update) override {
    return accounts::record_conditions(*ctx_, who, username, update);
  }
  Result<UserView> update_user(const Principal& who, std::string_view username,
                               const UserUpdate& update) override {
    return accounts::update_user(*ctx_, who, username, update);
  }
  Result<UserView> clear_access_review(const Principal& who, std::string_view username,
                                       std::string_view note) override {
    return accounts::clear_access_review(*ctx_, who, username, note);
  }
  Result<UserView> suspend_user(const Principal& who, std::string_view username,
                                const ActionRecord& record) override {
    return accounts::suspend_user(*ctx_, who, username, record);
  }
  Result<UserView> reactivate_user(const Principal& who, std::string_view username,
                                   const ActionRecord& record) override {
    return accounts::reactivate_user(*ctx_, who, username, record);
  }
  Result<UserView> close_user(const Principal& who, std::string_view username,
                              const ActionRecord& record) override {
    return accounts::close_user(*ctx_, who, username, record);
  }
  Result<UserView> unlock_user(const Principal& who, std::string_view username) override {
    return accounts::unlock_user(*ctx_, who, username);
  }
  Result<std::string> reset_password(const Principal& who, std::string_view username) override {
    return accounts::reset_password(*ctx_, who, username);
  }
  Result<IssuedTotp> issue_temporary_token(const Principal& who, std::string_view username,
                                           std::string_view type) override {
    return enrolment::issue_temporary_token(*ctx_, who, username, type);
  }
  Result<TokenView> report_token_lost(const Principal& who, std::string_view token_id,
                                      std::string_view note) override {
    return enrolment::report_token_lost(*ctx_, who, token_id, note);
  }
  Result<TokenView> revoke_token(const Principal& who, std::string_view token_id,
                                 std::string_view note) override {
    return enrolment::revoke_token(*ctx_, who, token_id, note);
  }
  Result<TokenView> return_token(const Principal& who, std::string_view token_id,
                                 std::string_view note) override {
    return enrolment::return_token(*ctx_, who, token_id, note);
  }
  Result<TokenView> resync_token(const Principal& who, std::string_view token_id,
                                 std::string_view first_code,
                                 std::string_view second_code) override {
    return enrolment::resync_token(*ctx_, who, token_id, first_code, second_code);
  }
  Result<Organisation> set_admin_rights(const Principal& who, std::string_view org_id,
                                        std::string_view state, std::string_view reason) override {
    return accounts::set_admin_rights(*ctx_, who, org_id, state, reason);
  }
  Result<SweepResult> sweep(const Principal& who) override { return lifecycle::sweep(*ctx_, who); }
  Result<SweepResult> run_scheduled_sweep() override { return lifecycle::scheduled_sweep(*ctx_); }
  Result<Report> report(const Principal& who, std::string_view name) override {
    return lifecycle::report(*ctx_, who, name);
  }
  Result<std::vector<NotificationView>> list_notifications(const Principal& who, int64_t after,
                                                           int limit) override {
    return lifecycle::list_notifications(*ctx_, who, after, limit);
  }
  Result<std::vector<AuditEntry>> list_audit(const Principal& who, int64_t after,
                                             int limit) override {
    return core::list_audit(*ctx_, who, after, limit);
  }
  Result<Checkpoint> checkpoint_audit(const Principal& who) override {
    return core::checkpoint_audit(*ctx_, who);
  }
  Result<std::vector<Checkpoint>> list_checkpoints(const Principal& who, int64_t after_seq,
                                                   int limit) override {
    return core::list_checkpoints(*ctx_, who, after_seq, limit);
  }
  Result<AuditExport> export_audit(const Principal& who, int64_t from, int64_t to) override {
    return core::export_audit(*ctx_, who, from, to);
  }
  Result<KeyView> rotate_key(const Principal& who, std::string_view purpose) override {
    return keys::rotate_key(*ctx_, who, purpose);
  }
  Result<std::vector<KeyView>> list_keys() override { return keys::list_keys(*ctx_); }
  Result<std::vector<KeyView>> list_keys(const Principal& who) override {
    auto admin = accounts::require_admin(*ctx_, who, "keys.read");
    if (!admin) return admin.error();
    return keys::list_keys(*ctx_);
  }
  HealthReport health() override { return core::health(*ctx_); }
  Result<void> shutdown() override {
    lifecycle::stop_background(*ctx_);
    if (!ctx_->checkpointer) return {};
    return ctx_->checkpointer->stop();
  }

 private:
  std::unique_ptr<Context> ctx_;
};

Result<void> start(Context& ctx) {
  if (auto present = keys::check_current_keys(*ctx.hsm, ctx.keys); !present) return present;
  auto wrapped = enrolment::rewrap_seeds(*ctx.store, *ctx.vault, ctx.keys);
  if (!wrapped) return wrapped.error();
  common::SecretBytes dummy(
      tokens::new_totp_secret(*ctx.config.random, ctx.policy().totp.secret_bytes));
  auto sealed = ctx.vault->seal(kDummySeedAad, dummy);
  if (!sealed) return sealed.error();
  ctx.dummy_sealed_seed = std::move(*sealed);
  auto setup = webauthn::make_setup(ctx.config, *ctx.store, *ctx.config.random);
  if (!setup) return setup.error();
  ctx.webauthn = std::make_unique<webauthn::Setup>(std::move(*setup));
  ctx.checkpointer = std::make_unique<audit::Checkpointer>(
      *ctx.store, ctx.hsm, ctx.keys, ctx.config.clock, ctx.policy().audit, ctx.health);
  ctx.store->set_audit_listener([checkpointer = ctx.checkpointer.get()](int64_t n, bool ok) {
    checkpointer->appended(n, ok);
  });
  if (auto started = ctx.checkpointer->start(); !started) return started;
  return lifecycle::start_background(ctx);
}

}  // namespace

Result<std::unique_ptr<Context>> make_context(const Config& config,
                                              std::unique_ptr<store::Store> store) {
  if (!config.hsm) {
    return common::make_error(common::Errc::bad_request, "no HSM is configured (Config.hsm)");
  }
  auto rules = password::PasswordRules::load(config.policy.password);
  if (!rules) return rules.error();
  auto ctx = std::make_unique<Context>();
  ctx->config = config;
  if (!ctx->config.clock) ctx->config.clock = common::system_clock();
  if (!ctx->config.random) ctx->config.random = common::openssl_random();
  ctx->store = std::move(store);
  ctx->rules = std::move(*rules);
  ctx->argon2 = password::params_from(config.policy.password);
  // Made now, not on the first unknown-user login, which would otherwise
  // take twice as long as any other and say so.
  (void)password::dummy_hash(ctx->argon2);
  ctx->totp = enrolment::totp_params(config.policy.totp);
  ctx->sessions = std::make_unique<sessions::SessionManager>(*ctx->store, config.policy.session,
                                                             ctx->config.clock, ctx->config.random);
  const auto& lockout = config.policy.lockout;
  ctx->address_throttle =
      std::make_unique<login::FailureThrottle>(lockout.address_throttle_after_failures, lockout);
  ctx->unknown_user_throttle =
      std::make_unique<login::FailureThrottle>(lockout.throttle_after_failures, lockout);
  ctx->refusal_sampler = std::make_unique<login::RefusalSampler>();
  ctx->hsm = config.hsm;
  ctx->vault = std::make_unique<enrolment::SeedVault>(ctx->hsm, ctx->keys, ctx->health);
  auto tx = ctx->store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  if (auto loaded = ctx->keys.reload(**tx); !loaded) return loaded.error();
  return ctx;
}

Result<std::unique_ptr<Service>> make_service(const Config& config,
                                              std::unique_ptr<store::Store> store) {
  auto ctx = make_context(config, std::move(store));
  if (!ctx) return ctx.error();
  if (auto started = start(**ctx); !started) return started.error();
  return std::unique_ptr<Service>(new ServiceImpl(std::move(*ctx)));
}

Result<std::unique_ptr<Service>> Service::open(const Config& config) {
  auto store = store::open_sqlite_store(config.database_path, /*create=*/false);
  if (!store) return store.error();
  return make_service(config, std::move(*store));
}

}  // namespace core
