// Normalizers of tokenizer.json and a table-driven NFC/NFD (canonical decomposition, reordering, composition).
#include "model/normalizer.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "model/unicode_regex.h"

namespace ts {

namespace {

struct CccRange
{
    uint32_t first;
    uint32_t last;
    uint32_t ccc;
};
struct Triple
{
    uint32_t a;
    uint32_t b;
    uint32_t c;
};

#include "model/nfc_tables.inc"

constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr int kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

uint32_t combiningClass(char32_t cp)
{
    if (cp < 0x300)
        return 0;
    auto it = std::upper_bound(std::begin(kCccRanges), std::end(kCccRanges), cp,
                               [](char32_t value, const CccRange& r) { return value < r.first; });
    if (it == std::begin(kCccRanges))
        return 0;
    --it;
    return cp <= it->last ? it->ccc : 0;
}

void decompose(char32_t cp, std::vector<char32_t>& out)
{
    if (cp >= kSBase && cp < kSBase + kSCount) {
        const char32_t s = cp - kSBase;
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount != 0)
            out.push_back(kTBase + s % kTCount);
        return;
    }
    if (cp >= 0xC0) {
        auto it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), cp,
                                   [](const Triple& t, char32_t value) { return t.a < value; });
        if (it != std::end(kDecompositions) && it->a == cp) {
            decompose(it->b, out);
            if (it->c)
                decompose(it->c, out);
            return;
        }
    }
    out.push_back(cp);
}

char32_t composePair(char32_t a, char32_t b)
{
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount)
        return a + (b - kTBase);
    auto it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), std::make_pair(a, b),
                               [](const Triple& t, const std::pair<char32_t, char32_t>& v) {
                                   return t.a < v.first || (t.a == v.first && t.b < v.second);
                               });
    if (it != std::end(kCompositions) && it->a == a && it->b == b)
        return it->c;
    return 0;
}

std::vector<char32_t> canonicalDecomposition(std::string_view text)
{
    std::vector<char32_t> cps;
    cps.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size())
        decompose(utf8::next(text, pos), cps);
    // Canonical ordering: stable sort of every run of non-starters by combining class.
    size_t i = 0;
    while (i < cps.size()) {
        if (combiningClass(cps[i]) == 0) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < cps.size() && combiningClass(cps[j]) != 0)
            ++j;
        if (j - i > 1)
            std::stable_sort(cps.begin() + i, cps.begin() + j,
                             [](char32_t x, char32_t y) { return combiningClass(x) < combiningClass(y); });
        i = j;
    }
    return cps;
}

// No code point below U+0300 changes under NFC/NFD composition with its neighbours unless one at or above
// U+0300 (lead byte >= 0xCC) is present, and precomposed Latin-1 letters are already NFC.
bool belowCombiningRange(std::string_view text)
{
    return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xCC; });
}

bool nfdUnaffected(std::string_view text)
{
    return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xC3; });
}

} // namespace

std::string toNfd(std::string_view text)
{
    if (nfdUnaffected(text))
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    for (char32_t cp : canonicalDecomposition(text))
        utf8::append(out, cp);
    return out;
}

std::string toNfc(std::string_view text)
{
    if (belowCombiningRange(text))
        return std::string(text);
    std::vector<char32_t> cps = canonicalDecomposition(text);
    std::vector<char32_t> result;
    result.reserve(cps.size());
    long starter = -1;
    uint32_t lastClass = 0;
    for (char32_t c : cps) {
        const uint32_t cc = combiningClass(c);
        if (starter >= 0) {
            const bool adjacent = static_cast<long>(result.size()) - 1 == starter;
            if (adjacent || (lastClass != 0 && lastClass < cc)) {
                if (char32_t composite = composePair(result[starter], c)) {
                    result[starter] = composite;
                    continue;
                }
            }
        }
        if (cc == 0)
            starter = static_cast<long>(result.size());
        lastClass = cc;
        result.push_back(c);
    }
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : result)
        utf8::append(out, cp);
    return out;
}

bool isUnicodeWhitespace(char32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
}

