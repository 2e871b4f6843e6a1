// The Hsm over a PKCS#11 token: key lookup by URI, ECDSA signing, AES-GCM
// sealing, key generation and inspection, each on a pooled session.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <map>
#include <mutex>

#include "ckr_names.h"
#include "ec_public_key.h"
#include "hsm/hsm.h"
#include "key_generation.h"
#include "module_loader.h"
#include "pin_file.h"
#include "pkcs11_uri.h"
#include "session_pool.h"
#include "token_slot.h"

namespace hsm {
namespace {

using common::Errc;
using common::make_error;
using internal::ckr_error;
using internal::SessionPool;

constexpr size_t kIvBytes = 12;
constexpr size_t kTagBytes = 16;

// AES-GCM parameters for one call. `empty` stands in for an empty AAD: some
// modules reject a null pointer even for length 0.
struct ck_gcm_params gcm_params(uint8_t* iv, std::span<const uint8_t> aad, uint8_t* empty) {
  struct ck_gcm_params params = {};
  params.iv_ptr = iv;
  params.iv_len = kIvBytes;
  params.iv_bits = kIvBytes * 8;
  params.aad_ptr = aad.empty() ? empty : const_cast<uint8_t*>(aad.data());
  params.aad_len = aad.size();
  params.tag_bits = kTagBytes * 8;
  return params;
}
constexpr size_t kIdBytes = 16;
constexpr size_t kMaxRandom = 1 << 16;
constexpr size_t kMaxCachedKeys = 1024;
constexpr unsigned kMaxSessions = 256;

const char* class_name(ck_object_class_t object_class) {
  switch (object_class) {
    case CKO_PRIVATE_KEY:
      return "private key";
    case CKO_PUBLIC_KEY:
      return "public key";
    case CKO_SECRET_KEY:
      return "secret key";
    default:
      return "object";
  }
}

bool stale_handle(ck_rv_t rv) {
  return rv == CKR_KEY_HANDLE_INVALID || rv == CKR_OBJECT_HANDLE_INVALID;
}

// What an operation on a found key reports back: the call that failed, if any.
struct Outcome {
  ck_rv_t rv = CKR_OK;
  const char* call = "";
};

Result<void> login(CK_FUNCTION_LIST* f, ck_session_handle_t session,
                   const std::filesystem::path& pin_file) {
  auto pin = internal::read_pin_file(pin_file);
  if (!pin) return pin.error();
  // The SecretBytes wipes the PIN when it goes out of scope, right after use.
  const ck_rv_t rv =
      f->C_Login(session, CKU_USER, const_cast<uint8_t*>(pin->view().data()), pin->size());
  // Another Hsm in this process already logged the application in.
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) return {};
  return ckr_error("login: C_Login", rv);
}

class Pkcs11Hsm final : public Hsm {
 public:
  Pkcs11Hsm(std::shared_ptr<internal::Module> module, internal::TokenSlot token,
            std::filesystem::path pin_file, unsigned sessions)
      : module_(std::move(module)),
        f_(module_->functions()),
        token_(token),
        pin_file_(std::move(pin_file)),
        pool_(f_, token_.slot, sessions,
              [this](ck_session_handle_t session) { return login(f_, session, pin_file_); }) {}

  Result<void> start() { return pool_.start(); }

  Result<std::vector<uint8_t>> sign_es256(const std::string& key_uri,
                                          std::span<const uint8_t> message) override {
    uint8_t digest[32];
    unsigned int digest_length = 0;
    if (EVP_Digest(message.data(), message.size(), digest, &digest_length, EVP_sha256(), nullptr) !=
        1) {
      return make_error(Errc::internal, "HSM sign_es256: SHA-256 failed");
    }
    std::vector<uint8_t> signature(64);
    auto done =
        with_key("sign_es256", key_uri, CKO_PRIVATE_KEY,
                 [&](ck_session_handle_t session, ck_object_handle_t key) -> Outcome {
                   struct ck_mechanism mechanism = {CKM_ECDSA, nullptr, 0};
                   ck_rv_t rv = f_->C_SignInit(session, &mechanism, key);
                   if (rv != CKR_OK) return {rv, "C_SignInit"};
                   unsigned long length = signature.size();
                   rv = f_->C_Sign(session, digest, sizeof digest, signature.data(), &length);
                   if (rv != CKR_OK) return {rv, "C_Sign"};
                   signature.resize(length);
                   return {};
                 });
    if (!done) return done.error();
    if (signature.size() != 64) {
      return make_error(Errc::bad_request, "HSM sign_es256: " + key_uri +
                                               " is not a P-256 key (signature of " +
                                               std::to_string(signature.size()) + " bytes)");
    }
    return signature;
  }

