// The SQLite store's FIDO2 side (schema v4) on a real database file: security
// key credentials (unique ids, the signature counter's compare-and-set and
// the trigger that refuses a fall), single-use enrolment codes and
// ceremonies, expired-ceremony deletion, insert-only settings, sessions'
// authentication methods, fido2 tokens kept out of seed wrapping, and the
// upgrade of a version 3 database.
#include <sqlite3.h>

#include <algorithm>

#include "store/migrations.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "test_support.h"

namespace core::testing {
namespace {

using common::Errc;

constexpr int64_t kNow = 1767225600;  // 2026-01-01

// Runs one statement on the file directly (as an operator or a bug would)
// and returns SQLite's error message, or "" when it succeeded.
std::string try_sql(const std::filesystem::path& path, const std::string& statement) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
  std::string message = rc == SQLITE_OK ? "" : (error != nullptr ? error : "failed");
  sqlite3_free(error);
  sqlite3_close(db);
  return message;
}

class WebAuthnStoreTest : public CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    ASSERT_TRUE(Service::initialise(config(), keys_).ok());
    open_store();
    auto tx = write();
    auto admin = tx->find_user("admin");
    ASSERT_TRUE(admin.ok() && admin->has_value());
    admin_id_ = (*admin)->id;
    store::UserRecord other;
    other.username = "other";
    other.display_name = "Other";
    other.organisation = "LA-001";
    other.password_hash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
    other.created_at = kNow;
    auto id = tx->insert_user(other);
    ASSERT_TRUE(id.ok()) << id.error().message;
    other_id_ = *id;
    ASSERT_TRUE(tx->commit().ok());
  }

  void open_store() {
    store_.reset();
    auto opened = store::open_sqlite_store(db_path(), /*create=*/false);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(*opened);
  }

  std::unique_ptr<store::StoreTx> write() {
    auto tx = store_->begin(store::Store::Mode::write);
    EXPECT_TRUE(tx.ok());
    return tx.ok() ? std::move(*tx) : nullptr;
  }

  // A fido2 token as issue would store it: no seed (empty blob, no key).
  static store::TokenRecord fido2_token(const std::string& id, int64_t user_id,
                                        const std::string& state = "active") {
    store::TokenRecord t;
    t.id = id;
    t.user_id = user_id;
    t.type = "fido2";
    t.state = state;
    t.issued_at = kNow;
    return t;
  }

  static store::WebAuthnCredentialRecord credential(const std::string& token_id,
                                                    std::vector<uint8_t> credential_id) {
    store::WebAuthnCredentialRecord c;
    c.token_id = token_id;
    c.credential_id = std::move(credential_id);
    c.algorithm = -7;
    c.public_key = {0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01};
    c.sign_count = 0;
    c.aaguid = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
    c.format = "packed";
    c.attestation_trust = "unverified";
    c.transports = {"usb", "nfc"};
    c.created_at = kNow;
    return c;
  }

  // Inserts a fido2 token and its credential, committed.
  void register_key(const std::string& token_id, int64_t user_id,
                    std::vector<uint8_t> credential_id, const std::string& state = "active") {
    auto tx = write();
    ASSERT_TRUE(tx->insert_token(fido2_token(token_id, user_id, state)).ok());
    auto inserted = tx->insert_webauthn_credential(credential(token_id, std::move(credential_id)));
    ASSERT_TRUE(inserted.ok()) << inserted.error().message;
    ASSERT_TRUE(tx->commit().ok());
  }

  static store::CeremonyRecord ceremony(const std::string& id_hash, int64_t expires_at) {
    store::CeremonyRecord c;
    c.id_hash = id_hash;
    c.kind = "login";
    c.username = "admin";
    c.challenge = std::vector<uint8_t>(32, 0x5a);
    c.created_at = kNow;
    c.expires_at = expires_at;
    c.source_address = "192.0.2.7";
    return c;
  }

  std::unique_ptr<store::Store> store_;
  int64_t admin_id_ = 0;
  int64_t other_id_ = 0;
};

