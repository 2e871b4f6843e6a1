// The outbox: a queued message is delivered by the configured command, a
// failure is retried with doubling back-off on the fake clock and then
// delivered, each attempt is recorded and audited, and nothing is lost.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "accounts_fixture.h"
#include "lifecycle/background.h"
#include "notifications/deliverer.h"
#include "notifications/outbox.h"
#include "service/service_impl.h"
#include "store/store.h"

namespace core::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class OutboxTest : public CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    auto admin = Service::initialise(config(), keys_);
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    auto store = store::open_sqlite_store(db_path(), /*create=*/false);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto ctx = make_context(config(), std::move(*store));
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    ctx_ = std::move(*ctx);
    ctx_->config.notifications.from = "authd@example.org";
    ctx_->config.notifications.retry_initial = 30s;
  }
  void TearDown() override {
    ctx_.reset();
    CoreTest::TearDown();
  }

  int64_t enqueue(const std::string& recipient) {
    auto tx = ctx_->store->begin(store::Store::Mode::write);
    EXPECT_TRUE(tx.ok());
    notifications::Message m{"account.suspended", recipient, "Account suspended: sam",
                             "The account of Sam was suspended.\n", "sam"};
    auto id = notifications::enqueue(**tx, m, ctx_->now());
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE((*tx)->commit().ok());
    return id.ok() ? *id : -1;
  }

  std::string script(const std::string& name, const std::string& body) {
    const auto path = dir_ / name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    fs::permissions(path, fs::perms::owner_all);
    return path.string();
  }

  std::unique_ptr<Context> ctx_;
};

TEST_F(OutboxTest, AQueuedMessageIsDeliveredOnceAndAudited) {
  const int64_t id = enqueue("manager.sam@example.org");
  ASSERT_GT(id, 0);
  const auto out = dir_ / "mail.txt";
  auto notifier = notifications::command_notifier({script("deliver", "cat >> \"$1\"\n"), out.string()});
  auto pass = notifications::deliver_due(*ctx_, *notifier);
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 1);
  EXPECT_EQ(pass->failed, 0);
  EXPECT_NE(read_file(out).find("To: <manager.sam@example.org>"), std::string::npos);
  EXPECT_EQ(sql_int("SELECT attempts FROM notifications WHERE id = " + std::to_string(id)), 1);
  EXPECT_EQ(sql_int("SELECT delivered_at FROM notifications WHERE id = " + std::to_string(id)),
            ctx_->now());
  EXPECT_EQ(sql_text("SELECT actor || ' ' || subject || ' ' || outcome || ' ' || reason FROM "
                     "audit WHERE action = 'notification.deliver'"),
            "authd-outbox sam success ok");
  const auto detail = sql_text("SELECT detail FROM audit WHERE action = 'notification.deliver'");
  EXPECT_NE(detail.find("\"recipient\":\"manager.sam@example.org\""), std::string::npos) << detail;
  EXPECT_NE(detail.find("\"attempt\":1"), std::string::npos) << detail;
  EXPECT_NE(detail.find("\"kind\":\"account.suspended\""), std::string::npos) << detail;

  // Delivered messages are not sent again, and stay on record.
  auto again = notifications::deliver_due(*ctx_, *notifier);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->delivered + again->failed, 0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), 1);
}

TEST_F(OutboxTest, AFailureIsRetriedWithDoublingBackOffThenDelivered) {
  const int64_t id = enqueue("manager.sam@example.org");
  const auto out = dir_ / "mail.txt";
  const auto failures = dir_ / "failures";
  // Fails twice, then takes the message.
  auto notifier = notifications::command_notifier(
      {script("flaky",
              "msg=$(cat); n=$(cat \"$2\" 2>/dev/null || echo 0)\n"
              "if [ \"$n\" -lt 2 ]; then echo $((n+1)) > \"$2\"; exit 75; fi\n"
              "printf '%s\\n' \"$msg\" > \"$1\"\n"),
       out.string(), failures.string()});
  const std::string where = " FROM notifications WHERE id = " + std::to_string(id);
  const int64_t t0 = ctx_->now();

  auto pass = notifications::deliver_due(*ctx_, *notifier);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(sql_int("SELECT attempts" + where), 1);
  EXPECT_EQ(sql_int("SELECT next_attempt_at" + where), t0 + 30);
  EXPECT_EQ(sql_text("SELECT last_error" + where), "notification command exited with status 75");
  EXPECT_EQ(sql_int("SELECT delivered_at IS NULL" + where), 1);

  // Not due again before the back-off has passed.
  clock_->advance(29s);
  EXPECT_EQ(notifications::deliver_due(*ctx_, *notifier)->failed, 0);
  clock_->advance(1s);
  EXPECT_EQ(notifications::deliver_due(*ctx_, *notifier)->failed, 1);
  EXPECT_EQ(sql_int("SELECT next_attempt_at" + where), t0 + 30 + 60);  // doubled
  clock_->advance(59s);
  EXPECT_EQ(notifications::deliver_due(*ctx_, *notifier)->delivered, 0);
  clock_->advance(1s);
  EXPECT_EQ(notifications::deliver_due(*ctx_, *notifier)->delivered, 1);
  EXPECT_EQ(sql_int("SELECT attempts" + where), 3);
  EXPECT_EQ(sql_int("SELECT delivered_at" + where), t0 + 90);
  EXPECT_NE(read_file(out).find("Subject: Account suspended: sam"), std::string::npos);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'notification.deliver' AND "
                    "outcome = 'failure' AND reason = 'delivery_failed'"),
            2);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'notification.deliver' AND "
                    "outcome = 'success'"),
            1);
  EXPECT_TRUE(verify().ok);
}

