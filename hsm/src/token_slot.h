// Finding a token by PKCS#11 URI (never by slot number: SoftHSM renumbers
// slots when a token is initialised), and a free slot for a new token.
//
// Thread safety: as the module's functions (CKF_OS_LOCKING_OK).
#pragma once

#include <string>

#include "common/result.h"
#include "pkcs11.h"
#include "pkcs11_uri.h"

namespace hsm::internal {

struct TokenSlot {
  ck_slot_id_t slot = 0;
  CK_TOKEN_INFO info = {};
};

// The one initialised token matching `uri` (token, slot and library
// attributes). not_found naming `uri_text` when none matches; bad_request when
// several do (the URI must say which).
common::Result<TokenSlot> find_token(CK_FUNCTION_LIST* f, const Pkcs11Uri& uri,
                                     const std::string& uri_text);

// A slot holding an uninitialised token; unavailable when there is none.
common::Result<ck_slot_id_t> find_free_slot(CK_FUNCTION_LIST* f);

}  // namespace hsm::internal
