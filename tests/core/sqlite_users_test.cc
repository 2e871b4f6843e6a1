// The SQLite store's account rows: every lifecycle field written and read
// back, the state compare-and-set, ending a user's live sessions (as
// requestor or mediator), partner rights, and the bootstrap administrator.
#include <algorithm>

#include "store/store.h"
#include "test_support.h"

namespace core::testing {
namespace {

class SqliteUsersTest : public CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    ASSERT_TRUE(Service::initialise(config(), keys_).ok());
    auto opened = store::open_sqlite_store(db_path(), /*create=*/false);
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
  }
  std::unique_ptr<store::StoreTx> write() {
    auto tx = store_->begin(store::Store::Mode::write);
    EXPECT_TRUE(tx.ok());
    return std::move(*tx);
  }
  store::UserRecord full_user() const {
    store::UserRecord u;
    u.username = "full";
    u.display_name = "Full Record";
    u.organisation = "LA-001";
    u.roles = {"practitioner", "manager"};
    u.state = "nominated";
    u.password_hash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
    u.created_at = 1767225600;
    u.email = "full@example.org";
    u.job_title = "Social worker";
    u.manager_name = "M. Anager";
    u.manager_email = "m@example.org";
    u.access_review_required = true;
    u.conditions = {"need", "2025-01-01", "2025-01-02", "2024-01-03", "employer_confirmation",
                    "HR", "2024-01-04", "VBS-1"};
    u.vetting_warned_days = 30;
    return u;
  }
  std::unique_ptr<store::Store> store_;
};

TEST_F(SqliteUsersTest, EveryFieldRoundTrips) {
  auto tx = write();
  const store::UserRecord u = full_user();
  auto id = tx->insert_user(u);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto read = tx->find_user("full");
  ASSERT_TRUE(read.ok() && read->has_value());
  const auto& r = **read;
  EXPECT_EQ(r.roles, (std::vector<std::string>{"manager", "practitioner"}));
  EXPECT_EQ(r.state, "nominated");
  EXPECT_EQ(r.email, u.email);
  EXPECT_EQ(r.job_title, u.job_title);
  EXPECT_EQ(r.manager_name, u.manager_name);
  EXPECT_EQ(r.manager_email, u.manager_email);
  EXPECT_TRUE(r.access_review_required);
  EXPECT_EQ(r.conditions.need, "need");
  EXPECT_EQ(r.conditions.accredited_training_on, "2025-01-01");
  EXPECT_EQ(r.conditions.local_training_on, "2025-01-02");
  EXPECT_EQ(r.conditions.vetting_disclosure_on, "2024-01-03");
  EXPECT_EQ(r.conditions.vetting_basis, "employer_confirmation");
  EXPECT_EQ(r.conditions.vetting_confirmed_by, "HR");
  EXPECT_EQ(r.conditions.vetting_confirmed_on, "2024-01-04");
  EXPECT_EQ(r.conditions.barring_scheme_ref, "VBS-1");
  EXPECT_EQ(r.vetting_warned_days, 30);
  EXPECT_EQ(r.password_set_at, u.created_at);  // a new account's password dates from creation
  EXPECT_FALSE(r.last_change.has_value());
}

TEST_F(SqliteUsersTest, StateChangesAreCompareAndSetWithTheirRecord) {
  auto tx = write();
  auto id = tx->insert_user(full_user());
  ASSERT_TRUE(id.ok());
  store::StateChangeRecord change{"active", "", "approved", "alice", "", "alice", 1767300000};
  auto wrong_from = tx->change_user_state(*id, "active", change);
  ASSERT_TRUE(wrong_from.ok());
  EXPECT_FALSE(*wrong_from);
  auto moved = tx->change_user_state(*id, "nominated", change);
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(*moved);
  auto read = tx->find_user_by_id(*id);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->state, "active");
  ASSERT_TRUE((*read)->last_change.has_value());
  EXPECT_EQ((*read)->last_change->note, "approved");
  EXPECT_EQ((*read)->last_change->at, 1767300000);
  // Details and roles change together; conditions and warnings on their own.
  store::UserRecord details = **read;
  details.roles = {"practitioner"};
  details.job_title = "Lead";
  details.access_review_required = false;
  ASSERT_TRUE(tx->update_user_details(details).ok());
  ASSERT_TRUE(tx->set_conditions(*id, store::ConditionsRecord{}).ok());
  ASSERT_TRUE(tx->set_vetting_warned(*id, 0).ok());
  ASSERT_TRUE(tx->set_password_set_at(*id, 1767400000).ok());
  read = tx->find_user_by_id(*id);
  EXPECT_EQ((*read)->roles, (std::vector<std::string>{"practitioner"}));
  EXPECT_EQ((*read)->job_title, "Lead");
  EXPECT_FALSE((*read)->access_review_required);
  EXPECT_EQ((*read)->conditions.need, "");
  EXPECT_EQ((*read)->vetting_warned_days, 0);
  EXPECT_EQ((*read)->password_set_at, 1767400000);
  auto all = tx->list_users();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "admin");
  EXPECT_EQ((*all)[1].username, "full");
}

