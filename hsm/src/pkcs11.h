// The one place p11-kit's PKCS#11 headers are included, always with the GNU
// names (CRYPTOKI_GNU is set for the target as well): the compatibility names
// are macros (`value`, `count`, `params`) that clash with ordinary C++.
#pragma once

#ifndef CRYPTOKI_GNU
#define CRYPTOKI_GNU 1
#endif

#include <p11-kit/p11-kit.h>
#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>
