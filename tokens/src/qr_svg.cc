// The enrolment QR code as a standalone SVG, for the admin API and browsers.
#include <string>

#include "qr_matrix.h"
#include "tokens/qr.h"

namespace tokens {

common::Result<std::string> qr_svg(std::string_view text) {
  auto matrix = detail::encode_qr(text);
  if (!matrix) return matrix.error();
  const int width = matrix->width();
  const int side = width + 2 * detail::kQuietZone;
  const std::string side_text = std::to_string(side);
  // One unit per module: the viewBox scales the symbol to any display size,
  // and crispEdges stops anti-aliasing from greying module borders, which
  // costs scanners contrast. Six pixels a module is a comfortable default size.
  const std::string pixels = std::to_string(side * 6);

  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 ";
  svg += side_text + " " + side_text + "\" width=\"" + pixels + "\" height=\"" + pixels +
         "\" shape-rendering=\"crispEdges\">";
  // The white background is the quiet zone: without it the code would sit on
  // whatever colour the page has.
  svg += "<rect x=\"0\" y=\"0\" width=\"" + side_text + "\" height=\"" + side_text +
         "\" fill=\"#ffffff\"/>";
  svg += "<path fill=\"#000000\" d=\"";
  // Each horizontal run of dark modules becomes one rectangle, which keeps the
  // path a few kilobytes even for large versions.
  for (int y = 0; y < width; ++y) {
    int x = 0;
    while (x < width) {
      if (!matrix->dark(x, y)) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < width && matrix->dark(x, y)) ++x;
      svg += "M" + std::to_string(start + detail::kQuietZone) + "," +
             std::to_string(y + detail::kQuietZone) + "h" + std::to_string(x - start) + "v1h-" +
             std::to_string(x - start) + "z";
    }
  }
  svg += "\"/></svg>\n";
  return svg;
}

}  // namespace tokens
