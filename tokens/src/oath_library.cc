#include "oath_library.h"

#include <liboath/oath.h>

#include <mutex>

namespace tokens::detail {

common::Result<void> ensure_oath_initialised() {
  static std::once_flag once;
  static int rc = OATH_OK;
  // liboath's init is not documented as thread-safe, and calling it again
  // would bump an internal reference count we never release, so run it once.
  std::call_once(once, [] { rc = oath_init(); });
  if (rc != OATH_OK) {
    return common::make_error(common::Errc::internal, "liboath initialisation failed");
  }
  return {};
}

}  // namespace tokens::detail