TEST_F(WebAuthnStoreTest, ACredentialRoundTripsAndIsFoundByItsIdAlone) {
  register_key("fido2-a", admin_id_, {1, 2, 3, 4});
  auto tx = write();
  auto found = tx->find_webauthn_credential(std::vector<uint8_t>{1, 2, 3, 4});
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  const auto& c = **found;
  const auto want = credential("fido2-a", {1, 2, 3, 4});
  EXPECT_EQ(c.token_id, "fido2-a");
  EXPECT_EQ(c.credential_id, want.credential_id);
  EXPECT_EQ(c.algorithm, -7);
  EXPECT_EQ(c.public_key, want.public_key);
  EXPECT_EQ(c.sign_count, 0);
  EXPECT_EQ(c.aaguid, want.aaguid);
  EXPECT_EQ(c.format, "packed");
  EXPECT_EQ(c.attestation_trust, "unverified");
  EXPECT_EQ(c.transports, (std::vector<std::string>{"usb", "nfc"}));
  EXPECT_EQ(c.created_at, kNow);
  EXPECT_FALSE(c.last_used_at.has_value());
  // Bytes compare exactly: a prefix, an extension or nothing finds nothing.
  for (const std::vector<uint8_t>& other :
       {std::vector<uint8_t>{1, 2, 3}, std::vector<uint8_t>{1, 2, 3, 4, 0},
        std::vector<uint8_t>{}}) {
    auto none = tx->find_webauthn_credential(other);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value()) << other.size();
  }
}

TEST_F(WebAuthnStoreTest, TransportsOfAnyContentRoundTrip) {
  auto tx = write();
  ASSERT_TRUE(tx->insert_token(fido2_token("fido2-t", admin_id_)).ok());
  auto c = credential("fido2-t", {9});
  c.transports = {"hybrid", "with space", "quote\"comma,", ""};
  ASSERT_TRUE(tx->insert_webauthn_credential(c).ok());
  auto none = credential("fido2-u", {10});
  none.transports.clear();
  ASSERT_TRUE(tx->insert_token(fido2_token("fido2-u", admin_id_)).ok());
  ASSERT_TRUE(tx->insert_webauthn_credential(none).ok());
  EXPECT_EQ((*tx->find_webauthn_credential(c.credential_id))->transports, c.transports);
  EXPECT_TRUE((*tx->find_webauthn_credential(none.credential_id))->transports.empty());
}

TEST_F(WebAuthnStoreTest, ADuplicateCredentialIdIsAConflictAndStoresNothing) {
  register_key("fido2-a", admin_id_, {7, 7, 7});
  auto tx = write();
  ASSERT_TRUE(tx->insert_token(fido2_token("fido2-b", other_id_)).ok());
  auto duplicate = tx->insert_webauthn_credential(credential("fido2-b", {7, 7, 7}));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, Errc::conflict);
  // One credential per token, too.
  auto second = tx->insert_webauthn_credential(credential("fido2-a", {8, 8, 8}));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::conflict);
  auto others = tx->webauthn_credentials_of(other_id_);
  ASSERT_TRUE(others.ok());
  EXPECT_TRUE(others->empty());
  EXPECT_EQ((*tx->find_webauthn_credential(std::vector<uint8_t>{7, 7, 7}))->token_id, "fido2-a");
}

TEST_F(WebAuthnStoreTest, ACredentialNeedsAnExistingToken) {
  auto tx = write();
  auto orphan = tx->insert_webauthn_credential(credential("no-such-token", {1}));
  EXPECT_FALSE(orphan.ok());
}

TEST_F(WebAuthnStoreTest, CredentialsOfAUserSpanItsTokensInAnyStateInTokenIdOrder) {
  register_key("fido2-c", admin_id_, {3});
  register_key("fido2-a", admin_id_, {1}, "revoked");
  register_key("fido2-b", other_id_, {2});
  register_key("fido2-d", admin_id_, {4}, "issued");
  auto tx = write();
  auto mine = tx->webauthn_credentials_of(admin_id_);
  ASSERT_TRUE(mine.ok()) << mine.error().message;
  std::vector<std::string> ids;
  for (const auto& c : *mine) ids.push_back(c.token_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"fido2-a", "fido2-c", "fido2-d"}));
  auto theirs = tx->webauthn_credentials_of(other_id_);
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->size(), 1u);
  EXPECT_EQ((*theirs)[0].credential_id, (std::vector<uint8_t>{2}));
  auto nobody = tx->webauthn_credentials_of(987654);
  ASSERT_TRUE(nobody.ok());
  EXPECT_TRUE(nobody->empty());
}

