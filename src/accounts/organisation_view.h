// An organisation record as the Service shows it.
//
// Thread safety: pure function.
#pragma once

#include "core/service.h"
#include "store/records.h"

namespace core::accounts {

inline Organisation organisation_view(const store::OrganisationRecord& r) {
  return Organisation{r.id, r.name, r.kind, r.parent, r.admin_rights};
}

}  // namespace core::accounts
