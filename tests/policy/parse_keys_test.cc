// Every key in a policy file reaches its field in Policy.
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace {

using namespace std::chrono_literals;

constexpr const char* kEveryKey = R"(# every key, none at its default
[password]
min_length = 14
max_length = 200
argon2_memory_kib = 65536
argon2_iterations = 3
argon2_parallelism = 2
blocklist_paths = ["/srv/lists/one.txt", "/srv/lists/two.txt", "/srv/lists/three.txt"]

[session]
idle_timeout_s = 600
absolute_timeout_s = 28800

[lockout]
throttle_after_failures = 5
initial_delay_s = 2
max_delay_s = 3600
lock_after_failures = 50
address_throttle_after_failures = 200

[totp]
issuer = "Example County Council"
window_steps = 2
digits = 8
period_seconds = 60
algorithm = "SHA512"
secret_bytes = 64
resync_window_steps = 50

[admin]
admin_roles = ["central_team"]
known_roles = ["practitioner", "central_team", "auditor"]

[audit]
checkpoint_every_entries = 250
checkpoint_interval_ms = 5000

[permissions]
user_read = ["central_team", "auditor"]
user_nominate = ["practitioner"]
user_approve = ["auditor"]
user_update = []
user_suspend = ["practitioner", "central_team"]
user_reactivate = ["auditor", "practitioner"]
user_close = ["central_team", "practitioner", "auditor"]
user_unlock = ["auditor"]
user_reset_password = ["practitioner"]
token_issue = ["auditor"]
token_manage = ["practitioner"]
org_create = ["auditor"]
org_admin_rights = []
report_read = ["practitioner"]
sweep_run = ["auditor"]

[lifecycle]
vetting_valid_days = 730
vetting_first_warning_days = 90
vetting_second_warning_days = 14
barring_scheme_required = true
dormant_after_days = 60
pending_report_days = 7
temporary_token_days = 5
max_active_tokens_per_type = 2
sweep_interval_s = 600

[webauthn]
required_for_roles = ["central_team"]
user_verification = "required"
attestation_formats = ["packed"]
aaguids = ["CB69481E-8FF7-4039-93EC-0A2729A154A8"]
attestation_roots = ["/srv/fido/yubico-root.pem"]
origins = ["https://authd.example.org", "https://login.authd.example.org:8443"]
enrolment_code_hours = 24
challenge_timeout_s = 120
resident_key = "required"
authenticator_attachment = "any"
attestation = "enterprise"
)";

TEST(ParseKeys, EveryKeyIsRead) {
  const auto result = policy::parse_policy(kEveryKey);
  ASSERT_TRUE(result.policy) << result.error;
  const auto& p = *result.policy;
  EXPECT_EQ(p.password.min_length, 14u);
  EXPECT_EQ(p.password.max_length, 200u);
  EXPECT_EQ(p.password.argon2_memory_kib, 65536u);
  EXPECT_EQ(p.password.argon2_iterations, 3u);
  EXPECT_EQ(p.password.argon2_parallelism, 2u);
  EXPECT_EQ(p.password.blocklist_paths,
            (std::vector<std::string>{"/srv/lists/one.txt", "/srv/lists/two.txt",
                                      "/srv/lists/three.txt"}));
  EXPECT_EQ(p.session.idle_timeout, 600s);
  EXPECT_EQ(p.session.absolute_timeout, 8h);
  EXPECT_EQ(p.lockout.throttle_after_failures, 5u);
  EXPECT_EQ(p.lockout.initial_delay, 2s);
  EXPECT_EQ(p.lockout.max_delay, 1h);
  EXPECT_EQ(p.lockout.lock_after_failures, 50u);
  EXPECT_EQ(p.lockout.address_throttle_after_failures, 200u);
  EXPECT_EQ(p.totp.issuer, "Example County Council");
  EXPECT_EQ(p.totp.window_steps, 2u);
  EXPECT_EQ(p.totp.digits, 8u);
  EXPECT_EQ(p.totp.period_seconds, 60u);
  EXPECT_EQ(p.totp.algorithm, "SHA512");
  EXPECT_EQ(p.totp.secret_bytes, 64u);
  EXPECT_EQ(p.totp.resync_window_steps, 50u);
  EXPECT_EQ(p.admin.admin_roles, std::vector<std::string>{"central_team"});
  EXPECT_EQ(p.admin.known_roles,
            (std::vector<std::string>{"practitioner", "central_team", "auditor"}));
  EXPECT_EQ(p.webauthn.required_for_roles, std::vector<std::string>{"central_team"});
  EXPECT_EQ(p.webauthn.user_verification, "required");
  EXPECT_EQ(p.webauthn.attestation_formats, std::vector<std::string>{"packed"});
  EXPECT_EQ(p.webauthn.aaguids, std::vector<std::string>{"CB69481E-8FF7-4039-93EC-0A2729A154A8"});
  EXPECT_EQ(p.webauthn.attestation_roots, std::vector<std::string>{"/srv/fido/yubico-root.pem"});
  EXPECT_EQ(p.webauthn.origins, (std::vector<std::string>{"https://authd.example.org",
                                                          "https://login.authd.example.org:8443"}));
  EXPECT_EQ(p.webauthn.enrolment_code_hours, 24u);
  EXPECT_EQ(p.webauthn.challenge_timeout_s, 120u);
  EXPECT_EQ(p.webauthn.resident_key, "required");
  EXPECT_EQ(p.webauthn.authenticator_attachment, "any");
  EXPECT_EQ(p.webauthn.attestation, "enterprise");
  EXPECT_EQ(p.audit.checkpoint_every_entries, 250u);
  EXPECT_EQ(p.audit.checkpoint_interval, 5000ms);
  using Roles = std::vector<std::string>;
  const auto& m = p.permissions;
  EXPECT_EQ(m.user_read, (Roles{"central_team", "auditor"}));
  EXPECT_EQ(m.user_nominate, Roles{"practitioner"});
  EXPECT_EQ(m.user_approve, Roles{"auditor"});
  EXPECT_EQ(m.user_update, Roles{});
  EXPECT_EQ(m.user_suspend, (Roles{"practitioner", "central_team"}));
  EXPECT_EQ(m.user_reactivate, (Roles{"auditor", "practitioner"}));
  EXPECT_EQ(m.user_close, (Roles{"central_team", "practitioner", "auditor"}));
  EXPECT_EQ(m.user_unlock, Roles{"auditor"});
  EXPECT_EQ(m.user_reset_password, Roles{"practitioner"});
  EXPECT_EQ(m.token_issue, Roles{"auditor"});
  EXPECT_EQ(m.token_manage, Roles{"practitioner"});
  EXPECT_EQ(m.org_create, Roles{"auditor"});
  EXPECT_EQ(m.org_admin_rights, Roles{});
  EXPECT_EQ(m.report_read, Roles{"practitioner"});
  EXPECT_EQ(m.sweep_run, Roles{"auditor"});
  const auto& life = p.lifecycle;
  EXPECT_EQ(life.vetting_valid_days, 730u);
  EXPECT_EQ(life.vetting_first_warning_days, 90u);
  EXPECT_EQ(life.vetting_second_warning_days, 14u);
  EXPECT_TRUE(life.barring_scheme_required);
  EXPECT_EQ(life.dormant_after_days, 60u);
  EXPECT_EQ(life.pending_report_days, 7u);
  EXPECT_EQ(life.temporary_token_days, 5u);
  EXPECT_EQ(life.max_active_tokens_per_type, 2u);
  EXPECT_EQ(life.sweep_interval, 600s);
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(policy::validate(p), "");
}