TEST_F(WebAuthnStoreTest, TheSignCountDoesNotMoveForATokenNoLongerUsable) {
  // A login checked the assertion while the token was active; by the time it
  // writes, the token was revoked, or its temporary term ran out.
  register_key("fido2-a", admin_id_, {1}, "revoked");
  register_key("fido2-b", admin_id_, {2});
  sql("UPDATE tokens SET temporary = 1, expires_at = " + std::to_string(kNow + 5) +
      " WHERE id = 'fido2-b'");
  auto tx = write();
  auto revoked = tx->advance_sign_count("fido2-a", 0, 1, kNow + 10);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_FALSE(*revoked);
  auto expired = tx->advance_sign_count("fido2-b", 0, 1, kNow + 10);
  ASSERT_TRUE(expired.ok());
  EXPECT_FALSE(*expired);
  auto in_term = tx->advance_sign_count("fido2-b", 0, 1, kNow + 4);
  ASSERT_TRUE(in_term.ok());
  EXPECT_TRUE(*in_term);
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(sql_int("SELECT sign_count FROM webauthn_credentials WHERE token_id = 'fido2-a'"), 0);
}

TEST_F(WebAuthnStoreTest, TheSignCountAdvancesByCompareAndSetOnly) {
  register_key("fido2-a", admin_id_, {1});
  {
    auto tx = write();
    auto moved = tx->advance_sign_count("fido2-a", 0, 5, kNow + 10);
    ASSERT_TRUE(moved.ok()) << moved.error().message;
    EXPECT_TRUE(*moved);
    ASSERT_TRUE(tx->commit().ok());
  }
  auto tx = write();
  // A second assertion that read the old counter loses.
  auto stale = tx->advance_sign_count("fido2-a", 0, 6, kNow + 11);
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(*stale);
  auto unknown = tx->advance_sign_count("no-such-token", 0, 1, kNow + 11);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(*unknown);
  auto read = tx->find_webauthn_credential(std::vector<uint8_t>{1});
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->sign_count, 5);
  EXPECT_EQ((*read)->last_used_at, kNow + 10);
  // A key without a counter reports 0 for ever: same value, still recorded.
  auto same = tx->advance_sign_count("fido2-a", 5, 5, kNow + 12);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(*same);
  EXPECT_EQ((*tx->find_webauthn_credential(std::vector<uint8_t>{1}))->last_used_at, kNow + 12);
  // Lowering it is refused by the schema itself.
  auto lowered = tx->advance_sign_count("fido2-a", 5, 3, kNow + 13);
  ASSERT_FALSE(lowered.ok());
  EXPECT_EQ(lowered.error().code, Errc::conflict);
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(sql_int("SELECT sign_count FROM webauthn_credentials"), 5);
}

TEST_F(WebAuthnStoreTest, TheSchemaRefusesToLowerACounterAlterOrDeleteACredential) {
  register_key("fido2-a", admin_id_, {1});
  sql("UPDATE webauthn_credentials SET sign_count = 9");
  EXPECT_NE(try_sql(db_path(), "UPDATE webauthn_credentials SET sign_count = 8")
                .find("a signature counter never decreases"),
            std::string::npos);
  EXPECT_NE(try_sql(db_path(), "UPDATE webauthn_credentials SET public_key = x'00'"), "");
  EXPECT_NE(try_sql(db_path(), "UPDATE webauthn_credentials SET credential_id = x'02'"), "");
  EXPECT_NE(try_sql(db_path(), "DELETE FROM webauthn_credentials"), "");
  EXPECT_NE(try_sql(db_path(), "UPDATE webauthn_credentials SET attestation_trust = 'bogus'"), "");
  EXPECT_EQ(sql_int("SELECT sign_count FROM webauthn_credentials"), 9);
  EXPECT_EQ(
      sql_int("SELECT COUNT(*) FROM webauthn_credentials WHERE public_key = x'a5010203262001'"), 1);
}

