#include "key_generation.h"

#include <iterator>

#include "ec_public_key.h"

namespace hsm::internal {
namespace {

unsigned char kTrue = 1;
unsigned char kFalse = 0;

CK_ATTRIBUTE flag(ck_attribute_type_t type, bool on) { return {type, on ? &kTrue : &kFalse, 1}; }

template <class T>
CK_ATTRIBUTE scalar(ck_attribute_type_t type, T* value) {
  return {type, value, sizeof(T)};
}

CK_ATTRIBUTE bytes(ck_attribute_type_t type, const void* data, size_t size) {
  return {type, const_cast<void*>(data), size};
}

ck_rv_t generate_pair(CK_FUNCTION_LIST* f, ck_session_handle_t session, const std::string& label,
                      std::span<const uint8_t> id, ck_key_type_t key_type,
                      std::span<const uint8_t> params, ck_mechanism_type_t generator) {
  ck_object_class_t public_class = CKO_PUBLIC_KEY;
  ck_object_class_t private_class = CKO_PRIVATE_KEY;
  CK_ATTRIBUTE public_template[] = {
      scalar(CKA_CLASS, &public_class),
      scalar(CKA_KEY_TYPE, &key_type),
      flag(CKA_TOKEN, true),
      flag(CKA_PRIVATE, false),
      flag(CKA_VERIFY, true),
      flag(CKA_ENCRYPT, false),
      flag(CKA_WRAP, false),
      flag(CKA_DERIVE, false),
      bytes(CKA_EC_PARAMS, params.data(), params.size()),
      bytes(CKA_LABEL, label.data(), label.size()),
      bytes(CKA_ID, id.data(), id.size()),
  };
  CK_ATTRIBUTE private_template[] = {
      scalar(CKA_CLASS, &private_class),
      scalar(CKA_KEY_TYPE, &key_type),
      flag(CKA_TOKEN, true),
      flag(CKA_PRIVATE, true),
      flag(CKA_SENSITIVE, true),
      flag(CKA_EXTRACTABLE, false),
      flag(CKA_SIGN, true),
      flag(CKA_DECRYPT, false),
      flag(CKA_UNWRAP, false),
      flag(CKA_DERIVE, false),
      bytes(CKA_LABEL, label.data(), label.size()),
      bytes(CKA_ID, id.data(), id.size()),
  };
  struct ck_mechanism mechanism = {generator, nullptr, 0};
  ck_object_handle_t public_key = 0;
  ck_object_handle_t private_key = 0;
  return f->C_GenerateKeyPair(session, &mechanism, public_template, std::size(public_template),
                              private_template, std::size(private_template), &public_key,
                              &private_key);
}

}  // namespace

ck_rv_t generate_ec_p256(CK_FUNCTION_LIST* f, ck_session_handle_t session, const std::string& label,
                         std::span<const uint8_t> id) {
  return generate_pair(f, session, label, id, CKK_EC, p256_ec_params(), CKM_EC_KEY_PAIR_GEN);
}

ck_rv_t generate_ed25519(CK_FUNCTION_LIST* f, ck_session_handle_t session, const std::string& label,
                         std::span<const uint8_t> id) {
  return generate_pair(f, session, label, id, CKK_EC_EDWARDS, ed25519_ec_params(),
                       CKM_EC_EDWARDS_KEY_PAIR_GEN);
}

ck_rv_t generate_aes256(CK_FUNCTION_LIST* f, ck_session_handle_t session, const std::string& label,
                        std::span<const uint8_t> id) {
  ck_object_class_t key_class = CKO_SECRET_KEY;
  ck_key_type_t key_type = CKK_AES;
  unsigned long value_len = 32;
  CK_ATTRIBUTE key_template[] = {
      scalar(CKA_CLASS, &key_class),
      scalar(CKA_KEY_TYPE, &key_type),
      scalar(CKA_VALUE_LEN, &value_len),
      flag(CKA_TOKEN, true),
      flag(CKA_PRIVATE, true),
      flag(CKA_SENSITIVE, true),
      flag(CKA_EXTRACTABLE, false),
      flag(CKA_ENCRYPT, true),
      flag(CKA_DECRYPT, true),
      flag(CKA_WRAP, false),
      flag(CKA_UNWRAP, false),
      flag(CKA_SIGN, false),
      flag(CKA_VERIFY, false),
      flag(CKA_DERIVE, false),
      bytes(CKA_LABEL, label.data(), label.size()),
      bytes(CKA_ID, id.data(), id.size()),
  };
  struct ck_mechanism mechanism = {CKM_AES_KEY_GEN, nullptr, 0};
  ck_object_handle_t key = 0;
  return f->C_GenerateKey(session, &mechanism, key_template, std::size(key_template), &key);
}

}  // namespace hsm::internal
