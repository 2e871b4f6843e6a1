// Small file helpers for init and the TLS files (private to the daemon).
//
// Thread safety: pure functions over files.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace authd {

// Creates `path`, which must not exist (conflict otherwise; a symlink in its
// place is not followed), with `mode` (less the umask), writes `content` and
// syncs it. On failure nothing is left behind (unavailable with the reason).
common::Result<void> write_new_file(const std::filesystem::path& path, std::string_view content,
                                    mode_t mode);

// The exported public keys are for anyone who checks authd's evidence:
// whatever the umask, makes every file in `keys_dir` 0644.
common::Result<void> publish_public_keys(const std::filesystem::path& keys_dir);

// The whole file. bad_request naming the file when it cannot be read.
common::Result<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace authd