TEST_F(WebAuthnStoreTest, AnEnrolmentCodeIsUsedOnce) {
  {
    auto tx = write();
    ASSERT_TRUE(tx->insert_token(fido2_token("fido2-a", other_id_, "issued")).ok());
    ASSERT_TRUE(tx->insert_enrolment({"fido2-a", std::string(64, 'c'), kNow + 600, {}}).ok());
    auto again = tx->insert_enrolment({"fido2-a", std::string(64, 'd'), kNow + 600, {}});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, Errc::conflict);
    ASSERT_TRUE(tx->commit().ok());
  }
  {
    auto tx = write();
    auto found = tx->find_enrolment("fido2-a");
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->code_hash, std::string(64, 'c'));
    EXPECT_EQ((*found)->expires_at, kNow + 600);
    EXPECT_FALSE((*found)->used_at.has_value());
    auto used = tx->use_enrolment("fido2-a", kNow + 30);
    ASSERT_TRUE(used.ok());
    EXPECT_TRUE(*used);
    ASSERT_TRUE(tx->commit().ok());
  }
  // A second attempt, in a later transaction of a fresh store, loses.
  open_store();
  auto tx = write();
  auto second = tx->use_enrolment("fido2-a", kNow + 31);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ((*tx->find_enrolment("fido2-a"))->used_at, kNow + 30);
  auto unknown = tx->use_enrolment("no-such-token", kNow);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(*unknown);
  auto missing = tx->find_enrolment("no-such-token");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  tx.reset();
  // Neither un-used nor deleted and made again, by any statement.
  EXPECT_NE(try_sql(db_path(), "UPDATE fido2_enrolments SET used_at = NULL"), "");
  EXPECT_NE(try_sql(db_path(), "DELETE FROM fido2_enrolments"), "");
  EXPECT_EQ(sql_int("SELECT used_at FROM fido2_enrolments"), kNow + 30);
}

TEST_F(WebAuthnStoreTest, ACeremonyRoundTripsAndIsUsedOnce) {
  {
    auto tx = write();
    store::CeremonyRecord reg = ceremony(std::string(64, 'a'), kNow + 300);
    reg.kind = "register";
    reg.user_id = other_id_;
    reg.username = "other";
    reg.token_id = "fido2-x";
    ASSERT_TRUE(tx->insert_ceremony(reg).ok());
    // A decoy login ceremony: no user.
    ASSERT_TRUE(tx->insert_ceremony(ceremony(std::string(64, 'b'), kNow + 300)).ok());
    auto duplicate = tx->insert_ceremony(ceremony(std::string(64, 'b'), kNow + 300));
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().code, Errc::conflict);
    auto bad_kind = ceremony(std::string(64, 'e'), kNow + 300);
    bad_kind.kind = "authenticate";
    EXPECT_FALSE(tx->insert_ceremony(bad_kind).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  auto tx = write();
  auto reg = tx->find_ceremony(std::string(64, 'a'));
  ASSERT_TRUE(reg.ok() && reg->has_value());
  EXPECT_EQ((*reg)->kind, "register");
  EXPECT_EQ((*reg)->user_id, other_id_);
  EXPECT_EQ((*reg)->username, "other");
  EXPECT_EQ((*reg)->token_id, "fido2-x");
  EXPECT_EQ((*reg)->challenge, std::vector<uint8_t>(32, 0x5a));
  EXPECT_EQ((*reg)->created_at, kNow);
  EXPECT_EQ((*reg)->expires_at, kNow + 300);
  EXPECT_FALSE((*reg)->used_at.has_value());
  EXPECT_EQ((*reg)->source_address, "192.0.2.7");
  auto decoy = tx->find_ceremony(std::string(64, 'b'));
  ASSERT_TRUE(decoy.ok() && decoy->has_value());
  EXPECT_FALSE((*decoy)->user_id.has_value());
  EXPECT_EQ((*decoy)->token_id, "");
  EXPECT_FALSE(tx->find_ceremony(std::string(64, 'f'))->has_value());

  auto first = tx->consume_ceremony(std::string(64, 'a'), kNow + 5);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  ASSERT_TRUE(tx->commit().ok());
  tx = write();
  auto second = tx->consume_ceremony(std::string(64, 'a'), kNow + 6);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ((*tx->find_ceremony(std::string(64, 'a')))->used_at, kNow + 5);
  EXPECT_FALSE(*tx->consume_ceremony(std::string(64, 'f'), kNow + 6));
  tx.reset();
  EXPECT_NE(try_sql(db_path(),
                    "UPDATE webauthn_ceremonies SET used_at = NULL WHERE used_at "
                    "IS NOT NULL"),
            "");
  EXPECT_NE(try_sql(db_path(),
                    "UPDATE webauthn_ceremonies SET challenge = x'00' WHERE used_at "
                    "IS NOT NULL"),
            "");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM webauthn_ceremonies WHERE used_at = " +
                    std::to_string(kNow + 5)),
            1);
}

