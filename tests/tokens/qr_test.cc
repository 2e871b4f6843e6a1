// QR codes: the SVG and the terminal drawing must both scan back to the exact
// enrolment URI (decoded by the real zbarimg), and agree module for module.
#include "tokens/qr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "test_support.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

using tokens_test::run_command;
using tokens_test::TempDir;

constexpr int kQuiet = 4;
using Grid = std::vector<std::vector<bool>>;  // [row][column], quiet zone included

std::string sample_uri() {
  auto random = common::openssl_random();
  return otpauth_uri("authd", "jo smith:admin", new_totp_secret(*random), TotpParams{});
}

void write_file(const std::filesystem::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  ASSERT_TRUE(out.good()) << path;
}

// Decodes an image file with zbarimg; returns the text of the one QR symbol.
std::string zbar_decode(const std::filesystem::path& image) {
  auto result = run_command("zbarimg --quiet --raw -Sdisable -Sqrcode.enable '" + image.string() +
                            "' 2>/dev/null");
  EXPECT_EQ(result.exit_code, 0) << "zbarimg found no QR code in " << image;
  if (!result.output.empty() && result.output.back() == '\n') result.output.pop_back();
  return result.output;
}

// Reads a non-negative integer at `pos`, advancing it; -1 if there is none.
int read_int(const std::string& text, size_t& pos) {
  const size_t begin = pos;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  return pos == begin ? -1 : std::stoi(text.substr(begin, pos - begin));
}

bool expect_char(const std::string& text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// The SVG's path turned back into modules: it must consist only of unit-high
// rectangles "Mx,yhNv1h-Nz" on integer module coordinates. (Parsed by hand:
// std::regex recurses per character and overflows the stack on long paths.)
Grid grid_from_svg(const std::string& svg) {
  const std::string view_box = "viewBox=\"0 0 ";
  size_t pos = svg.find(view_box);
  EXPECT_NE(pos, std::string::npos);
  if (pos == std::string::npos) return {};
  pos += view_box.size();
  const int side = read_int(svg, pos);
  EXPECT_TRUE(expect_char(svg, pos, ' '));
  EXPECT_EQ(read_int(svg, pos), side);
  EXPECT_GT(side, 0);
  if (side <= 0) return {};
  Grid grid(side, std::vector<bool>(side, false));

  const std::string d_attr = " d=\"";
  pos = svg.find(d_attr, svg.find("<path"));
  EXPECT_NE(pos, std::string::npos);
  if (pos == std::string::npos) return grid;
  pos += d_attr.size();
  while (pos < svg.size() && svg[pos] != '"') {
    bool ok = expect_char(svg, pos, 'M');
    const int x = read_int(svg, pos);
    ok = ok && expect_char(svg, pos, ',');
    const int y = read_int(svg, pos);
    ok = ok && expect_char(svg, pos, 'h');
    const int w = read_int(svg, pos);
    ok = ok && expect_char(svg, pos, 'v') && expect_char(svg, pos, '1') &&
         expect_char(svg, pos, 'h') && expect_char(svg, pos, '-');
    const int back = read_int(svg, pos);
    ok = ok && expect_char(svg, pos, 'z');
    if (!ok || x < 0 || y < 0 || w <= 0 || back != w || y >= side || x + w > side) {
      ADD_FAILURE() << "unexpected path data near: " << svg.substr(pos, 40);
      return grid;
    }
    for (int i = 0; i < w; ++i) grid[y][x + i] = true;
  }
  return grid;
}

// The terminal drawing turned back into modules (two rows per line).
Grid grid_from_terminal(const std::string& text) {
  Grid grid;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    EXPECT_NE(end, std::string::npos) << "last line lacks a newline";
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    std::vector<bool> upper, lower;
    for (size_t i = 0; i < line.size();) {
      if (line[i] == ' ') {
        upper.push_back(false);
        lower.push_back(false);
        i += 1;
        continue;
      }
      const std::string glyph = line.substr(i, 3);
      i += 3;
      if (glyph == "\u2588") {
        upper.push_back(true);
        lower.push_back(true);
      } else if (glyph == "\u2580") {
        upper.push_back(true);
        lower.push_back(false);
      } else if (glyph == "\u2584") {
        upper.push_back(false);
        lower.push_back(true);
      } else {
        ADD_FAILURE() << "unexpected character in terminal QR";
        return grid;
      }
    }
    grid.push_back(upper);
    grid.push_back(lower);
  }
  return grid;
}

