// A fresh SoftHSM2 token in its own directory, for `authd init` and tests.
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "ckr_names.h"
#include "hsm/hsm.h"
#include "module_loader.h"
#include "pin_file.h"
#include "pkcs11_uri.h"
#include "token_slot.h"

namespace hsm {
namespace {

namespace fs = std::filesystem;
using common::Errc;
using common::make_error;
using internal::ckr_error;

constexpr size_t kPinBytes = 16;  // 32 hex characters

// Removes what create_softhsm_token made unless dismissed.
class Cleanup {
 public:
  explicit Cleanup(fs::path dir, bool dir_is_new) : dir_(std::move(dir)), dir_is_new_(dir_is_new) {}
  ~Cleanup() {
    if (dismissed_) return;
    std::error_code ec;
    if (dir_is_new_) {
      fs::remove_all(dir_, ec);
      return;
    }
    for (const char* name : {"softhsm2.conf", "so.pin", "user.pin", "tokens"}) {
      fs::remove_all(dir_ / name, ec);
    }
  }
  void dismiss() { dismissed_ = true; }

 private:
  fs::path dir_;
  bool dir_is_new_;
  bool dismissed_ = false;
};

Result<std::string> random_pin() {
  std::vector<uint8_t> bytes(kPinBytes);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return make_error(Errc::unavailable, "HSM: RAND_bytes failed making a PIN");
  }
  std::string pin = common::to_hex(bytes);
  common::wipe(bytes);
  return pin;
}

Result<void> make_private_dir(const fs::path& path) {
  if (mkdir(path.c_str(), 0700) != 0) {
    return make_error(errno == EEXIST ? Errc::conflict : Errc::unavailable,
                      "HSM: cannot create " + path.string() + ": " + std::strerror(errno));
  }
  if (chmod(path.c_str(), 0700) != 0) {
    return make_error(Errc::unavailable, "HSM: cannot set mode 0700 on " + path.string());
  }
  return {};
}

Result<void> write_config(const fs::path& conf, const fs::path& tokendir) {
  const std::string text =
      "# SoftHSM v2 configuration for one authd token (hsm::create_softhsm_token).\n"
      "directories.tokendir = " +
      tokendir.string() +
      "\n"
      "objectstore.backend = file\n"
      "log.level = ERROR\n"
      "slots.removable = false\n";
  // Not secret, but nothing else needs to read it either.
  auto written = internal::write_private_file(conf, text);
  if (!written) {
    return make_error(written.error().code, "HSM: cannot write " + conf.string());
  }
  return {};
}

// C_InitToken on a free slot with the SO PIN, then C_InitPIN as the SO.
Result<void> initialise_token(CK_FUNCTION_LIST* f, const std::string& label, std::string& so_pin,
                              std::string& user_pin) {
  auto slot = internal::find_free_slot(f);
  if (!slot) return slot.error();
  unsigned char padded[32];
  std::memset(padded, ' ', sizeof padded);
  std::memcpy(padded, label.data(), label.size());
  ck_rv_t rv =
      f->C_InitToken(*slot, reinterpret_cast<unsigned char*>(so_pin.data()), so_pin.size(), padded);
  if (rv != CKR_OK) return ckr_error("create_softhsm_token: C_InitToken", rv);

  // The slot id changes once the token is initialised: find it again by label.
  auto token_uri = internal::format_token_uri(label);
  if (!token_uri) return token_uri.error();
  auto uri = internal::Pkcs11Uri::parse(*token_uri);
  if (!uri) return uri.error();
  auto token = internal::find_token(f, *uri, *token_uri);
  if (!token) return token.error();

  ck_session_handle_t session = 0;
  rv = f->C_OpenSession(token->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                        &session);
  if (rv != CKR_OK) return ckr_error("create_softhsm_token: C_OpenSession", rv);
  rv = f->C_Login(session, CKU_SO, reinterpret_cast<unsigned char*>(so_pin.data()), so_pin.size());
  if (rv == CKR_OK) {
    rv = f->C_InitPIN(session, reinterpret_cast<unsigned char*>(user_pin.data()), user_pin.size());
    f->C_Logout(session);
    if (rv != CKR_OK) {
      f->C_CloseSession(session);
      return ckr_error("create_softhsm_token: C_InitPIN", rv);
    }
  }
  f->C_CloseSession(session);
  if (rv != CKR_OK) return ckr_error("create_softhsm_token: C_Login (SO)", rv);
  return {};
}

}  // namespace

Result<ModuleConfig> create_softhsm_token(const fs::path& dir, const std::string& label) {
  if (label.empty() || label.size() > 32) {
    return make_error(Errc::bad_request, "HSM: a token label has 1 to 32 bytes", "label");
  }
  std::error_code ec;
  const fs::path root = fs::absolute(dir, ec).lexically_normal();
  if (ec) return make_error(Errc::bad_request, "HSM: bad token directory " + dir.string(), "dir");

  bool dir_is_new = false;
  if (fs::exists(root, ec)) {
    if (!fs::is_directory(root, ec) || !fs::is_empty(root, ec)) {
      return make_error(Errc::conflict,
                        "HSM: " + root.string() + " exists and is not an empty directory", "dir");
    }
    if (chmod(root.c_str(), 0700) != 0) {
      return make_error(Errc::unavailable, "HSM: cannot set mode 0700 on " + root.string());
    }
  } else {
    if (root.has_parent_path()) fs::create_directories(root.parent_path(), ec);
    auto made = make_private_dir(root);
    if (!made) return made.error();
    dir_is_new = true;
  }
  Cleanup cleanup(root, dir_is_new);

  ModuleConfig config;
  config.module = "softhsm2";
  config.softhsm2_conf = root / "softhsm2.conf";
  config.pin_file = root / "user.pin";
  auto token_uri = internal::format_token_uri(label);
  if (!token_uri) return token_uri.error();
  config.token_uri = *token_uri;

  auto made = make_private_dir(root / "tokens");
  if (!made) return made.error();
  auto written = write_config(config.softhsm2_conf, root / "tokens");
  if (!written) return written.error();

  auto so_pin = random_pin();
  if (!so_pin) return so_pin.error();
  auto user_pin = random_pin();
  if (!user_pin) return user_pin.error();
  Result<void> done = internal::write_private_file(root / "so.pin", *so_pin);
  if (done) done = internal::write_private_file(config.pin_file, *user_pin);
  if (done) {
    // The module reference is dropped (and SoftHSM finalised if no one else
    // uses it) before the token files could be cleaned up.
    auto module = internal::acquire_module(config.module, config.softhsm2_conf);
    if (!module) {
      done = module.error();
    } else {
      done = initialise_token((*module)->functions(), label, *so_pin, *user_pin);
    }
  }
  common::wipe(*so_pin);
  common::wipe(*user_pin);
  if (!done) return done.error();
  cleanup.dismiss();
  return config;
}

}  // namespace hsm
