// login_load: full logins per second (password + TOTP over HTTPS, keep-alive)
// against a running authd, from several threads.
//
// Set-up, through the admin API as an operator would: the bootstrap
// administrator logs in and changes its password, then creates --users users,
// each with a TOTP token activated by a code computed here (tokens::totp_code,
// the same liboath computation an authenticator app does). A token accepts
// each time step once and only steps later than its last, so the load phase
// hands every login a user whose next acceptable step lies inside the policy
// window; with enough users no thread ever waits for one ("starved" counts it
// when it does).
//
// Prints "key: value" lines that bench/run.sh reads; the administrator's
// session (full rights) and its GET /v1/session body are written to files for
// the wrk run.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/random.h"
#include "common/secret.h"
#include "policy/policy.h"
#include "provisioning/https_client.h"
#include "tokens/totp.h"

namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

struct Options {
  std::string server;
  std::string cacert;
  std::string data_dir;
  std::string admin_json;
  std::string session_out;
  std::string session_body_out;
  int users = 1000;
  int threads = 2;
  double seconds = 20;
};

[[noreturn]] void die(const std::string& message) {
  std::cerr << "login_load: " << message << "\n";
  std::exit(1);
}

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
};

Reply call(provisioning::HttpsClient& client, const std::string& method, const std::string& target,
           const nlohmann::json& body, const std::string& bearer) {
  auto r = client.request(method, target, body.is_null() ? std::string() : body.dump(), bearer);
  if (!r.ok()) die(method + " " + target + ": " + r.error().message);
  Reply reply{r->status, nlohmann::json::parse(r->body, nullptr, false), r->body};
  return reply;
}

Reply expect(Reply reply, int status, const std::string& what) {
  if (reply.status != status) {
    die(what + ": HTTP " + std::to_string(reply.status) + " " + reply.raw);
  }
  return reply;
}

