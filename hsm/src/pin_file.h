// Reading a PIN from a file that only this process's user may read.
//
// Refused (bad_request, field "pin_file") unless the path names a regular file
// (symbolic links are not followed), owned by geteuid(), with no group or
// other permission bits, holding 1..255 bytes after one trailing newline is
// dropped. Messages name the file, never its content.
//
// Thread safety: no shared state.
#pragma once

#include <filesystem>

#include "common/result.h"
#include "common/secret.h"

namespace hsm::internal {

common::Result<common::SecretBytes> read_pin_file(const std::filesystem::path& path);

// Writes `content` (a PIN, or a config beside it) to a new file created 0600;
// conflict if it exists.
common::Result<void> write_private_file(const std::filesystem::path& path,
                                        std::string_view content);

}  // namespace hsm::internal