  Result<std::vector<uint8_t>> sign_ed25519(const std::string& key_uri,
                                            std::span<const uint8_t> message) override {
    std::vector<uint8_t> signature(64);
    uint8_t empty = 0;
    auto done = with_key(
        "sign_ed25519", key_uri, CKO_PRIVATE_KEY,
        [&](ck_session_handle_t session, ck_object_handle_t key) -> Outcome {
          struct ck_mechanism mechanism = {CKM_EDDSA, nullptr, 0};
          ck_rv_t rv = f_->C_SignInit(session, &mechanism, key);
          if (rv != CKR_OK) return {rv, "C_SignInit"};
          unsigned long length = signature.size();
          rv = f_->C_Sign(session, message.empty() ? &empty : const_cast<uint8_t*>(message.data()),
                          message.size(), signature.data(), &length);
          if (rv != CKR_OK) return {rv, "C_Sign"};
          signature.resize(length);
          return {};
        });
    if (!done) return done.error();
    if (signature.size() != 64) {
      return make_error(Errc::bad_request, "HSM sign_ed25519: " + key_uri +
                                               " is not an Ed25519 key (signature of " +
                                               std::to_string(signature.size()) + " bytes)");
    }
    return signature;
  }

  Result<std::vector<uint8_t>> seal(const std::string& key_uri, std::span<const uint8_t> plaintext,
                                    std::span<const uint8_t> aad) override {
    std::vector<uint8_t> out(kIvBytes + plaintext.size() + kTagBytes);
    if (RAND_bytes(out.data(), kIvBytes) != 1) {
      return make_error(Errc::unavailable, "HSM seal: no random IV (RAND_bytes failed)");
    }
    uint8_t empty = 0;  // some modules reject a null pointer even for length 0
    auto done =
        with_key("seal", key_uri, CKO_SECRET_KEY,
                 [&](ck_session_handle_t session, ck_object_handle_t key) -> Outcome {
                   struct ck_gcm_params params = gcm_params(out.data(), aad, &empty);
                   struct ck_mechanism mechanism = {CKM_AES_GCM, &params, sizeof params};
                   ck_rv_t rv = f_->C_EncryptInit(session, &mechanism, key);
                   if (rv != CKR_OK) return {rv, "C_EncryptInit"};
                   unsigned long length = plaintext.size() + kTagBytes;
                   rv = f_->C_Encrypt(
                       session, plaintext.empty() ? &empty : const_cast<uint8_t*>(plaintext.data()),
                       plaintext.size(), out.data() + kIvBytes, &length);
                   if (rv != CKR_OK) return {rv, "C_Encrypt"};
                   if (length != plaintext.size() + kTagBytes)
                     return {CKR_GENERAL_ERROR, "C_Encrypt"};
                   return {};
                 });
    if (!done) return done.error();
    return out;
  }

  Result<common::SecretBytes> open(const std::string& key_uri, std::span<const uint8_t> sealed,
                                   std::span<const uint8_t> aad) override {
    if (sealed.size() < kIvBytes + kTagBytes) {
      return make_error(Errc::bad_request, "HSM open: sealed data does not decrypt (too short)",
                        "sealed");
    }
    const std::span<const uint8_t> iv = sealed.first(kIvBytes);
    const std::span<const uint8_t> body = sealed.subspan(kIvBytes);
    // The module wants room for ciphertext + tag before it checks the tag.
    std::vector<uint8_t> plain(body.size());
    unsigned long length = plain.size();
    uint8_t empty = 0;
    bool rejected = false;
    auto done = with_key("open", key_uri, CKO_SECRET_KEY,
                         [&](ck_session_handle_t session, ck_object_handle_t key) -> Outcome {
                           struct ck_gcm_params params =
                               gcm_params(const_cast<uint8_t*>(iv.data()), aad, &empty);
                           struct ck_mechanism mechanism = {CKM_AES_GCM, &params, sizeof params};
                           ck_rv_t rv = f_->C_DecryptInit(session, &mechanism, key);
                           if (rv != CKR_OK) return {rv, "C_DecryptInit"};
                           length = plain.size();
                           rv = f_->C_Decrypt(session, const_cast<uint8_t*>(body.data()),
                                              body.size(), plain.data(), &length);
                           if (rv == CKR_OK) return {};
                           rejected = rejects_ciphertext(session, rv);
                           return rejected ? Outcome{} : Outcome{rv, "C_Decrypt"};
                         });
    if (!done) {
      common::wipe(plain);
      return done.error();
    }
    if (rejected) {
      common::wipe(plain);
      return make_error(
          Errc::bad_request,
          "HSM open: sealed data does not decrypt under " + key_uri + " with this associated data",
          "sealed");
    }
    if (length > plain.size()) {
      common::wipe(plain);
      return make_error(Errc::internal, "HSM open: C_Decrypt overran its buffer");
    }
    common::wipe(std::span<uint8_t>(plain).subspan(length));
    plain.resize(length);
    return common::SecretBytes(std::move(plain));
  }

