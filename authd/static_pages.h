// The web pages (login, password change, security keys, the signed-in page),
// served from the bytes compiled into the binary (web_assets.h).
//
// Thread safety: pure functions over constant data.
#pragma once

#include <string_view>

#include "authd/http_message.h"

namespace authd {

// The answer to GET /ui/{name}, `name` already percent-decoded. A known file
// gets 200 with its Content-Type (HTML, CSS, JavaScript or SVG, UTF-8) and
// kPageContentSecurityPolicy. Any other name, including one with a '/', "..",
// or a file of a type not listed, gets the API's 404 not_found JSON: the
// lookup is by exact name in a fixed table, never a file system path.
HttpResponse static_page(std::string_view name);

// The page "/" sends browsers to, as a path: "/ui/login.html".
inline constexpr std::string_view kStartPage = "/ui/login.html";

}  // namespace authd
