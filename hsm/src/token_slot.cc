#include "token_slot.h"

#include <vector>

#include "ckr_names.h"

namespace hsm::internal {
namespace {

using common::Errc;
using common::make_error;

common::Result<std::vector<ck_slot_id_t>> slots_with_tokens(CK_FUNCTION_LIST* f) {
  for (;;) {
    unsigned long count = 0;
    ck_rv_t rv = f->C_GetSlotList(1, nullptr, &count);
    if (rv != CKR_OK) return ckr_error("C_GetSlotList", rv);
    std::vector<ck_slot_id_t> slots(count);
    rv = f->C_GetSlotList(1, slots.data(), &count);
    if (rv == CKR_BUFFER_TOO_SMALL) continue;  // a token appeared in between
    if (rv != CKR_OK) return ckr_error("C_GetSlotList", rv);
    slots.resize(count);
    return slots;
  }
}

}  // namespace

common::Result<TokenSlot> find_token(CK_FUNCTION_LIST* f, const Pkcs11Uri& uri,
                                     const std::string& uri_text) {
  CK_INFO module_info = {};
  ck_rv_t rv = f->C_GetInfo(&module_info);
  if (rv != CKR_OK) return ckr_error("C_GetInfo", rv);
  if (!uri.matches_module(module_info)) {
    return make_error(Errc::not_found, "HSM: no token matches " + uri_text + " (library differs)");
  }
  auto slots = slots_with_tokens(f);
  if (!slots) return slots.error();

  std::vector<TokenSlot> matches;
  for (ck_slot_id_t slot : *slots) {
    TokenSlot candidate;
    candidate.slot = slot;
    if (f->C_GetTokenInfo(slot, &candidate.info) != CKR_OK) continue;  // removed meanwhile
    if ((candidate.info.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
    CK_SLOT_INFO slot_info = {};
    if (f->C_GetSlotInfo(slot, &slot_info) != CKR_OK) continue;
    if (uri.matches_token(candidate.info) && uri.matches_slot(slot_info)) {
      matches.push_back(candidate);
    }
  }
  if (matches.empty()) return make_error(Errc::not_found, "HSM: no token matches " + uri_text);
  if (matches.size() > 1) {
    return make_error(Errc::bad_request,
                      "HSM: " + std::to_string(matches.size()) + " tokens match " + uri_text +
                          "; name one (token=, serial=)",
                      "token");
  }
  return matches.front();
}

common::Result<ck_slot_id_t> find_free_slot(CK_FUNCTION_LIST* f) {
  auto slots = slots_with_tokens(f);
  if (!slots) return slots.error();
  for (ck_slot_id_t slot : *slots) {
    CK_TOKEN_INFO info = {};
    if (f->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) return slot;
  }
  return make_error(Errc::unavailable, "HSM: the module offers no slot with a free token");
}

}  // namespace hsm::internal
