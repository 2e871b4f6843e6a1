// NIST SP 800-63B password rules, against the real Debian word lists and
// against lists made for the test.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "password/password.h"

namespace {

namespace pw = core::password;
namespace fs = std::filesystem;

const char* const kJohn = "/usr/share/john/password.lst";
const char* const kCracklib = "/usr/share/dict/cracklib-small";

bool file_has_line(const char* path, const std::string& wanted) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line == wanted) return true;
  }
  return false;
}

std::string normalised(std::string_view text) {
  auto result = pw::normalise(text);
  EXPECT_TRUE(result.ok()) << text;
  return result.ok() ? result.value() : std::string();
}

class DefaultRules : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = pw::PasswordRules::load(policy::PasswordPolicy{});
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    shared_rules = loaded.value();
  }
  static void TearDownTestSuite() { shared_rules.reset(); }

  // Checks the normalised form of `password`, as the core does.
  static common::Result<void> check(std::string_view password,
                                    std::string_view username = "someone") {
    return shared_rules->check(normalised(password), username);
  }

  static void expect_weak(std::string_view password, std::string_view rule,
                          std::string_view username = "someone") {
    const auto result = check(password, username);
    ASSERT_FALSE(result.ok()) << password;
    EXPECT_EQ(result.error().code, common::Errc::weak_password) << password;
    EXPECT_NE(result.error().message.find(rule), std::string::npos)
        << password << ": " << result.error().message;
    EXPECT_EQ(result.error().message.find(std::string(password)), std::string::npos)
        << "the message must not echo the password";
  }

  static void expect_accepted(std::string_view password) {
    const auto result = check(password);
    EXPECT_TRUE(result.ok()) << password << ": " << (result.ok() ? "" : result.error().message);
  }

  static std::shared_ptr<const pw::PasswordRules> shared_rules;
};

std::shared_ptr<const pw::PasswordRules> DefaultRules::shared_rules;

TEST_F(DefaultRules, LoadsBothDebianLists) {
  // john-data's 3,546 entries and cracklib-small's ~54k words, less overlap.
  EXPECT_GT(shared_rules->blocklist_size(), 54000u);
}

TEST_F(DefaultRules, MinimumLengthIsTwelve) {
  expect_weak("Tr0ub4dor&3", "at least 12 characters");
  expect_accepted("Tr0ub4dor&3x");
}

TEST_F(DefaultRules, LengthCountsCodePointsNotBytes) {
  // 11 CJK characters are 33 bytes but still too short.
  expect_weak("\u6625\u7720\u4e0d\u89ba\u6681\u8655\u8655\u805e\u557c\u9ce5\u591c", "at least 12");
  // 12 emoji are 48 bytes and long enough.
  expect_accepted(
      "\U0001F511\U0001F512\U0001F513\U0001F510\U0001F5DD\U0001F6AA"
      "\U0001F3E0\U0001F3E1\U0001F3E2\U0001F3E3\U0001F3E4\U0001F3E5");
}

TEST_F(DefaultRules, LengthIsCountedAfterNormalisation) {
  // "ﬁ" is one code point as typed but two ("fi") once normalised:
  // 11 code points typed, 14 checked.
  expect_accepted("\ufb01nal \ufb01xed \ufb01");
}

TEST_F(DefaultRules, LongPassphrasesAreAccepted) {
  const std::string sixty_four = "the quick brown fox jumps over the lazy dog by the riverbank 64!";
  ASSERT_EQ(sixty_four.size(), 64u);
  expect_accepted(sixty_four);
  std::string max = sixty_four + sixty_four;
  ASSERT_EQ(max.size(), 128u);
  expect_accepted(max);
  expect_weak(max + "!", "at most 128 characters");
}

TEST_F(DefaultRules, BlocklistedPasswordsAreRefusedWhateverTheirCase) {
  // Entries at least 12 characters long, so only the blocklist can refuse them.
  ASSERT_TRUE(file_has_line(kJohn, "winniethepooh"));
  ASSERT_TRUE(file_has_line(kCracklib, "abolitionist"));
  for (std::string_view password :
       {"winniethepooh", "WinnieThePooh", "WINNIETHEPOOH", "abolitionist", "Abolitionist",
        "\uff37\uff49\uff4e\uff4e\uff49\uff45\uff34\uff48\uff45\uff30\uff4f\uff4f\uff48"}) {
    expect_weak(password, "common or breached");
  }
  expect_accepted("winniethepooh and friends");
}

TEST_F(DefaultRules, TheUsernameIsRefusedWhateverItsCase) {
  expect_weak("alexandra.smith", "username", "Alexandra.Smith");
  expect_weak("ALEXANDRA.SMITH", "username", "alexandra.smith");
  const auto other = check("alexandra.smith", "alexandra.jones");
  EXPECT_TRUE(other.ok());
}

