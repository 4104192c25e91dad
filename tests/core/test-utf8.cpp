// ts::utf8 (core/common/utf8.h): decoding and encoding of 1- to 4-byte code points, validation of
// ill-formed input, counting, and cutting text without splitting a code point.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/utf8.h"

namespace {

using namespace std::string_literals;

std::u32string decodeAll(std::string_view text)
{
    std::u32string out;
    size_t pos = 0;
    while (pos < text.size())
        out.push_back(ts::utf8::next(text, pos));
    return out;
}

std::string encode(char32_t cp)
{
    std::string out;
    ts::utf8::append(out, cp);
    return out;
}

TEST(Utf8, AsciiIsOneBytePerCodePoint)
{
    const std::string text = "plain ASCII text, longer than eight bytes";
    EXPECT_TRUE(ts::utf8::isValid(text));
    EXPECT_EQ(ts::utf8::codePointCount(text), text.size());
    EXPECT_EQ(decodeAll("Az~"), U"Az~");
    EXPECT_EQ(encode(U'A'), "A");
    EXPECT_EQ(ts::utf8::sequenceLength("a", 0), 1u);
}

TEST(Utf8, MultiByteCodePointsRoundTrip)
{
    const struct
    {
        char32_t cp;
        std::string bytes;
    } cases[] = {
        {U'\u00E9', "\xC3\xA9"}, // é, 2 bytes
        {U'\u0080', "\xC2\x80"}, // smallest 2-byte
        {U'\u65E5', "\xE6\x97\xA5"}, // 日, 3 bytes
        {U'\uFFFF', "\xEF\xBF\xBF"}, // largest 3-byte
        {U'\U0001F389', "\xF0\x9F\x8E\x89"}, // 🎉, 4 bytes
        {U'\U0010FFFF', "\xF4\x8F\xBF\xBF"}, // largest code point
    };
    for (const auto& c : cases) {
        EXPECT_EQ(encode(c.cp), c.bytes);
        EXPECT_EQ(ts::utf8::sequenceLength(c.bytes, 0), c.bytes.size());
        size_t pos = 0;
        EXPECT_EQ(ts::utf8::next(c.bytes, pos), c.cp);
        EXPECT_EQ(pos, c.bytes.size());
        EXPECT_TRUE(ts::utf8::isValid(c.bytes));
        EXPECT_EQ(ts::utf8::codePointCount(c.bytes), 1u);
    }
    EXPECT_EQ(ts::utf8::codePointCount("é Ω 日本語 🎉"), 9u);
    EXPECT_EQ(ts::utf8::decodeEscaped("aé日🎉"), U"aé日🎉");
    EXPECT_EQ(ts::utf8::encodeEscaped(U"aé日🎉"), "aé日🎉");
}

TEST(Utf8, InvalidBytesAreFoundAndReplaced)
{
    EXPECT_EQ(ts::utf8::findInvalid("abc\xFF"), 3u);
    EXPECT_EQ(ts::utf8::findInvalid("\x80"), 0u); // lone continuation byte
    EXPECT_EQ(ts::utf8::findInvalid("ok \xC0\xAF"), 3u); // overlong '/'
    EXPECT_EQ(ts::utf8::findInvalid("\xED\xA0\x80"), 0u); // surrogate U+D800
    EXPECT_EQ(ts::utf8::findInvalid("\xF4\x90\x80\x80"), 0u); // above U+10FFFF
    EXPECT_EQ(ts::utf8::findInvalid("0123456789\xE6\x97"), 10u); // cut short at the end
    EXPECT_EQ(ts::utf8::sequenceLength("\xE6\x97", 0), 0u);

    // Lossy: one U+FFFD per maximal subpart, as TextDecoder does.
    size_t pos = 0;
    EXPECT_EQ(ts::utf8::next("\xE6\x97(", pos), U'\uFFFD');
    EXPECT_EQ(pos, 2u);
    EXPECT_EQ(ts::utf8::toValidLossy("a\xFF"
                                     "b\xE6\x97"),
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD");
    EXPECT_EQ(ts::utf8::toValidLossy("valid é"), "valid é");
    EXPECT_EQ(ts::utf8::incompleteTailLength("ab\xF0\x9F\x8E"), 3u);
    EXPECT_EQ(ts::utf8::incompleteTailLength("ab\xF0\x9F\x8E\x89"), 0u);

    // Surrogateescape: every invalid byte survives a round trip.
    const std::string bad = "x\xFF\xE6\x97y\x80";
    const std::u32string escaped = ts::utf8::decodeEscaped(bad);
    EXPECT_EQ(escaped, U"x\xDCFF\xDCE6\xDC97y\xDC80"s);
    EXPECT_EQ(ts::utf8::encodeEscaped(escaped), bad);
}

TEST(Utf8, TrimmingNeverSplitsACodePoint)
{
    const std::string text = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x8E\x89z"; // a é 日 🎉 z: 1+2+3+4+1 bytes
    for (size_t maxBytes = 0; maxBytes <= text.size() + 1; ++maxBytes) {
        const std::string_view prefix = ts::utf8::prefixWithinBytes(text, maxBytes);
        const std::string_view suffix = ts::utf8::suffixWithinBytes(text, maxBytes);
        EXPECT_LE(prefix.size(), maxBytes);
        EXPECT_LE(suffix.size(), maxBytes);
        EXPECT_TRUE(ts::utf8::isValid(prefix)) << maxBytes;
        EXPECT_TRUE(ts::utf8::isValid(suffix)) << maxBytes;
    }
    EXPECT_EQ(ts::utf8::prefixWithinBytes(text, 5), "a\xC3\xA9");
    EXPECT_EQ(ts::utf8::prefixWithinBytes(text, 6), "a\xC3\xA9\xE6\x97\xA5");
    EXPECT_EQ(ts::utf8::suffixWithinBytes(text, 4), "z");
    EXPECT_EQ(ts::utf8::suffixWithinBytes(text, 5), "\xF0\x9F\x8E\x89z");
    EXPECT_EQ(ts::utf8::prefixWithinBytes(text, 100), text);

    EXPECT_EQ(ts::utf8::floorToBoundary(text, 2), 1u); // inside é
    EXPECT_EQ(ts::utf8::floorToBoundary(text, 8, 7), 7u); // never below the lower bound
    EXPECT_EQ(ts::utf8::floorToBoundary(text, 99), text.size());
    EXPECT_EQ(ts::utf8::ceilToBoundary(text, 4), 6u); // inside 日
    EXPECT_EQ(ts::utf8::ceilToBoundary(text, text.size()), text.size());
}

} // namespace
