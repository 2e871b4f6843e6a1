// The defaults are what an operator gets from `authd init`; they must match
// the requirements and survive a round trip through the default file.
#include <gtest/gtest.h>

#include <algorithm>

#include "policy/policy.h"

namespace {

using namespace std::chrono_literals;

TEST(DefaultPolicy, MeetsTheRequiredSecurityFloor) {
  const policy::Policy p;
  EXPECT_EQ(p.password.min_length, 12u);
  EXPECT_GE(p.password.max_length, 64u);
  EXPECT_GE(p.password.argon2_memory_kib, 19456u);
  EXPECT_GE(p.password.argon2_iterations, 2u);
  EXPECT_EQ(p.session.idle_timeout, 15min);
  EXPECT_EQ(p.session.absolute_timeout, 12h);
  EXPECT_EQ(p.lockout.throttle_after_failures, 10u);
  EXPECT_LE(p.lockout.lock_after_failures, 100u);
  EXPECT_EQ(p.totp.window_steps, 1u);
  EXPECT_EQ(p.totp.digits, 6u);
  EXPECT_EQ(p.totp.period_seconds, 30u);
  EXPECT_EQ(p.totp.algorithm, "SHA1");
  EXPECT_GE(p.totp.secret_bytes, 20u);
  EXPECT_FALSE(p.password.blocklist_paths.empty());
  EXPECT_EQ(p.audit.checkpoint_every_entries, 1000u);
  EXPECT_EQ(p.audit.checkpoint_interval, 1s);
  // The numbers: a disclosure counts for 3 years, warnings 60 and 30
  // days before, dormant after 90 days, temporary tokens for 10 days, one
  // active token of a type, barring scheme off until announced.
  EXPECT_EQ(p.lifecycle.vetting_valid_days, 1095u);
  EXPECT_EQ(p.lifecycle.vetting_first_warning_days, 60u);
  EXPECT_EQ(p.lifecycle.vetting_second_warning_days, 30u);
  EXPECT_EQ(p.lifecycle.dormant_after_days, 90u);
  EXPECT_EQ(p.lifecycle.temporary_token_days, 10u);
  EXPECT_EQ(p.lifecycle.max_active_tokens_per_type, 1u);
  EXPECT_FALSE(p.lifecycle.barring_scheme_required);
  // Partners' administrators nominate but the role matrix never lets a
  // practitioner administer.
  for (const auto* roles : {&p.permissions.user_nominate, &p.permissions.user_suspend,
                            &p.permissions.token_manage, &p.permissions.sweep_run}) {
    EXPECT_EQ(std::count(roles->begin(), roles->end(), "practitioner"), 0);
  }
}

TEST(DefaultPolicy, IsValid) { EXPECT_EQ(policy::validate(policy::Policy{}), ""); }

TEST(DefaultPolicy, EmptyFileGivesDefaultsWithoutWarnings) {
  const auto result = policy::parse_policy("");
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(*result.policy, policy::Policy{});
  EXPECT_TRUE(result.warnings.empty());
}

TEST(DefaultPolicy, EmptyTablesGiveDefaults) {
  const auto result = policy::parse_policy(
      "[password]\n[session]\n[lockout]\n[totp]\n[admin]\n[audit]\n"
      "[permissions]\n[lifecycle]\n[webauthn]\n");
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(*result.policy, policy::Policy{});
}

TEST(DefaultPolicy, DefaultFileParsesToExactlyTheDefaults) {
  const auto text = policy::default_policy_toml();
  const auto result = policy::parse_policy(text);
  ASSERT_TRUE(result.policy) << result.error << "\n" << text;
  EXPECT_EQ(*result.policy, policy::Policy{});
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_TRUE(result.error.empty());
}

// Every key is written out (not left to default), so an operator reading the
// file sees every setting there is.
TEST(DefaultPolicy, DefaultFileSpellsOutEveryKey) {
  const auto text = policy::default_policy_toml();
  for (const char* line : {"[password]",
                           "min_length = 12",
                           "max_length = 128",
                           "argon2_memory_kib = 19456",
                           "argon2_iterations = 2",
                           "argon2_parallelism = 1",
                           "blocklist_paths = [",
                           "\"/usr/share/john/password.lst\"",
                           "\"/usr/share/dict/cracklib-small\"",
                           "[session]",
                           "idle_timeout_s = 900",
                           "absolute_timeout_s = 43200",
                           "[lockout]",
                           "throttle_after_failures = 10",
                           "initial_delay_s = 1",
                           "max_delay_s = 900",
                           "lock_after_failures = 100",
                           "address_throttle_after_failures = 50",
                           "[totp]",
                           "issuer = \"authd\"",
                           "window_steps = 1",
                           "digits = 6",
                           "period_seconds = 30",
                           "algorithm = \"SHA1\"",
                           "secret_bytes = 20",
                           "[admin]",
                           "admin_roles = [",
                           "known_roles = [",
                           "\"user_account_administrator\"",
                           "[audit]",
                           "checkpoint_every_entries = 1000",
                           "checkpoint_interval_ms = 1000",
                           "resync_window_steps = 20",
                           "[permissions]",
                           "user_read = [",
                           "user_nominate = [",
                           "user_approve = [",
                           "user_update = [",
                           "user_suspend = [",
                           "user_reactivate = [",
                           "user_close = [",
                           "user_unlock = [",
                           "user_reset_password = [",
                           "token_issue = [",
                           "token_manage = [",
                           "org_create = [",
                           "org_admin_rights = [",
                           "report_read = [",
                           "sweep_run = [",
                           "[lifecycle]",
                           "vetting_valid_days = 1095",
                           "vetting_first_warning_days = 60",
                           "vetting_second_warning_days = 30",
                           "barring_scheme_required = false",
                           "dormant_after_days = 90",
                           "pending_report_days = 14",
                           "temporary_token_days = 10",
                           "max_active_tokens_per_type = 1",
                           "sweep_interval_s = 3600",
                           "[webauthn]",
                           "required_for_roles = [",
                           "user_verification = \"preferred\"",
                           "attestation_formats = [",
                           "\"packed\"",
                           "\"fido-u2f\"",
                           "aaguids = [",
                           "attestation_roots = [",
                           "origins = [",
                           "\"https://localhost:8443\"",
                           "enrolment_code_hours = 72",
                           "challenge_timeout_s = 300",
                           "resident_key = \"discouraged\"",
                           "authenticator_attachment = \"cross-platform\"",
                           "attestation = \"direct\""}) {
    // Keys start a line; list items are indented by two spaces.
    const std::string start = line[0] == '"' ? "\n  " : "\n";
    EXPECT_NE(text.find(start + line), std::string::npos) << line;
  }
}

TEST(DefaultPolicy, DefaultFileIsCommented) {
  const auto text = policy::default_policy_toml();
  EXPECT_EQ(text.rfind("# ", 0), 0u);
  EXPECT_NE(text.find("docs/policy.md"), std::string::npos);
  EXPECT_NE(text.find("# Allowed: 8 to 1024."), std::string::npos);
}

}  // namespace
