// Only brackets count, so strings and comments must be skipped well enough not
// to count the brackets inside them. Misreading an odd file can only shift
// where the limit triggers; toml11 still judges the syntax afterwards.
#include "nesting_depth.h"

namespace policy::detail {

size_t line_exceeding_nesting(std::string_view text, size_t limit) {
  size_t depth = 0;
  size_t line = 1;
  size_t i = 0;
  const auto at = [&](std::string_view token) { return text.substr(i, token.size()) == token; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (at("\"\"\"") || at("'''")) {
      const std::string_view close = text.substr(i, 3);
      const bool escapes = c == '"';
      for (i += 3; i < text.size() && !at(close); ++i) {
        if (text[i] == '\n') ++line;
        if (escapes && text[i] == '\\') ++i;
      }
      i += 3;
    } else if (c == '"' || c == '\'') {
      for (++i; i < text.size() && text[i] != c && text[i] != '\n'; ++i) {
        if (c == '"' && text[i] == '\\') ++i;
      }
      if (i < text.size() && text[i] == c) ++i;
    } else {
      if (c == '[' || c == '{') {
        if (++depth > limit) return line;
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
      ++i;
    }
  }
  return 0;
}

}  // namespace policy::detail
