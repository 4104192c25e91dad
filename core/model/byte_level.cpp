// GPT-2 bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 to U+0100 + n in order.
#include "model/byte_level.h"

#include "common/utf8.h"

namespace ts::byte_level {

namespace {

struct Tables
{
    std::array<char32_t, 256> toCodePoint {};
    std::array<std::string, 256> toUtf8 {};
    std::array<int, 324> toByte {}; // code points 0..323 (U+0143 is the last one used)

    Tables()
    {
        toByte.fill(-1);
        int extra = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            toCodePoint[b] = printable ? char32_t(b) : char32_t(256 + extra++);
        }
        for (int b = 0; b < 256; ++b) {
            utf8::append(toUtf8[b], toCodePoint[b]);
            toByte[toCodePoint[b]] = b;
        }
    }
};

const Tables& tables()
{
    static const Tables instance;
    return instance;
}

} // namespace

char32_t byteToCodePoint(unsigned char byte)
{
    return tables().toCodePoint[byte];
}

std::optional<unsigned char> codePointToByte(char32_t cp)
{
    const auto& t = tables();
    if (cp >= t.toByte.size() || t.toByte[cp] < 0)
        return std::nullopt;
    return static_cast<unsigned char>(t.toByte[cp]);
}

void encodeAppend(std::string& out, std::string_view bytes)
{
    const auto& t = tables();
    for (char c : bytes)
        out += t.toUtf8[static_cast<unsigned char>(c)];
}

std::string encode(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    encodeAppend(out, bytes);
    return out;
}

std::optional<std::string> decode(std::string_view token)
{
    std::string out;
    out.reserve(token.size());
    size_t pos = 0;
    while (pos < token.size()) {
        auto byte = codePointToByte(utf8::next(token, pos));
        if (!byte)
            return std::nullopt;
        out.push_back(static_cast<char>(*byte));
    }
    return out;
}

} // namespace ts::byte_level
