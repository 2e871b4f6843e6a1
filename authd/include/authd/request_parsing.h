// Small parsers for the untrusted parts of a request: the bearer token, the
// content type, percent-encoded path segments and query strings.
//
// None of them allocate more than their output, throw, or echo input into an
// error message (a query value could be a secret pasted by mistake).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace authd {

// The token from "Authorization: Bearer <token>" (RFC 6750 section 2.1: the
// scheme is case-insensitive, one or more spaces, then a b64token of at most
// 1024 characters). nullopt when absent or malformed.
std::optional<std::string_view> parse_bearer(std::string_view authorization) noexcept;

// True for "application/json", in any letter case, optionally with the one
// parameter "charset=utf-8" (quoted or not). Anything else, including other
// charsets, is false.
bool is_json_content_type(std::string_view content_type) noexcept;

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text) noexcept;

// Decodes %XX escapes (and '+' as space when `plus_as_space`). nullopt on a
// malformed escape, on a decoded NUL, or when the result is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

struct QueryParam {
  std::string name;
  std::string value;
};

// Splits "a=1&b=2" into decoded pairs, in order. A parameter without '=' has
// an empty value; empty pieces ("a=1&&b=2") are skipped. A name that cannot
// be decoded is bad_request with field "query"; a value that cannot be decoded
// names its parameter; a repeated name is bad_request naming it.
common::Result<std::vector<QueryParam>> parse_query(std::string_view query);

// A decimal integer in [min, max] with nothing else around it (no sign, no
// spaces, no leading '+'), or nullopt.
std::optional<int64_t> parse_bounded(std::string_view text, int64_t min, int64_t max) noexcept;

}  // namespace authd
