// Writes the public halves of the registry's keys to a directory (DIR/keys)
// for verifiers that must not need the database or the HSM:
//   audit-<kid>.pem, assertion-<kid>.pem   SubjectPublicKeyInfo PEM, every
//                                          EC key, current and retired
//   keys.json                              {"keys":[{"key_id","purpose","uri",
//                                          "public_key_pem" (EC only),
//                                          "created_at","retired_at"|null}]}
// Directory 0755, files 0644 (public information). Each file is written to a
// temporary name and renamed, so a reader never sees half a file.
//
// Thread safety: callers serialise writers to one directory (rotation holds
// the Service's rotation lock).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/records.h"

namespace core::keys {

// unavailable naming the file when anything cannot be written.
common::Result<void> export_public_keys(const std::filesystem::path& dir,
                                        const std::vector<store::KeyRecord>& keys);

// keys.json's text for these keys.
std::string keys_json(const std::vector<store::KeyRecord>& keys);

}  // namespace core::keys