namespace {

class NfcNormalizer final : public Normalizer
{
public:
    std::string normalize(std::string_view text) const override { return toNfc(text); }
};

class NfdNormalizer final : public Normalizer
{
public:
    std::string normalize(std::string_view text) const override { return toNfd(text); }
};

class PrependNormalizer final : public Normalizer
{
public:
    explicit PrependNormalizer(std::string prefix)
        : m_prefix(std::move(prefix))
    { }
    std::string normalize(std::string_view text) const override
    {
        return text.empty() ? std::string() : m_prefix + std::string(text);
    }

private:
    std::string m_prefix;
};

class ReplaceNormalizer final : public Normalizer
{
public:
    ReplaceNormalizer(UnicodeRegex pattern, std::string content)
        : m_pattern(std::move(pattern))
        , m_content(std::move(content))
    { }
    std::string normalize(std::string_view text) const override { return m_pattern.replaceAll(text, m_content); }

private:
    UnicodeRegex m_pattern;
    std::string m_content;
};

class StripNormalizer final : public Normalizer
{
public:
    StripNormalizer(bool left, bool right)
        : m_left(left)
        , m_right(right)
    { }
    std::string normalize(std::string_view text) const override
    {
        size_t begin = 0, end = text.size();
        if (m_left) {
            while (begin < end) {
                size_t pos = begin;
                if (!isUnicodeWhitespace(utf8::next(text, pos)))
                    break;
                begin = pos;
            }
        }
        if (m_right) {
            while (end > begin) {
                const size_t start = utf8::floorToBoundary(text, end - 1, begin);
                size_t pos = start;
                if (!isUnicodeWhitespace(utf8::next(text, pos)))
                    break;
                end = start;
            }
        }
        return std::string(text.substr(begin, end - begin));
    }

private:
    bool m_left;
    bool m_right;
};

class SequenceNormalizer final : public Normalizer
{
public:
    explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> items)
        : m_items(std::move(items))
    { }
    std::string normalize(std::string_view text) const override
    {
        std::string current(text);
        for (const auto& item : m_items)
            current = item->normalize(current);
        return current;
    }

private:
    std::vector<std::unique_ptr<Normalizer>> m_items;
};

} // namespace

Expected<std::unique_ptr<Normalizer>> makeNormalizer(const nlohmann::json& config, const std::string& where)
{
    if (config.is_null())
        return std::unique_ptr<Normalizer>();
    if (!config.is_object() || !config.contains("type") || !config["type"].is_string())
        return makeError(where + ": expected an object with a \"type\"");
    const std::string type = config["type"].get<std::string>();
    if (type == "NFC")
        return std::unique_ptr<Normalizer>(std::make_unique<NfcNormalizer>());
    if (type == "NFD")
        return std::unique_ptr<Normalizer>(std::make_unique<NfdNormalizer>());
    if (type == "Prepend") {
        if (!config.contains("prepend") || !config["prepend"].is_string())
            return makeError(where + ".prepend: expected a string");
        return std::unique_ptr<Normalizer>(std::make_unique<PrependNormalizer>(config["prepend"].get<std::string>()));
    }
    if (type == "Replace") {
        auto pattern = patternFromJson(config.value("pattern", nlohmann::json()), where + ".pattern");
        if (!pattern)
            return pattern.error();
        if (!config.contains("content") || !config["content"].is_string())
            return makeError(where + ".content: expected a string");
        return std::unique_ptr<Normalizer>(
            std::make_unique<ReplaceNormalizer>(std::move(*pattern), config["content"].get<std::string>()));
    }
    if (type == "Strip") {
        return std::unique_ptr<Normalizer>(
            std::make_unique<StripNormalizer>(config.value("strip_left", false), config.value("strip_right", false)));
    }
    if (type == "Sequence") {
        const auto& list = config.value("normalizers", nlohmann::json());
        if (!list.is_array())
            return makeError(where + ".normalizers: expected an array");
        std::vector<std::unique_ptr<Normalizer>> items;
        for (size_t i = 0; i < list.size(); ++i) {
            auto item = makeNormalizer(list[i], where + ".normalizers[" + std::to_string(i) + "]");
            if (!item)
                return item.error();
            if (*item)
                items.push_back(std::move(*item));
        }
        return std::unique_ptr<Normalizer>(std::make_unique<SequenceNormalizer>(std::move(items)));
    }
    return makeError(where + ": unsupported normalizer '" + type + "'");
}

} // namespace ts
