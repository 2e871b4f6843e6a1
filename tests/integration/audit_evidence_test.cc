// The audit trail as evidence: a trail written by the real daemon, signed by
// the HSM at checkpoints, checked offline by `authctl audit verify` with the
// exported public keys alone, by the `openssl` command line, and after each
// kind of tampering someone holding the SQLite file could try.
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "authd_fixture.h"
#include "sqlite_file.h"

namespace integration {
namespace fs = std::filesystem;
namespace {

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_all(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

// The number after `label` on its own line of `text` ("unsigned tail: 3"), or -1.
int64_t reported(const std::string& text, const std::string& label) {
  const std::string key = label + ": ";
  const auto at = text.find(key);
  if (at == std::string::npos || (at > 0 && text[at - 1] != '\n')) return -1;
  size_t end = at + key.size();
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == at + key.size()) return -1;
  return std::stoll(text.substr(at + key.size(), end - at - key.size()));
}

// The seq named in "broken at seq N", or -1.
int64_t broken_at(const CommandResult& r) {
  const std::string said = r.out + r.err;
  const std::string key = "broken at seq ";
  const auto at = said.find(key);
  if (at == std::string::npos) return -1;
  size_t end = at + key.size();
  while (end < said.size() && std::isdigit(static_cast<unsigned char>(said[end]))) ++end;
  if (end == at + key.size()) return -1;
  return std::stoll(said.substr(at + key.size(), end - at - key.size()));
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line, nullptr, false));
  }
  return out;
}

