// fuzz_make_corpus: writes the WebAuthn part of the seed corpus and
// fuzz_credentials.h, the fixed values the targets verify against.
//
//   build/bin/fuzz_make_corpus tests/fuzz
//
// Every input comes from the software authenticator answering authd's own
// option builders, once as the browser's JSON and once as a raw frame
// (fuzz_fixture.h). Each is verified before it is written and its outcome
// compared with the one intended, so a seed meant to be accepted really is
// (otherwise the fuzzer would start from refusals only); the program fails
// without writing anything useful if one differs. Hand-written inputs in the
// corpus (names starting "hand-") are left alone.
//
// Keys are random: each run gives new files and a new fuzz_credentials.h,
// which must be committed together.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fuzz_fixture.h"
#include "policy/policy.h"
#include "tokens/testing/soft_authenticator.h"

namespace {

using namespace authd_fuzz;
using tokens::testing::AttestationFormat;
using tokens::testing::SoftAuthenticator;
using tokens::testing::SoftAuthenticatorSettings;
namespace fs = std::filesystem;

fs::path g_root;
bool g_failed = false;

template <class T>
std::string outcome(const wa::Verdict<T>& v) {
  return v.ok() ? "ok" : wa::refusal_name(v.refusal());
}

void write(const std::string& target, const std::string& name, const std::string& content) {
  const fs::path path = g_root / "corpus" / target / name;
  if (content.empty() || content.size() >= 8192) {
    std::cerr << "make_corpus: " << path << ": " << content.size() << " bytes, refusing\n";
    g_failed = true;
    return;
  }
  std::ofstream(path, std::ios::binary) << content;
}

void expect(const std::string& name, const std::string& got, const std::string& want) {
  if (got == want) return;
  std::cerr << "make_corpus: " << name << ": expected " << want << ", got " << got << "\n";
  g_failed = true;
}

wa::RegistrationExpectation registration_expectation() {
  wa::RegistrationExpectation e;
  e.rp = relying_party();
  e.challenge = registration_challenge();
  e.attestation.formats = {"packed", "fido-u2f", "none"};
  return e;
}

std::string creation_options(const wa::Bytes& chal) {
  wa::CreationOptions o;
  o.rp = relying_party();
  o.user_id = user_handle();
  o.user_name = "alice";
  o.user_display_name = "Alice";
  o.challenge = chal;
  return wa::creation_options_json(o);
}

std::string request_options(const wa::Bytes& chal, const wa::Bytes& credential_id) {
  wa::RequestOptions o;
  o.rp_id = kRpId;
  o.challenge = chal;
  o.allow_credentials.push_back({credential_id, {"usb"}});
  return wa::request_options_json(o);
}

std::string frame(const wa::RegistrationResponse& r) {
  return make_frame(
      {r.raw_id,
       {reinterpret_cast<const uint8_t*>(r.client_data_json.data()), r.client_data_json.size()},
       r.attestation_object});
}

std::string frame(const wa::AssertionResponse& r) {
  return make_frame(
      {r.raw_id,
       {reinterpret_cast<const uint8_t*>(r.client_data_json.data()), r.client_data_json.size()},
       r.authenticator_data,
       r.signature,
       r.user_handle});
}

// One registration seed: `name`.json and `name`.raw, verified first.
void registration_seed(SoftAuthenticator& a, const std::string& name,
                       const SoftAuthenticatorSettings& settings, const std::string& want,
                       const std::string& origin = kOrigin,
                       const wa::Bytes& chal = registration_challenge()) {
  a.settings() = settings;
  const std::string json = a.create(creation_options(chal), origin);
  const auto parsed = wa::parse_registration_response(json);
  if (!parsed.ok()) return expect(name, "parse " + outcome(parsed), want);
  expect(name, outcome(wa::verify_registration(*parsed, registration_expectation())), want);
  write("registration", name + ".json", json);
  write("registration", name + ".raw", frame(*parsed));
}

void assertion_seed(SoftAuthenticator& b, const wa::StoredCredential& stored,
                    const std::string& name, const SoftAuthenticatorSettings& settings,
                    const std::string& want, const std::string& origin = kOrigin,
                    const wa::Bytes& chal = assertion_challenge()) {
  b.settings() = settings;
  const std::string json = b.get(request_options(chal, b.credential_id()), origin);
  const auto parsed = wa::parse_assertion_response(json);
  if (!parsed.ok()) return expect(name, "parse " + outcome(parsed), want);
  const wa::AssertionExpectation expected{relying_party(), assertion_challenge(),
                                          wa::UserVerification::preferred, user_handle()};
  expect(name, outcome(wa::verify_assertion(*parsed, stored, expected)), want);
  write("assertion", name + ".json", json);
  write("assertion", name + ".raw", frame(*parsed));
}

SoftAuthenticatorSettings with(int32_t algorithm, AttestationFormat format) {
  SoftAuthenticatorSettings s;
  s.algorithm = algorithm;
  s.format = format;
  return s;
}

std::string c_bytes(std::span<const uint8_t> bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x,", bytes[i]);
    out += (i % 16 == 0 ? "\n    " : " ");
    out += buf;
  }
  return out;
}

