// The HTTPS transport: a TLS listener feeding the Router.
//
// Each connection runs on its own strand: TLS handshake (bounded), then
// requests read one at a time with a fresh parser per message (body and header
// limits), answered, and the connection kept alive until the client closes,
// stays idle too long, or the server stops. Requests the Router marks slow
// (Argon2id) run on a worker pool so they never hold up the I/O threads;
// every other request is answered on the I/O thread that read it.
//
// Malformed HTTP gets a JSON 400 (431 for oversized headers, 413 for an
// oversized body) and the connection is closed, since its framing can no
// longer be trusted.
//
// Thread safety: start() and shutdown() are called from one controlling
// thread; everything else runs on the server's own threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "authd/router.h"
#include "common/result.h"

namespace authd {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP address (v4 or v6) to bind
  uint16_t port = 8443;            // 0: an ephemeral port
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_private_key;
  unsigned io_threads = 0;      // 0: hardware concurrency
  unsigned worker_threads = 0;  // for slow requests; 0: hardware concurrency
  size_t body_limit = 64 * 1024;
  size_t header_limit = 16 * 1024;
  size_t max_connections = 4096;  // beyond this, new connections are closed at once
  // Connections one source address may hold; beyond it that address's new
  // connections are closed at once, so one client cannot take every slot.
  size_t max_connections_per_peer = 256;
  std::chrono::seconds handshake_timeout{30};
  std::chrono::seconds idle_timeout{60};  // waiting for (and reading) the next request
  std::chrono::seconds write_timeout{30};
};

class Server {
 public:
  // Loads the TLS files, binds, starts the threads and begins accepting.
  // bad_request for unusable TLS files or a host that is not an IP address;
  // unavailable when the address cannot be bound. `router` must outlive the
  // Server.
  static common::Result<std::unique_ptr<Server>> start(const ServerOptions& options,
                                                       const Router& router);

  // Stops as shutdown(0) would if still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound address, e.g. "127.0.0.1" or "::1", and port (the real one when
  // 0 was asked for).
  const std::string& host() const;
  uint16_t port() const;

  // Stops accepting, closes idle connections, lets requests in flight finish
  // and be answered (with Connection: close) for at most `grace`, then closes
  // everything and joins the threads. Idempotent.
  void shutdown(std::chrono::milliseconds grace);

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace authd
