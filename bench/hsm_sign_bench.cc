// HSM throughput through SoftHSM: ECDSA P-256 signatures per second
// (hsm::Hsm::sign_es256 over a 200-byte message, SHA-256 in OpenSSL, CKM_ECDSA
// in the token) on 1 and 2 threads, and AES-256-GCM seal+open pairs of a
// 20-byte TOTP seed per second. Makes its own token in a temporary directory.
// Prints "key: value" lines for bench/run.sh.
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hsm/hsm.h"

namespace {

using Clock = std::chrono::steady_clock;

// Runs `operation` on `threads` threads for `seconds`; returns operations/s.
// Any failure aborts the run: a rate with errors in it means nothing.
double rate(unsigned threads, double seconds, const std::function<bool()>& operation) {
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::vector<unsigned long> counts(threads, 0);
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (!operation()) {
          failed = true;
          stop = true;
        }
        ++counts[t];
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& worker : workers) worker.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) {
    std::fprintf(stderr, "hsm_sign_bench: an HSM operation failed\n");
    std::exit(1);
  }
  unsigned long total = 0;
  for (unsigned long count : counts) total += count;
  return static_cast<double>(total) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ECDSA P-256 and AES-GCM throughput through SoftHSM"};
  double seconds = 3;
  app.add_option("--seconds", seconds, "duration of each measurement")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  std::string pattern = (std::filesystem::temp_directory_path() / "hsm-bench.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return 1;
  const std::filesystem::path dir = pattern;
  int status = 1;
  {
    auto config = hsm::create_softhsm_token(dir / "hsm", "bench");
    if (!config) {
      std::fprintf(stderr, "hsm_sign_bench: %s\n", config.error().message.c_str());
      std::filesystem::remove_all(dir);
      return 1;
    }
    auto opened = hsm::open_pkcs11(*config);
    std::shared_ptr<hsm::Hsm> hsm;
    if (opened) hsm = std::move(*opened);
    auto signing = hsm ? hsm->generate(hsm::KeyType::ec_p256, "bench-sign")
                       : hsm::Result<std::string>(opened.error());
    auto wrapping = hsm ? hsm->generate(hsm::KeyType::aes256, "bench-wrap")
                        : hsm::Result<std::string>(opened.error());
    if (!signing || !wrapping) {
      std::fprintf(stderr, "hsm_sign_bench: %s\n",
                   (!signing ? signing : wrapping).error().message.c_str());
    } else {
      const std::vector<uint8_t> message(200, 0x5a);
      const std::vector<uint8_t> seed(20, 0x42);
      const std::vector<uint8_t> aad = {'t', 'o', 'k', 'e', 'n', ':', '1'};
      auto sign = [&] { return hsm->sign_es256(*signing, message).ok(); };
      auto seal_open = [&] {
        auto sealed = hsm->seal(*wrapping, seed, aad);
        return sealed.ok() && hsm->open(*wrapping, *sealed, aad).ok();
      };
      std::printf("hsm_sign_per_second_1_thread: %.1f\n", rate(1, seconds, sign));
      std::printf("hsm_sign_per_second_2_threads: %.1f\n", rate(2, seconds, sign));
      std::printf("hsm_seal_open_per_second_1_thread: %.1f\n", rate(1, seconds, seal_open));
      status = 0;
    }
  }
  std::filesystem::remove_all(dir);
  return status;
}
