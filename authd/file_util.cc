#include "file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace authd {

common::Result<void> write_new_file(const std::filesystem::path& path, std::string_view content,
                                    mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    const int error = errno;
    return common::make_error(error == EEXIST ? common::Errc::conflict : common::Errc::unavailable,
                              "cannot create " + path.string() + ": " + std::strerror(error));
  }
  const auto fail = [&](int error) {
    ::close(fd);
    ::unlink(path.c_str());
    return common::make_error(common::Errc::unavailable,
                              "cannot write " + path.string() + ": " + std::strerror(error));
  };
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(n < 0 ? errno : EIO);
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    return common::make_error(common::Errc::unavailable,
                              "cannot write " + path.string() + ": " + std::strerror(error));
  }
  return {};
}

common::Result<void> publish_public_keys(const std::filesystem::path& keys_dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(keys_dir, ec)) {
    if (entry.is_regular_file(ec) && ::chmod(entry.path().c_str(), 0644) != 0) {
      return common::make_error(
          common::Errc::unavailable,
          "cannot make " + entry.path().string() + " readable: " + std::strerror(errno));
    }
  }
  if (ec) {
    return common::make_error(common::Errc::unavailable,
                              "cannot read " + keys_dir.string() + ": " + ec.message());
  }
  return {};
}

common::Result<std::string> read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::make_error(common::Errc::bad_request, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return common::make_error(common::Errc::bad_request, "cannot read " + path.string());
  return text.str();
}

}  // namespace authd
