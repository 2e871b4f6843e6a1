// A pre-parse guard: toml11 parses nested arrays and inline tables
// recursively, so a few thousand '[' overflow the stack. A policy needs depth
// 2 at most; anything deeper is refused before toml11 sees it.
#pragma once

#include <cstddef>
#include <string_view>

namespace policy::detail {

// The 1-based line on which brackets ('[' or '{', outside strings and
// comments) first nest deeper than `limit`, or 0 if they never do.
size_t line_exceeding_nesting(std::string_view toml_text, size_t limit);

}  // namespace policy::detail