TEST_F(WebAuthnStoreTest, OnlyCeremoniesThatExpiredBeforeTheGivenTimeAreDeleted) {
  {
    auto tx = write();
    ASSERT_TRUE(tx->insert_ceremony(ceremony("h100", 100)).ok());
    ASSERT_TRUE(tx->insert_ceremony(ceremony("h200", 200)).ok());
    ASSERT_TRUE(tx->insert_ceremony(ceremony("h300", 300)).ok());
    ASSERT_TRUE(*tx->consume_ceremony("h100", 50));  // used ones go too
    ASSERT_TRUE(tx->commit().ok());
  }
  auto tx = write();
  auto deleted = tx->delete_ceremonies_expired_before(200);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  EXPECT_EQ(*deleted, 1);
  EXPECT_FALSE(tx->find_ceremony("h100")->has_value());
  EXPECT_TRUE(tx->find_ceremony("h200")->has_value());
  EXPECT_TRUE(tx->find_ceremony("h300")->has_value());
  EXPECT_EQ(*tx->delete_ceremonies_expired_before(200), 0);
  EXPECT_EQ(*tx->delete_ceremonies_expired_before(1000), 2);
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM webauthn_ceremonies"), 0);
}

TEST_F(WebAuthnStoreTest, SettingsAreInsertOnly) {
  const std::vector<uint8_t> key(32, 0x42);
  {
    auto tx = write();
    auto missing = tx->find_setting("decoy_key");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value());
    ASSERT_TRUE(tx->insert_setting("decoy_key", key).ok());
    ASSERT_TRUE(tx->insert_setting("empty", {}).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  open_store();
  auto tx = write();
  auto again = tx->insert_setting("decoy_key", std::vector<uint8_t>(32, 0x43));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::conflict);
  auto found = tx->find_setting("decoy_key");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(**found, key);
  auto empty = tx->find_setting("empty");
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_TRUE((*empty)->empty());
  tx.reset();
  EXPECT_NE(try_sql(db_path(), "UPDATE settings SET value = x'00'").find("insert-only"),
            std::string::npos);
  EXPECT_NE(try_sql(db_path(), "DELETE FROM settings").find("insert-only"), std::string::npos);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM settings"), 2);
}

