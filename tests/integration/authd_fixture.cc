#include "authd_fixture.h"

#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

namespace integration {
namespace {

constexpr int64_t kPeriodSeconds = 30;  // the TOTP period of every policy used here

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string render_policy(const PolicyTables& tables) {
  std::ostringstream out;
  out << "# written by the integration test\n";
  for (const auto& [table, keys] : tables) {
    out << "\n[" << table << "]\n";
    for (const auto& [key, value] : keys) out << key << " = " << value << "\n";
  }
  return out.str();
}

}  // namespace

std::filesystem::path authd_binary() { return std::filesystem::path(AUTHD_BIN_DIR) / "authd"; }
std::filesystem::path authctl_binary() { return std::filesystem::path(AUTHD_BIN_DIR) / "authctl"; }

std::string secret_from_otpauth(const std::string& uri) {
  const auto query = uri.find('?');
  if (query == std::string::npos) return {};
  std::istringstream params(uri.substr(query + 1));
  std::string pair;
  while (std::getline(params, pair, '&')) {
    if (pair.rfind("secret=", 0) == 0) return pair.substr(7);
  }
  return {};
}

std::string oathtool_code(const std::string& base32_secret, int64_t step) {
  // The middle of the step, so oathtool's rounding cannot matter.
  const std::string at = "@" + std::to_string(step * kPeriodSeconds + kPeriodSeconds / 2);
  const CommandResult r = run_command({"oathtool", "--totp", "-b", "--now", at, base32_secret});
  EXPECT_EQ(r.exit_code, 0) << "oathtool failed: " << r.err;
  return trim(r.out);
}

std::string date_days_ago(int days) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day date{today - std::chrono::days(days)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

nlohmann::json met_conditions() {
  return {{"need", "case work with children in the area"},
          {"accredited_training_on", date_days_ago(60)},
          {"local_training_on", date_days_ago(50)},
          {"vetting_disclosure_on", date_days_ago(200)},
          {"vetting_basis", "disclosure_seen"}};
}

nlohmann::json nomination(const std::string& username, const std::string& password,
                          const std::vector<std::string>& roles) {
  return {{"username", username},
          {"display_name", "Test user " + username},
          {"organisation", "LA-001"},
          {"roles", roles},
          {"password", password},
          {"email", username + "@example.org"},
          {"manager_name", "Manager of " + username},
          {"manager_email", "manager." + username + "@example.org"},
          {"conditions", met_conditions()}};
}

int64_t current_step() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(now).count() / kPeriodSeconds;
}

std::string OtpSource::next() {
  while (true) {
    const int64_t now_step = current_step();
    // The server may already be one step further when it checks the code, so
    // the lowest safe step is one above the bottom of the window.
    const int64_t lowest = now_step + 1 - window_;
    const int64_t highest = now_step + window_;
    const int64_t step = std::max(last_step_ + 1, lowest);
    if (step <= highest) {
      last_step_ = step;
      last_code_ = oathtool_code(secret_, step);
      return last_code_;
    }
    // The window is used up: only the next step frees one. Tests plan their
    // codes so this stays rare.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

std::string OtpSource::wrong() const {
  std::set<std::string> near;
  const int64_t now_step = current_step();
  for (int64_t s = now_step - window_ - 2; s <= now_step + window_ + 2; ++s) {
    near.insert(oathtool_code(secret_, s));
  }
  for (const char* candidate : {"000000", "111111", "123456", "987654", "424242", "135790"}) {
    if (near.count(candidate) == 0) return candidate;
  }
  ADD_FAILURE() << "no wrong code found";
  return {};
}

std::string ApiResponse::header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string ApiResponse::error() const {
  if (json.is_object() && json.contains("error") && json["error"].is_string()) {
    return json["error"].get<std::string>();
  }
  return {};
}

void AuthdTest::SetUp() {
  std::string pattern = (std::filesystem::temp_directory_path() / "authd-it-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  root_ = pattern;

  const CommandResult init =
      run_command({authd_binary().string(), "init", "--data-dir", data_dir().string()});
  ASSERT_EQ(init.exit_code, 0) << "authd init failed: " << init.err;
  const auto admin = nlohmann::json::parse(init.out, nullptr, false);
  ASSERT_TRUE(admin.is_object()) << "authd init printed no JSON object: " << init.out;
  ASSERT_TRUE(admin.contains("username") && admin.contains("password") &&
              admin.contains("otpauth_uri"))
      << init.out;
  admin_username_ = admin["username"].get<std::string>();
  admin_password_ = admin["password"].get<std::string>();
  admin_otpauth_uri_ = admin["otpauth_uri"].get<std::string>();
  const std::string secret = secret_from_otpauth(admin_otpauth_uri_);
  ASSERT_FALSE(secret.empty()) << admin_otpauth_uri_;
  admin_otp_ = std::make_unique<OtpSource>(secret, window_steps_);
  remember_secret(admin_password_);
  remember_secret(secret);
  // Nothing secret may reach init's log output either.
  EXPECT_EQ(init.err.find(admin_password_), std::string::npos);
  EXPECT_EQ(init.err.find(secret), std::string::npos);
}

void AuthdTest::TearDown() {
  if (daemon_.pid() > 0) stop();
  const std::string log = read_file(root_ / "authd.log");
  const std::string out = daemon_.output();
  for (const auto& secret : secrets_) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret reached the daemon's log";
    EXPECT_EQ(out.find(secret), std::string::npos) << "a secret reached the daemon's stdout";
  }
  if (HasFailure()) {
    const size_t keep = 6000;
    std::cerr << "---- authd stdout ----\n"
              << out << "---- authd stderr (tail) ----\n"
              << (log.size() > keep ? log.substr(log.size() - keep) : log) << "\n";
  }
  if (getenv("AUTHD_KEEP_TEST_DIR") == nullptr && !root_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  } else {
    std::cerr << "test directory kept: " << root_ << "\n";
  }
}

void AuthdTest::use_test_policy(const PolicyTables& overrides) {
  PolicyTables tables = {
      {"password", {{"argon2_memory_kib", "1024"}, {"argon2_iterations", "1"}}},
      {"totp", {{"window_steps", "2"}}},
  };
  for (const auto& [table, keys] : overrides) {
    for (const auto& [key, value] : keys) tables[table][key] = value;
  }
  use_policy(tables);
}

void AuthdTest::use_policy(const PolicyTables& tables) {
  std::ofstream(data_dir() / "policy.toml", std::ios::trunc) << render_policy(tables);
  window_steps_ = 1;
  const auto totp = tables.find("totp");
  if (totp != tables.end() && totp->second.count("window_steps") != 0) {
    window_steps_ = std::stoi(totp->second.at("window_steps"));
  }
  admin_otp_ = std::make_unique<OtpSource>(admin_otp_->secret(), window_steps_);
}

void AuthdTest::start() {
  std::string error;
  const auto address =
      daemon_.start({authd_binary().string(), "serve", "--data-dir", data_dir().string(),
                     "--listen", "127.0.0.1:0"},
                    root_ / "authd.log", "listening on ", std::chrono::seconds(60), &error);
  ASSERT_TRUE(address.has_value()) << error;
  const auto colon = address->rfind(':');
  ASSERT_NE(colon, std::string::npos) << *address;
  port_ = address->substr(colon + 1);
  ASSERT_NE(port_, "0");
  auto target = provisioning::parse_server_url(server_url(), cert_file().string());
  ASSERT_TRUE(target.ok()) << target.error().message;
  client_ = std::make_unique<provisioning::HttpsClient>(target.value());
}

void AuthdTest::stop() {
  client_.reset();
  const auto status = daemon_.stop(SIGTERM, std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value()) << "authd did not stop within 30 s of SIGTERM";
  EXPECT_EQ(*status, 0) << "authd exit status after SIGTERM";
}

ApiResponse AuthdTest::call(const std::string& method, const std::string& target,
                            const std::string& body, const std::string& bearer,
                            const std::map<std::string, std::string>& headers) {
  ApiResponse response;
  if (!client_) {
    ADD_FAILURE() << "no daemon running";
    return response;
  }
  auto result = client_->request(method, target, body, bearer, headers);
  if (!result.ok()) {
    ADD_FAILURE() << method << " " << target << ": " << result.error().message;
    return response;
  }
  response.status = result->status;
  response.headers = result->headers;
  response.body = result->body;
  response.json = nlohmann::json::parse(response.body, nullptr, false);
  if (response.json.is_discarded()) response.json = nullptr;
  return response;
}

ApiResponse AuthdTest::post(const std::string& target, const nlohmann::json& body,
                            const std::string& bearer) {
  return call("POST", target, body.dump(), bearer);
}

ApiResponse AuthdTest::get(const std::string& target, const std::string& bearer) {
  return call("GET", target, {}, bearer);
}

ApiResponse AuthdTest::login(const std::string& username, const std::string& password,
                             const std::string& otp) {
  ApiResponse r = post("/v1/login", {{"username", username}, {"password", password}, {"otp", otp}});
  if (r.status == 200 && r.json.is_object() && r.json.contains("session")) {
    remember_secret(r.json.value("session", std::string()));
  }
  return r;
}

std::string AuthdTest::admin_session() {
  const ApiResponse r = login(admin_username_, admin_password_, admin_otp_->next());
  if (r.status != 200) {
    ADD_FAILURE() << "admin login: " << r.status << " " << r.body;
    return {};
  }
  const std::string session = r.json.value("session", std::string());
  const std::string new_password = "Integration admin passphrase 4711";
  const ApiResponse changed =
      post("/v1/password", {{"current_password", admin_password_}, {"new_password", new_password}},
           session);
  if (changed.status != 204) {
    ADD_FAILURE() << "admin password change: " << changed.status << " " << changed.body;
    return {};
  }
  admin_password_ = new_password;
  remember_secret(new_password);
  return session;
}

TestUser AuthdTest::create_user(const std::string& admin_bearer, const std::string& username,
                                const std::vector<std::string>& roles) {
  TestUser user;
  user.username = username;
  user.password = "Initial secret for " + username + " 9931";
  remember_secret(user.password);
  const ApiResponse created =
      post("/v1/users", nomination(username, user.password, roles), admin_bearer);
  if (created.status != 201) {
    ADD_FAILURE() << "nominate user " << username << ": " << created.status << " "
                  << created.body;
    return user;
  }
  const ApiResponse approved =
      post("/v1/users/" + username + "/approve", nlohmann::json::object(), admin_bearer);
  if (approved.status != 200) {
    ADD_FAILURE() << "approve user " << username << ": " << approved.status << " "
                  << approved.body;
    return user;
  }
  const ApiResponse issued =
      post("/v1/users/" + username + "/tokens", {{"type", "totp"}}, admin_bearer);
  if (issued.status != 201 || !issued.json.is_object()) {
    ADD_FAILURE() << "issue token for " << username << ": " << issued.status << " " << issued.body;
    return user;
  }
  user.token_id = issued.json.value("token_id", "");
  const std::string secret = secret_from_otpauth(issued.json.value("otpauth_uri", ""));
  remember_secret(secret);
  user.otp = std::make_unique<OtpSource>(secret, window_steps_);
  const ApiResponse activated =
      post("/v1/tokens/" + user.token_id + "/activate", {{"otp", user.otp->next()}}, admin_bearer);
  EXPECT_EQ(activated.status, 200) << "activate token: " << activated.body;
  return user;
}

std::string AuthdTest::first_login(TestUser& user) {
  const ApiResponse r = login(user.username, user.password, user.otp->next());
  if (r.status != 200) {
    ADD_FAILURE() << "first login of " << user.username << ": " << r.status << " " << r.body;
    return {};
  }
  EXPECT_EQ(r.json.value("must_change_password", false), true);
  const std::string session = r.json.value("session", std::string());
  const std::string new_password = "Chosen by " + user.username + " on first login 2718";
  const ApiResponse changed =
      post("/v1/password", {{"current_password", user.password}, {"new_password", new_password}},
           session);
  if (changed.status != 204) {
    ADD_FAILURE() << "password change of " << user.username << ": " << changed.status << " "
                  << changed.body;
    return {};
  }
  user.password = new_password;
  remember_secret(new_password);
  return session;
}

void AuthdTest::remember_secret(const std::string& secret) {
  // Short values could appear in a log by coincidence; every real secret here is long.
  if (secret.size() >= 12) secrets_.push_back(secret);
}

}  // namespace integration
