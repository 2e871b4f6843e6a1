// What every authctl command shares: the global options, the saved session,
// one HTTPS connection to authd, and turning the server's answers into
// messages and exit codes.
//
// Commands report failure by throwing CommandError; main() prints its
// message on stderr and exits with its code. (This is a CLI process, not the
// daemon's request path; an exception keeps each command a straight line.)
//
// Thread safety: single-threaded, like the CLI.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "authctl/prompt.h"
#include "authctl/session_file.h"
#include "provisioning/https_client.h"

namespace CLI {
class App;
}

namespace provisioning::cli {

// Documented in the --help footer (main.cc).
constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;    // the server said no, or the audit trail is broken
constexpr int kExitUsage = 2;      // bad arguments or a local problem
constexpr int kExitTransport = 3;  // the server could not be reached or spoke nonsense

struct CommandError {
  int exit_code;
  std::string message;
};

[[noreturn]] void fail(int exit_code, std::string message);

struct GlobalOptions {
  std::string server;        // from --server or AUTHCTL_SERVER; empty: not given
  std::string cacert;        // from --cacert or AUTHCTL_CACERT
  std::string session_file;  // from --session-file; empty: the default path
};

struct Reply {
  int status = 0;
  nlohmann::json body;  // null for an empty body
  std::map<std::string, std::string> headers;
};

class Context {
 public:
  GlobalOptions options;
  Prompter prompter = Prompter::standard();
  std::function<int()> action;  // set by the chosen subcommand's parse callback

  std::filesystem::path session_path();

  // The saved session, or nullopt when there is none. Throws (kExitUsage) if
  // the file is unsafe or damaged.
  std::optional<SavedSession> saved_session();
  // The saved session, which must exist and belong to server_url().
  const SavedSession& require_session();

  // "https://HOST:PORT": --server / AUTHCTL_SERVER, else the saved session's
  // server, else https://127.0.0.1:8443.
  const std::string& server_url();

  // Sends one request. `body` is sent as JSON and wiped afterwards. With
  // `authenticated` the saved session is sent as the bearer token. 2xx
  // answers are returned; anything else throws kExitRefused with the
  // server's error code and message; transport failures throw kExitTransport.
  Reply call(const std::string& method, const std::string& target, std::string body = {},
             bool authenticated = true);

  // As call(), but returns non-2xx answers instead of throwing.
  Reply send(const std::string& method, const std::string& target, std::string body,
             bool authenticated);

  // As call() for an answer that is not one JSON value (the audit export's
  // JSON lines): the body comes back as text, unparsed, with the headers
  // (names lower-cased). Refusals throw kExitRefused as call() does.
  HttpsResponse call_text(const std::string& method, const std::string& target);

 private:
  HttpsClient& client();

  std::unique_ptr<HttpsClient> client_;
  std::optional<std::filesystem::path> session_path_;
  std::optional<SavedSession> session_;
  bool session_loaded_ = false;
  std::string server_url_;
};

// The server's refusal as one line: message, error code, HTTP status, and a
// hint for the codes a user can act on.
std::string describe_refusal(const Reply& reply);

// body.dump(), then every string in `body` wiped (it may hold a password).
std::string dump_and_wipe(nlohmann::json& body);
// Wipes every string in `value`, recursively.
void wipe_json_strings(nlohmann::json& value);

// A string member, or `fallback` when absent, null or not a string.
std::string text(const nlohmann::json& object, const char* key, const std::string& fallback = "");

// A secret from the prompter; empty answers are refused. Throws kExitUsage.
std::string ask_secret(Context& ctx, const std::string& prompt);
std::string ask_line(Context& ctx, const std::string& prompt);

// Registration of the subcommands (commands_*.cc).
void add_session_commands(CLI::App& app, Context& ctx);
void add_user_commands(CLI::App& app, Context& ctx);
// approve ... reset-password under `user` (commands_user_state.cc).
void add_user_state_commands(CLI::App& user, Context& ctx);
void add_org_commands(CLI::App& app, Context& ctx);
void add_token_commands(CLI::App& app, Context& ctx);
void add_audit_commands(CLI::App& app, Context& ctx);
void add_key_commands(CLI::App& app, Context& ctx);
// sweep, report, notifications (commands_oversight.cc).
void add_oversight_commands(CLI::App& app, Context& ctx);

// audit verify, which needs neither a server nor a session (commands_audit_verify.cc).
void add_audit_verify_command(CLI::App& audit, Context& ctx);

}  // namespace provisioning::cli
