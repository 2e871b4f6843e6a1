// Administrators' reports and the outbox listing, limited to the caller's
// scope.
#include <algorithm>

#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;
constexpr int64_t kDay = 86400;

class ReportsTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    ASSERT_TRUE(service_->create_organisation(
                             admin_, Organisation{"LA-002", "Local Authority 002",
                                                  "local_authority", ""})
                    .ok());
    make_user(admin_, "ann", "ann's own passphrase");                        // LA-001
    make_user(admin_, "bob", "bob's own passphrase", {"practitioner"}, "LA-002");
  }
  static std::vector<std::string> names(const Report& r) {
    std::vector<std::string> out;
    for (const auto& row : r.accounts) out.push_back(row.username);
    for (const auto& row : r.tokens) out.push_back(row.username + ":" + row.state);
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(ReportsTest, LostTokensAndHardwareAwaitingReturn) {
  auto ann = service_->get_user(admin_, "ann");
  ASSERT_TRUE(service_->report_token_lost(admin_, ann->tokens[0].token_id, "").ok());
  ASSERT_TRUE(service_->close_user(admin_, "bob", record("left")).ok());
  auto report = service_->report(admin_, "tokens");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(names(*report), (std::vector<std::string>{"ann:lost", "bob:revoked"}));
  for (const auto& row : report->tokens) {
    EXPECT_EQ(row.custody, row.username == "bob" ? "awaiting_return" : "holder");
  }

  // LA-002's manager sees only LA-002's.
  const Principal lam = administrator("lam", "LA-002", {"la_manager"});
  auto scoped = service_->report(lam, "tokens");
  ASSERT_TRUE(scoped.ok());
  EXPECT_EQ(names(*scoped), std::vector<std::string>{"bob:revoked"});

  // Once the hardware is back it leaves the report.
  auto bob = service_->get_user(admin_, "bob");
  ASSERT_TRUE(service_->return_token(admin_, bob->tokens[0].token_id, "").ok());
  EXPECT_EQ(names(*service_->report(admin_, "tokens")), std::vector<std::string>{"ann:lost"});
}

TEST_F(ReportsTest, DormantPendingAndReviews) {
  nominate("pat");
  UserUpdate update;
  update.job_title = "Team leader";
  ASSERT_TRUE(service_->update_user(admin_, "ann", update).ok());
  const int64_t start = common::unix_seconds(clock_->now());
  clock_->set(common::from_unix_seconds(start + 91 * kDay));
  admin_ = admin_again();
  auto dormant = service_->report(admin_, "dormant");
  ASSERT_TRUE(dormant.ok()) << dormant.error().message;
  const auto dormant_names = names(*dormant);
  EXPECT_NE(std::find(dormant_names.begin(), dormant_names.end(), "ann"), dormant_names.end());
  EXPECT_NE(std::find(dormant_names.begin(), dormant_names.end(), "bob"), dormant_names.end());
  EXPECT_EQ(std::find(dormant_names.begin(), dormant_names.end(), "admin"), dormant_names.end());
  for (const auto& row : dormant->accounts) {
    if (row.username == "ann") {
      EXPECT_EQ(row.detail.rfind("no login for 91 days", 0), 0u) << row.detail;
    }
  }
  EXPECT_EQ(names(*service_->report(admin_, "pending")), std::vector<std::string>{"pat"});
  EXPECT_EQ(names(*service_->report(admin_, "reviews")), std::vector<std::string>{"ann"});

  // After the sweep suspends them, they stay on the dormant report.
  ASSERT_TRUE(service_->run_scheduled_sweep().ok());
  const auto after = names(*service_->report(admin_, "dormant"));
  EXPECT_NE(std::find(after.begin(), after.end(), "ann"), after.end());
}

TEST_F(ReportsTest, RefusalsOfReports) {
  EXPECT_EQ(service_->report(admin_, "everything").error().code, Errc::not_found);
  const Principal pia = administrator("pia", "LA-001", {"practitioner"});
  EXPECT_EQ(service_->report(pia, "tokens").error().code, Errc::forbidden);
  EXPECT_EQ(service_->list_notifications(pia, 0, 10).error().code, Errc::forbidden);
  EXPECT_EQ(service_->list_notifications(admin_, 0, 0).error().code, Errc::bad_request);
  EXPECT_EQ(service_->list_notifications(admin_, 0, 1001).error().code, Errc::bad_request);
}

TEST_F(ReportsTest, NotificationsOutsideTheScopeAreHidden) {
  ASSERT_TRUE(service_->suspend_user(admin_, "ann", record("extended_leave")).ok());
  ASSERT_TRUE(service_->suspend_user(admin_, "bob", record("extended_leave")).ok());
  auto all = service_->list_notifications(admin_, 0, 100);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].about, "ann");
  EXPECT_EQ((*all)[0].state, "pending");  // no delivery method configured
  EXPECT_EQ((*all)[0].recipient, "manager.ann@example.org");
  const Principal lam = administrator("lam", "LA-002", {"la_manager"});
  auto scoped = service_->list_notifications(lam, 0, 100);
  ASSERT_TRUE(scoped.ok());
  ASSERT_EQ(scoped->size(), 1u);
  EXPECT_EQ((*scoped)[0].about, "bob");
  // Paging: after the first id, one row.
  auto page = service_->list_notifications(admin_, (*all)[0].id, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].about, "bob");
}

}  // namespace
}  // namespace core::testing
