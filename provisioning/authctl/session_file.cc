#include "authctl/session_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/secret.h"

namespace provisioning {
namespace {

namespace fs = std::filesystem;
using common::Errc;
using common::make_error;

// Larger than any session file authctl writes; bounds what a planted file costs.
constexpr size_t kMaxFileSize = 64 * 1024;

common::Error io_error(const std::string& what, const fs::path& path, int err) {
  return make_error(Errc::unavailable, what + " " + path.string() + ": " + std::strerror(err));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Creates `dir` and missing ancestors with mode 0700. An existing directory
// is left as it is: it may be the user's own ~/.config.
common::Result<void> make_private_dirs(const fs::path& dir) {
  if (dir.empty()) return {};
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      return make_error(Errc::unavailable, dir.string() + " exists and is not a directory");
    }
    return {};
  }
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    auto parent = make_private_dirs(dir.parent_path());
    if (!parent) return parent;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return io_error("cannot create directory", dir, errno);
  }
  return {};
}

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

SavedSession::~SavedSession() { common::wipe(token); }

common::Result<fs::path> default_session_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  // The XDG spec says a relative value is invalid and must be ignored.
  if (xdg != nullptr && xdg[0] == '/') return fs::path(xdg) / "authctl" / "session";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    return fs::path(home) / ".config" / "authctl" / "session";
  }
  return make_error(Errc::bad_request,
                    "neither XDG_CONFIG_HOME nor HOME is set; give --session-file", "session-file");
}

common::Result<void> save_session(const fs::path& path, const SavedSession& session) {
  auto dirs = make_private_dirs(path.parent_path());
  if (!dirs) return dirs;

  nlohmann::json doc = {{"server", session.server},
                        {"username", session.username},
                        {"session", session.token},
                        {"expires_at", session.expires_at}};
  std::string text = doc.dump() + "\n";
  common::wipe(doc["session"].get_ref<std::string&>());

  // Written beside the target and renamed over it, so a reader sees the old
  // file or the new one; O_EXCL refuses a file someone planted at that name.
  fs::path temp = path;
  temp += ".tmp." + std::to_string(::getpid());
  const int raw = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (raw < 0) {
    common::wipe(text);
    return io_error("cannot create", temp, errno);
  }
  Fd fd(raw);
  // The umask can only remove bits, but an explicit fchmod documents intent.
  const bool written =
      ::fchmod(fd.get(), 0600) == 0 && write_all(fd.get(), text) && ::fsync(fd.get()) == 0;
  const int err = errno;
  common::wipe(text);
  if (!written) {
    ::unlink(temp.c_str());
    return io_error("cannot write", temp, err);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    ::unlink(temp.c_str());
    return io_error("cannot replace", path, rename_err);
  }
  return {};
}

common::Result<std::optional<SavedSession>> load_session(const fs::path& path) {
  const int raw = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (raw < 0) {
    if (errno == ENOENT) return std::optional<SavedSession>{};
    if (errno == ELOOP) {
      return make_error(Errc::forbidden, "refusing to use session file " + path.string() +
                                             ": it is a symbolic link");
    }
    return io_error("cannot open session file", path, errno);
  }
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot inspect session file", path, errno);
  if (!S_ISREG(st.st_mode)) {
    return make_error(Errc::forbidden,
                      "refusing to use session file " + path.string() + ": not a regular file");
  }
  if (st.st_uid != ::geteuid()) {
    return make_error(Errc::forbidden, "refusing to use session file " + path.string() +
                                           ": it belongs to another user");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return make_error(Errc::forbidden,
                      "refusing to use session file " + path.string() + ": its mode is " + mode +
                          ", so others may read the session token; remove it and log in again");
  }
  if (st.st_size > static_cast<off_t>(kMaxFileSize)) {
    return make_error(Errc::bad_request, "session file " + path.string() + " is too large");
  }

  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      common::wipe(text);
      return io_error("cannot read session file", path, err);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  text.resize(done);

  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  common::wipe(text);
  SavedSession session;
  const bool valid = doc.is_object() && doc.contains("session") && doc["session"].is_string() &&
                     doc.contains("server") && doc["server"].is_string();
  if (valid) {
    session.server = doc["server"].get<std::string>();
    session.token = doc["session"].get<std::string>();
    common::wipe(doc["session"].get_ref<std::string&>());
    if (doc.contains("username") && doc["username"].is_string()) {
      session.username = doc["username"].get<std::string>();
    }
    if (doc.contains("expires_at") && doc["expires_at"].is_string()) {
      session.expires_at = doc["expires_at"].get<std::string>();
    }
  }
  if (!valid || session.token.empty()) {
    return make_error(Errc::bad_request,
                      "session file " + path.string() + " is damaged; remove it and log in again");
  }
  return std::optional<SavedSession>(std::move(session));
}

common::Result<void> remove_session(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return io_error("cannot remove session file", path, errno);
  }
  return {};
}

}  // namespace provisioning
