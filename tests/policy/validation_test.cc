// Every value a policy may not take is refused, and the refusal names the key
// and the line so the operator can find it.
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace {

struct Refusal {
  const char* name;
  const char* toml;   // the offending key is always on line 2
  const char* where;  // expected in the error, e.g. "password.min_length (line 2)"
};

// Names the case in ctest and in failures, rather than its pointers' bytes.
void PrintTo(const Refusal& refusal, std::ostream* out) { *out << refusal.name; }

class Refused : public ::testing::TestWithParam<Refusal> {};

TEST_P(Refused, WithKeyAndLine) {
  const auto& refusal = GetParam();
  const auto result = policy::parse_policy(refusal.toml);
  EXPECT_FALSE(result.policy);
  EXPECT_NE(result.error.find(refusal.where), std::string::npos)
      << "error: " << result.error << "\nexpected: " << refusal.where;
}

const Refusal kRefusals[] = {
    {"MinLengthBelowNistFloor", "[password]\nmin_length = 7\n", "password.min_length (line 2)"},
    {"MinLengthNegative", "[password]\nmin_length = -12\n", "password.min_length (line 2)"},
    {"MinLengthHuge", "[password]\nmin_length = 99999999999999999999\n",
     "password.min_length (line 2)"},
    {"MaxLengthBelow64", "[password]\nmax_length = 63\n", "password.max_length (line 2)"},
    {"MaxLengthAboveCap", "[password]\nmax_length = 4097\n", "password.max_length (line 2)"},
    {"MinAboveMax", "[password]\nmin_length = 100\nmax_length = 80\n",
     "password.min_length (line 2): must not exceed password.max_length (80)"},
    {"MinAboveDefaultMax", "[password]\nmin_length = 129\n",
     "password.min_length (line 2): must not exceed password.max_length (128)"},
    {"ArgonMemoryTooLow", "[password]\nargon2_memory_kib = 1023\n",
     "password.argon2_memory_kib (line 2)"},
    {"ArgonMemoryTooHigh", "[password]\nargon2_memory_kib = 4194305\n",
     "password.argon2_memory_kib (line 2)"},
    {"ArgonIterationsZero", "[password]\nargon2_iterations = 0\n",
     "password.argon2_iterations (line 2)"},
    {"ArgonIterationsTooHigh", "[password]\nargon2_iterations = 65\n",
     "password.argon2_iterations (line 2)"},
    {"ArgonParallelismZero", "[password]\nargon2_parallelism = 0\n",
     "password.argon2_parallelism (line 2)"},
    {"ArgonParallelismTooHigh", "[password]\nargon2_parallelism = 17\n",
     "password.argon2_parallelism (line 2)"},
    {"BlocklistEmpty", "[password]\nblocklist_paths = []\n", "password.blocklist_paths (line 2)"},
    {"BlocklistRelative", "[password]\nblocklist_paths = [\"lists/words.txt\"]\n",
     "password.blocklist_paths (line 2): \"lists/words.txt\" is not absolute"},
    {"BlocklistEmptyPath", "[password]\nblocklist_paths = [\"\"]\n",
     "password.blocklist_paths (line 2)"},
    {"BlocklistDuplicate", "[password]\nblocklist_paths = [\"/a\", \"/a\"]\n",
     "password.blocklist_paths (line 2): lists \"/a\" twice"},
    {"BlocklistControlCharacter", "[password]\nblocklist_paths = [\"/a\\nb\"]\n",
     "password.blocklist_paths (line 2)"},
    {"IdleZero", "[session]\nidle_timeout_s = 0\n", "session.idle_timeout_s (line 2)"},
    {"IdleAboveNistAal2", "[session]\nidle_timeout_s = 1801\n", "session.idle_timeout_s (line 2)"},
    {"AbsoluteZero", "[session]\nabsolute_timeout_s = 0\n", "session.absolute_timeout_s (line 2)"},
    {"AbsoluteAboveTwelveHours", "[session]\nabsolute_timeout_s = 43201\n",
     "session.absolute_timeout_s (line 2)"},
    {"IdleAboveAbsolute", "[session]\nidle_timeout_s = 600\nabsolute_timeout_s = 300\n",
     "session.idle_timeout_s (line 2): must not exceed session.absolute_timeout_s (300)"},
    {"ThrottleZero", "[lockout]\nthrottle_after_failures = 0\n",
     "lockout.throttle_after_failures (line 2)"},
    {"ThrottleNotBelowLock", "[lockout]\nthrottle_after_failures = 20\nlock_after_failures = 20\n",
     "lockout.throttle_after_failures (line 2): must be below lockout.lock_after_failures (20)"},
    {"LockZero", "[lockout]\nlock_after_failures = 0\n", "lockout.lock_after_failures (line 2)"},
    {"LockAboveNistLimit", "[lockout]\nlock_after_failures = 101\n",
     "lockout.lock_after_failures (line 2)"},
    {"InitialDelayZero", "[lockout]\ninitial_delay_s = 0\n", "lockout.initial_delay_s (line 2)"},
    {"InitialDelayAboveMax", "[lockout]\ninitial_delay_s = 60\nmax_delay_s = 30\n",
     "lockout.initial_delay_s (line 2): must not exceed lockout.max_delay_s (30)"},
    {"MaxDelayZero", "[lockout]\nmax_delay_s = 0\n", "lockout.max_delay_s (line 2)"},
    {"MaxDelayAboveADay", "[lockout]\nmax_delay_s = 86401\n", "lockout.max_delay_s (line 2)"},
    {"AddressThrottleZero", "[lockout]\naddress_throttle_after_failures = 0\n",
     "lockout.address_throttle_after_failures (line 2)"},
    {"IssuerEmpty", "[totp]\nissuer = \"\"\n", "totp.issuer (line 2)"},
    {"IssuerWithColon", "[totp]\nissuer = \"a:b\"\n", "totp.issuer (line 2): must not contain ':'"},
    {"IssuerWithControlCharacter", "[totp]\nissuer = \"a\\tb\"\n", "totp.issuer (line 2)"},
    {"IssuerTooLong",
     "[totp]\nissuer = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n",
     "totp.issuer (line 2)"},
    {"WindowTooWide", "[totp]\nwindow_steps = 11\n", "totp.window_steps (line 2)"},
    {"WindowNegative", "[totp]\nwindow_steps = -1\n", "totp.window_steps (line 2)"},
    {"DigitsFive", "[totp]\ndigits = 5\n", "totp.digits (line 2)"},
    {"DigitsNine", "[totp]\ndigits = 9\n", "totp.digits (line 2)"},
    {"PeriodTooShort", "[totp]\nperiod_seconds = 14\n", "totp.period_seconds (line 2)"},
    {"PeriodTooLong", "[totp]\nperiod_seconds = 121\n", "totp.period_seconds (line 2)"},
    {"AlgorithmMd5", "[totp]\nalgorithm = \"MD5\"\n", "totp.algorithm (line 2)"},
    {"AlgorithmLowerCase", "[totp]\nalgorithm = \"sha1\"\n", "totp.algorithm (line 2)"},
    {"SecretTooShort", "[totp]\nsecret_bytes = 19\n", "totp.secret_bytes (line 2)"},
    {"SecretTooLong", "[totp]\nsecret_bytes = 65\n", "totp.secret_bytes (line 2)"},
    {"AdminRoleNotKnown", "[admin]\nadmin_roles = [\"central_team\", \"superuser\"]\n",
     "admin.admin_roles (line 2): \"superuser\" is not in admin.known_roles"},
    {"AdminRoleDroppedFromKnown", "[admin]\nknown_roles = [\"practitioner\", \"central_team\"]\n",
     "admin.admin_roles (default): \"user_account_administrator\" is not in admin.known_roles"},
    {"AdminRolesEmpty", "[admin]\nadmin_roles = []\n", "admin.admin_roles (line 2)"},
    {"KnownRolesEmpty", "[admin]\nknown_roles = []\n", "admin.known_roles (line 2)"},
    {"RoleNameBadCharacters", "[admin]\nknown_roles = [\"Central Team\"]\n",
     "admin.known_roles (line 2)"},
    {"RoleNameDuplicate", "[admin]\nknown_roles = [\"a\", \"a\"]\n",
     "admin.known_roles (line 2): lists \"a\" twice"},
    {"CheckpointEveryZero", "[audit]\ncheckpoint_every_entries = 0\n",
     "audit.checkpoint_every_entries (line 2): must be between 1 and 1000000, got 0"},
    {"CheckpointEveryTooMany", "[audit]\ncheckpoint_every_entries = 1000001\n",
     "audit.checkpoint_every_entries (line 2)"},
    {"CheckpointIntervalTooShort", "[audit]\ncheckpoint_interval_ms = 9\n",
     "audit.checkpoint_interval_ms (line 2): must be between 10 and 3600000, got 9"},
    {"CheckpointIntervalTooLong", "[audit]\ncheckpoint_interval_ms = 3600001\n",
     "audit.checkpoint_interval_ms (line 2)"},
    {"CheckpointIntervalNotInteger", "[audit]\ncheckpoint_interval_ms = 1.5\n",
     "audit.checkpoint_interval_ms (line 2): expected an integer, got a float"},
    {"ResyncWindowZero", "[totp]\nresync_window_steps = 0\n",
     "totp.resync_window_steps (line 2): must be between 1 and 100, got 0"},
    {"ResyncWindowTooWide", "[totp]\nresync_window_steps = 101\n",
     "totp.resync_window_steps (line 2)"},
    {"PermissionRoleNotKnown", "[permissions]\nuser_suspend = [\"central_team\", \"janitor\"]\n",
     "permissions.user_suspend (line 2): \"janitor\" is not in admin.known_roles"},
    {"PermissionRoleDroppedFromKnown",
     "[admin]\nknown_roles = [\"la_manager\", \"central_team\"]\nadmin_roles = [\"la_manager\"]\n",
     "permissions.user_read (default): \"user_account_administrator\" is not in admin.known_roles"},
    {"PermissionRoleBadName", "[permissions]\nsweep_run = [\"Central Team\"]\n",
     "permissions.sweep_run (line 2): role names are"},
    {"PermissionRoleDuplicate", "[permissions]\nreport_read = [\"la_manager\", \"la_manager\"]\n",
     "permissions.report_read (line 2): lists \"la_manager\" twice"},
    {"PermissionNotAList", "[permissions]\ntoken_issue = \"la_manager\"\n",
     "permissions.token_issue (line 2): expected an array of strings, got a string"},
    {"PermissionUnknown", "[permissions]\nuser_delete = [\"la_manager\"]\n",
     "permissions.user_delete (line 2): unknown key"},
    {"VettingValidAboveThreeYears", "[lifecycle]\nvetting_valid_days = 1096\n",
     "lifecycle.vetting_valid_days (line 2): must be between 30 and 1095, got 1096"},
    {"VettingValidTooShort", "[lifecycle]\nvetting_valid_days = 29\n",
     "lifecycle.vetting_valid_days (line 2)"},
    {"FirstWarningZero", "[lifecycle]\nvetting_first_warning_days = 0\n",
     "lifecycle.vetting_first_warning_days (line 2)"},
    {"SecondWarningZero", "[lifecycle]\nvetting_second_warning_days = 0\n",
     "lifecycle.vetting_second_warning_days (line 2)"},
    {"SecondWarningNotBeforeFirst",
     "[lifecycle]\nvetting_second_warning_days = 60\nvetting_first_warning_days = 60\n",
     "lifecycle.vetting_second_warning_days (line 2): must be below "
     "lifecycle.vetting_first_warning_days (60)"},
    {"SecondWarningAboveDefaultFirst", "[lifecycle]\nvetting_second_warning_days = 61\n",
     "lifecycle.vetting_second_warning_days (line 2): must be below "
     "lifecycle.vetting_first_warning_days (60)"},
    {"FirstWarningNotBeforeExpiry",
     "[lifecycle]\nvetting_first_warning_days = 100\nvetting_valid_days = 100\n",
     "lifecycle.vetting_first_warning_days (line 2): must be below "
     "lifecycle.vetting_valid_days (100)"},
    {"BarringNotABoolean", "[lifecycle]\nbarring_scheme_required = 1\n",
     "lifecycle.barring_scheme_required (line 2): expected a boolean, got an integer"},
    {"BarringAsString", "[lifecycle]\nbarring_scheme_required = \"yes\"\n",
     "lifecycle.barring_scheme_required (line 2): expected a boolean, got a string"},
    {"DormantTooShort", "[lifecycle]\ndormant_after_days = 6\n",
     "lifecycle.dormant_after_days (line 2): must be between 7 and 3650, got 6"},
    {"DormantTooLong", "[lifecycle]\ndormant_after_days = 3651\n",
     "lifecycle.dormant_after_days (line 2)"},
    {"PendingZero", "[lifecycle]\npending_report_days = 0\n",
     "lifecycle.pending_report_days (line 2)"},
    {"TemporaryTokenZero", "[lifecycle]\ntemporary_token_days = 0\n",
     "lifecycle.temporary_token_days (line 2)"},
    {"TemporaryTokenTooLong", "[lifecycle]\ntemporary_token_days = 91\n",
     "lifecycle.temporary_token_days (line 2)"},
    {"MaxActiveTokensZero", "[lifecycle]\nmax_active_tokens_per_type = 0\n",
     "lifecycle.max_active_tokens_per_type (line 2)"},
    {"MaxActiveTokensTooMany", "[lifecycle]\nmax_active_tokens_per_type = 11\n",
     "lifecycle.max_active_tokens_per_type (line 2)"},
    {"SweepTooOften", "[lifecycle]\nsweep_interval_s = 59\n",
     "lifecycle.sweep_interval_s (line 2): must be between 60 and 86400, got 59"},
    {"SweepTooRare", "[lifecycle]\nsweep_interval_s = 86401\n",
     "lifecycle.sweep_interval_s (line 2)"},
    {"LifecycleUnknownKey", "[lifecycle]\nvetting_valid_years = 3\n",
     "lifecycle.vetting_valid_years (line 2): unknown key"},
    {"KeyRequiredForUnknownRole", "[webauthn]\nrequired_for_roles = [\"janitor\"]\n",
     "webauthn.required_for_roles (line 2): \"janitor\" is not in admin.known_roles"},
    {"UserVerificationDiscouraged", "[webauthn]\nuser_verification = \"discouraged\"\n",
     "webauthn.user_verification (line 2): must be one of \"required\", \"preferred\""},
    {"AttestationFormatUnknown", "[webauthn]\nattestation_formats = [\"tpm\"]\n",
     "webauthn.attestation_formats (line 2): \"tpm\": each must be one of"},
    {"AttestationFormatsEmpty", "[webauthn]\nattestation_formats = []\n",
     "webauthn.attestation_formats (line 2): must list at least one format"},
    {"AaguidsWithoutRoots", "[webauthn]\naaguids = [\"cb69481e-8ff7-4039-93ec-0a2729a154a8\"]\n",
     "webauthn.aaguids (line 2): needs webauthn.attestation_roots"},
    {"NoneWithRoots",
     "[webauthn]\nattestation_formats = [\"packed\", \"none\"]\n"
     "attestation_roots = [\"/etc/authd/roots.pem\"]\n",
     "webauthn.attestation_formats (line 2): must not list \"none\" while "
     "webauthn.attestation_roots"},
    {"AaguidMalformed", "[webauthn]\naaguids = [\"cb69481e8ff7403993ec0a2729a154a8\"]\n",
     "webauthn.aaguids (line 2): \"cb69481e8ff7403993ec0a2729a154a8\" is not an AAGUID"},
    {"AaguidNotHex", "[webauthn]\naaguids = [\"cb69481e-8ff7-4039-93ec-0a2729a154ag\"]\n",
     "webauthn.aaguids (line 2)"},
    {"RootRelative", "[webauthn]\nattestation_roots = [\"roots.pem\"]\n",
     "webauthn.attestation_roots (line 2): \"roots.pem\" is not absolute"},
    {"OriginsEmpty", "[webauthn]\norigins = []\n",
     "webauthn.origins (line 2): must list 1 to 64 origins"},
    {"OriginWithPath", "[webauthn]\norigins = [\"https://authd.example.org/login\"]\n",
     "webauthn.origins (line 2): \"https://authd.example.org/login\" is not an origin"},
    {"OriginPlainHttp", "[webauthn]\norigins = [\"http://authd.example.org\"]\n",
     "webauthn.origins (line 2): \"http://authd.example.org\" is not an origin"},
    {"OriginTrailingSlash", "[webauthn]\norigins = [\"https://authd.example.org/\"]\n",
     "webauthn.origins (line 2)"},
    {"OriginWithUserInfo", "[webauthn]\norigins = [\"https://eve@authd.example.org\"]\n",
     "webauthn.origins (line 2)"},
    {"EnrolmentCodeZeroHours", "[webauthn]\nenrolment_code_hours = 0\n",
     "webauthn.enrolment_code_hours (line 2): must be between 1 and 720, got 0"},
    {"ChallengeTooLong", "[webauthn]\nchallenge_timeout_s = 601\n",
     "webauthn.challenge_timeout_s (line 2): must be between 30 and 600, got 601"},
    {"ResidentKeyUnknown", "[webauthn]\nresident_key = \"sometimes\"\n",
     "webauthn.resident_key (line 2): must be one of"},
    {"AttachmentUnknown", "[webauthn]\nauthenticator_attachment = \"usb\"\n",
     "webauthn.authenticator_attachment (line 2): must be one of"},
    {"ConveyanceUnknown", "[webauthn]\nattestation = \"full\"\n",
     "webauthn.attestation (line 2): must be one of"},
    {"WebAuthnUnknownKey", "[webauthn]\nrp_id = \"localhost\"\n",
     "webauthn.rp_id (line 2): unknown key"},
};

INSTANTIATE_TEST_SUITE_P(Policy, Refused, ::testing::ValuesIn(kRefusals),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Validation, AllProblemsAreReportedTogether) {
  const auto result = policy::parse_policy("[password]\nmin_length = 4\n[totp]\ndigits = 4\n");
  ASSERT_FALSE(result.policy);
  EXPECT_NE(result.error.find("password.min_length (line 2): must be between 8 and 1024, got 4"),
            std::string::npos)
      << result.error;
  EXPECT_NE(result.error.find("totp.digits (line 4): must be between 6 and 8, got 4"),
            std::string::npos)
      << result.error;
}

TEST(Validation, ValidateAppliesTheSameRulesToPoliciesBuiltInCode) {
  policy::Policy p;
  p.password.min_length = 4;
  p.session.idle_timeout = std::chrono::hours(1);
  p.admin.admin_roles.push_back("root");
  p.audit.checkpoint_interval = std::chrono::milliseconds(5);
  const auto error = policy::validate(p);
  EXPECT_NE(error.find("password.min_length: must be between 8 and 1024, got 4"), std::string::npos)
      << error;
  EXPECT_NE(error.find("session.idle_timeout_s: must be between 1 and 1800, got 3600"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("admin.admin_roles: \"root\" is not in admin.known_roles"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("audit.checkpoint_interval_ms: must be between 10 and 3600000, got 5"),
            std::string::npos)
      << error;
}

TEST(Validation, ValidateCatchesCrossKeyRules) {
  policy::Policy p;
  p.lockout.throttle_after_failures = 100;
  EXPECT_NE(policy::validate(p).find("lockout.throttle_after_failures: must be below"),
            std::string::npos);
}

TEST(Validation, ValidateChecksTheRoleMatrixAndLifecycleInCode) {
  policy::Policy p;
  p.permissions.user_close.push_back("root");
  p.lifecycle.vetting_second_warning_days = 60;
  p.lifecycle.vetting_valid_days = 2000;
  p.totp.resync_window_steps = 0;
  const auto error = policy::validate(p);
  EXPECT_NE(error.find("permissions.user_close: \"root\" is not in admin.known_roles"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("lifecycle.vetting_second_warning_days: must be below "
                       "lifecycle.vetting_first_warning_days (60)"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("lifecycle.vetting_valid_days: must be between 30 and 1095, got 2000"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("totp.resync_window_steps: must be between 1 and 100, got 0"),
            std::string::npos)
      << error;
}

// The warnings must come in order before expiry: second < first < valid.
TEST(Validation, WarningDaysJustInsideTheirBoundsAreAccepted) {
  const auto result = policy::parse_policy(
      "[lifecycle]\nvetting_valid_days = 30\nvetting_first_warning_days = 29\n"
      "vetting_second_warning_days = 28\n");
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_EQ(result.policy->lifecycle.vetting_first_warning_days, 29u);
}

TEST(Validation, AnEmptyPermissionSwitchesTheOperationOff) {
  const auto result = policy::parse_policy("[permissions]\nsweep_run = []\n");
  ASSERT_TRUE(result.policy) << result.error;
  EXPECT_TRUE(result.policy->permissions.sweep_run.empty());
}

}  // namespace