  Result<std::vector<uint8_t>> random_bytes(size_t count) override {
    if (count > kMaxRandom) {
      return make_error(Errc::bad_request, "HSM random_bytes: at most 65536 bytes per call",
                        "count");
    }
    std::vector<uint8_t> out(count);
    if (count == 0) return out;
    auto lease = pool_.borrow();
    if (!lease) return lease.error();
    const ck_rv_t rv = f_->C_GenerateRandom(lease->get(), out.data(), out.size());
    if (rv != CKR_OK) {
      lease->note(rv);
      return ckr_error("random_bytes: C_GenerateRandom", rv);
    }
    return out;
  }

  Result<std::vector<uint8_t>> public_key_der(const std::string& key_uri) override {
    std::vector<uint8_t> params;
    std::vector<uint8_t> point;
    auto done = with_key(
        "public_key_der", key_uri, CKO_PUBLIC_KEY,
        [&](ck_session_handle_t session, ck_object_handle_t key) -> Outcome {
          CK_ATTRIBUTE attributes[] = {{CKA_EC_PARAMS, nullptr, 0}, {CKA_EC_POINT, nullptr, 0}};
          ck_rv_t rv = f_->C_GetAttributeValue(session, key, attributes, 2);
          if (rv != CKR_OK) return {rv, "C_GetAttributeValue"};
          params.resize(attributes[0].value_len);
          point.resize(attributes[1].value_len);
          attributes[0].value = params.data();
          attributes[1].value = point.data();
          rv = f_->C_GetAttributeValue(session, key, attributes, 2);
          if (rv != CKR_OK) return {rv, "C_GetAttributeValue"};
          params.resize(attributes[0].value_len);
          point.resize(attributes[1].value_len);
          return {};
        });
    if (!done) return done.error();
    auto spki = internal::spki_from_ec_point(params, point);
    if (!spki) {
      return make_error(spki.error().code,
                        "HSM public_key_der: " + key_uri + ": " + spki.error().message.substr(5));
    }
    return spki;
  }

  Result<std::string> generate(KeyType type, const std::string& label) override {
    if (label.empty() || label.size() > 128) {
      return make_error(Errc::bad_request, "HSM generate: a key label has 1 to 128 bytes", "label");
    }
    // One generation at a time, so two callers cannot both find a label free.
    std::lock_guard serial(generate_mutex_);
    auto lease = pool_.borrow();
    if (!lease) return lease.error();
    CK_ATTRIBUTE by_label[] = {{CKA_LABEL, const_cast<char*>(label.data()), label.size()}};
    auto existing = find_objects(lease->get(), by_label, 1);
    if (!existing) {
      lease->note(CKR_SESSION_HANDLE_INVALID);
      return make_error(existing.error().code, "HSM generate: " + existing.error().message);
    }
    if (*existing > 0) {
      return make_error(
          Errc::conflict,
          "HSM generate: a key labelled \"" + label + "\" already exists in the token", "label");
    }
    std::vector<uint8_t> id(kIdBytes);
    if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) {
      return make_error(Errc::unavailable, "HSM generate: RAND_bytes failed");
    }
    const ck_rv_t rv =
        type == KeyType::ec_p256   ? internal::generate_ec_p256(f_, lease->get(), label, id)
        : type == KeyType::ed25519 ? internal::generate_ed25519(f_, lease->get(), label, id)
                                   : internal::generate_aes256(f_, lease->get(), label, id);
    if (rv != CKR_OK) {
      lease->note(rv);
      return ckr_error(
          type == KeyType::aes256 ? "generate: C_GenerateKey" : "generate: C_GenerateKeyPair", rv);
    }
    return internal::format_key_uri(token_.info, label, id);
  }

