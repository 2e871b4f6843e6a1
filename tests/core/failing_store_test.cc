// Fault injection: a Store decorator that fails the Nth operation. Whatever
// operation fails, a change and its audit entry are either both there or
// both absent, and the chain still verifies.
#include <atomic>

#include "service/service_impl.h"
#include "store/store.h"
#include "test_support.h"

namespace core::testing {
namespace {

using common::Errc;

// Counts every operation (including begin and commit) across all
// transactions; the one numbered fail_at_ fails with unavailable.
class FailingStore final : public store::Store {
 public:
  FailingStore(std::unique_ptr<store::Store> inner, std::shared_ptr<std::atomic<int>> fail_at)
      : inner_(std::move(inner)), fail_at_(std::move(fail_at)) {}

  Result<std::unique_ptr<store::StoreTx>> begin(Mode mode) override;
  void set_audit_listener(AuditListener listener) override {
    inner_->set_audit_listener(std::move(listener));
  }

  bool trip() { return --*fail_at_ == 0; }
  static common::Error fault() { return common::make_error(Errc::unavailable, "injected fault"); }

 private:
  class Tx;
  std::unique_ptr<store::Store> inner_;
  std::shared_ptr<std::atomic<int>> fail_at_;
};

#define FAILING_OP(ret, name, params, args)           \
  Result<ret> name params override {                  \
    if (store_->trip()) return FailingStore::fault(); \
    return inner_->name args;                         \
  }

class FailingStore::Tx final : public store::StoreTx {
 public:
  Tx(FailingStore* store, std::unique_ptr<store::StoreTx> inner)
      : store_(store), inner_(std::move(inner)) {}
  Result<void> commit() override {
    if (store_->trip()) return FailingStore::fault();
    return inner_->commit();
  }
  FAILING_OP(std::optional<store::OrganisationRecord>, find_organisation, (std::string_view id),
             (id))
  FAILING_OP(std::vector<store::OrganisationRecord>, list_organisations, (), ())
  FAILING_OP(void, insert_organisation, (const store::OrganisationRecord& o), (o))
  FAILING_OP(std::optional<store::UserRecord>, find_user, (std::string_view u), (u))
  FAILING_OP(std::optional<store::UserRecord>, find_user_by_id, (int64_t id), (id))
  FAILING_OP(int64_t, insert_user, (const store::UserRecord& u), (u))
  FAILING_OP(void, set_login_counters, (int64_t id, const store::LoginCounters& c), (id, c))
  FAILING_OP(void, set_last_login, (int64_t id, int64_t at), (id, at))
  FAILING_OP(void, set_password, (int64_t id, std::string_view phc, bool must), (id, phc, must))
  FAILING_OP(bool, set_admin_rights, (std::string_view o, std::string_view r), (o, r))
  FAILING_OP(void, set_password_set_at, (int64_t id, int64_t at), (id, at))
  FAILING_OP(std::vector<store::UserRecord>, list_users, (), ())
  FAILING_OP(bool, change_user_state,
             (int64_t id, std::string_view from, const store::StateChangeRecord& c),
             (id, from, c))
  FAILING_OP(void, update_user_details, (const store::UserRecord& u), (u))
  FAILING_OP(void, set_conditions, (int64_t id, const store::ConditionsRecord& c), (id, c))
  FAILING_OP(void, set_vetting_warned, (int64_t id, int64_t d), (id, d))
  FAILING_OP(std::vector<std::string>, end_sessions_of,
             (int64_t id, int64_t at, std::string_view r), (id, at, r))
  FAILING_OP(std::vector<std::string>, end_other_sessions_of,
             (int64_t id, std::string_view keep, int64_t at, std::string_view r), (id, keep, at, r))
  FAILING_OP(bool, change_token_state,
             (std::string_view t, std::string_view from, std::string_view to, int64_t at),
             (t, from, to, at))
  FAILING_OP(void, set_token_custody, (std::string_view t, std::string_view c), (t, c))
  FAILING_OP(void, set_token_sync, (std::string_view t, int64_t s, int64_t d), (t, s, d))
  FAILING_OP(std::vector<store::TokenRecord>, list_tokens, (), ())
  FAILING_OP(int64_t, insert_notification, (const store::NotificationRecord& n), (n))
  FAILING_OP(std::vector<store::NotificationRecord>, due_notifications, (int64_t now, int l),
             (now, l))
  FAILING_OP(void, record_delivery,
             (int64_t id, bool ok, int64_t at, int64_t next, std::string_view e),
             (id, ok, at, next, e))
  FAILING_OP(std::vector<store::NotificationRecord>, notifications_after, (int64_t a, int l),
             (a, l))
  FAILING_OP(void, insert_token, (const store::TokenRecord& t), (t))
  FAILING_OP(std::optional<store::TokenRecord>, find_token, (std::string_view id), (id))
  FAILING_OP(std::vector<store::TokenRecord>, tokens_of, (int64_t id), (id))
  FAILING_OP(bool, accept_step, (std::string_view id, int64_t s, int64_t d), (id, s, d))
  FAILING_OP(bool, activate_token, (std::string_view id, int64_t s, int64_t d, int64_t at),
             (id, s, d, at))
  FAILING_OP(void, insert_session, (const store::SessionRecord& s), (s))
  FAILING_OP(std::optional<store::SessionRecord>, find_session, (std::string_view h), (h))
  FAILING_OP(void, touch_session, (std::string_view h, int64_t at), (h, at))
  FAILING_OP(bool, end_session, (std::string_view h, int64_t at, std::string_view r), (h, at, r))
  FAILING_OP(store::AuditHead, audit_head, (), ())
  FAILING_OP(void, insert_audit, (const AuditEntry& e), (e))
  FAILING_OP(std::vector<AuditEntry>, audit_after, (int64_t after, int limit), (after, limit))
  FAILING_OP(std::vector<store::TokenRecord>, tokens_not_sealed_by,
             (std::string_view k, std::string_view after, int limit), (k, after, limit))
  FAILING_OP(bool, replace_secret,
             (const store::TokenRecord& t, const std::vector<uint8_t>& s, std::string_view k),
             (t, s, k))
  FAILING_OP(void, insert_webauthn_credential, (const store::WebAuthnCredentialRecord& c), (c))
  FAILING_OP(std::optional<store::WebAuthnCredentialRecord>, find_webauthn_credential,
             (std::span<const uint8_t> id), (id))
  FAILING_OP(std::vector<store::WebAuthnCredentialRecord>, webauthn_credentials_of, (int64_t id),
             (id))
  FAILING_OP(bool, advance_sign_count, (std::string_view t, int64_t from, int64_t to, int64_t at),
             (t, from, to, at))
  FAILING_OP(void, insert_enrolment, (const store::EnrolmentRecord& e), (e))
  FAILING_OP(std::optional<store::EnrolmentRecord>, find_enrolment, (std::string_view t), (t))
  FAILING_OP(bool, use_enrolment, (std::string_view t, int64_t at), (t, at))
  FAILING_OP(void, insert_ceremony, (const store::CeremonyRecord& c), (c))
  FAILING_OP(std::optional<store::CeremonyRecord>, find_ceremony, (std::string_view h), (h))
  FAILING_OP(bool, consume_ceremony, (std::string_view h, int64_t at), (h, at))
  FAILING_OP(int64_t, delete_ceremonies_expired_before, (int64_t before), (before))
  FAILING_OP(std::optional<std::vector<uint8_t>>, find_setting, (std::string_view n), (n))
  FAILING_OP(void, insert_setting, (std::string_view n, const std::vector<uint8_t>& v), (n, v))
  FAILING_OP(void, insert_checkpoint, (const Checkpoint& c), (c))
  FAILING_OP(std::optional<Checkpoint>, last_checkpoint, (), ())
  FAILING_OP(std::vector<Checkpoint>, checkpoints_after, (int64_t after, int limit), (after, limit))
  FAILING_OP(std::optional<Checkpoint>, checkpoint_at_or_after, (int64_t seq), (seq))
  FAILING_OP(void, insert_key, (const store::KeyRecord& k), (k))
  FAILING_OP(std::vector<store::KeyRecord>, list_keys, (), ())
  FAILING_OP(bool, retire_key, (std::string_view id, int64_t at), (id, at))

