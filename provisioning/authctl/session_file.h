// The file where authctl keeps the session of the last `authctl login`.
//
// The session token is a bearer credential, so the file is private to its
// owner: it is written with mode 0600 inside a 0700 directory, and a file
// that anyone else could read or write is refused rather than used (the
// token may already have leaked; the user should log in again). Writes
// replace the file atomically, so a crash never leaves half a token.
//
// Thread safety: free functions; concurrent writers of one path are not
// coordinated (the last rename wins).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "common/result.h"

namespace provisioning {

struct SavedSession {
  SavedSession() = default;
  SavedSession(const SavedSession&) = default;
  SavedSession& operator=(const SavedSession&) = default;
  ~SavedSession();

  std::string server;      // normalised "https://HOST:PORT" the token belongs to
  std::string username;    // who logged in
  std::string token;       // the bearer token (secret; wiped on destruction)
  std::string expires_at;  // RFC 3339, as the server reported it
};

// $XDG_CONFIG_HOME/authctl/session, else $HOME/.config/authctl/session.
// bad_request when neither variable is set.
common::Result<std::filesystem::path> default_session_path();

// Writes `session` to `path` with mode 0600, creating missing parent
// directories with mode 0700. unavailable on an I/O error.
common::Result<void> save_session(const std::filesystem::path& path, const SavedSession& session);

// Reads the file. nullopt when it does not exist; forbidden when it is not a
// regular file owned by the caller or is group/world accessible; bad_request
// when its content is not a session; unavailable on an I/O error.
common::Result<std::optional<SavedSession>> load_session(const std::filesystem::path& path);

// Removes the file; removing a missing file succeeds.
common::Result<void> remove_session(const std::filesystem::path& path);

}  // namespace provisioning
