// The authd binary: `init` and `serve` as an operator runs them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace authd_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Every entry under `dir` with its mode, modification time and content.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    struct stat st {};
    ::lstat(entry.path().c_str(), &st);
    std::string facts = std::to_string(st.st_mode) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
                        std::to_string(st.st_mtim.tv_nsec) + " " + std::to_string(st.st_size);
    if (entry.is_regular_file()) facts += " " + slurp(entry.path());
    out[fs::relative(entry.path(), dir).string()] = facts;
  }
  return out;
}

CommandResult authd(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {authd_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, {}, 120s);
}

CommandResult init(const fs::path& dir, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"init", "--data-dir", dir.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return authd(args);
}

TEST(AuthdCli, HelpIsAvailableEverywhere) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"init", "--help"}, {"serve", "--help"}}) {
    const CommandResult result = authd(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("--"), std::string::npos) << result.out;
  }
  EXPECT_NE(authd({"--help"}).out.find("serve"), std::string::npos);
  EXPECT_NE(authd({"init", "--help"}).out.find("--data-dir"), std::string::npos);
  EXPECT_NE(authd({"serve", "--help"}).out.find("--listen"), std::string::npos);
  EXPECT_NE(authd({}).exit_code, 0);
  EXPECT_NE(authd({"frobnicate"}).exit_code, 0);
}

TEST(AuthdCli, InitPrintsExactlyOneJsonObjectAndCreatesTheDataDirectory) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  const CommandResult result = init(dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const nlohmann::json printed = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_TRUE(printed.is_object()) << result.out;
  EXPECT_EQ(printed.size(), 3u) << result.out;
  ASSERT_TRUE(printed["username"].is_string());
  ASSERT_TRUE(printed["password"].is_string());
  ASSERT_TRUE(printed["otpauth_uri"].is_string());
  EXPECT_FALSE(printed["username"].get<std::string>().empty());
  EXPECT_GE(printed["password"].get<std::string>().size(), 12u);
  EXPECT_EQ(printed["otpauth_uri"].get<std::string>().rfind("otpauth://totp/", 0), 0u);
  // Nothing secret on stderr.
  EXPECT_EQ(result.err.find(printed["password"].get<std::string>()), std::string::npos);
  EXPECT_EQ(result.err.find(otpauth_secret(printed["otpauth_uri"])), std::string::npos);

  EXPECT_EQ(mode_of(dir), 0700u);
  for (const char* file :
       {"authd.db", "policy.toml", "authd.toml", "tls/cert.pem", "tls/key.pem"}) {
    EXPECT_TRUE(fs::is_regular_file(dir / file)) << file;
  }
  EXPECT_EQ(mode_of(dir / "tls" / "key.pem"), 0600u);

  // The certificate is its own trust anchor for localhost and 127.0.0.1.
  const fs::path cert = dir / "tls" / "cert.pem";
  const CommandResult verify =
      run_command({"openssl", "verify", "-x509_strict", "-CAfile", cert.string(), cert.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const CommandResult text =
      run_command({"openssl", "x509", "-in", cert.string(), "-noout", "-text"});
  for (const char* expected :
       {"DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1",
        "TLS Web Server Authentication", "prime256v1", "CN = localhost"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  }
}

TEST(AuthdCli, InitRefusesAnExistingDirectoryAndChangesNothing) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  ASSERT_EQ(init(dir).exit_code, 0);
  const auto before = snapshot(dir);
  const mode_t dir_mode = mode_of(dir);

  const CommandResult again = init(dir);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(again.out.empty()) << again.out;
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;
  EXPECT_EQ(snapshot(dir), before);
  EXPECT_EQ(mode_of(dir), dir_mode);
}

TEST(AuthdCli, InitRefusesAnyNonEmptyDirectoryOrAFile) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "mine";
  const auto before = snapshot(dir);
  EXPECT_NE(init(dir).exit_code, 0);
  EXPECT_EQ(snapshot(dir), before);

  const fs::path file = tmp.path() / "file";
  std::ofstream(file) << "x";
  EXPECT_NE(init(file).exit_code, 0);
  EXPECT_EQ(slurp(file), "x");
}

TEST(AuthdCli, InitUsesAnEmptyExistingDirectory) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  fs::create_directories(dir);
  const CommandResult result = init(dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(dir / "authd.db"));
  EXPECT_EQ(mode_of(dir), 0700u);
}

