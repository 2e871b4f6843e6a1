// QR codes for TOTP enrolment, through libqrencode.
//
// Thread safety: free functions; libqrencode is reentrant.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace tokens {

// Both encode `text` byte for byte (8-bit mode, error correction level M, the
// smallest version that fits). Failure: bad_request (field "text") if the text
// contains a NUL byte or is too long for any QR version; internal if
// libqrencode fails otherwise. The output encodes whatever secret `text` holds.

// A standalone SVG image (black modules on white, 4-module quiet zone): a
// viewBox of one unit per module, shape-rendering="crispEdges", one <path>.
common::Result<std::string> qr_svg(std::string_view text);

// The same code drawn with UTF-8 half blocks, two module rows per text line,
// for a terminal (authctl), with the 4-module quiet zone as spaces; every line
// ends in '\n'. Dark modules are drawn as glyphs in the terminal's foreground
// colour and light ones as spaces, so the code scans on a dark-on-light
// terminal; on a light-on-dark one it shows inverted (see qr_terminal.cc).
common::Result<std::string> qr_terminal(std::string_view text);

}  // namespace tokens