void registration_corpus(SoftAuthenticator& a) {
  using F = AttestationFormat;
  registration_seed(a, "es256-packed-self", with(wa::kCoseEs256, F::packed_self), "ok");
  registration_seed(a, "eddsa-packed-self", with(wa::kCoseEdDsa, F::packed_self), "ok");
  registration_seed(a, "rs256-packed-self", with(wa::kCoseRs256, F::packed_self), "ok");
  registration_seed(a, "es256-packed-x5c", with(wa::kCoseEs256, F::packed_x5c), "ok");
  registration_seed(a, "eddsa-packed-x5c", with(wa::kCoseEdDsa, F::packed_x5c), "ok");
  registration_seed(a, "es256-fido-u2f", with(wa::kCoseEs256, F::fido_u2f), "ok");
  registration_seed(a, "es256-none", with(wa::kCoseEs256, F::none), "ok");
  auto s = with(wa::kCoseEs256, F::packed_x5c);
  s.user_verified = false;
  registration_seed(a, "no-uv", s, "ok");
  s = with(wa::kCoseEs256, F::packed_self);
  s.user_present = false;
  registration_seed(a, "no-up", s, "no_user_presence");
  s = with(wa::kCoseEs256, F::packed_self);
  s.rp_id_for_hash = "evil.example.org";
  registration_seed(a, "wrong-rp-id", s, "wrong_rp_id");
  s = with(wa::kCoseEs256, F::packed_self);
  s.client_data_type = "webauthn.get";
  registration_seed(a, "wrong-type", s, "wrong_type");
  s = with(wa::kCoseEs256, F::packed_x5c);
  s.corrupt_signature = true;
  registration_seed(a, "bad-x5c-signature", s, "bad_attestation");
  s = with(wa::kCoseRs256, F::packed_self);
  s.corrupt_signature = true;
  registration_seed(a, "bad-self-signature", s, "bad_attestation");
  registration_seed(a, "wrong-origin", with(wa::kCoseEs256, F::packed_self), "wrong_origin",
                    "https://evil.example.org");
  registration_seed(a, "wrong-challenge", with(wa::kCoseEs256, F::packed_self), "wrong_challenge",
                    kOrigin, fixed_challenge(9));

  // Derived from a good response: one thing wrong each.
  a.settings() = with(wa::kCoseEs256, F::packed_x5c);
  const std::string json = a.create(creation_options(registration_challenge()), kOrigin);
  auto doc = nlohmann::json::parse(json);
  write("registration", "derived-truncated.json", json.substr(0, json.size() / 2));
  auto padded = doc;
  padded["rawId"] = padded["rawId"].get<std::string>() + "=";
  write("registration", "derived-padded-rawid.json", padded.dump());
  auto missing = doc;
  missing["response"].erase("attestationObject");
  write("registration", "derived-no-attestation.json", missing.dump());
  auto parsed = wa::parse_registration_response(json);
  if (parsed.ok()) {
    auto cut = *parsed;
    cut.attestation_object.resize(cut.attestation_object.size() * 2 / 3);
    write("registration", "derived-cut-cbor.raw", frame(cut));
    auto other = *parsed;
    other.raw_id.back() ^= 0x01;
    write("registration", "derived-other-rawid.raw", frame(other));
  }
}