TEST_F(OutboxTest, BackOffDoublesUpToAnHour) {
  using notifications::retry_delay;
  EXPECT_EQ(retry_delay(30s, 1), 30s);
  EXPECT_EQ(retry_delay(30s, 2), 60s);
  EXPECT_EQ(retry_delay(30s, 3), 120s);
  EXPECT_EQ(retry_delay(30s, 7), 1920s);
  EXPECT_EQ(retry_delay(30s, 8), 3600s);
  EXPECT_EQ(retry_delay(30s, 1000), 3600s);
  EXPECT_EQ(retry_delay(7200s, 1), 3600s);
}

TEST_F(OutboxTest, WithoutARecipientNothingIsQueued) {
  EXPECT_EQ(enqueue(""), 0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), 0);
}

TEST_F(OutboxTest, AMessageOutlivesAnyNumberOfFailures) {
  enqueue("manager.sam@example.org");
  auto notifier = notifications::command_notifier({script("down", "exit 1\n")});
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(notifications::deliver_due(*ctx_, *notifier).ok());
    clock_->advance(1h);
  }
  EXPECT_EQ(sql_int("SELECT attempts FROM notifications"), 12);
  EXPECT_EQ(sql_int("SELECT delivered_at IS NULL FROM notifications"), 1);
}

// The scheduler runs the automatic rules every sweep_interval (real time),
// not at start, and stops promptly.
TEST_F(OutboxTest, TheSchedulerRunsTheSweepEachIntervalAndStops) {
  ctx_->config.policy.lifecycle.sweep_interval = std::chrono::seconds(1);
  lifecycle::Background background(*ctx_, nullptr, /*scheduler=*/true);
  background.start();
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'sweep.run'"), 0);
  int64_t runs = 0;
  for (int i = 0; i < 50 && runs == 0; ++i) {
    std::this_thread::sleep_for(100ms);
    runs = sql_int("SELECT COUNT(*) FROM audit WHERE action = 'sweep.run'");
  }
  const auto stopping = std::chrono::steady_clock::now();
  background.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 1s);
  EXPECT_GE(runs, 1);
  EXPECT_EQ(sql_text("SELECT actor FROM audit WHERE action = 'sweep.run' LIMIT 1"), "authd-sweep");
  background.stop();  // idempotent
}

// Through a running Service: the deliverer thread sends what a suspension
// queued, with the command from Config.notifications.
class OutboxServiceTest : public AccountsTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    const auto script_path = dir_ / "deliver";
    std::ofstream(script_path) << "#!/bin/sh\ncat >> \"$1\"\n";
    fs::permissions(script_path, fs::perms::owner_all);
    auto admin = Service::initialise(config(), keys_);
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    bootstrap_ = *admin;
    Config c = config();
    c.notifications.command = {script_path.string(), (dir_ / "mail.txt").string()};
    c.run_scheduler = false;
    auto opened = Service::open(c);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    service_ = std::move(*opened);
    admin_ = admin_session();
  }
};

TEST_F(OutboxServiceTest, TheStaffManagerGetsTheSuspensionNotice) {
  make_user(admin_, "sam", "sam's own passphrase");
  ASSERT_TRUE(service_->suspend_user(admin_, "sam", record("extended_leave")).ok());
  std::string text;
  for (int i = 0; i < 100 && text.find("manager.sam@example.org") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    text = read_file(dir_ / "mail.txt");
  }
  EXPECT_NE(text.find("To: <manager.sam@example.org>"), std::string::npos) << text;
  // The command has the text before the deliverer records its exit status.
  auto listed = service_->list_notifications(admin_, 0, 10);
  for (int i = 0; i < 100 && listed.ok() && listed->size() == 1 &&
                  (*listed)[0].state != "delivered";
       ++i) {
    std::this_thread::sleep_for(100ms);
    listed = service_->list_notifications(admin_, 0, 10);
  }
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].state, "delivered");
  EXPECT_EQ((*listed)[0].about, "sam");
}

}  // namespace
}  // namespace core::testing
