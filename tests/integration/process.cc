#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace integration {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  int read_end = -1;
  int write_end = -1;
};

bool make_pipe(Pipe& p) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  p.read_end = fds[0];
  p.write_end = fds[1];
  return true;
}

void close_fd(int& fd) {
  if (fd >= 0) {
    close(fd);
    fd = -1;
  }
}

std::vector<std::string> environment_with(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    const auto eq = entry.find('=');
    const std::string name = entry.substr(0, eq);
    if (overrides.count(name) == 0) env.push_back(entry);
  }
  for (const auto& [name, value] : overrides) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The test binary ignores SIGPIPE (see main.cc); children must get the default
// disposition back, since an ignored signal survives exec.
void reset_signals(posix_spawnattr_t* attr) {
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(attr, &defaults);
  posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF);
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          const std::map<std::string, std::string>& env,
                          std::chrono::seconds timeout) {
  CommandResult result;
  Pipe in, out, err;
  if (!make_pipe(in) || !make_pipe(out) || !make_pipe(err)) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  reset_signals(&attr);

  std::vector<std::string> args = argv;
  std::vector<std::string> envs = environment_with(env);
  auto c_args = c_strings(args);
  auto c_envs = c_strings(envs);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, c_args[0], &actions, &attr, c_args.data(), c_envs.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close_fd(in.read_end);
  close_fd(out.write_end);
  close_fd(err.write_end);
  if (rc != 0) {
    result.err = "spawn " + argv[0] + ": " + std::strerror(rc);
    close_fd(in.write_end);
    close_fd(out.read_end);
    close_fd(err.read_end);
    return result;
  }

  fcntl(in.write_end, F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (input.empty()) close_fd(in.write_end);
  const auto deadline = Clock::now() + timeout;
  while (out.read_end >= 0 || err.read_end >= 0) {
    pollfd fds[3];
    int n = 0;
    int idx_in = -1, idx_out = -1, idx_err = -1;
    if (in.write_end >= 0) {
      idx_in = n;
      fds[n++] = {in.write_end, POLLOUT, 0};
    }
    if (out.read_end >= 0) {
      idx_out = n;
      fds[n++] = {out.read_end, POLLIN, 0};
    }
    if (err.read_end >= 0) {
      idx_err = n;
      fds[n++] = {err.read_end, POLLIN, 0};
    }
    const int ready = poll(fds, n, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      result.timed_out = true;
      break;
    }
    if (idx_in >= 0 && fds[idx_in].revents != 0) {
      const ssize_t w = write(in.write_end, input.data() + written, input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN) written = input.size();  // the child closed stdin
      if (written >= input.size()) close_fd(in.write_end);
    }
    char buffer[4096];
    for (auto [idx, fd, sink] : {std::tuple{idx_out, &out.read_end, &result.out},
                                 std::tuple{idx_err, &err.read_end, &result.err}}) {
      if (idx < 0 || fds[idx].revents == 0) continue;
      const ssize_t r = read(*fd, buffer, sizeof buffer);
      if (r > 0) {
        sink->append(buffer, static_cast<size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        close_fd(*fd);
      }
    }
  }
  close_fd(in.write_end);
  close_fd(out.read_end);
  close_fd(err.read_end);
  if (result.timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = decode_status(status);
  return result;
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !reaped_status_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (drainer_.joinable()) drainer_.join();
  close_fd(stdout_fd_);
}

std::optional<std::string> DaemonProcess::start(const std::vector<std::string>& argv,
                                                const std::filesystem::path& stderr_log,
                                                const std::string& ready_prefix,
                                                std::chrono::seconds timeout, std::string* error) {
  if (drainer_.joinable()) drainer_.join();
  close_fd(stdout_fd_);
  reaped_status_.reset();
  {
    std::lock_guard lock(mutex_);
    output_.clear();
  }
  Pipe out;
  if (!make_pipe(out)) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  reset_signals(&attr);
  std::vector<std::string> args = argv;
  auto c_args = c_strings(args);
  const int rc = posix_spawn(&pid_, c_args[0], &actions, &attr, c_args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close_fd(out.write_end);
  if (rc != 0) {
    pid_ = -1;
    close_fd(out.read_end);
    *error = "spawn " + argv[0] + ": " + std::strerror(rc);
    return std::nullopt;
  }
  stdout_fd_ = out.read_end;

  // Read line by line until the ready line; the rest is drained by a thread so
  // the daemon never blocks on a full pipe.
  const auto deadline = Clock::now() + timeout;
  std::string buffer;
  while (true) {
    const auto newline = buffer.find('\n');
    if (newline != std::string::npos) {
      const std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      {
        std::lock_guard lock(mutex_);
        output_ += line + "\n";
      }
      if (line.rfind(ready_prefix, 0) == 0) {
        {
          std::lock_guard lock(mutex_);
          output_ += buffer;
        }
        drainer_ = std::thread([this] { drain(); });
        return line.substr(ready_prefix.size());
      }
      continue;
    }
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const int ready = poll(&pfd, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      *error = "no '" + ready_prefix + "' line within " + std::to_string(timeout.count()) + " s";
      return std::nullopt;
    }
    char chunk[1024];
    const ssize_t r = read(stdout_fd_, chunk, sizeof chunk);
    if (r <= 0) {
      *error = "the daemon closed stdout before printing '" + ready_prefix + "'";
      return std::nullopt;
    }
    buffer.append(chunk, static_cast<size_t>(r));
  }
}

void DaemonProcess::drain() {
  char chunk[4096];
  while (true) {
    const ssize_t r = read(stdout_fd_, chunk, sizeof chunk);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return;
    std::lock_guard lock(mutex_);
    output_.append(chunk, static_cast<size_t>(r));
  }
}

bool DaemonProcess::running() {
  if (pid_ <= 0 || reaped_status_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_status_ = decode_status(status);
    return false;
  }
  return true;
}

std::optional<int> DaemonProcess::stop(int signal, std::chrono::seconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  std::optional<int> exit_status = reaped_status_;
  if (!exit_status) kill(pid_, signal);
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (!exit_status) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status = decode_status(status);
      break;
    }
    if (done < 0 && errno != EINTR) break;
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  reaped_status_.reset();
  if (drainer_.joinable()) drainer_.join();
  close_fd(stdout_fd_);
  return exit_status;
}

std::string DaemonProcess::output() {
  std::lock_guard lock(mutex_);
  return output_;
}

}  // namespace integration
