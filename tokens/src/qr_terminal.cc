// The enrolment QR code as UTF-8 half blocks, for authctl in a terminal.
//
// Each character cell holds two module rows: the upper half of the glyph is
// the upper row. Dark modules are drawn as ink (the terminal's foreground) and
// light modules as blank cells, so on the usual dark-text-on-light-background
// terminal the code reads the right way round: dark on light, as ISO/IEC 18004
// specifies and every scanner expects. On a light-on-dark terminal the code
// comes out inverted; many phone cameras still read that, but the reliable
// fix is a light terminal theme (or the SVG). We deliberately emit no colour
// escapes: they get lost when output is piped, logged or pasted, and a code
// that only scans in one terminal is worse than a predictable one.
#include <string>

#include "qr_matrix.h"
#include "tokens/qr.h"

namespace tokens {
namespace {

const char* cell(bool upper_dark, bool lower_dark) {
  if (upper_dark && lower_dark) return "\u2588";  // █ full block
  if (upper_dark) return "\u2580";                // ▀ upper half block
  if (lower_dark) return "\u2584";                // ▄ lower half block
  return " ";
}

}  // namespace

common::Result<std::string> qr_terminal(std::string_view text) {
  auto matrix = detail::encode_qr(text);
  if (!matrix) return matrix.error();
  const int first = -detail::kQuietZone;
  const int last = matrix->width() + detail::kQuietZone;  // one past the end
  std::string out;
  for (int y = first; y < last; y += 2) {
    for (int x = first; x < last; ++x) {
      out += cell(matrix->dark(x, y), matrix->dark(x, y + 1));
    }
    out += '\n';
  }
  return out;
}

}  // namespace tokens
