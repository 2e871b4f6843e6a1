// Private to tokens/: the one place liboath is initialised.
//
// Thread safety: safe from any thread; initialisation runs once.
#pragma once

#include "common/result.h"

namespace tokens::detail {

// Initialises liboath on first call (std::call_once) and reports whether that
// succeeded. Failure is `internal`: the library is unusable, not the caller's
// input.
common::Result<void> ensure_oath_initialised();

}  // namespace tokens::detail
