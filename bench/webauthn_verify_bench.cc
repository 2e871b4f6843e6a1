// WebAuthn assertion verification against its cryptographic ceiling, in one
// run on one thread: (a) OpenSSL's raw ECDSA P-256 verify rate
// (EVP_DigestVerify with SHA-256, a pre-made key, over a 69-byte message: the
// size of authenticatorData || SHA-256(clientDataJSON)); (b) full
// tokens::webauthn::verify_assertion calls on a soft-authenticator ES256
// assertion (clientDataJSON, rpIdHash, flags, COSE key, libfido2 signature
// check, counter); (c) the same with parse_assertion_response of the browser's
// JSON first. Where the difference goes: (d) libfido2's fido_assert_verify
// alone on the raw-verify key, pre-built as an es256_pk_t (the ceiling for
// any verifier built on libfido2 1.12, which turns the es256_pk_t into an
// EVP_PKEY and then a provider key on every call), and (e) es256_pk_from_ptr,
// the one key decode verify_assertion adds. The measurements are interleaved over --rounds and the
// median of each is printed, with the ratio b/a (the target is >= 0.80). Rates are per
// second of the thread's CPU time, so other load on the machine changes them less than it would
// wall-clock rates. Prints "key: value" lines for bench/run.sh.
#include <fido.h>
#include <fido/es256.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "tokens/testing/soft_authenticator.h"
#include "tokens/webauthn.h"

namespace {

namespace wa = tokens::webauthn;

// The calling thread's CPU time: on a shared machine a measurement that loses
// the CPU to another process would otherwise count the wait as its own cost.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Operations per CPU-second of `operation` over about `seconds` of CPU; any
// failure aborts the run, since a rate with errors in it means nothing.
double rate(double seconds, const std::function<bool()>& operation) {
  const double start = thread_cpu_seconds();
  unsigned long count = 0;
  double now = start;
  while (now - start < seconds) {
    for (int i = 0; i < 64; ++i) {
      if (!operation()) {
        std::fprintf(stderr, "webauthn_verify_bench: a verification failed\n");
        std::exit(1);
      }
    }
    count += 64;
    now = thread_cpu_seconds();
  }
  return static_cast<double>(count) / (now - start);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"WebAuthn assertion verification vs raw ECDSA P-256 verification"};
  double seconds = 2;
  int rounds = 3;
  app.add_option("--seconds", seconds, "duration of each measurement")->check(CLI::PositiveNumber);
  app.add_option("--rounds", rounds, "interleaved rounds (median reported)")
      ->check(CLI::Range(1, 50));
  CLI11_PARSE(app, argc, argv);

  // (a) the raw verify: key, message and signature made once.
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  std::vector<unsigned char> message(37 + 32, 0x5a);
  std::vector<unsigned char> signature(80);
  size_t signature_length = signature.size();
  EVP_MD_CTX* sign_ctx = EVP_MD_CTX_new();
  if (key == nullptr || sign_ctx == nullptr ||
      EVP_DigestSignInit(sign_ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(sign_ctx, signature.data(), &signature_length, message.data(),
                     message.size()) != 1) {
    std::fprintf(stderr, "webauthn_verify_bench: OpenSSL set-up failed\n");
    return 1;
  }
  EVP_MD_CTX_free(sign_ctx);
  signature.resize(signature_length);
  auto raw_verify = [&] {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok =
        ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) ==
            1;
    EVP_MD_CTX_free(ctx);
    return ok;
  };

  // (b) and (c): one registered ES256 credential and one assertion.
  tokens::testing::SoftAuthenticator authenticator;
  const wa::RelyingParty rp{"authd.example.org", "authd", {"https://authd.example.org"}};
  wa::CreationOptions creation;
  creation.rp = rp;
  creation.user_id = {1, 2, 3, 4, 5, 6, 7, 8};
  creation.user_name = "bench";
  creation.challenge = wa::Bytes(32, 0x11);
  auto registration = wa::parse_registration_response(
      authenticator.create(wa::creation_options_json(creation), rp.origins[0]));
  wa::RegistrationExpectation reg_expected;
  reg_expected.rp = rp;
  reg_expected.challenge = creation.challenge;
  auto registered = registration ? wa::verify_registration(*registration, reg_expected)
                                 : wa::Verdict<wa::RegisteredCredential>(registration.refusal());
  if (!registered) {
    std::fprintf(stderr, "webauthn_verify_bench: registration refused: %s\n",
                 wa::refusal_name(registered.refusal()));
    return 1;
  }
  const wa::StoredCredential stored{registered->credential_id, registered->algorithm,
                                    registered->public_key, registered->sign_count};
  wa::RequestOptions request;
  request.rp_id = rp.id;
  request.challenge = wa::Bytes(32, 0x22);
  request.allow_credentials = {{stored.credential_id, {}}};
  const std::string assertion_json =
      authenticator.get(wa::request_options_json(request), rp.origins[0]);
  auto assertion = wa::parse_assertion_response(assertion_json);
  if (!assertion) return 1;
  const wa::AssertionResponse response = *assertion;
  const wa::AssertionExpectation expected{rp, request.challenge, wa::UserVerification::preferred};
  auto full_verify = [&] { return wa::verify_assertion(response, stored, expected).ok(); };
  auto parse_and_verify = [&] {
    auto parsed = wa::parse_assertion_response(assertion_json);
    return parsed.ok() && wa::verify_assertion(*parsed, stored, expected).ok();
  };

