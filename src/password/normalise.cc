// Passwords are compared after NFKC so that the same password typed on
// different keyboards or input methods (full-width forms, ligatures, composed
// or decomposed accents) is the same password (NIST SP 800-63B 5.1.1.2).
#include "password/password.h"
#include "password/unicode.h"

namespace core::password {

common::Result<std::string> normalise(std::string_view utf8, std::string_view field) {
  const std::string name(field);
  switch (detail::scan(utf8)) {
    case detail::Utf8Problem::none:
      return detail::nfkc(utf8);
    case detail::Utf8Problem::invalid:
      return common::make_error(common::Errc::bad_request, name + " is not valid UTF-8", name);
    case detail::Utf8Problem::control:
      return common::make_error(common::Errc::bad_request, name + " contains a control character",
                                name);
    case detail::Utf8Problem::unassigned:
      return common::make_error(common::Errc::bad_request,
                                name + " contains a character not assigned in Unicode", name);
  }
  return common::make_error(common::Errc::internal, "unreachable", name);
}

}  // namespace core::password
