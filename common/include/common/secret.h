// Helpers for handling secrets: wipe after use, compare in constant time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace common {

// Overwrites the bytes in a way the compiler may not elide (OPENSSL_cleanse).
void wipe(std::span<uint8_t> bytes) noexcept;
void wipe(std::string& text) noexcept;

// Constant-time equality for equal-length inputs; different lengths compare
// unequal (length is not secret in our uses).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// A byte buffer that wipes itself when destroyed.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) { wipe(bytes_); bytes_ = std::move(other.bytes_); other.bytes_.clear(); }
    return *this;
  }
  ~SecretBytes() { wipe(bytes_); }

  std::span<const uint8_t> view() const { return bytes_; }
  size_t size() const { return bytes_.size(); }

 private:
  std::vector<uint8_t> bytes_;
};

// Lowercase hex, and SHA-256 helpers used for hashing session tokens and audit rows.
std::string to_hex(std::span<const uint8_t> bytes);
std::vector<uint8_t> sha256(std::span<const uint8_t> data);
std::string sha256_hex(std::string_view data);
std::string base64url_encode(std::span<const uint8_t> bytes);

}  // namespace common
