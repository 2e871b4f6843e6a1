// Private to tokens/: a QR symbol as a grid of modules, shared by the SVG and
// terminal renderers.
//
// Thread safety: plain value; encode_qr is reentrant (libqrencode is).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tokens::detail {

// The symbol for enrolment text. The modules encode a TOTP seed, so the grid
// is wiped when it goes away.
class QrMatrix {
 public:
  QrMatrix(int width, std::vector<uint8_t> dark) : width_(width), dark_(std::move(dark)) {}
  QrMatrix(QrMatrix&& other) noexcept = default;
  QrMatrix& operator=(QrMatrix&&) = delete;
  QrMatrix(const QrMatrix&) = delete;
  QrMatrix& operator=(const QrMatrix&) = delete;
  ~QrMatrix();

  // Modules per side, without the quiet zone.
  int width() const { return width_; }
  // Whether the module at column x, row y is dark; outside the symbol (the
  // quiet zone) everything is light.
  bool dark(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= width_) return false;
    return dark_[static_cast<size_t>(y) * width_ + x] != 0;
  }

 private:
  int width_;
  std::vector<uint8_t> dark_;
};

// The modules light-coloured space must surround on every side (ISO/IEC 18004).
constexpr int kQuietZone = 4;

// Encodes `text` as 8-bit data at error-correction level M, in the smallest
// version that holds it. Failure: bad_request if the text has a NUL byte or is
// too long for any QR version; internal if libqrencode fails otherwise.
common::Result<QrMatrix> encode_qr(std::string_view text);

}  // namespace tokens::detail