// Black-on-white PBM, `scale` pixels per module, for zbarimg.
std::string pbm_from_grid(const Grid& grid, int scale) {
  const int side = static_cast<int>(grid.front().size());
  std::string out = "P1\n" + std::to_string(side * scale) + " " +
                    std::to_string(static_cast<int>(grid.size()) * scale) + "\n";
  for (const auto& row : grid) {
    std::string line;
    for (bool dark : row) line += std::string(scale, dark ? '1' : '0');
    for (int i = 0; i < scale; ++i) out += line + "\n";
  }
  return out;
}

bool quiet_zone_is_light(const Grid& grid, int symbol_width) {
  for (size_t y = 0; y < grid.size(); ++y) {
    for (size_t x = 0; x < grid[y].size(); ++x) {
      const bool inside =
          static_cast<int>(x) >= kQuiet && static_cast<int>(x) < kQuiet + symbol_width &&
          static_cast<int>(y) >= kQuiet && static_cast<int>(y) < kQuiet + symbol_width;
      if (!inside && grid[y][x]) return false;
    }
  }
  return true;
}

class Qr : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* tool : {"rsvg-convert", "zbarimg"}) {
      ASSERT_TRUE(tokens_test::have_program(tool))
          << tool << " is missing: run scripts/install-deps.sh";
    }
  }
  TempDir dir;
};

TEST_F(Qr, SvgScansBackToTheUri) {
  for (const std::string& text : {sample_uri(), std::string(600, 'x') + sample_uri()}) {
    auto svg = qr_svg(text);
    ASSERT_TRUE(svg.ok()) << svg.error().message;
    EXPECT_EQ(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
    write_file(dir.path() / "qr.svg", *svg);
    // An integral number of pixels per module, as a phone would see on screen.
    const Grid grid = grid_from_svg(*svg);
    const std::string width = std::to_string(grid.size() * 6);
    auto render = run_command("rsvg-convert -w " + width + " -h " + width + " -o '" +
                              (dir.path() / "qr.png").string() + "' '" +
                              (dir.path() / "qr.svg").string() + "'");
    ASSERT_EQ(render.exit_code, 0);
    EXPECT_EQ(zbar_decode(dir.path() / "qr.png"), text);
  }
}

TEST_F(Qr, SvgHasAQuietZoneAndAValidSymbolSize) {
  auto svg = qr_svg(sample_uri());
  ASSERT_TRUE(svg.ok());
  const Grid grid = grid_from_svg(*svg);
  const int symbol = static_cast<int>(grid.size()) - 2 * kQuiet;
  EXPECT_EQ((symbol - 17) % 4, 0) << "QR versions are 21, 25, ... modules wide";
  EXPECT_GE(symbol, 21);
  EXPECT_TRUE(quiet_zone_is_light(grid, symbol));
  // The finder pattern's top-left corner sits just inside the quiet zone.
  EXPECT_TRUE(grid[kQuiet][kQuiet]);
}

TEST_F(Qr, TerminalDrawingScansBackAndMatchesTheSvg) {
  const std::string text = sample_uri();
  auto terminal = qr_terminal(text);
  ASSERT_TRUE(terminal.ok()) << terminal.error().message;
  auto svg = qr_svg(text);
  ASSERT_TRUE(svg.ok());

  Grid from_terminal = grid_from_terminal(*terminal);
  const Grid from_svg = grid_from_svg(*svg);
  // An odd number of rows leaves the last line's lower half blank.
  ASSERT_EQ(from_terminal.size(), from_svg.size() + 1);
  EXPECT_FALSE(std::any_of(from_terminal.back().begin(), from_terminal.back().end(),
                           [](bool dark) { return dark; }));
  from_terminal.pop_back();
  EXPECT_EQ(from_terminal, from_svg);

  write_file(dir.path() / "terminal.pbm", pbm_from_grid(from_terminal, 6));
  EXPECT_EQ(zbar_decode(dir.path() / "terminal.pbm"), text);
}

TEST_F(Qr, RefusesTextNoQrCodeCanHold) {
  const std::string huge(8000, 'a');
  auto svg = qr_svg(huge);
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.error().code, common::Errc::bad_request);
  EXPECT_EQ(qr_terminal(huge).error().code, common::Errc::bad_request);

  const std::string with_nul("otpauth://totp/a\0b", 18);
  EXPECT_EQ(qr_svg(with_nul).error().code, common::Errc::bad_request);
}

}  // namespace
}  // namespace tokens
