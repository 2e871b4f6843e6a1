#include "pin_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace hsm::internal {
namespace {

using common::Errc;
using common::make_error;

constexpr size_t kMaxPin = 255;

common::Error pin_error(const std::filesystem::path& path, const std::string& why) {
  return make_error(Errc::bad_request, "HSM: PIN file " + path.string() + " " + why, "pin_file");
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

common::Result<common::SecretBytes> read_pin_file(const std::filesystem::path& path) {
  if (path.empty()) return make_error(Errc::bad_request, "HSM: no PIN file configured", "pin_file");
  Fd file{open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)};
  if (file.fd < 0) return pin_error(path, std::string("cannot be opened: ") + std::strerror(errno));
  struct stat st;
  if (fstat(file.fd, &st) != 0) return pin_error(path, "cannot be examined");
  if (!S_ISREG(st.st_mode)) return pin_error(path, "is not a regular file");
  if (st.st_uid != geteuid()) return pin_error(path, "is not owned by this process's user");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return pin_error(path, "is accessible by group or others (must be 0600 or 0400)");
  }

  std::vector<uint8_t> buffer(kMaxPin + 3);
  size_t length = 0;
  for (;;) {
    const ssize_t n = read(file.fd, buffer.data() + length, buffer.size() - length);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      common::wipe(buffer);
      return pin_error(path, "cannot be read");
    }
    if (n == 0) break;
    length += static_cast<size_t>(n);
    if (length == buffer.size()) break;
  }
  if (length > 0 && buffer[length - 1] == '\n') --length;
  if (length > 0 && buffer[length - 1] == '\r') --length;
  if (length == 0 || length > kMaxPin) {
    common::wipe(buffer);
    return pin_error(path, "must hold a PIN of 1 to 255 bytes");
  }
  common::wipe(std::span<uint8_t>(buffer).subspan(length));
  buffer.resize(length);
  return common::SecretBytes(std::move(buffer));
}

common::Result<void> write_private_file(const std::filesystem::path& path,
                                        std::string_view content) {
  Fd file{open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
  if (file.fd < 0) {
    const Errc code = errno == EEXIST ? Errc::conflict : Errc::unavailable;
    return make_error(code, "HSM: cannot create " + path.string() + ": " + std::strerror(errno));
  }
  // The umask cannot widen 0600, but a pre-set default ACL could: be explicit.
  if (fchmod(file.fd, 0600) != 0) {
    return make_error(Errc::unavailable, "HSM: cannot set mode 0600 on " + path.string());
  }
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = write(file.fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(Errc::unavailable, "HSM: cannot write " + path.string());
    done += static_cast<size_t>(n);
  }
  if (fsync(file.fd) != 0) {
    return make_error(Errc::unavailable, "HSM: cannot sync " + path.string());
  }
  return {};
}

}  // namespace hsm::internal
