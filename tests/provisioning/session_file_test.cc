#include "authctl/session_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "test_support.h"

namespace provisioning {
namespace {

using testing::TempDir;

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

SavedSession sample() {
  SavedSession s;
  s.server = "https://127.0.0.1:8443";
  s.username = "admin";
  s.token = "tok-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
  s.expires_at = "2030-01-01T00:00:00Z";
  return s;
}

TEST(SessionFile, IsCreatedPrivateInPrivateDirectories) {
  TempDir dir;
  const auto path = dir / "config" / "authctl" / "session";
  ::umask(022);  // a usual umask must not widen what authctl writes
  ASSERT_TRUE(save_session(path, sample()).ok());
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path.parent_path()), 0700u);
  EXPECT_EQ(mode_of(path.parent_path().parent_path()), 0700u);

  auto loaded = load_session(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE(loaded.value().has_value());
  EXPECT_EQ(loaded.value()->server, "https://127.0.0.1:8443");
  EXPECT_EQ(loaded.value()->username, "admin");
  EXPECT_EQ(loaded.value()->token, sample().token);
  EXPECT_EQ(loaded.value()->expires_at, "2030-01-01T00:00:00Z");
}

TEST(SessionFile, ReplacingKeepsTheFilePrivateAndLeavesNoTemporaryFiles) {
  TempDir dir;
  const auto path = dir / "session";
  ASSERT_TRUE(save_session(path, sample()).ok());
  SavedSession next = sample();
  next.token = "second-token";
  ASSERT_TRUE(save_session(path, next).ok());
  EXPECT_EQ(mode_of(path), 0600u);
  auto loaded = load_session(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded.value()->token, "second-token");
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(SessionFile, MissingFileMeansNoSession) {
  TempDir dir;
  auto loaded = load_session(dir / "nothing");
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded.value().has_value());
}

TEST(SessionFile, RefusesAFileOthersCanRead) {
  TempDir dir;
  const auto path = dir / "session";
  ASSERT_TRUE(save_session(path, sample()).ok());
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto loaded = load_session(path);
    ASSERT_FALSE(loaded.ok()) << std::oct << mode;
    EXPECT_EQ(loaded.error().code, common::Errc::forbidden);
    EXPECT_NE(loaded.error().message.find("log in again"), std::string::npos);
    EXPECT_EQ(loaded.error().message.find(sample().token), std::string::npos);
  }
}

TEST(SessionFile, RefusesASymbolicLink) {
  TempDir dir;
  ASSERT_TRUE(save_session(dir / "real", sample()).ok());
  std::filesystem::create_symlink(dir / "real", dir / "session");
  auto loaded = load_session(dir / "session");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, common::Errc::forbidden);
}

TEST(SessionFile, RefusesAFileOfAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file away";
  TempDir dir;
  const auto path = dir / "session";
  ASSERT_TRUE(save_session(path, sample()).ok());
  ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
  auto loaded = load_session(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, common::Errc::forbidden);
  EXPECT_NE(loaded.error().message.find("another user"), std::string::npos);
}

TEST(SessionFile, RefusesDamagedContent) {
  TempDir dir;
  const auto path = dir / "session";
  testing::write_file(path, "not json at all");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto loaded = load_session(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, common::Errc::bad_request);
}

TEST(SessionFile, RemoveIsIdempotent) {
  TempDir dir;
  const auto path = dir / "session";
  ASSERT_TRUE(save_session(path, sample()).ok());
  EXPECT_TRUE(remove_session(path).ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(remove_session(path).ok());
}

TEST(SessionFile, DefaultPathFollowsXdgThenHome) {
  const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
  const char* old_home = std::getenv("HOME");
  const std::string saved_xdg = old_xdg ? old_xdg : "";
  const std::string saved_home = old_home ? old_home : "";

  ::setenv("XDG_CONFIG_HOME", "/xdg/conf", 1);
  ::setenv("HOME", "/home/someone", 1);
  auto path = default_session_path();
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path.value(), "/xdg/conf/authctl/session");

  ::setenv("XDG_CONFIG_HOME", "relative/is/ignored", 1);
  path = default_session_path();
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path.value(), "/home/someone/.config/authctl/session");

  ::unsetenv("XDG_CONFIG_HOME");
  ::unsetenv("HOME");
  EXPECT_FALSE(default_session_path().ok());

  if (old_xdg) ::setenv("XDG_CONFIG_HOME", saved_xdg.c_str(), 1);
  if (old_home) ::setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace provisioning
