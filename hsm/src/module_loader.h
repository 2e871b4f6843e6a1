// Loads and initialises PKCS#11 modules once per process, however many Hsm
// objects use them.
//
// A module is C_Initialize'd when the first user acquires it and C_Finalize'd
// when the last one lets go (if another library in the process had already
// initialised it, CKR_CRYPTOKI_ALREADY_INITIALIZED, it is used and left
// initialised). SoftHSM reads SOFTHSM2_CONF only inside C_Initialize, so while
// a module is initialised every user must want the same softhsm2.conf: asking
// for a different one fails with `unavailable` until the others are gone.
//
// Thread safety: acquire_module() and releasing a Module may be called from
// any thread; they are serialised by one process-wide lock. setenv() is not
// thread safe against concurrent getenv() elsewhere in the process; it is only
// called when a module is first initialised.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "pkcs11.h"

namespace hsm::internal {

class Module {
 public:
  Module(CK_FUNCTION_LIST* functions, std::string path)
      : functions_(functions), path_(std::move(path)) {}
  ~Module();  // drops this user's reference (finalises with the last one)
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  CK_FUNCTION_LIST* functions() const { return functions_; }
  const std::string& path() const { return path_; }

 private:
  CK_FUNCTION_LIST* functions_;
  std::string path_;
};

// `module`: an absolute .so path, or a p11-kit module name ("softhsm2").
// `softhsm2_conf`: exported as SOFTHSM2_CONF before the first C_Initialize;
// empty leaves the environment alone. Fails with not_found for an unknown
// module name or path, unavailable when loading or C_Initialize fails or the
// module is already initialised with another softhsm2.conf.
common::Result<std::shared_ptr<Module>> acquire_module(const std::string& module,
                                                       const std::filesystem::path& softhsm2_conf);

}  // namespace hsm::internal
