// Key rotation: each purpose, a trail spanning rotations, re-wrapping while
// users keep logging in, and what a retired key can no longer vouch for.
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tamper_support.h"
#include "test_support.h"

namespace core::testing {
namespace {

class RotationTest : public CoreTest {
 protected:
  std::string current(const std::string& purpose) {
    return sql_text("SELECT key_id FROM keys WHERE purpose = '" + purpose +
                    "' AND retired_at_ms IS NULL");
  }
  nlohmann::json keys_json() {
    std::ifstream in(keys_dir() / "keys.json");
    return nlohmann::json::parse(in);
  }
};

TEST_F(RotationTest, InitialiseRecordsAndExportsTheThreeKeys) {
  init_and_open();
  auto keys = service_->list_keys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 3u);
  for (const auto& k : *keys) {
    EXPECT_FALSE(k.retired_at.has_value());
    if (k.purpose == "wrap") {
      EXPECT_TRUE(k.public_key_pem.empty());
      EXPECT_EQ(k.uri, keys_.wrap);
    } else {
      EXPECT_TRUE(std::filesystem::exists(keys_dir() / (k.purpose + "-" + k.key_id + ".pem")));
      auto der = hsm::spki_der_from_pem(k.public_key_pem);
      ASSERT_TRUE(der.ok());
      EXPECT_EQ(*hsm::jwk_thumbprint(*der), k.key_id);
    }
  }
  const auto doc = keys_json();
  ASSERT_EQ(doc["keys"].size(), 3u);
  EXPECT_TRUE(doc["keys"][0]["retired_at"].is_null());
  EXPECT_EQ(doc["keys"][0]["created_at"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(std::filesystem::status(keys_dir()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms(0755));
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'key.add'"), 3);
}

TEST_F(RotationTest, OpenRefusesWhenACurrentKeyIsMissingFromTheToken) {
  init_and_open();
  service_.reset();
  // The registry names a key the token does not hold (a token restored from
  // an old backup, or the wrong token).
  sql("DROP TRIGGER keys_retire_only; UPDATE keys SET uri = 'pkcs11:token=authd-core-test;"
      "object=audit-gone' WHERE purpose = 'audit'");
  auto opened = Service::open(config());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, common::Errc::unavailable);
  EXPECT_NE(opened.error().message.find("object=audit-gone"), std::string::npos)
      << opened.error().message;
}

TEST_F(RotationTest, AuditRotationSignsTheOldTailAndTheTrailSpanningItVerifies) {
  init_and_open();
  Principal admin = admin_session();
  const std::string old_id = current("audit");
  make_user(admin, "ann", "ann's long password");  // unsigned entries under the old key
  clock_->advance(std::chrono::seconds(1));
  auto rotated = service_->rotate_key(admin, "audit");
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_NE(rotated->key_id, old_id);
  EXPECT_EQ(current("audit"), rotated->key_id);
  EXPECT_EQ(rotated->uri.find("object=audit-20260101T"), rotated->uri.find("object="));
  // The old key's last checkpoint covers everything before the key.rotate entry.
  const int64_t rotate_seq = sql_int("SELECT seq FROM audit WHERE action = 'key.rotate'");
  EXPECT_EQ(sql_int("SELECT MAX(seq) FROM audit_checkpoints WHERE key_id = '" + old_id + "'"),
            rotate_seq - 1);
  make_user(admin, "bob", "bob's long password");
  clock_->advance(std::chrono::seconds(1));
  ASSERT_TRUE(service_->rotate_key(admin, "audit").ok());
  make_user(admin, "cat", "cat's long password");
  service_.reset();
  EXPECT_EQ(sql_int("SELECT COUNT(DISTINCT key_id) FROM audit_checkpoints"), 3);
  auto report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.unsigned_tail, 0);
  // Retired keys stay listed, with their validity, in keys.json too.
  const auto doc = keys_json();
  int retired = 0;
  for (const auto& k : doc["keys"]) retired += k["retired_at"].is_null() ? 0 : 1;
  EXPECT_EQ(retired, 2);
}

TEST_F(RotationTest, ACheckpointByARetiredKeyAfterItsRetirementFails) {
  init_and_open();
  Principal admin = admin_session();
  const std::string old_uri = keys_.audit;
  const std::string old_id = current("audit");
  clock_->advance(std::chrono::seconds(5));
  ASSERT_TRUE(service_->rotate_key(admin, "audit").ok());
  make_user(admin, "ann", "ann's long password");
  service_.reset();
  // Someone who kept (or stole) the retired key signs the current head with
  // it, dated after its retirement, and drops the genuine checkpoint.
  const auto copy = dir_ / "copy.db";
  copy_without_triggers(db_path(), copy);
  const auto entries = read_entries(copy);
  exec_sql(copy, "DELETE FROM audit_checkpoints WHERE seq = " + std::to_string(entries.back().seq));
  Checkpoint late;
  late.seq = entries.back().seq;
  late.head_hash = entries.back().hash;
  late.at = clock_->now() + std::chrono::seconds(10);
  late.key_id = old_id;
  const std::string statement = checkpoint_statement(late);
  auto raw =
      shared_token()->sign_es256(old_uri, std::vector<uint8_t>(statement.begin(), statement.end()));
  ASSERT_TRUE(raw.ok());
  late.signature = *hsm::ecdsa_raw_to_der(*raw);
  insert_checkpoint(copy, late);
  auto report = verify(copy);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq.value_or(-1), late.seq);
  EXPECT_NE(report.problem.find("outside the validity"), std::string::npos) << report.problem;
  // A bare PEM carries no validity: with only the old key's PEM the date is
  // not checked (documented), so keys.json is what investigators should use.
  auto pem_only = load_trusted_keys({keys_dir() / ("audit-" + old_id + ".pem")});
  ASSERT_TRUE(pem_only.ok());
}

TEST_F(RotationTest, WrapRotationRewrapsEverySeedAndEveryoneStillLogsIn) {
  init_and_open();
  Principal admin = admin_session();
  std::vector<std::pair<std::string, std::string>> users;
  for (int i = 0; i < 5; ++i) {
    const std::string name = "user" + std::to_string(i);
    const std::string password = "password of " + name + "!";
    users.emplace_back(name, make_user(admin, name, password));
  }
  const std::string old_id = current("wrap");
  const std::string before = sql_text("SELECT group_concat(hex(secret)) FROM tokens");
  auto rotated = service_->rotate_key(admin, "wrap");
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_NE(rotated->key_id, old_id);
  EXPECT_EQ(
      sql_int("SELECT COUNT(*) FROM tokens WHERE secret_key IS NOT '" + rotated->key_id + "'"), 0);
  EXPECT_NE(sql_text("SELECT group_concat(hex(secret)) FROM tokens"), before);
  EXPECT_EQ(sql_text("SELECT detail FROM audit WHERE action = 'key.rewrap'"),
            R"({"rewrapped":6,"undecryptable":0})");
  for (const auto& [name, uri] : users) {
    EXPECT_TRUE(login(name, "password of " + name + "!", next_code(uri)).ok()) << name;
  }
  EXPECT_TRUE(login("admin", admin_password_, next_code(bootstrap_.otpauth_uri)).ok());
  // The retired key is still in the registry and the token: a seed it
  // sealed (a rotation interrupted half-way) still opens.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM keys WHERE purpose = 'wrap'"), 2);
}

TEST_F(RotationTest, AssertionRotationSwitchesAndIsAudited) {
  init_and_open();
  Principal admin = admin_session();
  const std::string old_id = current("assertion");
  auto rotated = service_->rotate_key(admin, "assertion");
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(current("assertion"), rotated->key_id);
  EXPECT_TRUE(std::filesystem::exists(keys_dir() / ("assertion-" + rotated->key_id + ".pem")));
  EXPECT_TRUE(std::filesystem::exists(keys_dir() / ("assertion-" + old_id + ".pem")));
  EXPECT_EQ(sql_text("SELECT subject FROM audit WHERE action = 'key.rotate'"), rotated->key_id);
  EXPECT_EQ(service_->rotate_key(admin, "other").error().field, "purpose");
  // Twice within one second: the second label gets a suffix.
  EXPECT_TRUE(service_->rotate_key(admin, "assertion").ok());
}

TEST_F(RotationTest, RotationIsForAdministratorsOnly) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "pat", "pat's long password");
  auto grant = login("pat", "pat's long password", next_code(uri));
  ASSERT_TRUE(grant.ok());
  auto pat = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(pat.ok());
  EXPECT_EQ(service_->rotate_key(*pat, "audit").error().code, common::Errc::forbidden);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM keys"), 3);
}

}  // namespace
}  // namespace core::testing
