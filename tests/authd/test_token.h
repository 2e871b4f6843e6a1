// A real SoftHSM token for the daemon's tests, made the way `authd init`
// makes one: hsm::create_softhsm_token in a temporary directory, opened with
// hsm::open_pkcs11, holding an audit, an assertion and a wrapping key.
//
// SoftHSM reads its configuration once per process while the module is
// loaded, so only one test token may be open at a time: let go of every Hsm
// (and the Service holding it) before making the next.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/service.h"
#include "hsm/hsm.h"

namespace authd_test {

struct TestToken {
  hsm::ModuleConfig module;  // opens the token again (pin_file, softhsm2_conf)
  std::shared_ptr<hsm::Hsm> hsm;
  core::InitialKeys keys;
};

// A token labelled `label` under `dir` (created), with fresh keys. Throws
// std::runtime_error naming the step that failed.
TestToken make_test_token(const std::filesystem::path& dir,
                          const std::string& label = "authd-test");

}  // namespace authd_test