  Result<KeyAttributes> inspect(const std::string& key_uri) override {
    auto uri = internal::Pkcs11Uri::parse(key_uri);
    if (!uri) return uri.error();
    // The half that matters: a pair's private key, or a secret key.
    std::vector<ck_object_class_t> classes = {CKO_PRIVATE_KEY, CKO_SECRET_KEY};
    if (auto named = uri->object_class()) classes = {*named};
    Result<void> done = make_error(Errc::not_found, "");
    KeyAttributes out;
    for (ck_object_class_t object_class : classes) {
      done = with_key(
          "inspect", key_uri, object_class,
          [&](ck_session_handle_t session, ck_object_handle_t key) -> Outcome {
            ck_key_type_t key_type = 0;
            unsigned char sensitive = 0;
            unsigned char extractable = 1;
            CK_ATTRIBUTE attributes[] = {{CKA_KEY_TYPE, &key_type, sizeof key_type},
                                         {CKA_SENSITIVE, &sensitive, 1},
                                         {CKA_EXTRACTABLE, &extractable, 1}};
            ck_rv_t rv = f_->C_GetAttributeValue(session, key, attributes, 3);
            if (rv != CKR_OK) return {rv, "C_GetAttributeValue"};
            out.type = key_type == CKK_AES          ? KeyType::aes256
                       : key_type == CKK_EC_EDWARDS ? KeyType::ed25519
                                                    : KeyType::ec_p256;
            out.sensitive = sensitive != 0;
            out.extractable = extractable != 0;
            // Asking for the length alone is enough: a sensitive
            // value is refused before any byte is copied.
            CK_ATTRIBUTE value = {CKA_VALUE, nullptr, 0};
            rv = f_->C_GetAttributeValue(session, key, &value, 1);
            out.value_readable = rv == CKR_OK && value.value_len != ~0UL;
            if (rv != CKR_OK && rv != CKR_ATTRIBUTE_SENSITIVE && rv != CKR_ATTRIBUTE_TYPE_INVALID) {
              return {rv, "C_GetAttributeValue(CKA_VALUE)"};
            }
            return {};
          });
      if (done || done.error().code != Errc::not_found) break;
    }
    if (!done) return done.error();
    return out;
  }

 private:
  // Whether a failed C_Decrypt means "this ciphertext, tag or AAD is wrong"
  // rather than a device fault. SoftHSM 2.6 reports a GCM tag mismatch as
  // CKR_GENERAL_ERROR instead of CKR_ENCRYPTED_DATA_INVALID, so a general
  // error counts as a rejection only while the session still answers.
  bool rejects_ciphertext(ck_session_handle_t session, ck_rv_t rv) {
    switch (rv) {
      case CKR_ENCRYPTED_DATA_INVALID:
      case CKR_ENCRYPTED_DATA_LEN_RANGE:
      case CKR_DATA_INVALID:
      case CKR_DATA_LEN_RANGE:
        return true;
      case CKR_GENERAL_ERROR: {
        struct ck_session_info info = {};
        const ck_rv_t probe = f_->C_GetSessionInfo(session, &info);
        return probe == CKR_OK && info.state == CKS_RW_USER_FUNCTIONS;
      }
      default:
        return false;
    }
  }

  // Counts objects matching `attributes` (0, 1 or "2": more than one).
  Result<int> find_objects(ck_session_handle_t session, CK_ATTRIBUTE* attributes,
                           unsigned long count, ck_object_handle_t* first = nullptr) {
    ck_rv_t rv = f_->C_FindObjectsInit(session, attributes, count);
    if (rv != CKR_OK) return ckr_error("C_FindObjectsInit", rv);
    ck_object_handle_t found[2] = {};
    unsigned long n = 0;
    rv = f_->C_FindObjects(session, found, 2, &n);
    const ck_rv_t final_rv = f_->C_FindObjectsFinal(session);
    if (rv != CKR_OK) return ckr_error("C_FindObjects", rv);
    if (final_rv != CKR_OK) return ckr_error("C_FindObjectsFinal", final_rv);
    if (first != nullptr && n > 0) *first = found[0];
    return static_cast<int>(n);
  }

