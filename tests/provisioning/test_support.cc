#include "test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace provisioning::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "provisioning_test.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const std::map<std::string, std::string>& env) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (name.rfind("AUTHCTL_", 0) == 0 || name == "XDG_CONFIG_HOME" || env.count(name) != 0) {
      continue;
    }
    env_strings.push_back(entry);
  }
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& s : args) argp.push_back(s.data());
  argp.push_back(nullptr);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    std::abort();
  }
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execve(argp[0], argp.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Inputs are a few lines: they fit the pipe buffer, so writing first
  // cannot deadlock against the child's output.
  signal(SIGPIPE, SIG_IGN);
  if (!input.empty()) (void)!write(in_pipe[1], input.data(), input.size());
  close(in_pipe[1]);

  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char chunk[4096];
      const ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
      if (n > 0) {
        sinks[i]->append(chunk, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CertFiles make_self_signed(const fs::path& dir, const std::string& name,
                           const std::string& subject_alt_names) {
  CertFiles files{dir / (name + ".cert.pem"), dir / (name + ".key.pem")};
  const ProcessResult made = run_process(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
       "-nodes", "-keyout", files.key.string(), "-out", files.cert.string(), "-days", "2", "-subj",
       "/CN=" + name, "-addext", "subjectAltName=" + subject_alt_names});
  if (made.exit_code != 0) {
    ADD_FAILURE() << "openssl req failed: " << made.err;
    std::abort();
  }
  return files;
}

std::string unused_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::abort();
  }
  close(fd);
  return std::to_string(ntohs(addr.sin_port));
}

OpensslWwwServer::OpensslWwwServer(const CertFiles& cert, const fs::path& root) {
  const fs::path log = root / "s_server.log";
  std::vector<std::string> args = {
      "/usr/bin/openssl", "s_server", "-accept",         "127.0.0.1:0", "-cert",
      cert.cert.string(), "-key",     cert.key.string(), "-WWW"};
  std::vector<char*> argp;
  for (auto& s : args) argp.push_back(s.data());
  argp.push_back(nullptr);
  const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    if (chdir(root.c_str()) != 0) _exit(126);
    execv(argp[0], argp.data());
    _exit(127);
  }
  close(log_fd);
  close(null_fd);
  // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = read_file(log);
    const auto at = text.find("ACCEPT 127.0.0.1:");
    const auto end = at == std::string::npos ? at : text.find('\n', at);
    if (end != std::string::npos) {
      port_ = text.substr(at + 17, end - at - 17);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "openssl s_server did not start: " << read_file(log);
}

OpensslWwwServer::~OpensslWwwServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

ScriptedTlsServer::ScriptedTlsServer(const CertFiles& cert) {
  signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the test
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr || SSL_CTX_use_certificate_chain_file(ctx, cert.cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, cert.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::abort();
  }
  ctx_ = ctx;
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 8) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::abort();
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

ScriptedTlsServer::~ScriptedTlsServer() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  const int active = active_fd_.load();
  if (active >= 0) shutdown(active, SHUT_RDWR);
  thread_.join();
  close(listen_fd_);
  SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

void ScriptedTlsServer::push(Reply reply) {
  std::lock_guard<std::mutex> lock(mutex_);
  replies_.push_back(std::move(reply));
}

std::vector<std::string> ScriptedTlsServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void ScriptedTlsServer::serve() {
  while (!stopping_) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR && !stopping_) continue;
      return;
    }
    ++connections_;
    active_fd_ = fd;
    serve_connection(fd);
    active_fd_ = -1;
    close(fd);
  }
}

namespace {

size_t content_length(const std::string& head) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::strtoul(lower.c_str() + at + 17, nullptr, 10);
}

}  // namespace

void ScriptedTlsServer::serve_connection(int fd) {
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    SSL_free(ssl);
    ERR_clear_error();
    return;
  }
  std::string buffer;
  auto fill = [&](size_t want) {
    while (buffer.size() < want) {
      char chunk[4096];
      const int n = SSL_read(ssl, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    return true;
  };
  for (;;) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(buffer.size() + 1)) goto done;
    }
    const size_t total = head_end + 4 + content_length(buffer.substr(0, head_end + 4));
    if (!fill(total)) goto done;
    Reply reply;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(buffer.substr(0, total));
      if (replies_.empty()) {
        reply.status = 500;
        reply.body = R"({"error":"internal","message":"no scripted reply"})";
        reply.after = After::close;
      } else {
        reply = replies_.front();
        replies_.pop_front();
      }
    }
    buffer.erase(0, total);
    if (reply.after == After::drop_unanswered) break;

    std::string text = "HTTP/1.1 " + std::to_string(reply.status) + " Scripted\r\n";
    text += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
    if (!reply.body.empty()) text += "Content-Type: application/json\r\n";
    for (const auto& [name, value] : reply.headers) text += name + ": " + value + "\r\n";
    if (reply.after == After::close) text += "Connection: close\r\n";
    text += "\r\n" + reply.body;
    if (SSL_write(ssl, text.data(), static_cast<int>(text.size())) <= 0) break;
    if (reply.after != After::keep_open) break;
  }
done:
  SSL_shutdown(ssl);
  SSL_free(ssl);
  ERR_clear_error();
}

std::string authctl_path() { return AUTHCTL_BINARY; }

}  // namespace provisioning::testing
