// Showing server-supplied text on a terminal.
//
// Names, display names and audit details come from other users, so control
// characters are replaced before printing: an escape sequence in a display
// name must not be able to rewrite the administrator's screen.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace provisioning {

// `text` with C0/C1 control characters and DEL replaced by '?'. Valid UTF-8
// otherwise passes through unchanged.
std::string printable(std::string_view text);

// Left-aligned columns separated by two spaces, with a header row. Cells are
// made printable. Widths count code points, not bytes.
std::string format_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows);

// "name:  value" lines with the values aligned.
std::string format_fields(const std::vector<std::pair<std::string, std::string>>& fields);

// Percent-encodes everything but RFC 3986 unreserved characters, for one
// path segment or query value.
std::string url_escape(std::string_view text);

}  // namespace provisioning
