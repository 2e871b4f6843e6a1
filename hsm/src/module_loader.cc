#include "module_loader.h"

#include <cstdlib>
#include <map>
#include <mutex>

#include "ckr_names.h"

namespace hsm::internal {
namespace {

using common::Errc;
using common::make_error;

struct Loaded {
  CK_FUNCTION_LIST* functions = nullptr;
  std::string softhsm2_conf;  // what SOFTHSM2_CONF was at C_Initialize
  int users = 0;
  bool finalize = true;  // false when someone else initialised it
};

struct Registry {
  std::mutex mutex;
  std::map<std::string, Loaded> by_path;
  std::map<std::string, std::string> path_of_name;  // p11-kit names resolved so far
};

Registry& registry() {
  static Registry* instance = new Registry();  // never destroyed: modules outlive statics
  return *instance;
}

// The library path p11-kit's configuration gives for `name`. Loading the
// registered modules only dlopens them (unmanaged: none is initialised).
common::Result<std::string> resolve_name(const std::string& name) {
  CK_FUNCTION_LIST** modules = p11_kit_modules_load(nullptr, P11_KIT_MODULE_UNMANAGED);
  if (modules == nullptr) {
    return make_error(Errc::unavailable,
                      "HSM: p11-kit could not load its registered modules: " +
                          std::string(p11_kit_message() ? p11_kit_message() : "unknown error"));
  }
  std::string path;
  if (CK_FUNCTION_LIST* found = p11_kit_module_for_name(modules, name.c_str())) {
    if (char* file = p11_kit_module_get_filename(found)) {
      path = file;
      free(file);
    }
  }
  p11_kit_modules_release(modules);
  if (path.empty()) {
    return make_error(Errc::not_found,
                      "HSM: no PKCS#11 module named \"" + name + "\" is registered with p11-kit");
  }
  return path;
}

std::string canonical_or_same(const std::string& path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : canonical.string();
}

}  // namespace

Module::~Module() {
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);
  auto it = reg.by_path.find(path_);
  if (it == reg.by_path.end() || --it->second.users > 0) return;
  if (it->second.finalize) it->second.functions->C_Finalize(nullptr);
  p11_kit_module_release(it->second.functions);
  reg.by_path.erase(it);
}

common::Result<std::shared_ptr<Module>> acquire_module(const std::string& module,
                                                       const std::filesystem::path& softhsm2_conf) {
  if (module.empty()) return make_error(Errc::bad_request, "HSM: no module configured", "module");
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);

  std::string path;
  if (module.find('/') != std::string::npos) {
    path = canonical_or_same(module);
  } else if (auto known = reg.path_of_name.find(module); known != reg.path_of_name.end()) {
    path = known->second;
  } else {
    auto resolved = resolve_name(module);
    if (!resolved) return resolved.error();
    path = canonical_or_same(*resolved);
    reg.path_of_name[module] = path;
  }
  const std::string conf = softhsm2_conf.empty() ? std::string() : canonical_or_same(softhsm2_conf);

  if (auto it = reg.by_path.find(path); it != reg.by_path.end()) {
    if (!conf.empty() && conf != it->second.softhsm2_conf) {
      return make_error(Errc::unavailable,
                        "HSM: module " + path + " is already in use in this process with " +
                            (it->second.softhsm2_conf.empty() ? std::string("another configuration")
                                                              : it->second.softhsm2_conf) +
                            "; SoftHSM reads one softhsm2.conf per process until every Hsm "
                            "using it is closed");
    }
    ++it->second.users;
    return std::make_shared<Module>(it->second.functions, path);
  }

  CK_FUNCTION_LIST* functions = p11_kit_module_load(path.c_str(), P11_KIT_MODULE_UNMANAGED);
  if (functions == nullptr) {
    return make_error(Errc::unavailable,
                      "HSM: cannot load PKCS#11 module " + path + ": " +
                          std::string(p11_kit_message() ? p11_kit_message() : "unknown error"));
  }
  if (!conf.empty()) setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  struct ck_c_initialize_args args = {};
  args.flags = CKF_OS_LOCKING_OK;
  const ck_rv_t rv = functions->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    p11_kit_module_release(functions);
    return ckr_error("C_Initialize of " + path, rv);
  }
  Loaded loaded;
  loaded.functions = functions;
  const char* env = std::getenv("SOFTHSM2_CONF");
  loaded.softhsm2_conf = conf.empty() ? (env ? canonical_or_same(env) : std::string()) : conf;
  loaded.users = 1;
  loaded.finalize = rv == CKR_OK;
  reg.by_path.emplace(path, loaded);
  return std::make_shared<Module>(functions, path);
}

}  // namespace hsm::internal
