#include "qr_matrix.h"

#include <qrencode.h>

#include <cerrno>
#include <string>

#include "common/secret.h"

namespace tokens::detail {

QrMatrix::~QrMatrix() { common::wipe(dark_); }

common::Result<QrMatrix> encode_qr(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return common::make_error(common::Errc::bad_request, "QR text contains a NUL byte", "text");
  }
  // libqrencode wants a C string; the copy holds the seed too.
  std::string copy(text);
  errno = 0;
  // Version 0 lets the library choose the smallest symbol; 8-bit mode keeps
  // the URI byte for byte (its lower-case letters rule out alphanumeric mode).
  QRcode* code = QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  const int error = errno;
  common::wipe(copy);
  if (code == nullptr) {
    if (error == ERANGE) {
      return common::make_error(common::Errc::bad_request, "text too long for a QR code", "text");
    }
    return common::make_error(common::Errc::internal, "QR encoding failed");
  }
  const size_t cells = static_cast<size_t>(code->width) * static_cast<size_t>(code->width);
  std::vector<uint8_t> dark(cells);
  // Bit 0 of each byte is the module colour; the other bits describe the
  // module's role, which a renderer does not need.
  for (size_t i = 0; i < cells; ++i) dark[i] = code->data[i] & 1;
  common::wipe(std::span<uint8_t>(code->data, cells));
  const int width = code->width;
  QRcode_free(code);
  return QrMatrix(width, std::move(dark));
}

}  // namespace tokens::detail