class AuditEvidenceTest : public AuthdTest {
 protected:
  CommandResult authctl(std::vector<std::string> args, const std::string& input = {}) {
    std::vector<std::string> argv = {authctl_binary().string(), "--server", server_url(),
                                     "--cacert", cert_file().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(
        argv, input,
        {{"HOME", (root_ / "home").string()}, {"XDG_CONFIG_HOME", (root_ / "config").string()}});
  }

  CommandResult offline(std::vector<std::string> args) {
    std::vector<std::string> argv = {authctl_binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  CommandResult verify(const fs::path& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"audit", "verify", "--data-dir", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return offline(args);
  }

  // A trail with logins (good and bad), administration, an on-demand
  // checkpoint in the middle and the final checkpoint of a clean shutdown.
  void write_signed_trail() {
    use_test_policy();
    ASSERT_NO_FATAL_FAILURE(start());
    admin_ = admin_session();
    ASSERT_FALSE(admin_.empty());
    TestUser gina = create_user(admin_, "gina");
    ASSERT_TRUE(gina.otp);
    EXPECT_EQ(login("gina", "not ginas password at all", gina.otp->wrong()).status, 401);
    const ApiResponse checkpoint = post("/v1/audit/checkpoints", nlohmann::json::object(), admin_);
    ASSERT_EQ(checkpoint.status, 201) << checkpoint.body;
    TestUser hugo = create_user(admin_, "hugo");
    ASSERT_TRUE(hugo.otp);
    ASSERT_FALSE(first_login(hugo).empty());
    users_.push_back(std::move(gina));
    users_.push_back(std::move(hugo));
    ASSERT_NO_FATAL_FAILURE(stop());
  }

  // A copy of the data directory to tamper with (the original stays intact).
  fs::path tampered_copy(const std::string& name) {
    const fs::path copy = root_ / ("tampered-" + name);
    fs::create_directories(copy);
    fs::copy_file(data_dir() / "authd.db", copy / "authd.db");
    fs::copy(data_dir() / "keys", copy / "keys", fs::copy_options::recursive);
    // authd refuses changes to the trail; the file's holder can drop that.
    sql(copy / "authd.db",
        "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete");
    return copy;
  }

  int64_t last_seq(const fs::path& dir) {
    return std::stoll(sql(dir / "authd.db", "SELECT max(seq) FROM audit"));
  }

  std::string admin_;
  std::vector<TestUser> users_;
};

TEST_F(AuditEvidenceTest, CleanShutdownLeavesAFullySignedTrail) {
  ASSERT_NO_FATAL_FAILURE(write_signed_trail());
  const CommandResult r = verify(data_dir());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(reported(r.out, "entries"), last_seq(data_dir())) << r.out;
  EXPECT_GE(reported(r.out, "checkpoints"), 2) << "on demand and at shutdown: " << r.out;
  EXPECT_EQ(reported(r.out, "unsigned tail"), 0) << r.out;
  const CommandResult strict = verify(data_dir(), {"--strict"});
  EXPECT_EQ(strict.exit_code, 0) << strict.out << strict.err;

  // The public keys are exported for investigators; the private ones are not.
  const auto keys =
      nlohmann::json::parse(read_all(data_dir() / "keys" / "keys.json"), nullptr, false);
  ASSERT_TRUE(keys.is_object() && keys["keys"].is_array()) << keys.dump();
  int audit_keys = 0;
  for (const auto& key : keys["keys"]) {
    if (key.value("purpose", "") != "audit") continue;
    ++audit_keys;
    EXPECT_NE(key.value("public_key_pem", "").find("BEGIN PUBLIC KEY"), std::string::npos);
    EXPECT_TRUE(fs::exists(data_dir() / "keys" / ("audit-" + key.value("key_id", "") + ".pem")));
  }
  EXPECT_EQ(audit_keys, 1);
  for (const auto& entry : fs::directory_iterator(data_dir() / "keys")) {
    EXPECT_EQ(read_all(entry.path()).find("PRIVATE KEY"), std::string::npos) << entry.path();
  }
}

TEST_F(AuditEvidenceTest, EachKindOfTamperingIsFoundAndNamed) {
  ASSERT_NO_FATAL_FAILURE(write_signed_trail());
  const int64_t last = last_seq(data_dir());
  ASSERT_GE(last, 12);

  struct Case {
    std::string name;
    std::string statements;
    int64_t expected_seq;  // -1: any
  };
  const std::string shift =
      "UPDATE audit SET seq = seq + 100000 WHERE seq >= 6;"
      "UPDATE audit SET seq = seq - 99999 WHERE seq >= 100000;"
      "INSERT INTO audit SELECT 6, at, actor, subject, action, outcome, reason, source_address, "
      "detail, prev_hash, hash FROM audit WHERE seq = 5;";
  const std::string swap =
      "UPDATE audit SET seq = -1 WHERE seq = 7; UPDATE audit SET seq = 7 WHERE seq = 8;"
      "UPDATE audit SET seq = 8 WHERE seq = -1;";
  const std::vector<Case> cases = {
      {"alter", "UPDATE audit SET outcome = 'tampered' WHERE seq = 4", 4},
      {"delete-first", "DELETE FROM audit WHERE seq = 1", 1},
      {"delete-middle", "DELETE FROM audit WHERE seq = 5", 5},
      {"delete-last", "DELETE FROM audit WHERE seq = " + std::to_string(last), last},
      {"insert", shift, 6},
      {"swap", swap, 7},
      {"truncate", "DELETE FROM audit WHERE seq > " + std::to_string(last - 4), last - 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path copy = tampered_copy(c.name);
    sql(copy / "authd.db", c.statements);
    const CommandResult r = verify(copy);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(broken_at(r), c.expected_seq) << r.out << r.err;
  }
}

TEST_F(AuditEvidenceTest, ARecomputedChainOrAForgedCheckpointFailsTheSignatures) {
  ASSERT_NO_FATAL_FAILURE(write_signed_trail());
  ASSERT_NO_FATAL_FAILURE(start());
  const CommandResult login_cli = authctl(
      {"login"}, admin_username_ + "\n" + admin_password_ + "\n" + admin_otp_->next() + "\n");
  ASSERT_EQ(login_cli.exit_code, 0) << login_cli.out << login_cli.err;
  const fs::path export_file = root_ / "export.jsonl";
  const CommandResult exported = authctl(
      {"audit", "export", "--from", "1", "--to", "1000000", "--output", export_file.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.out << exported.err;
  ASSERT_NO_FATAL_FAILURE(stop());
  const std::vector<nlohmann::json> lines = json_lines(read_all(export_file));
  nlohmann::json checkpoint;
  for (const auto& line : lines) {
    if (line.value("type", "") == "checkpoint") checkpoint = line;
  }
  ASSERT_TRUE(checkpoint.is_object()) << "the export holds checkpoints";

  // An attacker's own P-256 key signs a checkpoint claiming the real key id.
  const fs::path forged_key = root_ / "forged.pem";
  CommandResult r = run_command({"openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout",
                                 "-out", forged_key.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path statement = root_ / "statement.txt";
  write_all(statement, checkpoint.value("statement", ""));
  const fs::path forged_sig = root_ / "forged.der";
  r = run_command({"openssl", "dgst", "-sha256", "-sign", forged_key.string(), "-out",
                   forged_sig.string(), statement.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string hex;
  for (unsigned char c : read_all(forged_sig)) {
    static const char* digits = "0123456789abcdef";
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  const int64_t seq = checkpoint.value("seq", int64_t{0});
  const fs::path forged = tampered_copy("forged-checkpoint");
  sql(forged / "authd.db",
      "DROP TRIGGER IF EXISTS audit_checkpoints_no_update;"
      "UPDATE audit_checkpoints SET signature = X'" +
          hex + "' WHERE seq = " + std::to_string(seq));
  r = verify(forged);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(broken_at(r), seq) << r.out << r.err;

  // Rewriting an entry and every hash after it keeps the chain linked, but
  // the signed head no longer matches.
  std::string rewritten;
  for (auto line : lines) {
    if (line.value("type", "") == "entry" && line.value("seq", 0) == 3) {
      line["outcome"] = line.value("outcome", "") == "success" ? "failure" : "success";
    }
    rewritten += line.dump() + "\n";
  }
  const fs::path altered_export = root_ / "altered.jsonl";
  write_all(altered_export, rewritten);
  r = offline({"audit", "verify", "--input", altered_export.string(), "--pubkey",
               (data_dir() / "keys" / "keys.json").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(broken_at(r), 3) << r.out << r.err;

  // The untouched export verifies with the public keys alone.
  r = offline({"audit", "verify", "--input", export_file.string(), "--pubkey",
               (data_dir() / "keys" / "keys.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // The export's own audit entry may be exported before any checkpoint covers it.
  EXPECT_LE(reported(r.out, "unsigned tail"), 1) << r.out;
  EXPECT_GE(reported(r.out, "unsigned tail"), 0) << r.out;

  // Appending a checkpoint signed by the attacker's key under its own id: unknown key.
  nlohmann::json own = checkpoint;
  own["key_id"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  const fs::path own_export = root_ / "own-key.jsonl";
  write_all(own_export, read_all(export_file) + own.dump() + "\n");
  r = offline({"audit", "verify", "--input", own_export.string(), "--pubkey",
               (data_dir() / "keys" / "keys.json").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

TEST_F(AuditEvidenceTest, ACheckpointSignatureVerifiesWithTheOpensslCommandLine) {
  ASSERT_NO_FATAL_FAILURE(write_signed_trail());
  ASSERT_NO_FATAL_FAILURE(start());
  const CommandResult login_cli = authctl(
      {"login"}, admin_username_ + "\n" + admin_password_ + "\n" + admin_otp_->next() + "\n");
  ASSERT_EQ(login_cli.exit_code, 0) << login_cli.out << login_cli.err;
  const CommandResult exported = authctl({"audit", "export", "--from", "1", "--to", "5"});
  ASSERT_EQ(exported.exit_code, 0) << exported.out << exported.err;
  nlohmann::json checkpoint;
  for (const auto& line : json_lines(exported.out)) {
    if (line.value("type", "") == "checkpoint" && !checkpoint.is_object()) checkpoint = line;
  }
  ASSERT_TRUE(checkpoint.is_object()) << "the export reaches the next checkpoint: " << exported.out;

  const fs::path statement = root_ / "statement.txt";
  write_all(statement, checkpoint.value("statement", ""));
  const fs::path signature_b64 = root_ / "signature.b64";
  write_all(signature_b64, checkpoint.value("signature", "") + "\n");
  const fs::path signature = root_ / "signature.der";
  CommandResult r = run_command(
      {"openssl", "base64", "-d", "-A", "-in", signature_b64.string(), "-out", signature.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path key = data_dir() / "keys" / ("audit-" + checkpoint.value("key_id", "") + ".pem");
  ASSERT_TRUE(fs::exists(key)) << key;
  r = run_command({"openssl", "dgst", "-sha256", "-verify", key.string(), "-signature",
                   signature.string(), statement.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Verified OK"), std::string::npos) << r.out;
  EXPECT_NE(checkpoint.value("statement", "")
                .find("seq=" + std::to_string(checkpoint.value("seq", int64_t{0}))),
            std::string::npos);

  // One changed character in the statement and openssl refuses it.
  std::string changed = checkpoint.value("statement", "");
  const auto at = changed.find("seq=");
  ASSERT_NE(at, std::string::npos);
  changed[at + 4] = changed[at + 4] == '9' ? '8' : static_cast<char>(changed[at + 4] + 1);
  write_all(statement, changed);
  r = run_command({"openssl", "dgst", "-sha256", "-verify", key.string(), "-signature",
                   signature.string(), statement.string()});
  EXPECT_NE(r.exit_code, 0) << r.out;
}

TEST_F(AuditEvidenceTest, TheDatabaseHoldsNoTotpSecret) {
  ASSERT_NO_FATAL_FAILURE(write_signed_trail());
  std::vector<std::string> seeds = {admin_otp_->secret()};
  for (const auto& user : users_) seeds.push_back(user.otp->secret());
  // A copy, as a thief would take it (the daemon has stopped; WAL checkpointed or not).
  std::string stolen;
  for (const char* suffix : {"", "-wal"}) {
    const fs::path file = data_dir() / (std::string("authd.db") + suffix);
    if (fs::exists(file)) stolen += read_all(file);
  }
  ASSERT_GT(stolen.size(), 4096u);
  for (const std::string& base32 : seeds) {
    ASSERT_GE(base32.size(), 32u);
    std::string lower = base32;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(stolen.find(base32), std::string::npos) << "a seed in base32";
    EXPECT_EQ(stolen.find(lower), std::string::npos) << "a seed in lower-case base32";
    // The raw seed, decoded by coreutils, not by authd's own code.
    const CommandResult raw = run_command({"base32", "-d"}, base32 + "\n");
    ASSERT_EQ(raw.exit_code, 0) << raw.err;
    ASSERT_GE(raw.out.size(), 20u);
    EXPECT_EQ(stolen.find(raw.out), std::string::npos) << "a raw seed";
    EXPECT_EQ(stolen.find(raw.out.substr(0, 12)), std::string::npos) << "part of a raw seed";
  }
}

TEST_F(AuditEvidenceTest, RotatedKeysKeepTheTrailVerifiableAndUsersLoggingIn) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  admin_ = admin_session();
  TestUser ida = create_user(admin_, "ida");
  ASSERT_TRUE(ida.otp);
  const std::string ida_session = first_login(ida);
  ASSERT_FALSE(ida_session.empty());

  const CommandResult login_cli = authctl(
      {"login"}, admin_username_ + "\n" + admin_password_ + "\n" + admin_otp_->next() + "\n");
  ASSERT_EQ(login_cli.exit_code, 0) << login_cli.out << login_cli.err;
  for (const char* purpose : {"audit", "wrap", "assertion"}) {
    const CommandResult r = authctl({"keys", "rotate", purpose});
    EXPECT_EQ(r.exit_code, 0) << purpose << ": " << r.out << r.err;
  }
  const ApiResponse jwks = get("/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200) << jwks.body;
  EXPECT_EQ(jwks.json["keys"].size(), 2u) << "the old assertion key still verifies: " << jwks.body;

  // Seeds are re-wrapped under the new key: both users still log in.
  const ApiResponse again = login("ida", ida.password, ida.otp->next());
  EXPECT_EQ(again.status, 200) << again.body;
  const ApiResponse admin_again = login(admin_username_, admin_password_, admin_otp_->next());
  EXPECT_EQ(admin_again.status, 200) << admin_again.body;
  const ApiResponse health = get("/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json.value("hsm", ""), "ok") << health.body;
  ASSERT_NO_FATAL_FAILURE(stop());

  // The trail spans two audit keys; keys.json carries both with their validity.
  CommandResult r = verify(data_dir());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(reported(r.out, "unsigned tail"), 0) << r.out;
  const auto keys = nlohmann::json::parse(read_all(data_dir() / "keys" / "keys.json"));
  std::string current_audit_pem;
  int audit = 0, retired = 0;
  for (const auto& key : keys["keys"]) {
    if (!key["retired_at"].is_null()) ++retired;
    if (key.value("purpose", "") != "audit") continue;
    ++audit;
    if (key["retired_at"].is_null()) current_audit_pem = key.value("key_id", "");
  }
  EXPECT_EQ(audit, 2);
  EXPECT_EQ(retired, 3) << "one retired key per purpose: " << keys.dump();
  // With only the new audit key, the old key's checkpoints cannot be trusted.
  ASSERT_FALSE(current_audit_pem.empty());
  r = verify(
      data_dir(),
      {"--pubkey", (data_dir() / "keys" / ("audit-" + current_audit_pem + ".pem")).string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

}  // namespace
}  // namespace integration
