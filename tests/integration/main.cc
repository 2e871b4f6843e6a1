// The integration test's main: like gtest_main, but writes to a closed
// connection must fail with EPIPE rather than kill the test with SIGPIPE
// (raw TLS writes go through write(2)).
#include <gtest/gtest.h>
#include <signal.h>

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