// The calendar date `days` before today (UTC), "YYYY-MM-DD": evidence dates
// for the conditions of access that stay valid whenever the benchmark runs.
std::string date_days_ago(int days) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day date{today - std::chrono::days(days)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::string random_password(common::Random& random) {
  return "load test passphrase " + common::to_hex(random.bytes(8));
}

// One token's secret and the last step it accepted.
struct LoadUser {
  std::string username;
  std::string password;
  std::vector<uint8_t> secret;
  int64_t last_step = -1;
};

// Steps the server accepts however its clock ticks over while the request is
// in flight: [now + 1 - window, now + window].
struct StepWindow {
  tokens::TotpParams params;
  int64_t window = 1;

  std::pair<int64_t, int64_t> safe_range() const {
    const int64_t now = tokens::totp_step(std::chrono::system_clock::now(), params.period);
    if (window == 0) return {now, now};
    return {now + 1 - window, now + window};
  }
};

class UserPool {
 public:
  UserPool(std::vector<LoadUser> users, StepWindow steps)
      : users_(std::move(users)), steps_(steps) {}

  // A user and a step it has not used, or nullopt when every user has used
  // up the current window.
  std::optional<std::pair<const LoadUser*, int64_t>> pick() {
    const auto [lowest, highest] = steps_.safe_range();
    std::lock_guard lock(mutex_);
    for (size_t tried = 0; tried < users_.size(); ++tried) {
      LoadUser& user = users_[cursor_];
      cursor_ = (cursor_ + 1) % users_.size();
      const int64_t step = std::max(user.last_step + 1, lowest);
      if (step <= highest) {
        user.last_step = step;
        return std::make_pair(&user, step);
      }
    }
    return std::nullopt;
  }

 private:
  std::mutex mutex_;
  std::vector<LoadUser> users_;
  size_t cursor_ = 0;
  StepWindow steps_;
};

std::string code_for(const LoadUser& user, int64_t step, const tokens::TotpParams& params) {
  auto code = tokens::totp_code(user.secret, step, params);
  if (!code.ok()) die("totp_code: " + code.error().message);
  return code.value();
}

// Claims the next acceptable step of a single user (set-up only).
int64_t claim_step(LoadUser& user, const StepWindow& steps) {
  while (true) {
    const auto [lowest, highest] = steps.safe_range();
    const int64_t step = std::max(user.last_step + 1, lowest);
    if (step <= highest) {
      user.last_step = step;
      return step;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t index =
      std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[index];
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app("login_load: logins per second (password + TOTP over HTTPS) against authd");
  app.add_option("--server", options.server, "https://HOST:PORT")->required();
  app.add_option("--cacert", options.cacert, "The daemon's certificate (PEM)")->required();
  app.add_option("--data-dir", options.data_dir, "The daemon's data directory (for its policy)")
      ->required();
  app.add_option("--admin-json", options.admin_json, "What `authd init` printed")->required();
  app.add_option("--users", options.users, "Users to create for the load");
  app.add_option("--threads", options.threads, "Client threads (one connection each)");
  app.add_option("--seconds", options.seconds, "Length of the load phase");
  app.add_option("--session-out", options.session_out, "Write the admin session token here");
  app.add_option("--session-body-out", options.session_body_out,
                 "Write the admin's GET /v1/session body here");
  CLI11_PARSE(app, argc, argv);

  const auto loaded =
      policy::load_policy_file(std::filesystem::path(options.data_dir) / "policy.toml");
  if (!loaded.policy) die("policy: " + loaded.error);
  StepWindow steps;
  steps.window = loaded.policy->totp.window_steps;
  steps.params.digits = loaded.policy->totp.digits;
  steps.params.period = std::chrono::seconds(loaded.policy->totp.period_seconds);
  auto algorithm = tokens::parse_totp_algorithm(loaded.policy->totp.algorithm);
  if (!algorithm.ok()) die("policy: " + algorithm.error().message);
  steps.params.algorithm = algorithm.value();

  auto target = provisioning::parse_server_url(options.server, options.cacert);
  if (!target.ok()) die(target.error().message);
  auto random = common::openssl_random();

  // The administrator: first login, then the required password change.
  const auto init = nlohmann::json::parse(read_file(options.admin_json), nullptr, false);
  if (!init.is_object()) die(options.admin_json + " holds no JSON object");
  const std::string uri = init.value("otpauth_uri", "");
  const auto secret_at = uri.find("secret=");
  if (secret_at == std::string::npos) die("no secret in the admin's otpauth URI");
  auto admin_secret =
      tokens::base32_decode(uri.substr(secret_at + 7, uri.find('&', secret_at) - secret_at - 7));
  if (!admin_secret.ok()) die("admin secret: " + admin_secret.error().message);
  LoadUser admin{init.value("username", ""), init.value("password", ""), admin_secret.value(), -1};

  provisioning::HttpsClient admin_client(target.value());
  const int64_t admin_step = claim_step(admin, steps);
  Reply login = expect(call(admin_client, "POST", "/v1/login",
                            {{"username", admin.username},
                             {"password", admin.password},
                             {"otp", code_for(admin, admin_step, steps.params)}},
                            {}),
                       200, "admin login");
  const std::string admin_session = login.body.value("session", "");
  const std::string admin_password = random_password(*random);
  expect(
      call(admin_client, "POST", "/v1/password",
           {{"current_password", admin.password}, {"new_password", admin_password}}, admin_session),
      204, "admin password change");

  // Users, created from `threads` connections at once.
  const auto setup_begin = Clock::now();
  std::vector<LoadUser> users(static_cast<size_t>(options.users));
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < options.threads; ++t) {
      workers.emplace_back([&, t] {
        provisioning::HttpsClient client(target.value());
        for (size_t i = static_cast<size_t>(t); i < users.size();
             i += static_cast<size_t>(options.threads)) {
          LoadUser& user = users[i];
          char name[32];
          std::snprintf(name, sizeof name, "load%05zu", i);
          user.username = name;
          user.password = random_password(*random);
          // Nominated with every condition of access met, then approved:
          // only active accounts hold tokens.
          expect(call(client, "POST", "/v1/users",
                      {{"username", user.username},
                       {"display_name", "Load user " + user.username},
                       {"organisation", "LA-001"},
                       {"roles", {"practitioner"}},
                       {"password", user.password},
                       {"conditions",
                        {{"need", "load testing"},
                         {"accredited_training_on", date_days_ago(30)},
                         {"local_training_on", date_days_ago(20)},
                         {"vetting_disclosure_on", date_days_ago(100)},
                         {"vetting_basis", "disclosure_seen"}}}},
                      admin_session),
                 201, "nominate " + user.username);
          expect(call(client, "POST", "/v1/users/" + user.username + "/approve",
                      nlohmann::json::object(), admin_session),
                 200, "approve " + user.username);
          Reply issued = expect(call(client, "POST", "/v1/users/" + user.username + "/tokens",
                                     {{"type", "totp"}}, admin_session),
                                201, "issue token for " + user.username);
          const std::string token_uri = issued.body.value("otpauth_uri", "");
          const auto at = token_uri.find("secret=");
          auto secret =
              tokens::base32_decode(token_uri.substr(at + 7, token_uri.find('&', at) - at - 7));
          if (at == std::string::npos || !secret.ok()) die("no secret for " + user.username);
          user.secret = secret.value();
          const int64_t step = claim_step(user, steps);
          expect(
              call(client, "POST", "/v1/tokens/" + issued.body.value("token_id", "") + "/activate",
                   {{"otp", code_for(user, step, steps.params)}}, admin_session),
              200, "activate token of " + user.username);
        }
      });
    }
    for (auto& w : workers) w.join();
  }
  const double setup_seconds = Seconds(Clock::now() - setup_begin).count();
  std::cout << "setup_users: " << options.users << "\n"
            << "setup_seconds: " << setup_seconds << "\n";

  // The load.
  UserPool pool(std::move(users), steps);
  std::atomic<int64_t> ok{0}, starved{0};
  std::mutex results_mutex;
  std::map<int, int64_t> failures;
  std::string first_failure;
  std::vector<double> latencies_ms;
  const auto begin = Clock::now();
  const auto deadline =
      begin + std::chrono::duration_cast<Clock::duration>(Seconds(options.seconds));
  std::vector<Clock::time_point> finished(static_cast<size_t>(options.threads));
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < options.threads; ++t) {
      workers.emplace_back([&, t] {
        provisioning::HttpsClient client(target.value());
        std::vector<double> mine;
        while (Clock::now() < deadline) {
          const auto picked = pool.pick();
          if (!picked) {
            ++starved;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            continue;
          }
          const auto [user, step] = *picked;
          const nlohmann::json body = {{"username", user->username},
                                       {"password", user->password},
                                       {"otp", code_for(*user, step, steps.params)}};
          const auto sent = Clock::now();
          auto reply = client.request("POST", "/v1/login", body.dump());
          const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
          if (reply.ok() && reply->status == 200) {
            ++ok;
            mine.push_back(ms);
          } else {
            std::lock_guard lock(results_mutex);
            ++failures[reply.ok() ? reply->status : 0];
            if (first_failure.empty()) {
              first_failure = reply.ok() ? reply->body : reply.error().message;
            }
          }
        }
        finished[static_cast<size_t>(t)] = Clock::now();
        std::lock_guard lock(results_mutex);
        latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      });
    }
    for (auto& w : workers) w.join();
  }
  const auto end = *std::max_element(finished.begin(), finished.end());
  const double elapsed = Seconds(end - begin).count();
  int64_t failed = 0;
  for (const auto& [status, count] : failures) failed += count;

  std::cout << "login_threads: " << options.threads << "\n"
            << "login_seconds: " << elapsed << "\n"
            << "logins_ok: " << ok.load() << "\n"
            << "logins_failed: " << failed << "\n"
            << "starved_waits: " << starved.load() << "\n"
            << "logins_per_second: " << static_cast<double>(ok.load()) / elapsed << "\n"
            << "login_latency_p50_ms: " << percentile(latencies_ms, 0.50) << "\n"
            << "login_latency_p99_ms: " << percentile(latencies_ms, 0.99) << "\n";
  for (const auto& [status, count] : failures) {
    std::cout << "failed_status_" << status << ": " << count << "\n";
  }
  if (!first_failure.empty()) std::cerr << "first failure: " << first_failure << "\n";

  // A full-rights session for the GET /v1/session run.
  Reply session = expect(call(admin_client, "GET", "/v1/session", nullptr, admin_session), 200,
                         "GET /v1/session");
  if (!options.session_out.empty()) std::ofstream(options.session_out) << admin_session;
  if (!options.session_body_out.empty()) std::ofstream(options.session_body_out) << session.raw;
  return failed == 0 ? 0 : 1;
}