  // (d) and (e): libfido2 alone, on the raw-verify key and message.
  unsigned char point[65];
  size_t point_length = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                      &point_length) != 1 ||
      point_length != sizeof point) {
    return 1;
  }
  const std::string client_data = "{\"type\":\"webauthn.get\",\"challenge\":\"" +
                                  std::string(43, 'A') + "\",\"origin\":\"https://x.example\"}";
  std::vector<unsigned char> auth_data(37, 0);
  SHA256(reinterpret_cast<const unsigned char*>("x.example"), 9, auth_data.data());
  auth_data[32] = 0x01;  // UP
  auth_data[36] = 0x01;  // counter 1
  std::vector<unsigned char> fido_message = auth_data;
  fido_message.resize(auth_data.size() + 32);
  SHA256(reinterpret_cast<const unsigned char*>(client_data.data()), client_data.size(),
         fido_message.data() + auth_data.size());
  std::vector<unsigned char> fido_signature(80);
  size_t fido_signature_length = fido_signature.size();
  sign_ctx = EVP_MD_CTX_new();
  if (sign_ctx == nullptr ||
      EVP_DigestSignInit(sign_ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(sign_ctx, fido_signature.data(), &fido_signature_length, fido_message.data(),
                     fido_message.size()) != 1) {
    return 1;
  }
  EVP_MD_CTX_free(sign_ctx);
  fido_signature.resize(fido_signature_length);
  es256_pk_t* prebuilt = es256_pk_new();
  if (prebuilt == nullptr || es256_pk_from_ptr(prebuilt, point + 1, 64) != FIDO_OK) return 1;
  auto fido_only = [&] {
    fido_assert_t* a = fido_assert_new();
    const bool ok =
        a != nullptr && fido_assert_set_rp(a, "x.example") == FIDO_OK &&
        fido_assert_set_clientdata(a, reinterpret_cast<const unsigned char*>(client_data.data()),
                                   client_data.size()) == FIDO_OK &&
        fido_assert_set_count(a, 1) == FIDO_OK &&
        fido_assert_set_authdata_raw(a, 0, auth_data.data(), auth_data.size()) == FIDO_OK &&
        fido_assert_set_sig(a, 0, fido_signature.data(), fido_signature.size()) == FIDO_OK &&
        fido_assert_verify(a, 0, COSE_ES256, prebuilt) == FIDO_OK;
    fido_assert_free(&a);
    return ok;
  };
  auto key_decode = [&] {
    es256_pk_t* pk = es256_pk_new();
    const bool ok = pk != nullptr && es256_pk_from_ptr(pk, point + 1, 64) == FIDO_OK;
    es256_pk_free(&pk);
    return ok;
  };

  std::vector<double> raw, full, parsed, fido, decode;
  rate(0.3, raw_verify);  // warm-up
  rate(0.3, full_verify);
  for (int r = 0; r < rounds; ++r) {
    raw.push_back(rate(seconds, raw_verify));
    full.push_back(rate(seconds, full_verify));
    parsed.push_back(rate(seconds, parse_and_verify));
    fido.push_back(rate(seconds, fido_only));
    decode.push_back(rate(seconds / 4, key_decode));
  }
  const double a = median(raw), b = median(full), c = median(parsed), d = median(fido),
               e = median(decode);
  std::printf("openssl_ecdsa_p256_verify_per_s: %.0f\n", a);
  std::printf("webauthn_verify_assertion_per_s: %.0f\n", b);
  std::printf("webauthn_parse_and_verify_per_s: %.0f\n", c);
  std::printf("ratio_verify_assertion_to_raw: %.3f\n", b / a);
  std::printf("ratio_parse_and_verify_to_raw: %.3f\n", c / a);
  std::printf("libfido2_assert_verify_prebuilt_key_per_s: %.0f\n", d);
  std::printf("ratio_libfido2_alone_to_raw: %.3f\n", d / a);
  std::printf("es256_pk_from_ptr_per_s: %.0f\n", e);
  std::printf("us_raw_verify: %.1f\n", 1e6 / a);
  std::printf("us_libfido2_overhead_over_raw: %.1f\n", 1e6 / d - 1e6 / a);
  std::printf("us_key_decode: %.1f\n", 1e6 / e);
  std::printf("us_rest_of_verify_assertion: %.1f\n", 1e6 / b - 1e6 / d - 1e6 / e);
  es256_pk_free(&prebuilt);
  EVP_PKEY_free(key);
  return 0;
}