TEST_F(DefaultRules, RepeatedAndSequentialRunsAreRefused) {
  for (std::string_view password :
       {"aaaaaaaaaaaa", "abababababab", "abcabcabcabc", "1234123412341234", "abcdefghijklm",
        "ZYXWVUTSRQPO", "123456789012", "987654321098",
        "\u3042\u3042\u3042\u3042\u3042\u3042\u3042\u3042\u3042\u3042\u3042\u3042"}) {
    expect_weak(password, "repeated or sequential", "someone");
  }
  for (std::string_view password : {"aaaaaaaaaaab", "abcdefghijkm", "12345678901x",
                                    "correct horse battery staple", "Tr0ub4dor&3x"}) {
    expect_accepted(password);
  }
}

TEST_F(DefaultRules, NoCompositionRules) {
  // NIST SP 800-63B 5.1.1.2: no required mix of character classes.
  expect_accepted("just lowercase words here");
  expect_accepted("\u5bc6\u7801\u5f88\u957f\u4e5f\u5f88\u5b89\u5168\u7684\u53e5\u5b50\u554a");
}

TEST_F(DefaultRules, TextThatIsNotNormalisedUtf8IsABadRequest) {
  const auto result =
      shared_rules->check("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "someone");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, common::Errc::bad_request);
}

class ListFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "password_rules.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  fs::path dir_;
};

TEST_F(ListFiles, CommentsAndBlankLinesAreSkippedAndEntriesFolded) {
  policy::PasswordPolicy policy;
  policy.blocklist_paths = {
      write("list.txt",
            "#!comment: correct horse battery staple\r\n\r\nCorrect Horse Battery\r\n"
            "\uff4c\uff49\uff53\uff54\uff45\uff44 entry 42\n\xff\xfe invalid line\nlast line, no "
            "newline")};
  auto rules = pw::PasswordRules::load(policy);
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(rules.value()->blocklist_size(), 3u);
  const auto& r = *rules.value();
  EXPECT_FALSE(r.check(normalised("correct horse battery"), "someone").ok());
  EXPECT_FALSE(r.check(normalised("LISTED ENTRY 42"), "someone").ok());
  EXPECT_FALSE(r.check(normalised("Last Line, No Newline"), "someone").ok());
  EXPECT_TRUE(r.check(normalised("#!comment: correct horse battery staple"), "someone").ok());
  EXPECT_TRUE(r.check(normalised("correct horse battery staple"), "someone").ok());
}

TEST_F(ListFiles, EveryListIsUsed) {
  policy::PasswordPolicy policy;
  policy.blocklist_paths = {write("a.txt", "first list entry\n"),
                            write("b.txt", "second list entry\n")};
  auto rules = pw::PasswordRules::load(policy);
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(rules.value()->blocklist_size(), 2u);
  EXPECT_FALSE(rules.value()->check("first list entry", "someone").ok());
  EXPECT_FALSE(rules.value()->check("second list entry", "someone").ok());
}

TEST_F(ListFiles, PolicyLengthsApply) {
  policy::PasswordPolicy policy;
  policy.min_length = 16;
  policy.max_length = 64;
  policy.blocklist_paths = {write("empty.txt", "")};
  auto rules = pw::PasswordRules::load(policy);
  ASSERT_TRUE(rules.ok());
  const auto short_one = rules.value()->check("only fifteen ch", "someone");
  ASSERT_FALSE(short_one.ok());
  EXPECT_NE(short_one.error().message.find("at least 16"), std::string::npos);
  EXPECT_TRUE(rules.value()->check("sixteen chars ok", "someone").ok());
  const auto long_one = rules.value()->check(std::string(32, 'x') + std::string(33, 'y'), "u");
  ASSERT_FALSE(long_one.ok());
  EXPECT_NE(long_one.error().message.find("at most 64"), std::string::npos);
}

TEST_F(ListFiles, AMissingListIsUnavailableAndNamed) {
  policy::PasswordPolicy policy;
  const auto missing = (dir_ / "no-such-list.txt").string();
  policy.blocklist_paths = {write("present.txt", "x\n"), missing};
  auto rules = pw::PasswordRules::load(policy);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.error().code, common::Errc::unavailable);
  EXPECT_NE(rules.error().message.find(missing), std::string::npos) << rules.error().message;
}

TEST_F(ListFiles, ADirectoryIsNotAList) {
  policy::PasswordPolicy policy;
  policy.blocklist_paths = {dir_.string()};
  auto rules = pw::PasswordRules::load(policy);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.error().code, common::Errc::unavailable);
  EXPECT_NE(rules.error().message.find(dir_.string()), std::string::npos);
}

}  // namespace
