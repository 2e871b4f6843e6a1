// authctl's audit evidence commands as an investigator runs them: `audit
// verify` on a real data directory made (and served, and stopped) by the real
// authd, and on files; `audit export` paging through a scripted server.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace provisioning {
namespace {

using testing::ProcessResult;
using testing::ScriptedTlsServer;
using testing::TempDir;

// The number after "label: " at the start of a line of `text`, or -1.
int64_t reported(const std::string& text, const std::string& label) {
  const std::string key = label + ": ";
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    if (at > 0 && text[at - 1] != '\n') continue;
    const size_t start = at + key.size();
    size_t end = start;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end > start) return std::stoll(text.substr(start, end - start));
  }
  return -1;
}

ProcessResult authctl(std::vector<std::string> args) {
  args.insert(args.begin(), testing::authctl_path());
  return testing::run_process(args);
}

// One data directory for the suite: `authd init`, then served and stopped
// once, so its trail ends in the shutdown checkpoint.
class AuditVerifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new TempDir();
    const ProcessResult made =
        testing::run_process({AUTHD_BINARY, "init", "--data-dir", dir().string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    serve_and_stop();
  }
  static void TearDownTestSuite() {
    delete root_;
    root_ = nullptr;
  }
  static std::filesystem::path dir() { return root_->path() / "data"; }

  // Starts `authd serve`, waits for it to listen, and stops it with SIGTERM.
  static void serve_and_stop() {
    const std::string script = std::string("\"") + AUTHD_BINARY + "\" serve --data-dir \"" +
                               dir().string() +
                               "\" --listen 127.0.0.1:0 & pid=$!; "
                               "for i in $(seq 1 600); do "
                               "  if grep -q 'authd serving' \"$0\" 2>/dev/null; then break; fi; "
                               "  sleep 0.1; done; kill -TERM $pid; wait $pid";
    const std::string log = (root_->path() / "serve.log").string();
    const ProcessResult run =
        testing::run_process({"/bin/sh", "-c", "exec 2>\"$0\"; " + script, log});
    ASSERT_EQ(run.exit_code, 0) << testing::read_file(log);
  }

  static TempDir* root_;
};

TempDir* AuditVerifyTest::root_ = nullptr;

