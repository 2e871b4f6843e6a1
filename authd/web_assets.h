// The files of authd/web/, compiled into the binary. The definition is
// generated at build time by embed_web.cmake (no build step touches the
// network; the pages need no bundler).
//
// Thread safety: constant data.
#pragma once

#include <span>
#include <string_view>

namespace authd {

struct WebAsset {
  std::string_view name;   // the file name, e.g. "login.html" ([a-z0-9._-]+)
  std::string_view bytes;  // the file's exact contents
};

// Every embedded file, in file-name order. The storage is static.
std::span<const WebAsset> web_assets();

}  // namespace authd
