#include "init_keys.h"

#include <ctime>

#include "common/secret.h"

namespace authd {
namespace {

constexpr int kLabelAttempts = 4;

common::Result<std::string> generate_one(hsm::Hsm& hsm, hsm::KeyType type, std::string_view purpose,
                                         common::TimePoint now, common::Random& random) {
  std::string label = key_label(purpose, now);
  for (int attempt = 0;; ++attempt) {
    auto uri = hsm.generate(type, label);
    if (uri || uri.error().code != common::Errc::conflict || attempt + 1 == kLabelAttempts) {
      return uri;
    }
    label = key_label(purpose, now) + "-" + common::to_hex(random.bytes(3));
  }
}

common::Result<void> check_one(hsm::Hsm& hsm, const std::string& uri, std::string_view purpose,
                               hsm::KeyType type) {
  const std::string name = std::string(purpose) + " key " + uri;
  auto attributes = hsm.inspect(uri);
  if (!attributes) {
    return common::make_error(attributes.error().code,
                              "cannot use the " + name + ": " + attributes.error().message);
  }
  const auto refuse = [&](const std::string& why) {
    return common::make_error(common::Errc::bad_request,
                              "refusing the " + name + ": " + why +
                                  "; authd only uses keys that can never leave the token");
  };
  if (attributes->type != type) {
    return common::make_error(
        common::Errc::bad_request,
        "the " + name + " is not " +
            (type == hsm::KeyType::ec_p256 ? "an EC P-256 key pair" : "an AES-256 key"));
  }
  if (!attributes->sensitive) return refuse("it is not sensitive (CKA_SENSITIVE false)");
  if (attributes->extractable) return refuse("it is extractable (CKA_EXTRACTABLE true)");
  if (attributes->value_readable) return refuse("its value (CKA_VALUE) can be read");
  return {};
}

}  // namespace

std::string key_label(std::string_view purpose, common::TimePoint now) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return std::string(purpose) + "-" + stamp;
}

common::Result<core::InitialKeys> generate_initial_keys(hsm::Hsm& hsm, common::TimePoint now,
                                                        common::Random& random) {
  core::InitialKeys keys;
  struct Wanted {
    std::string* uri;
    std::string_view purpose;
    hsm::KeyType type;
  };
  for (const Wanted& wanted : {Wanted{&keys.audit, "audit", hsm::KeyType::ec_p256},
                               Wanted{&keys.assertion, "assertion", hsm::KeyType::ec_p256},
                               Wanted{&keys.wrap, "wrap", hsm::KeyType::aes256}}) {
    auto uri = generate_one(hsm, wanted.type, wanted.purpose, now, random);
    if (!uri) {
      return common::make_error(uri.error().code, "cannot generate the " +
                                                      std::string(wanted.purpose) +
                                                      " key in the token: " + uri.error().message);
    }
    *wanted.uri = std::move(*uri);
  }
  return keys;
}

common::Result<void> check_initial_keys(hsm::Hsm& hsm, const core::InitialKeys& keys) {
  // One key for two jobs would let an assertion signature pass for a
  // checkpoint's, or the reverse.
  if (keys.audit == keys.assertion || keys.audit == keys.wrap || keys.assertion == keys.wrap) {
    return common::make_error(common::Errc::bad_request,
                              "the audit, assertion and wrap keys must be three different keys");
  }
  if (auto checked = check_one(hsm, keys.audit, "audit", hsm::KeyType::ec_p256); !checked) {
    return checked;
  }
  if (auto checked = check_one(hsm, keys.assertion, "assertion", hsm::KeyType::ec_p256); !checked) {
    return checked;
  }
  return check_one(hsm, keys.wrap, "wrap", hsm::KeyType::aes256);
}

}  // namespace authd
