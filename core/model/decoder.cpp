// Decoders: turn token strings back into text (byte-level bytes, SentencePiece "▁", <0xHH> byte tokens).
#include "model/decoder.h"

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "model/byte_level.h"
#include "model/unicode_regex.h"

namespace ts {

namespace {

class ByteLevelDecoder final : public Decoder
{
public:
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        std::vector<DecodePiece> out;
        std::string bytes;
        bool pending = false;
        auto flush = [&] {
            if (pending)
                out.push_back({utf8::toValidLossy(bytes), false});
            bytes.clear();
            pending = false;
        };
        for (auto& piece : pieces) {
            if (piece.added) {
                flush();
                out.push_back(std::move(piece));
                continue;
            }
            pending = true;
            size_t pos = 0;
            while (pos < piece.text.size()) {
                const size_t start = pos;
                const char32_t cp = utf8::next(piece.text, pos);
                if (auto byte = byte_level::codePointToByte(cp))
                    bytes.push_back(static_cast<char>(*byte));
                else
                    bytes.append(piece.text, start, pos - start); // outside the alphabet: keep as is
            }
        }
        flush();
        pieces = std::move(out);
    }
};

class MetaspaceDecoder final : public Decoder
{
public:
    MetaspaceDecoder(std::string replacement, bool stripFirst)
        : m_replacement(std::move(replacement))
        , m_stripFirst(stripFirst)
    { }
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        for (size_t i = 0; i < pieces.size(); ++i) {
            std::string text;
            const std::string& in = pieces[i].text;
            for (size_t pos = 0; pos < in.size();) {
                if (in.compare(pos, m_replacement.size(), m_replacement) == 0) {
                    text += ' ';
                    pos += m_replacement.size();
                } else {
                    text += in[pos++];
                }
            }
            if (i == 0 && m_stripFirst && !text.empty() && text[0] == ' ')
                text.erase(0, 1);
            pieces[i].text = std::move(text);
        }
    }

private:
    std::string m_replacement;
    bool m_stripFirst;
};

class ReplaceDecoder final : public Decoder
{
public:
    ReplaceDecoder(UnicodeRegex pattern, std::string content)
        : m_pattern(std::move(pattern))
        , m_content(std::move(content))
    { }
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        for (auto& piece : pieces)
            piece.text = m_pattern.replaceAll(piece.text, m_content);
    }

private:
    UnicodeRegex m_pattern;
    std::string m_content;
};

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

class ByteFallbackDecoder final : public Decoder
{
public:
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        std::vector<DecodePiece> out;
        std::string bytes;
        for (auto& piece : pieces) {
            const std::string& t = piece.text;
            if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && hexValue(t[3]) >= 0
                && hexValue(t[4]) >= 0) {
                bytes.push_back(static_cast<char>(hexValue(t[3]) * 16 + hexValue(t[4])));
                continue;
            }
            if (!bytes.empty()) {
                out.push_back({utf8::toValidLossy(bytes), false});
                bytes.clear();
            }
            out.push_back(std::move(piece));
        }
        if (!bytes.empty())
            out.push_back({utf8::toValidLossy(bytes), false});
        pieces = std::move(out);
    }
};

class FuseDecoder final : public Decoder
{
public:
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        std::string all;
        for (const auto& piece : pieces)
            all += piece.text;
        pieces.assign(1, DecodePiece {std::move(all), false});
    }
};

class StripDecoder final : public Decoder
{
public:
    StripDecoder(char32_t content, size_t start, size_t stop)
        : m_content(content)
        , m_start(start)
        , m_stop(stop)
    { }
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        for (auto& piece : pieces) {
            std::vector<size_t> starts; // byte offset of every code point
            const std::string& t = piece.text;
            std::vector<char32_t> cps;
            for (size_t pos = 0; pos < t.size();) {
                starts.push_back(pos);
                cps.push_back(utf8::next(t, pos));
            }
            size_t startCut = 0;
            for (size_t i = 0; i < m_start && i < cps.size() && cps[i] == m_content; ++i)
                startCut = i + 1;
            size_t stopCut = cps.size();
            for (size_t i = 0; i < m_stop && i < cps.size(); ++i) {
                const size_t index = cps.size() - i - 1;
                if (cps[index] != m_content)
                    break;
                stopCut = index;
            }
            if (stopCut <= startCut) {
                piece.text.clear();
                continue;
            }
            const size_t begin = startCut < starts.size() ? starts[startCut] : t.size();
            const size_t end = stopCut < starts.size() ? starts[stopCut] : t.size();
            piece.text = t.substr(begin, end - begin);
        }
    }

