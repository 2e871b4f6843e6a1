#include "raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace integration {

RawConnection::~RawConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::open(const std::string& port, bool tls, const std::string& cafile) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error_ = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(port)));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    error_ = std::string("connect: ") + std::strerror(errno);
    return false;
  }
  if (!tls) return true;
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr || SSL_CTX_load_verify_locations(ctx_, cafile.c_str(), nullptr) != 1) {
    error_ = "cannot load " + cafile;
    return false;
  }
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, "localhost");
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
  if (SSL_connect(ssl_) != 1) {
    error_ = "TLS handshake failed";
    return false;
  }
  return true;
}

bool RawConnection::send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = 0;
    if (ssl_ != nullptr) {
      n = SSL_write(ssl_, bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    } else {
      n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    }
    if (n <= 0) {
      error_ = "write failed";
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

void RawConnection::finish_sending() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);
  } else {
    shutdown(fd_, SHUT_WR);
  }
}

std::string RawConnection::read_until_closed(std::chrono::milliseconds timeout, bool* closed) {
  std::string data;
  *closed = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return data;
      pollfd pfd{fd_, POLLIN, 0};
      const int ready = poll(&pfd, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return data;
    }
    char buffer[4096];
    int n = 0;
    if (ssl_ != nullptr) {
      n = SSL_read(ssl_, buffer, sizeof buffer);
      if (n <= 0) {
        const int reason = SSL_get_error(ssl_, n);
        if (reason == SSL_ERROR_WANT_READ) continue;
        *closed = true;  // close_notify, reset or EOF
        return data;
      }
    } else {
      n = static_cast<int>(recv(fd_, buffer, sizeof buffer, 0));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        *closed = true;
        return data;
      }
    }
    data.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace integration