TEST(ParseKeys, MissingKeysKeepTheirDefaults) {
  const auto result = policy::parse_policy("[session]\nidle_timeout_s = 300\n");
  ASSERT_TRUE(result.policy) << result.error;
  policy::Policy expected;
  expected.session.idle_timeout = 300s;
  EXPECT_EQ(*result.policy, expected);
}

TEST(ParseKeys, BoundaryValuesAreAccepted) {
  const auto result = policy::parse_policy(R"(
[password]
min_length = 8
max_length = 64
argon2_memory_kib = 1024
argon2_iterations = 1
[session]
idle_timeout_s = 1
absolute_timeout_s = 1
[lockout]
throttle_after_failures = 99
lock_after_failures = 100
initial_delay_s = 900
max_delay_s = 900
[totp]
window_steps = 0
digits = 7
secret_bytes = 20
algorithm = "SHA256"
[audit]
checkpoint_every_entries = 1
checkpoint_interval_ms = 10
)");
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(result.policy->password.min_length, 8u);
  EXPECT_EQ(result.policy->password.max_length, 64u);
  EXPECT_EQ(result.policy->session.idle_timeout, 1s);
  EXPECT_EQ(result.policy->lockout.throttle_after_failures, 99u);
  EXPECT_EQ(result.policy->totp.window_steps, 0u);
  EXPECT_EQ(result.policy->totp.algorithm, "SHA256");
  EXPECT_EQ(result.policy->audit.checkpoint_every_entries, 1u);
  EXPECT_EQ(result.policy->audit.checkpoint_interval, 10ms);
}

TEST(ParseKeys, AuditUpperBoundsAreAccepted) {
  const auto result = policy::parse_policy(
      "[audit]\ncheckpoint_every_entries = 1000000\ncheckpoint_interval_ms = 3600000\n");
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(result.policy->audit.checkpoint_every_entries, 1000000u);
  EXPECT_EQ(result.policy->audit.checkpoint_interval, 1h);
}

TEST(ParseKeys, DottedKeysAndInlineTablesAreTheSameKeys) {
  const auto result = policy::parse_policy(
      "password.min_length = 16\ntotp = { digits = 8, algorithm = \"SHA256\" }\n");
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(result.policy->password.min_length, 16u);
  EXPECT_EQ(result.policy->totp.digits, 8u);
  EXPECT_EQ(result.policy->totp.algorithm, "SHA256");
}

// Cheap hashing is allowed so test suites run fast, but never silently.
TEST(ParseKeys, ArgonBelowOwaspMinimumLoadsWithAWarning) {
  const auto result =
      policy::parse_policy("[password]\nargon2_memory_kib = 1024\nargon2_iterations = 1\n");
  ASSERT_TRUE(result.policy) << result.error;
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("password.argon2_memory_kib"), std::string::npos);
  EXPECT_NE(result.warnings[0].find("OWASP"), std::string::npos);
}

TEST(ParseKeys, OwaspEquivalentArgonSettingsGiveNoWarning) {
  for (const char* text : {"[password]\nargon2_memory_kib = 47104\nargon2_iterations = 1\n",
                           "[password]\nargon2_memory_kib = 12288\nargon2_iterations = 3\n",
                           "[password]\nargon2_memory_kib = 7168\nargon2_iterations = 5\n"}) {
    const auto result = policy::parse_policy(text);
    ASSERT_TRUE(result.policy) << result.error;
    EXPECT_TRUE(result.warnings.empty()) << text;
  }
  const auto weak = policy::parse_policy("[password]\nargon2_memory_kib = 12287\n");
  ASSERT_TRUE(weak.policy) << weak.error;
  EXPECT_EQ(weak.warnings.size(), 1u);
}

}  // namespace