TEST_F(WebAuthnStoreTest, SessionsKeepTheirAuthenticationMethodsAcrossAReopen) {
  {
    auto tx = write();
    store::SessionRecord s;
    s.hash = "hwk-session";
    s.user_id = admin_id_;
    s.source_address = "192.0.2.1";
    s.created_at = s.last_seen_at = kNow;
    s.expires_at = kNow + 3600;
    s.auth_methods = "pwd hwk";
    ASSERT_TRUE(tx->insert_session(s).ok());
    s.hash = "otp-session";
    s.auth_methods = store::SessionRecord{}.auth_methods;
    ASSERT_TRUE(tx->insert_session(s).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  open_store();
  auto tx = store_->begin(store::Store::Mode::read);
  ASSERT_TRUE(tx.ok());
  auto hwk = (*tx)->find_session("hwk-session");
  ASSERT_TRUE(hwk.ok() && hwk->has_value());
  EXPECT_EQ((*hwk)->auth_methods, "pwd hwk");
  auto otp = (*tx)->find_session("otp-session");
  ASSERT_TRUE(otp.ok() && otp->has_value());
  EXPECT_EQ((*otp)->auth_methods, "pwd otp");
}

TEST_F(WebAuthnStoreTest, Fido2TokensAreNeverTakenForSeedsToWrap) {
  {
    auto tx = write();
    ASSERT_TRUE(tx->insert_token(fido2_token("fido2-a", other_id_)).ok());
    ASSERT_TRUE(tx->insert_webauthn_credential(credential("fido2-a", {1})).ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  ASSERT_EQ(sql_int("SELECT length(secret) FROM tokens WHERE id = 'fido2-a'"), 0);
  ASSERT_EQ(sql_int("SELECT secret_key IS NULL FROM tokens WHERE id = 'fido2-a'"), 1);
  {
    auto tx = write();
    // Under a key that sealed nothing, every TOTP token qualifies; no fido2 one.
    auto rows = tx->tokens_not_sealed_by("some-other-key", "", 100);
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    EXPECT_EQ(rows->size(), static_cast<size_t>(sql_int("SELECT COUNT(*) FROM tokens WHERE type "
                                                        "= 'totp'")));
    for (const auto& t : *rows) EXPECT_EQ(t.type, "totp") << t.id;
    EXPECT_FALSE(rows->empty());
  }
  // Service::open's wrapping pass leaves the fido2 row as it was.
  store_.reset();
  service_ = reopen();
  ASSERT_TRUE(service_);
  service_.reset();
  EXPECT_EQ(sql_int("SELECT length(secret) FROM tokens WHERE id = 'fido2-a'"), 0);
  EXPECT_EQ(sql_int("SELECT secret_key IS NULL FROM tokens WHERE id = 'fido2-a'"), 1);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tokens WHERE type = 'totp' AND secret_key IS NULL"), 0);
}

// A database as a version 3 authd left it, made by the real migrations 1-3.
class WebAuthnMigrationTest : public CoreTest {};

TEST_F(WebAuthnMigrationTest, AVersion3DatabaseMigratesAndItsSessionsWerePasswordAndTotp) {
  ASSERT_EQ(store::latest_schema_version(), 4);
  const auto path = dir_ / "v3.db";
  {
    auto db = store::Database::open(path, store::Database::OpenMode::create_new);
    ASSERT_TRUE(db.ok()) << db.error().message;
    auto migrated = store::migrate_to(**db, 3);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    auto version = store::schema_version(**db);
    ASSERT_TRUE(version.ok());
    ASSERT_EQ(*version, 3);
    ASSERT_TRUE((*db)
                    ->exec("INSERT INTO organisations (id, name, kind, created_at) VALUES "
                           "('LA-001', 'Council', 'local_authority', 1);"
                           "INSERT INTO users (id, username, display_name, organisation, "
                           "password_hash, created_at) VALUES (1, 'old', 'Old', 'LA-001', 'x', 1);"
                           "INSERT INTO tokens (id, user_id, type, state, secret, issued_at, "
                           "secret_key) VALUES ('t1', 1, 'totp', 'active', x'0102', 1, 'wrap-1');"
                           "INSERT INTO sessions (hash, user_id, route, source_address, "
                           "created_at, expires_at, last_seen_at) VALUES "
                           "('old-session', 1, 'web', '192.0.2.1', 1, 100, 1);")
                    .ok());
  }
  EXPECT_EQ(try_sql(path, "SELECT * FROM settings"), "no such table: settings");

  auto opened = store::open_sqlite_store(path, /*create=*/false);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto tx = (*opened)->begin(store::Store::Mode::write);
  ASSERT_TRUE(tx.ok());
  auto session = (*tx)->find_session("old-session");
  ASSERT_TRUE(session.ok() && session->has_value()) << session.error().message;
  EXPECT_EQ((*session)->auth_methods, "pwd otp");
  auto token = (*tx)->find_token("t1");
  ASSERT_TRUE(token.ok() && token->has_value());
  EXPECT_EQ((*token)->secret_key, "wrap-1");
  EXPECT_EQ((*token)->sealed_secret, (std::vector<uint8_t>{1, 2}));
  // The new tables are there and work.
  ASSERT_TRUE((*tx)->insert_setting("x", {1}).ok());
  auto credentials = (*tx)->webauthn_credentials_of(1);
  ASSERT_TRUE(credentials.ok());
  EXPECT_TRUE(credentials->empty());
  ASSERT_TRUE((*tx)->commit().ok());
  tx->reset();
  opened->reset();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 4);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(WebAuthnMigrationTest, MigratingToAnUnknownVersionIsRefused) {
  auto db = store::Database::open(dir_ / "x.db", store::Database::OpenMode::create_new);
  ASSERT_TRUE(db.ok());
  auto migrated = store::migrate_to(**db, store::latest_schema_version() + 1);
  ASSERT_FALSE(migrated.ok());
  auto version = store::schema_version(**db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 0);
}

}  // namespace
}  // namespace core::testing