TEST(AuthdCli, InitTakesAnOperatorsCertificateOnlyWithItsKey) {
  TempDir tmp;
  const fs::path own = tmp.path() / "own";
  fs::create_directories(own);
  for (const char* name : {"a", "b"}) {
    const CommandResult made =
        run_command({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=authd.example", "-days",
                     "30", "-keyout", (own / (std::string(name) + ".key")).string(), "-out",
                     (own / (std::string(name) + ".crt")).string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  const fs::path mismatched = tmp.path() / "mismatched";
  const CommandResult refused = init(
      mismatched, {"--tls-cert", (own / "a.crt").string(), "--tls-key", (own / "b.key").string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(refused.out.empty());
  EXPECT_NE(refused.err.find("does not match"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(mismatched));

  const fs::path only_cert = tmp.path() / "only-cert";
  EXPECT_NE(init(only_cert, {"--tls-cert", (own / "a.crt").string()}).exit_code, 0);
  EXPECT_FALSE(fs::exists(only_cert));

  const fs::path dir = tmp.path() / "data";
  const CommandResult accepted =
      init(dir, {"--tls-cert", (own / "a.crt").string(), "--tls-key", (own / "a.key").string()});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(slurp(dir / "tls" / "cert.pem"), slurp(own / "a.crt"));
  EXPECT_EQ(slurp(dir / "tls" / "key.pem"), slurp(own / "a.key"));
  EXPECT_EQ(mode_of(dir / "tls" / "key.pem"), 0600u);
}

TEST(AuthdCli, ServeAnnouncesItsPortAndStopsCleanlyOnSigterm) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  ASSERT_EQ(init(dir).exit_code, 0);

  for (int signal_number : {SIGTERM, SIGINT}) {
    SCOPED_TRACE(signal_number);
    Child serve({authd_binary(), "serve", "--data-dir", dir.string(), "--listen", "127.0.0.1:0"});
    const auto line = serve.read_line(60s);
    ASSERT_TRUE(line.has_value());
    // Exactly "listening on 127.0.0.1:PORT" with a real port number.
    const std::string prefix = "listening on 127.0.0.1:";
    ASSERT_EQ(line->rfind(prefix, 0), 0u) << *line;
    const std::string port_text = line->substr(prefix.size());
    ASSERT_FALSE(port_text.empty()) << *line;
    ASSERT_EQ(port_text.find_first_not_of("0123456789"), std::string::npos) << *line;
    const int port = std::stoi(port_text);
    EXPECT_GT(port, 0);

    const CommandResult health =
        run_command({"curl", "--silent", "--show-error", "--fail", "--cacert",
                     (dir / "tls" / "cert.pem").string(),
                     "https://localhost:" + std::to_string(port) + "/healthz"});
    EXPECT_EQ(health.exit_code, 0) << health.err;
    const nlohmann::json report = nlohmann::json::parse(health.out, nullptr, false);
    EXPECT_EQ(report.value("status", ""), "ok") << health.out;
    EXPECT_EQ(report.value("hsm", ""), "ok") << health.out;

    serve.send_signal(signal_number);
    EXPECT_EQ(serve.wait(15s), std::optional<int>(0));
    EXPECT_FALSE(serve.read_line(1s).has_value());  // nothing else on stdout
  }
}

TEST(AuthdCli, ServeRefusesABadPolicyWithAClearMessage) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  ASSERT_EQ(init(dir).exit_code, 0);
  std::ofstream(dir / "policy.toml", std::ios::app) << "\nno_such_key = 1\n";
  const CommandResult result =
      authd({"serve", "--data-dir", dir.string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("policy.toml"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("listening"), std::string::npos);
}

TEST(AuthdCli, ServeRefusesADatabaseFromANewerAuthd) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  ASSERT_EQ(init(dir).exit_code, 0);
  const CommandResult bumped =
      run_command({"sqlite3", (dir / "authd.db").string(), "PRAGMA user_version = 9999;"});
  ASSERT_EQ(bumped.exit_code, 0) << bumped.err;
  const CommandResult result =
      authd({"serve", "--data-dir", dir.string(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("9999"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("newer"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("listening"), std::string::npos);
}

TEST(AuthdCli, ServeRefusesAMissingDataDirectoryOrBadListenAddress) {
  TempDir tmp;
  CommandResult result = authd({"serve", "--data-dir", (tmp.path() / "absent").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("authd init"), std::string::npos) << result.err;

  const fs::path dir = tmp.path() / "data";
  ASSERT_EQ(init(dir).exit_code, 0);
  for (const char* listen : {"127.0.0.1", "127.0.0.1:99999", "::1:80", "localhost:0"}) {
    SCOPED_TRACE(listen);
    result = authd({"serve", "--data-dir", dir.string(), "--listen", listen});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_FALSE(result.err.empty());
  }
}

}  // namespace
}  // namespace authd_test
