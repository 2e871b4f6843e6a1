// Raw connections to the daemon for inputs a well-behaved HTTP client cannot
// send: bytes that are not HTTP at all, truncated requests, plain text on the
// TLS port. Uses OpenSSL directly (verifying the daemon's certificate).
//
// Thread safety: one object per thread.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <string>

namespace integration {

class RawConnection {
 public:
  RawConnection() = default;
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // TCP connect to 127.0.0.1:port; with `tls`, a TLS handshake verifying the
  // certificate against `cafile`. False (and `error()`) on failure.
  bool open(const std::string& port, bool tls, const std::string& cafile);

  bool send(const std::string& bytes);

  // Sends TLS close_notify (or shuts down the TCP write side): end of input.
  void finish_sending();

  // Reads until the peer closes the connection or `timeout` passes.
  // `closed` tells which happened.
  std::string read_until_closed(std::chrono::milliseconds timeout, bool* closed);

  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string error_;
};

}  // namespace integration
