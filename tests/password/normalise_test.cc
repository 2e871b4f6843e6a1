// NFKC normalisation: the same password typed different ways is one password,
// and text that is not a password is refused without being echoed.
#include <gtest/gtest.h>

#include "password/password.h"

namespace {

using core::password::normalise;

std::string ok(std::string_view text) {
  auto result = normalise(text);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? result.value() : std::string();
}

void expect_refused(std::string_view text, std::string_view why) {
  auto result = normalise(text);
  ASSERT_FALSE(result.ok()) << why;
  EXPECT_EQ(result.error().code, common::Errc::bad_request) << why;
  EXPECT_EQ(result.error().field, "password") << why;
  EXPECT_EQ(result.error().message.find(std::string(text)), std::string::npos) << why;
}

TEST(Normalise, FullWidthLettersFoldToAscii) {
  EXPECT_EQ(ok("\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44"),
            "password");                                            // ｐａｓｓｗｏｒｄ
  EXPECT_EQ(ok("\uff21\uff22\uff23\uff11\uff12\uff13"), "ABC123");  // ＡＢＣ１２３
}

TEST(Normalise, LigaturesExpand) {
  EXPECT_EQ(ok("\ufb01sh"), "fish");  // ﬁ
  EXPECT_EQ(ok("\ufb00"), "ff");      // ﬀ
}

TEST(Normalise, ComposedAndDecomposedAccentsAreEqual) {
  const std::string composed = "caf\u00e9 cr\u00e8me";      // é, è as one code point
  const std::string decomposed = "cafe\u0301 cre\u0300me";  // e + combining accent
  EXPECT_NE(composed, decomposed);
  EXPECT_EQ(ok(composed), ok(decomposed));
  EXPECT_EQ(ok(decomposed), composed);  // NFKC composes
}

TEST(Normalise, CompatibilityFormsFold) {
  EXPECT_EQ(ok("x\u00b2"), "x2");       // superscript two
  EXPECT_EQ(ok("\u2126"), "\u03a9");    // OHM SIGN -> GREEK CAPITAL OMEGA
  EXPECT_EQ(ok("\u2460\u2461"), "12");  // circled digits
  EXPECT_EQ(ok("\u00a0"), " ");         // no-break space -> space
}

TEST(Normalise, IsIdempotent) {
  for (std::string_view text :
       {"\uff50\ufb01 cafe\u0301", "\u30d1\u30b9\u30ef\u30fc\u30c9", "plain ascii"}) {
    const auto once = ok(text);
    EXPECT_EQ(ok(once), once);
  }
}

TEST(Normalise, AcceptsSpacesEmojiAndOtherScripts) {
  for (std::string_view text : {
           "correct horse battery staple",
           "\U0001F512\U0001F511 \u30d1\u30b9\u30ef\u30fc\u30c9",  // 🔒🔑 パスワード
           "\u5bc6\u7801\u5f88\u957f",                             // 密码很长
           "\u0643\u0644\u0645\u0629 \u0627\u0644\u0633\u0631",    // Arabic
           "\U0001F469\u200D\U0001F4BB",  // 👩‍💻 (zero-width joiner)
           "\ue000 private use",
           "  leading and trailing spaces  ",
       }) {
    auto result = normalise(text);
    EXPECT_TRUE(result.ok()) << text;
  }
  EXPECT_EQ(ok("  two  spaces  "), "  two  spaces  ");
}

TEST(Normalise, EmptyIsNotAnEncodingError) { EXPECT_EQ(ok(""), ""); }

TEST(Normalise, InvalidUtf8IsRefused) {
  expect_refused("\xff", "0xFF is never valid");
  expect_refused("abc\xc3", "truncated sequence");
  expect_refused("\xc0\xaf", "overlong encoding of '/'");
  expect_refused("\xe0\x80\xaf", "overlong three-byte");
  expect_refused("\xed\xa0\x80", "UTF-16 surrogate");
  expect_refused("\xf4\x90\x80\x80", "above U+10FFFF");
  expect_refused("ok\x80then", "stray continuation byte");
}

TEST(Normalise, ControlCharactersAreRefused) {
  expect_refused("new\nline", "LF");
  expect_refused("tab\there", "TAB");
  expect_refused(std::string_view("nul\0byte", 8), "NUL");
  expect_refused("del\x7f", "DEL");
  expect_refused("esc\x1b[0m", "ESC");
  expect_refused("next\u0085line", "NEL, a C1 control");
}

TEST(Normalise, UnassignedCodePointsAreRefused) {
  expect_refused("\u0378abc", "U+0378 is unassigned");
  expect_refused("\uffff", "noncharacter");
}

TEST(Normalise, ErrorNamesTheGivenField) {
  auto result = normalise("\xff", "new_password");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "new_password");
  EXPECT_NE(result.error().message.find("new_password"), std::string::npos);
}

}  // namespace
