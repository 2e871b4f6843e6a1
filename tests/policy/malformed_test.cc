// Files that are not a policy at all: unknown names, wrong types, broken TOML.
// Each is refused with a message that says where, and nothing throws.
#include <gtest/gtest.h>

#include "policy/policy.h"

namespace {

std::string error_of(const std::string& text) {
  const auto result = policy::parse_policy(text);
  EXPECT_FALSE(result.policy) << text;
  return result.error;
}

TEST(Malformed, UnknownKeyIsNamed) {
  const auto error = error_of("[password]\nmin_length = 12\nmin_lenght = 16\n");
  EXPECT_NE(error.find("password.min_lenght (line 3): unknown key"), std::string::npos) << error;
}

TEST(Malformed, UnknownTableIsNamed) {
  const auto error = error_of("[pasword]\nmin_length = 16\n");
  EXPECT_NE(error.find("pasword (line 1): unknown table"), std::string::npos) << error;
}

TEST(Malformed, UnknownTopLevelKeyIsNamed) {
  const auto error = error_of("debug = true\n");
  EXPECT_NE(error.find("debug (line 1): unknown table"), std::string::npos) << error;
}

TEST(Malformed, NestedTableInsideASectionIsUnknown) {
  const auto error = error_of("[password.extra]\nx = 1\n");
  EXPECT_NE(error.find("password.extra (line 1): unknown key"), std::string::npos) << error;
}

TEST(Malformed, SectionThatIsNotATable) {
  const auto error = error_of("password = 12\n");
  EXPECT_NE(error.find("password (line 1): expected a table, got an integer"), std::string::npos)
      << error;
  const auto array_of_tables = error_of("[[session]]\nidle_timeout_s = 60\n");
  EXPECT_NE(array_of_tables.find("session (line 1): expected a table, got an array"),
            std::string::npos)
      << array_of_tables;
}

TEST(Malformed, WrongTypesAreNamed) {
  struct Case {
    const char* toml;
    const char* expected;
  };
  for (const auto& c : {
           Case{"[password]\nmin_length = \"12\"\n",
                "password.min_length (line 2): expected an integer, got a string"},
           Case{"[password]\nmin_length = 12.0\n",
                "password.min_length (line 2): expected an integer, got a float"},
           Case{"[session]\nidle_timeout_s = true\n",
                "session.idle_timeout_s (line 2): expected an integer, got a boolean"},
           Case{"[session]\nidle_timeout_s = 1979-05-27T07:32:00Z\n",
                "session.idle_timeout_s (line 2): expected an integer, got a date or time"},
           Case{"[totp]\nissuer = 7\n", "totp.issuer (line 2): expected a string, got an integer"},
           Case{"[totp]\nalgorithm = [\"SHA1\"]\n",
                "totp.algorithm (line 2): expected a string, got an array"},
           Case{"[password]\nblocklist_paths = \"/usr/share/john/password.lst\"\n",
                "password.blocklist_paths (line 2): expected an array of strings, got a string"},
           Case{"[admin]\nknown_roles = [\"a\",\n  3]\n",
                "admin.known_roles[1] (line 3): expected a string, got an integer"},
           Case{"[admin]\nadmin_roles = { a = 1 }\n",
                "admin.admin_roles (line 2): expected an array of strings, got a table"},
       }) {
    const auto error = error_of(c.toml);
    EXPECT_NE(error.find(c.expected), std::string::npos) << "error: " << error;
  }
}

TEST(Malformed, SyntaxErrorsGiveTheLine) {
  struct Case {
    const char* toml;
    const char* line;
  };
  for (const auto& c : {
           Case{"[password]\nmin_length = \n", "line 2: "},
           Case{"[password]\nmin_length = 12\nmin_length = 13\n", "line 3: "},
           Case{"\n\n[password\n", "line 3: "},
           Case{"[session]\n[session]\n", "line 2: "},
           Case{"[totp]\nissuer = \"unterminated\n", "line 2: "},
           Case{"[totp]\nissuer = \"\xff\xfe\"\n", "line 2: "},
       }) {
    const auto error = error_of(c.toml);
    EXPECT_EQ(error.rfind(c.line, 0), 0u) << "error: " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
  }
}

TEST(Malformed, BinaryGarbageIsRefused) {
  const std::string garbage("\x00\x01\x02[\xff]\x00=", 8);
  EXPECT_FALSE(error_of(garbage).empty());
}

// toml11 recurses per nesting level; deep nesting must be refused, not
// overflow the stack.
TEST(Malformed, DeepNestingIsRefusedBeforeParsing) {
  const size_t depth = 100000;
  const auto error =
      error_of("# deep\nx = " + std::string(depth, '[') + std::string(depth, ']') + "\n");
  EXPECT_NE(error.find("line 2: arrays or tables nested more than"), std::string::npos) << error;
  const auto inline_tables = error_of("x = " + std::string(depth, '{'));
  EXPECT_NE(inline_tables.find("nested more than"), std::string::npos) << inline_tables;
}

TEST(Malformed, BracketsInStringsAndCommentsDoNotCountAsNesting) {
  const std::string b(40, '[');
  const std::string text = "# " + b + "\n[totp]\nissuer = \"" + b + "\\\"\"\n[admin]\n" +
                           "known_roles = [\n  '''" + b + "\n''', \"\"\"" + b + "\"\"\"]\n";
  const auto result = policy::parse_policy(text);
  ASSERT_FALSE(result.policy);
  // Parsed all the way to the role checks: the brackets were not taken as nesting.
  EXPECT_NE(result.error.find("admin.known_roles (line 5): role names are"), std::string::npos)
      << result.error << "\n"
      << text;
  EXPECT_EQ(result.error.find("nested"), std::string::npos) << result.error;
}

TEST(Malformed, OversizeTextIsRefused) {
  const std::string huge((1 << 20) + 1, '#');
  EXPECT_NE(error_of(huge).find("larger than 1 MiB"), std::string::npos);
}

// Every prefix of a real policy file either parses or is refused: a
// truncated write must never crash the daemon or leak an exception. Cuts
// inside comment lines are skipped: they only shorten a comment.
TEST(Malformed, EveryTruncationOfTheDefaultFileIsHandled) {
  const auto text = policy::default_policy_toml();
  size_t refused = 0;
  bool in_comment = false;
  for (size_t n = 0; n <= text.size(); ++n) {
    const bool line_start = n == 0 || text[n - 1] == '\n';
    if (line_start) in_comment = n < text.size() && text[n] == '#';
    if (in_comment && !line_start) continue;
    const auto result = policy::parse_policy(std::string_view(text).substr(0, n));
    EXPECT_NE(result.policy.has_value(), !result.error.empty()) << n;
    if (!result.policy) ++refused;
  }
  EXPECT_GT(refused, 0u);
}

}  // namespace

// toml11 3.7.1 reads out of bounds on invalid UTF-8 in a literal string
// (found by tests/fuzz/fuzz_policy): such text is refused before parsing.
TEST(Malformed, InvalidUtf8IsRefusedNamingTheLine) {
  for (const std::string& bad : {std::string("'\xfa'"), std::string("x = '\xfa'"),
                                std::string("# ok\n[totp]\nissuer = '\xc0\xaf'\n"),  // overlong
                                std::string("# \xed\xa0\x80\n"),                    // surrogate
                                std::string("# \xf4\x90\x80\x80\n"),  // above U+10FFFF
                                std::string("# \xe2\x82\n")}) {       // cut short
    const auto error = error_of(bad);
    EXPECT_NE(error.find("not valid UTF-8"), std::string::npos) << error;
  }
  EXPECT_NE(error_of("# ok\n[totp]\nissuer = '\xc0\xaf'\n").find("line 3:"), std::string::npos);
  // Well-formed multi-byte text still parses.
  const auto fine = policy::parse_policy("[totp]\nissuer = \"Comté de Sûreté – 監査\"\n");
  ASSERT_TRUE(fine.policy) << fine.error;
  EXPECT_EQ(fine.policy->totp.issuer, "Comté de Sûreté – 監査");
}