TEST_F(SqliteUsersTest, EndSessionsOfEndsOnlyLiveOnesAsRequestorOrMediator) {
  auto tx = write();
  auto full = tx->insert_user(full_user());
  ASSERT_TRUE(full.ok());
  auto admin = tx->find_user("admin");
  ASSERT_TRUE(admin.ok() && admin->has_value());
  const int64_t other = (*admin)->id;
  auto session = [&](const std::string& hash, int64_t user, std::optional<int64_t> mediator) {
    store::SessionRecord s;
    s.hash = hash;
    s.user_id = user;
    s.source_address = "192.0.2.1";
    s.created_at = s.last_seen_at = 1767225600;
    s.expires_at = 1767225600 + 3600;
    s.mediator_id = mediator;
    ASSERT_TRUE(tx->insert_session(s).ok());
  };
  session("own", *full, std::nullopt);
  session("mediated", other, *full);
  session("ended", *full, std::nullopt);
  session("unrelated", other, std::nullopt);
  ASSERT_TRUE(tx->end_session("ended", 1767225601, "logout").ok());
  auto ended = tx->end_sessions_of(*full, 1767225700, "account_suspended");
  ASSERT_TRUE(ended.ok()) << ended.error().message;
  std::sort(ended->begin(), ended->end());
  EXPECT_EQ(*ended, (std::vector<std::string>{"mediated", "own"}));
  auto mediated = tx->find_session("mediated");
  ASSERT_TRUE(mediated.ok() && mediated->has_value());
  EXPECT_EQ((*mediated)->mediator_id, *full);
  EXPECT_EQ((*mediated)->end_reason, "account_suspended");
  EXPECT_EQ((*tx->find_session("ended"))->end_reason, "logout");
  EXPECT_FALSE((*tx->find_session("unrelated"))->ended_at.has_value());
  auto again = tx->end_sessions_of(*full, 1767225800, "account_closed");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(SqliteUsersTest, PartnerRightsAreStored) {
  auto tx = write();
  ASSERT_TRUE(
      tx->insert_organisation({"P-01", "Partner", "partner", "LA-001", 1767225600, "none"}).ok());
  EXPECT_EQ((*tx->find_organisation("P-01"))->admin_rights, "none");
  auto set = tx->set_admin_rights("P-01", "granted");
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(*set);
  EXPECT_EQ((*tx->find_organisation("P-01"))->admin_rights, "granted");
  EXPECT_FALSE(*tx->set_admin_rights("P-99", "granted"));
  // The schema allows only the four states.
  EXPECT_FALSE(tx->set_admin_rights("P-01", "sometimes").ok());
}

TEST_F(SqliteUsersTest, TheBootstrapAdministratorIsActiveWithItsPasswordDated) {
  auto tx = store_->begin(store::Store::Mode::read);
  ASSERT_TRUE(tx.ok());
  auto admin = (*tx)->find_user("admin");
  ASSERT_TRUE(admin.ok() && admin->has_value());
  EXPECT_EQ((*admin)->state, "active");
  EXPECT_EQ((*admin)->password_set_at, (*admin)->created_at);
  EXPECT_EQ((*admin)->conditions.need, "");  // none recorded (see initialise.cc)
}

}  // namespace
}  // namespace core::testing