private:
    char32_t m_content;
    size_t m_start;
    size_t m_stop;
};

class BpeSuffixDecoder final : public Decoder
{
public:
    explicit BpeSuffixDecoder(std::string suffix)
        : m_suffix(std::move(suffix))
    { }
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        if (m_suffix.empty())
            return;
        for (size_t i = 0; i < pieces.size(); ++i) {
            std::string& t = pieces[i].text;
            const std::string with = i + 1 == pieces.size() ? "" : " ";
            for (size_t pos = t.find(m_suffix); pos != std::string::npos; pos = t.find(m_suffix, pos + with.size()))
                t.replace(pos, m_suffix.size(), with);
        }
    }

private:
    std::string m_suffix;
};

class SequenceDecoder final : public Decoder
{
public:
    explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> items)
        : m_items(std::move(items))
    { }
    void decodeChain(std::vector<DecodePiece>& pieces) const override
    {
        for (const auto& item : m_items)
            item->decodeChain(pieces);
    }

private:
    std::vector<std::unique_ptr<Decoder>> m_items;
};

} // namespace

Expected<std::unique_ptr<Decoder>> makeDecoder(const nlohmann::json& config, const std::string& where)
{
    using Ptr = std::unique_ptr<Decoder>;
    if (config.is_null())
        return Ptr();
    if (!config.is_object() || !config.contains("type") || !config["type"].is_string())
        return makeError(where + ": expected an object with a \"type\"");
    const std::string type = config["type"].get<std::string>();
    if (type == "ByteLevel")
        return Ptr(std::make_unique<ByteLevelDecoder>());
    if (type == "Metaspace") {
        const std::string replacement = config.value("replacement", std::string("\u2581"));
        bool stripFirst = true;
        if (config.contains("prepend_scheme") && config["prepend_scheme"].is_string())
            stripFirst = config["prepend_scheme"].get<std::string>() != "never";
        else if (config.contains("add_prefix_space") && config["add_prefix_space"].is_boolean())
            stripFirst = config["add_prefix_space"].get<bool>();
        if (replacement.empty())
            return makeError(where + ".replacement: expected a non-empty string");
        return Ptr(std::make_unique<MetaspaceDecoder>(replacement, stripFirst));
    }
    if (type == "Replace") {
        auto pattern = patternFromJson(config.value("pattern", nlohmann::json()), where + ".pattern");
        if (!pattern)
            return pattern.error();
        if (!config.contains("content") || !config["content"].is_string())
            return makeError(where + ".content: expected a string");
        return Ptr(std::make_unique<ReplaceDecoder>(std::move(*pattern), config["content"].get<std::string>()));
    }
    if (type == "ByteFallback")
        return Ptr(std::make_unique<ByteFallbackDecoder>());
    if (type == "Fuse")
        return Ptr(std::make_unique<FuseDecoder>());
    if (type == "Strip") {
        const std::string content = config.value("content", std::string(" "));
        size_t pos = 0;
        const char32_t cp = content.empty() ? U' ' : utf8::next(content, pos);
        if (content.empty() || pos != content.size())
            return makeError(where + ".content: expected a single character");
        const auto start = config.value("start", 0);
        const auto stop = config.value("stop", 0);
        if (start < 0 || stop < 0)
            return makeError(where + ": start and stop must not be negative");
        return Ptr(std::make_unique<StripDecoder>(cp, static_cast<size_t>(start), static_cast<size_t>(stop)));
    }
    if (type == "BPEDecoder")
        return Ptr(std::make_unique<BpeSuffixDecoder>(config.value("suffix", std::string("</w>"))));
    if (type == "Sequence") {
        const auto& list = config.value("decoders", nlohmann::json());
        if (!list.is_array())
            return makeError(where + ".decoders: expected an array");
        std::vector<Ptr> items;
        for (size_t i = 0; i < list.size(); ++i) {
            auto item = makeDecoder(list[i], where + ".decoders[" + std::to_string(i) + "]");
            if (!item)
                return item.error();
            if (*item)
                items.push_back(std::move(*item));
        }
        return Ptr(std::make_unique<SequenceDecoder>(std::move(items)));
    }
    return makeError(where + ": unsupported decoder '" + type + "'");
}

} // namespace ts