TEST_F(AuditVerifyTest, ASignedTrailPrintsItsCountsAndOk) {
  const ProcessResult r = authctl({"audit", "verify", "--data-dir", dir().string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GE(reported(r.out, "entries"), 1) << r.out;
  EXPECT_GE(reported(r.out, "checkpoints"), 1) << r.out;
  EXPECT_EQ(reported(r.out, "unsigned tail"), 0) << r.out;
  EXPECT_EQ(r.out.substr(r.out.size() - 3), "OK\n") << r.out;

  const ProcessResult strict =
      authctl({"audit", "verify", "--data-dir", dir().string(), "--strict"});
  EXPECT_EQ(strict.exit_code, 0) << strict.out << strict.err;
}

TEST_F(AuditVerifyTest, TheExportedAuditPublicKeyIsEnoughAlone) {
  std::string pem;
  for (const auto& entry : std::filesystem::directory_iterator(dir() / "keys")) {
    if (entry.path().filename().string().rfind("audit-", 0) == 0) pem = entry.path().string();
  }
  ASSERT_FALSE(pem.empty());
  const ProcessResult r =
      authctl({"audit", "verify", "--data-dir", dir().string(), "--pubkey", pem});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(AuditVerifyTest, AnotherKeyCannotVouchForTheCheckpoints) {
  TempDir tmp;
  const std::string key = (tmp / "other.pem").string();
  const std::string pub = (tmp / "other.pub.pem").string();
  ASSERT_EQ(testing::run_process({"/usr/bin/openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                                  "ec_paramgen_curve:P-256", "-out", key})
                .exit_code,
            0);
  ASSERT_EQ(testing::run_process({"/usr/bin/openssl", "pkey", "-in", key, "-pubout", "-out", pub})
                .exit_code,
            0);
  const ProcessResult r =
      authctl({"audit", "verify", "--data-dir", dir().string(), "--pubkey", pub});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("broken at seq "), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.out.find("OK\n"), std::string::npos) << r.out;
}

TEST_F(AuditVerifyTest, AnAlteredEntryIsNamedAndExitsOne) {
  TempDir tmp;
  const auto copy = tmp / "data";
  std::filesystem::copy(dir(), copy, std::filesystem::copy_options::recursive);
  // Whoever holds the file can drop the append-only trigger; the chain and
  // the signatures still tell.
  const ProcessResult edited = testing::run_process(
      {"/usr/bin/sqlite3", (copy / "authd.db").string(),
       "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 1;"});
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  const ProcessResult r = authctl({"audit", "verify", "--data-dir", copy.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("audit trail broken at seq 1: "), std::string::npos)
      << r.out << r.err;
}

TEST_F(AuditVerifyTest, UsageErrorsExitTwo) {
  TempDir tmp;
  testing::write_file(tmp / "export.jsonl", "");
  const std::string keys = (dir() / "keys" / "keys.json").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"audit", "verify"},
        {"audit", "verify", "--input", (tmp / "export.jsonl").string()},
        {"audit", "verify", "--data-dir", dir().string(), "--input",
         (tmp / "export.jsonl").string()},
        {"audit", "verify", "--input", (tmp / "absent.jsonl").string(), "--pubkey", keys},
        {"audit", "verify", "--data-dir", dir().string(), "--pubkey",
         (tmp / "absent.pem").string()},
        {"audit", "verify", "--data-dir", (tmp / "nowhere").string()}}) {
    SCOPED_TRACE(args.back());
    const ProcessResult r = authctl(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(r.out.find("OK"), std::string::npos);
  }
}

class AuditExportTest : public ::testing::Test {
 protected:
  static constexpr const char* kToken = "S3SSION-TOKEN-export-0123456789abcdefghijkl";

  void SetUp() override {
    cert_ = testing::make_self_signed(home_.path(), "localhost", "DNS:localhost,IP:127.0.0.1");
  }

  std::vector<std::string> at(const ScriptedTlsServer& server,
                              std::vector<std::string> more) const {
    std::vector<std::string> args = {"--server",       server.url(),
                                     "--cacert",       cert_.cert.string(),
                                     "--session-file", (home_ / "session").string()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  void log_in(ScriptedTlsServer& server) {
    server.push({200, nlohmann::json({{"session", kToken},
                                      {"expires_at", "2030-01-01T12:00:00Z"},
                                      {"idle_timeout_s", 900},
                                      {"must_change_password", false}})
                          .dump()});
    const ProcessResult r = testing::run_process(
        [&] {
          auto args = at(server, {"login", "--username", "admin"});
          args.insert(args.begin(), testing::authctl_path());
          return args;
        }(),
        "pw-Secret-Horse-123\n654321\n", {{"HOME", home_.path().string()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  ProcessResult run(const ScriptedTlsServer& server, const std::vector<std::string>& more) {
    auto args = at(server, more);
    args.insert(args.begin(), testing::authctl_path());
    return testing::run_process(args, {}, {{"HOME", home_.path().string()}});
  }

  TempDir home_;
  testing::CertFiles cert_;
};

TEST_F(AuditExportTest, FollowsXNextFromAndWritesEveryLineOnce) {
  ScriptedTlsServer server(cert_);
  log_in(server);
  const std::string page1 = "{\"type\":\"entry\",\"seq\":1}\n{\"type\":\"entry\",\"seq\":2}\n";
  const std::string page2 = "{\"type\":\"entry\",\"seq\":3}\n{\"type\":\"checkpoint\",\"seq\":3}\n";
  server.push({200, page1, {{"X-Next-From", "3"}}});
  server.push({200, page2});
  const ProcessResult r = run(server, {"audit", "export", "--from", "1", "--to", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, page1 + page2);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].rfind("GET /v1/audit/export?from=1&to=3 HTTP/1.1\r\n", 0), 0u)
      << requests[1];
  EXPECT_EQ(requests[2].rfind("GET /v1/audit/export?from=3&to=3 HTTP/1.1\r\n", 0), 0u)
      << requests[2];
  EXPECT_NE(requests[1].find(std::string("Bearer ") + kToken), std::string::npos);
}

TEST_F(AuditExportTest, WritesANewPrivateFileAndNeverOverwritesOne) {
  ScriptedTlsServer server(cert_);
  log_in(server);
  const std::string page = "{\"type\":\"entry\",\"seq\":7}\n";
  server.push({200, page});
  const auto file = home_ / "evidence.jsonl";
  ProcessResult r =
      run(server, {"audit", "export", "--from", "7", "--to", "7", "--output", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(testing::read_file(file), page);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  r = run(server, {"audit", "export", "--from", "7", "--to", "7", "--output", file.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(testing::read_file(file), page);
}

TEST_F(AuditExportTest, ARefusalMidwayLeavesNoPartialFile) {
  ScriptedTlsServer server(cert_);
  log_in(server);
  server.push({200, "{\"type\":\"entry\",\"seq\":1}\n", {{"X-Next-From", "2"}}});
  server.push({403, R"({"error":"forbidden","message":"administrators only"})"});
  const auto file = home_ / "partial.jsonl";
  const ProcessResult r =
      run(server, {"audit", "export", "--from", "1", "--to", "9", "--output", file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("forbidden"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST_F(AuditExportTest, BadRangesAreUsageErrors) {
  ScriptedTlsServer server(cert_);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"audit", "export", "--from", "5", "--to", "4"},
        {"audit", "export", "--from", "0", "--to", "4"},
        {"audit", "export", "--to", "4"},
        {"audit", "export", "--from", "1"}}) {
    const ProcessResult r = run(server, args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
  }
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace provisioning