void assertion_corpus(std::string& header) {
  SoftAuthenticator b;  // ES256, packed self attestation
  const std::string json = b.create(creation_options(registration_challenge()), kOrigin);
  const auto parsed = wa::parse_registration_response(json);
  const auto registered = parsed.ok()
                              ? wa::verify_registration(*parsed, registration_expectation())
                              : wa::Verdict<wa::RegisteredCredential>(wa::Refusal::malformed);
  expect("assertion credential", outcome(registered), "ok");
  if (!registered.ok()) return;
  const wa::StoredCredential stored{registered->credential_id, registered->algorithm,
                                    registered->public_key, 0};
  header += "// The stored ES256 credential the assertion corpus was signed by.\n";
  header += "inline constexpr uint8_t kStoredCredentialId[] = {" + c_bytes(stored.credential_id) +
            "\n};\n";
  header += "inline constexpr uint8_t kStoredCredentialKey[] = {" + c_bytes(stored.public_key) +
            "\n};\n\n";

  SoftAuthenticatorSettings s;
  assertion_seed(b, stored, "counter-1", s, "ok");
  assertion_seed(b, stored, "counter-2", s, "ok");
  s.counter = 0;
  assertion_seed(b, stored, "counter-0", s, "ok");
  s.counter = 0xffffffff;
  assertion_seed(b, stored, "counter-max", s, "ok");
  s = {};
  s.user_verified = false;
  assertion_seed(b, stored, "no-uv", s, "ok");
  s = {};
  s.user_present = false;
  assertion_seed(b, stored, "no-up", s, "no_user_presence");
  s = {};
  s.rp_id_for_hash = "evil.example.org";
  assertion_seed(b, stored, "wrong-rp-id", s, "wrong_rp_id");
  s = {};
  s.client_data_type = "webauthn.create";
  assertion_seed(b, stored, "wrong-type", s, "wrong_type");
  s = {};
  s.corrupt_signature = true;
  assertion_seed(b, stored, "bad-signature", s, "bad_signature");
  assertion_seed(b, stored, "wrong-origin", {}, "wrong_origin", "https://evil.example.org");
  assertion_seed(b, stored, "wrong-challenge", {}, "wrong_challenge", kOrigin, fixed_challenge(9));

  b.settings() = {};
  const std::string good =
      b.get(request_options(assertion_challenge(), b.credential_id()), kOrigin);
  write("assertion", "derived-truncated.json", good.substr(0, good.size() / 2));
  auto doc = nlohmann::json::parse(good);
  doc["response"]["userHandle"] = "dXNlci0wMDI";  // "user-002": wrong_user_handle
  write("assertion", "derived-other-user-handle.json", doc.dump());
  doc["response"]["userHandle"] = nullptr;
  write("assertion", "derived-null-user-handle.json", doc.dump());
  doc["response"]["signature"] = 7;
  write("assertion", "derived-signature-number.json", doc.dump());
  const auto assertion = wa::parse_assertion_response(good);
  if (assertion.ok()) {
    auto cut = *assertion;
    cut.authenticator_data.resize(36);
    write("assertion", "derived-short-auth-data.raw", frame(cut));
    auto extended = *assertion;
    extended.authenticator_data[32] |= 0x80;  // ED flag with no extensions
    write("assertion", "derived-ed-flag.raw", frame(extended));
  }

  write("encoding", "credential-id", wa::base64url_encode(stored.credential_id));
  write("encoding", "challenge", wa::base64url_encode(assertion_challenge()));
}

// The default policy file is over the 8 KiB a seed may have, so it goes in
// as one file per table with its comments, and once whole without them.
void policy_corpus() {
  const std::string text = policy::default_policy_toml();
  std::string bare;
  struct Table {
    std::string name, text;
  };
  std::vector<Table> tables(1);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string line = text.substr(start, end - start);
    start = end;
    if (line.starts_with("[")) {
      if (!tables.back().name.empty()) tables.emplace_back();
      tables.back().name = line.substr(1, line.find(']') - 1);
    }
    tables.back().text += line;
    if (!line.starts_with("#")) bare += line;
  }
  for (const auto& table : tables) {
    const auto parsed = policy::parse_policy(table.text);
    expect("policy " + table.name, parsed.policy ? "ok" : parsed.error, "ok");
    write("policy", "default-" + table.name + ".toml", table.text);
  }
  const auto parsed = policy::parse_policy(bare);
  expect("policy without comments",
         parsed.policy && *parsed.policy == policy::Policy{} ? "ok" : parsed.error, "ok");
  write("policy", "default-without-comments.toml", bare);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_corpus TESTS_FUZZ_DIR\n";
    return 2;
  }
  g_root = argv[1];
  for (const char* target : {"registration", "assertion", "policy", "encoding"}) {
    fs::create_directories(g_root / "corpus" / target);
  }

  SoftAuthenticator a;
  registration_corpus(a);

  std::string header =
      "// Generated by fuzz_make_corpus (tests/fuzz/make_corpus.cc) together with the\n"
      "// registration and assertion corpus: do not edit; regenerate both at once.\n"
      "#pragma once\n\n#include <cstdint>\n\n#include \"tokens/webauthn.h\"\n\n"
      "namespace authd_fuzz {\n\n";
  const SoftAuthenticatorSettings defaults;
  header += "// The AAGUID the software authenticator sends.\n";
  header += "inline constexpr tokens::webauthn::Aaguid kAuthenticatorAaguid = {" +
            c_bytes(defaults.aaguid) + "\n};\n\n";
  header += "// The root of the registration corpus's x5c chains.\n";
  header +=
      "inline constexpr char kAttestationRootPem[] = R\"(" + a.attestation_root_pem() + ")\";\n\n";
  assertion_corpus(header);
  header += "}  // namespace authd_fuzz\n";

  write("encoding", "aaguid", wa::aaguid_string(defaults.aaguid));
  policy_corpus();

  if (g_failed) return 1;
  std::ofstream(g_root / "fuzz_credentials.h") << header;
  std::cout << "make_corpus: wrote " << (g_root / "corpus").string() << " and "
            << (g_root / "fuzz_credentials.h").string() << "\n";
  return 0;
}