 private:
  FailingStore* store_;
  std::unique_ptr<store::StoreTx> inner_;
};

Result<std::unique_ptr<store::StoreTx>> FailingStore::begin(Mode mode) {
  if (trip()) return fault();
  auto tx = inner_->begin(mode);
  if (!tx) return tx.error();
  return std::unique_ptr<store::StoreTx>(new Tx(this, std::move(*tx)));
}

class FailingStoreTest : public CoreTest {
 protected:
  // A Service over the database with a fault armed at operation n (0: none).
  void open_failing() {
    fail_at_ = std::make_shared<std::atomic<int>>(0);
    auto inner = store::open_sqlite_store(db_path(), /*create=*/false);
    ASSERT_TRUE(inner.ok());
    auto svc = make_service(config(), std::make_unique<FailingStore>(std::move(*inner), fail_at_));
    ASSERT_TRUE(svc.ok());
    service_ = std::move(*svc);
  }
  std::shared_ptr<std::atomic<int>> fail_at_;
};

TEST_F(FailingStoreTest, CreateUserIsAllOrNothingWhereverTheFaultStrikes) {
  init_and_open();
  Principal admin = admin_session();
  service_.reset();
  open_failing();
  // The session is in the database, so the new Service finds it.
  int successes = 0;
  for (int n = 1; n <= 40 && successes == 0; ++n) {
    const int64_t users = sql_int("SELECT COUNT(*) FROM users");
    const int64_t entries = sql_int("SELECT COUNT(*) FROM audit WHERE action = 'user.create'");
    *fail_at_ = n;
    auto r = service_->create_user(
        admin, nominee("gina", "Gina", "LA-001", {"practitioner"}, "gina's first password"));
    const bool tripped = fail_at_->load() <= 0;
    *fail_at_ = 0;
    if (r.ok()) {
      EXPECT_FALSE(tripped) << "fault at " << n << " went unnoticed";
      ++successes;
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM users"), users + 1);
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'user.create'"), entries + 1);
    } else {
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM users"), users) << "fault at " << n;
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'user.create'"), entries)
          << "fault at " << n;
    }
    EXPECT_TRUE(verify().ok) << "fault at " << n;
  }
  EXPECT_EQ(successes, 1);
}

TEST_F(FailingStoreTest, LoginIsAllOrNothingWhereverTheFaultStrikes) {
  init_and_open();
  service_.reset();
  open_failing();
  int successes = 0;
  for (int n = 1; n <= 40 && successes == 0; ++n) {
    const int64_t sessions = sql_int("SELECT COUNT(*) FROM sessions");
    const int64_t logins = sql_int("SELECT COUNT(*) FROM audit WHERE action = 'login'");
    const int64_t last_step = sql_int("SELECT last_step FROM tokens");
    *fail_at_ = n;
    auto r = login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri));
    *fail_at_ = 0;
    if (r.ok()) {
      ++successes;
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions"), sessions + 1);
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'login'"), logins + 1);
      EXPECT_TRUE(service_->authenticate(r->session, "192.0.2.1").ok());
    } else {
      EXPECT_EQ(r.error().code, Errc::unavailable) << "fault at " << n;
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions"), sessions) << "fault at " << n;
      EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'login'"), logins);
      EXPECT_EQ(sql_int("SELECT last_step FROM tokens"), last_step) << "fault at " << n;
    }
    EXPECT_TRUE(verify().ok) << "fault at " << n;
  }
  EXPECT_EQ(successes, 1);
}

TEST_F(FailingStoreTest, AFailedAuditAppendRollsBackTheChange) {
  init_and_open();
  Principal admin = admin_session();
  service_.reset();
  open_failing();
  // Find the operation that is the audit insert by trying each until an
  // organisation create fails; every failure must leave no organisation.
  for (int n = 1; n <= 30; ++n) {
    *fail_at_ = n;
    auto r =
        service_->create_organisation(admin, {"LA-077", "Seventy-seven", "local_authority", ""});
    *fail_at_ = 0;
    if (r.ok()) break;
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM organisations WHERE id = 'LA-077'"), 0) << n;
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE subject = 'LA-077'"), 0) << n;
  }
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM organisations WHERE id = 'LA-077'"), 1);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE subject = 'LA-077'"), 1);
}

}  // namespace
}  // namespace core::testing