  // The handle of the `object_class` object the URI names, from the cache or
  // the token.
  Result<ck_object_handle_t> lookup(SessionPool::Lease& lease, std::string_view op,
                                    const std::string& key_uri, ck_object_class_t object_class,
                                    bool* cached) {
    const std::string cache_key = std::to_string(object_class) + ' ' + key_uri;
    {
      std::lock_guard lock(cache_mutex_);
      if (auto it = cache_.find(cache_key); it != cache_.end()) {
        *cached = true;
        return it->second;
      }
    }
    *cached = false;
    const std::string prefix = "HSM " + std::string(op) + ": ";
    auto uri = internal::Pkcs11Uri::parse(key_uri);
    if (!uri) return make_error(Errc::bad_request, prefix + uri.error().message.substr(5), "key");
    if (!uri->matches_token(token_.info)) {
      return make_error(Errc::not_found, prefix + key_uri + " names another token than " +
                                             internal::padded_field(token_.info.label, 32));
    }
    auto label = uri->label();
    auto id = uri->id();
    if (!label && !id) {
      return make_error(Errc::bad_request, prefix + key_uri + " names no key (object= or id=)",
                        "key");
    }
    if (auto named = uri->object_class(); named && *named != object_class) {
      return make_error(Errc::bad_request,
                        prefix + key_uri + " names a " + class_name(*named) + "; this needs a " +
                            class_name(object_class),
                        "key");
    }
    std::vector<CK_ATTRIBUTE> match = {{CKA_CLASS, &object_class, sizeof object_class}};
    if (label) match.push_back({CKA_LABEL, label->data(), label->size()});
    if (id) match.push_back({CKA_ID, id->data(), id->size()});
    ck_object_handle_t handle = 0;
    auto found = find_objects(lease.get(), match.data(), match.size(), &handle);
    if (!found) {
      lease.note(CKR_SESSION_HANDLE_INVALID);
      return make_error(found.error().code, prefix + found.error().message.substr(4));
    }
    if (*found == 0) {
      return make_error(Errc::not_found, prefix + "no " + std::string(class_name(object_class)) +
                                             " matches " + key_uri);
    }
    if (*found > 1) {
      return make_error(
          Errc::bad_request,
          prefix + key_uri + " matches more than one " + class_name(object_class) + "; add id=",
          "key");
    }
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kMaxCachedKeys) cache_.clear();
    cache_[cache_key] = handle;
    return handle;
  }

  void forget(const std::string& key_uri, ck_object_class_t object_class) {
    std::lock_guard lock(cache_mutex_);
    cache_.erase(std::to_string(object_class) + ' ' + key_uri);
  }

  // Borrows a session, finds the key and runs `operation`; a cached handle the
  // token no longer knows (key deleted and re-made) is looked up once more.
  template <class Operation>
  Result<void> with_key(std::string_view op, const std::string& key_uri,
                        ck_object_class_t object_class, Operation&& operation) {
    auto lease = pool_.borrow();
    if (!lease) return lease.error();
    for (int attempt = 0;; ++attempt) {
      bool cached = false;
      auto handle = lookup(*lease, op, key_uri, object_class, &cached);
      if (!handle) return handle.error();
      const Outcome outcome = operation(lease->get(), *handle);
      if (outcome.rv == CKR_OK) return {};
      if (stale_handle(outcome.rv)) {
        forget(key_uri, object_class);
        if (cached && attempt == 0) continue;
      }
      lease->note(outcome.rv);
      return ckr_error(std::string(op) + ": " + outcome.call, outcome.rv);
    }
  }

  std::shared_ptr<internal::Module> module_;  // outlives the pool's sessions
  CK_FUNCTION_LIST* f_;
  internal::TokenSlot token_;
  std::filesystem::path pin_file_;
  SessionPool pool_;
  std::mutex cache_mutex_;
  std::map<std::string, ck_object_handle_t> cache_;
  std::mutex generate_mutex_;
};

}  // namespace

Result<std::unique_ptr<Hsm>> open_pkcs11(const ModuleConfig& config) {
  if (config.sessions == 0 || config.sessions > kMaxSessions) {
    return make_error(Errc::bad_request, "HSM: sessions must be 1 to 256", "sessions");
  }
  auto uri = internal::Pkcs11Uri::parse(config.token_uri);
  if (!uri) return make_error(Errc::bad_request, uri.error().message, "token");
  // Refuse a badly protected PIN file before touching the token at all.
  {
    auto pin = internal::read_pin_file(config.pin_file);
    if (!pin) return pin.error();
  }
  auto module = internal::acquire_module(config.module, config.softhsm2_conf);
  if (!module) return module.error();
  auto token = internal::find_token((*module)->functions(), *uri, config.token_uri);
  if (!token) return token.error();
  auto hsm =
      std::make_unique<Pkcs11Hsm>(std::move(*module), *token, config.pin_file, config.sessions);
  auto started = hsm->start();
  if (!started) return started.error();
  return std::unique_ptr<Hsm>(std::move(hsm));
}

}  // namespace hsm
