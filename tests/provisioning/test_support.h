// Helpers for the provisioning tests: temporary directories, running a
// process with given stdin and environment, certificates made by the
// `openssl` command, and two TLS servers to talk to:
//  - OpensslWwwServer: `openssl s_server -WWW` serving files, an independent
//    TLS implementation for the certificate checks;
//  - ScriptedTlsServer: answers each request with the next canned response
//    and records what it received, so authctl's requests and its handling of
//    the answers can be checked without the daemon.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace provisioning::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs `argv` to completion with `input` on stdin. The environment is the
// test's own minus AUTHCTL_* and XDG_CONFIG_HOME, plus `env` (values override).
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {},
                          const std::map<std::string, std::string>& env = {});

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

// A self-signed certificate (usable as its own CA) and its key, for the given
// subjectAltName, e.g. "DNS:localhost,IP:127.0.0.1". Aborts the test on failure.
struct CertFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
};
CertFiles make_self_signed(const std::filesystem::path& dir, const std::string& name,
                           const std::string& subject_alt_names);

// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
std::string unused_port();

class OpensslWwwServer {
 public:
  // Serves the files under `root` on 127.0.0.1 on an ephemeral port.
  OpensslWwwServer(const CertFiles& cert, const std::filesystem::path& root);
  ~OpensslWwwServer();
  OpensslWwwServer(const OpensslWwwServer&) = delete;
  OpensslWwwServer& operator=(const OpensslWwwServer&) = delete;
  const std::string& port() const { return port_; }

 private:
  pid_t pid_ = -1;
  std::string port_;
};

class ScriptedTlsServer {
 public:
  enum class After {
    keep_open,        // keep-alive: wait for the next request
    close,            // "Connection: close", then close
    close_silently,   // close without announcing it, like an idle timeout later
    drop_unanswered,  // read the request, then close without any answer
  };
  struct Reply {
    Reply(int s = 200, std::string b = {}, std::map<std::string, std::string> h = {},
          After a = After::keep_open)
        : status(s), body(std::move(b)), headers(std::move(h)), after(a) {}
    int status = 200;
    std::string body;                            // sent as application/json when not empty
    std::map<std::string, std::string> headers;  // extra headers
    After after = After::keep_open;
  };

  explicit ScriptedTlsServer(const CertFiles& cert);
  ~ScriptedTlsServer();
  ScriptedTlsServer(const ScriptedTlsServer&) = delete;
  ScriptedTlsServer& operator=(const ScriptedTlsServer&) = delete;

  std::string port() const { return std::to_string(port_); }
  std::string url() const { return "https://127.0.0.1:" + port(); }
  // Queues the reply for the next request; with none queued the server
  // answers 500 and closes.
  void push(Reply reply);
  // The raw requests received so far (head and body).
  std::vector<std::string> requests() const;
  int connections() const { return connections_; }

 private:
  void serve();
  void serve_connection(int fd);

  void* ctx_ = nullptr;  // SSL_CTX
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> active_fd_{-1};
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::deque<Reply> replies_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

// Path of the authctl binary under test.
std::string authctl_path();

}  // namespace provisioning::testing
