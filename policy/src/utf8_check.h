// A pre-parse guard: TOML 1.0 files are UTF-8, and toml11 3.7.1 (Debian 12)
// reads past the end of its buffer on invalid UTF-8 inside a literal string
// (toml11 issue #199, fixed upstream after 3.7.1). Anything that is not
// well-formed UTF-8 is refused before toml11 sees it.
#pragma once

#include <cstddef>
#include <string_view>

namespace policy::detail {

// The 1-based line holding the first byte that is not part of well-formed
// UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), or 0 if the whole text is well-formed.
size_t line_with_invalid_utf8(std::string_view text);

}  // namespace policy::detail
