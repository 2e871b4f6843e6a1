// utf8proc wrappers for passwords: validation, NFKC, NFKC with case folding,
// and code point counts. The transforms work in buffers they wipe, because
// utf8proc_map() would realloc() and free a copy of the password unwiped.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace core::password::detail {

enum class Utf8Problem { none, invalid, control, unassigned };

// The first reason `text` cannot be a password, or none.
Utf8Problem scan(std::string_view text);

// Precondition for the three below: scan(text) == Utf8Problem::none.
std::string nfkc(std::string_view text);
std::string nfkc_casefold(std::string_view text);
std::vector<int32_t> code_points(std::string_view text);  // caller wipes if secret

// Code points in UTF-8 text, counting lead bytes (correct for valid UTF-8).
size_t count_code_points(std::string_view text);

void wipe(std::vector<int32_t>& code_points);

}  // namespace core::password::detail
