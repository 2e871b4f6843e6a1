#include "authctl/context.h"

#include <system_error>
#include <utility>

#include "authctl/output.h"
#include "common/secret.h"

namespace provisioning::cli {
namespace {

constexpr const char* kDefaultServer = "https://127.0.0.1:8443";

std::string normalised_url(const HttpsTarget& target) {
  const bool v6 = target.host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + target.host + "]" : target.host) + ":" + target.port;
}

HttpsTarget parse_or_fail(const std::string& url, const std::string& cafile) {
  auto target = parse_server_url(url, cafile);
  if (!target) fail(kExitUsage, target.error().message);
  return std::move(target).value();
}

}  // namespace

void fail(int exit_code, std::string message) { throw CommandError{exit_code, std::move(message)}; }

std::filesystem::path Context::session_path() {
  if (!session_path_) {
    if (!options.session_file.empty()) {
      session_path_ = options.session_file;
    } else {
      auto path = default_session_path();
      if (!path) fail(kExitUsage, path.error().message);
      session_path_ = path.value();
    }
  }
  return *session_path_;
}

std::optional<SavedSession> Context::saved_session() {
  if (!session_loaded_) {
    auto loaded = load_session(session_path());
    if (!loaded) fail(kExitUsage, loaded.error().message);
    session_ = loaded.value();
    session_loaded_ = true;
  }
  return session_;
}

const SavedSession& Context::require_session() {
  (void)server_url();  // a bad --server is the first thing to report
  if (!saved_session()) {
    fail(kExitUsage, "not logged in (no session in " + session_path().string() +
                         "); run `authctl login` first");
  }
  if (session_->server != server_url()) {
    // Never hand a bearer token to a server it was not issued by.
    fail(kExitUsage, "the saved session belongs to " + session_->server + ", not " + server_url() +
                         "; run `authctl --server " + server_url() + " login` first");
  }
  return *session_;
}

const std::string& Context::server_url() {
  if (server_url_.empty()) {
    std::string url = options.server;
    if (url.empty()) {
      // A damaged or unsafe session file must not stop `login` from
      // replacing it, so it only counts here when it loads cleanly.
      auto loaded = load_session(session_path());
      if (loaded && loaded.value() && !loaded.value()->server.empty()) {
        url = loaded.value()->server;
      } else {
        url = kDefaultServer;
      }
    }
    server_url_ = normalised_url(parse_or_fail(url, options.cacert));
  }
  return server_url_;
}

HttpsClient& Context::client() {
  if (!client_) {
    if (!options.cacert.empty()) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(options.cacert, ec)) {
        fail(kExitUsage, "CA file '" + options.cacert + "' does not exist or is not a file");
      }
    }
    client_ = std::make_unique<HttpsClient>(parse_or_fail(server_url(), options.cacert));
  }
  return *client_;
}

Reply Context::send(const std::string& method, const std::string& target, std::string body,
                    bool authenticated) {
  std::string bearer;
  if (authenticated) bearer = require_session().token;
  auto response = client().request(method, target, body, bearer);
  common::wipe(body);
  common::wipe(bearer);
  if (!response) fail(kExitTransport, response.error().message);

  Reply reply;
  reply.status = response->status;
  reply.headers = std::move(response->headers);
  if (!response->body.empty()) {
    reply.body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    common::wipe(response->body);  // a login answer carries the new session token
    if (reply.body.is_discarded()) {
      if (reply.status >= 200 && reply.status < 300) {
        fail(kExitTransport, "the server at " + server_url() +
                                 " answered with something that is not JSON; is it authd?");
      }
      reply.body = nullptr;
    }
  }
  return reply;
}

Reply Context::call(const std::string& method, const std::string& target, std::string body,
                    bool authenticated) {
  Reply reply = send(method, target, std::move(body), authenticated);
  if (reply.status < 200 || reply.status >= 300) fail(kExitRefused, describe_refusal(reply));
  return reply;
}

HttpsResponse Context::call_text(const std::string& method, const std::string& target) {
  std::string bearer = require_session().token;
  auto response = client().request(method, target, {}, bearer);
  common::wipe(bearer);
  if (!response) fail(kExitTransport, response.error().message);
  if (response->status < 200 || response->status >= 300) {
    Reply refusal;
    refusal.status = response->status;
    refusal.headers = response->headers;
    refusal.body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (refusal.body.is_discarded()) refusal.body = nullptr;
    fail(kExitRefused, describe_refusal(refusal));
  }
  return std::move(response).value();
}

std::string describe_refusal(const Reply& reply) {
  const std::string status = "HTTP " + std::to_string(reply.status);
  if (!reply.body.is_object() || !reply.body.contains("error")) {
    return "the server refused the request (" + status + ") without saying why";
  }
  const std::string code = text(reply.body, "error", "unknown");
  std::string line = printable(text(reply.body, "message", "no message"));
  line += " (error: " + printable(code);
  const std::string field = text(reply.body, "field");
  if (!field.empty()) line += ", field: " + printable(field);
  line += ", " + status + ")";
  if (code == "too_many_attempts") {
    auto retry = reply.headers.find("retry-after");
    if (retry != reply.headers.end()) line += "; try again in " + printable(retry->second) + " s";
  } else if (code == "invalid_session") {
    line += "; log in again with `authctl login`";
  } else if (code == "password_change_required") {
    line += "; change your password first with `authctl password`";
  }
  return line;
}

std::string dump_and_wipe(nlohmann::json& body) {
  std::string out = body.dump();
  wipe_json_strings(body);
  return out;
}

void wipe_json_strings(nlohmann::json& value) {
  if (value.is_string()) {
    common::wipe(value.get_ref<std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value) wipe_json_strings(item);
  }
}

std::string text(const nlohmann::json& object, const char* key, const std::string& fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

std::string ask_secret(Context& ctx, const std::string& prompt) {
  auto answer = ctx.prompter.secret(prompt);
  if (!answer) fail(kExitUsage, answer.error().message);
  if (answer->empty()) fail(kExitUsage, "empty answer for " + prompt);
  return std::move(answer).value();
}

std::string ask_line(Context& ctx, const std::string& prompt) {
  auto answer = ctx.prompter.line(prompt);
  if (!answer) fail(kExitUsage, answer.error().message);
  if (answer->empty()) fail(kExitUsage, "empty answer for " + prompt);
  return std::move(answer).value();
}

}  // namespace provisioning::cli
