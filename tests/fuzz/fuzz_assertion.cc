// Fuzz target: a login assertion as the browser sends it, against the fixed
// ES256 credential in fuzz_credentials.h. JSON input goes through
// parse_assertion_response and, when it parses, verify_assertion; a raw frame
// (fuzz_fixture.h: rawId, clientDataJSON, authenticatorData, signature,
// userHandle) goes straight to verify_assertion.
//
// The stored counter is tried at 0 (so the corpus's counters are accepted)
// and at 1000 (so counter_regressed is reached), with UV preferred and
// required, expecting the corpus's user handle.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_credentials.h"
#include "fuzz_fixture.h"

namespace {

using namespace authd_fuzz;

wa::StoredCredential stored(uint32_t sign_count) {
  wa::StoredCredential c;
  c.credential_id.assign(std::begin(kStoredCredentialId), std::end(kStoredCredentialId));
  c.algorithm = wa::kCoseEs256;
  c.public_key.assign(std::begin(kStoredCredentialKey), std::end(kStoredCredentialKey));
  c.sign_count = sign_count;
  return c;
}

void verify(const wa::AssertionResponse& response) {
  static const wa::StoredCredential fresh = stored(0);
  static const wa::StoredCredential used = stored(1000);
  for (const auto uv : {wa::UserVerification::preferred, wa::UserVerification::required}) {
    const wa::AssertionExpectation expected{relying_party(), assertion_challenge(), uv,
                                            user_handle()};
    for (const auto* credential : {&fresh, &used}) {
      const auto verdict = wa::verify_assertion(response, *credential, expected);
      if (verdict.ok()) {
        volatile uint32_t sink = verdict->sign_count;
        (void)sink;
      } else {
        (void)wa::refusal_name(verdict.refusal());
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 0 && data[0] == kRawFrameMarker) {
    const auto fields = split_frame(data, size, 5);
    wa::AssertionResponse response;
    response.raw_id = to_bytes(fields[0]);
    response.client_data_json.assign(fields[1].begin(), fields[1].end());
    response.authenticator_data = to_bytes(fields[2]);
    response.signature = to_bytes(fields[3]);
    response.user_handle = to_bytes(fields[4]);
    verify(response);
    return 0;
  }
  const auto parsed =
      wa::parse_assertion_response(std::string_view(reinterpret_cast<const char*>(data), size));
  if (parsed.ok()) verify(parsed.value());
  return 0;
}
