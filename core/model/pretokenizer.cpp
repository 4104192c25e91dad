// Pre-tokenizers: regex/literal Split with the five delimiter behaviours, GPT-2 ByteLevel, SentencePiece Metaspace.
#include "model/pretokenizer.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "model/byte_level.h"
#include "model/unicode_regex.h"

namespace ts {

std::vector<std::string> splitWithBehavior(std::string_view text, const std::vector<std::pair<size_t, size_t>>& matches,
                                           SplitBehavior behavior, bool invert)
{
    struct Part
    {
        size_t begin;
        size_t end;
        bool isMatch;
    };
    std::vector<Part> parts;
    parts.reserve(matches.size() * 2 + 1);
    size_t prev = 0;
    for (const auto& [begin, end] : matches) {
        if (begin > prev)
            parts.push_back({prev, begin, invert});
        parts.push_back({begin, end, !invert});
        prev = end;
    }
    if (prev < text.size())
        parts.push_back({prev, text.size(), invert});

    std::vector<Part> merged;
    merged.reserve(parts.size());
    switch (behavior) {
    case SplitBehavior::Removed:
        for (const auto& p : parts)
            if (!p.isMatch)
                merged.push_back(p);
        break;
    case SplitBehavior::Isolated:
        merged = parts;
        break;
    case SplitBehavior::MergedWithPrevious: {
        bool previousMatch = false;
        for (const auto& p : parts) {
            if (p.isMatch && !previousMatch && !merged.empty())
                merged.back().end = p.end;
            else
                merged.push_back(p);
            previousMatch = p.isMatch;
        }
        break;
    }
    case SplitBehavior::MergedWithNext: {
        bool previousMatch = false;
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
            if (it->isMatch && !previousMatch && !merged.empty())
                merged.back().begin = it->begin;
            else
                merged.push_back(*it);
            previousMatch = it->isMatch;
        }
        std::reverse(merged.begin(), merged.end());
        break;
    }
    case SplitBehavior::Contiguous: {
        bool previousMatch = false;
        bool first = true;
        for (const auto& p : parts) {
            if (!first && p.isMatch == previousMatch)
                merged.back().end = p.end;
            else
                merged.push_back(p);
            previousMatch = p.isMatch;
            first = false;
        }
        break;
    }
    }
    std::vector<std::string> out;
    out.reserve(merged.size());
    for (const auto& p : merged)
        if (p.end > p.begin)
            out.emplace_back(text.substr(p.begin, p.end - p.begin));
    return out;
}

namespace {

class SplitPreTokenizer final : public PreTokenizer
{
public:
    SplitPreTokenizer(UnicodeRegex pattern, SplitBehavior behavior, bool invert)
        : m_pattern(std::move(pattern))
        , m_behavior(behavior)
        , m_invert(invert)
    { }
    void preTokenize(std::vector<std::string>& pieces, bool) const override
    {
        std::vector<std::string> out;
        out.reserve(pieces.size() * 4);
        for (const auto& piece : pieces) {
            auto parts = splitWithBehavior(piece, m_pattern.findAll(piece), m_behavior, m_invert);
            for (auto& part : parts)
                out.push_back(std::move(part));
        }
        pieces = std::move(out);
    }

private:
    UnicodeRegex m_pattern;
    SplitBehavior m_behavior;
    bool m_invert;
};

constexpr const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPreTokenizer final : public PreTokenizer
{
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, std::optional<UnicodeRegex> regex)
        : m_addPrefixSpace(addPrefixSpace)
        , m_regex(std::move(regex))
    { }
    void preTokenize(std::vector<std::string>& pieces, bool) const override
    {
        std::vector<std::string> out;
        out.reserve(pieces.size());
        for (auto& piece : pieces) {
            if (m_addPrefixSpace && (piece.empty() || piece[0] != ' '))
                piece.insert(piece.begin(), ' ');
            if (m_regex) {
                for (const auto& [begin, end] : m_regex->findAll(piece))
                    out.push_back(byte_level::encode(std::string_view(piece).substr(begin, end - begin)));
                // Text between matches cannot occur with the GPT-2 pattern (it matches every character).
            } else {
                out.push_back(byte_level::encode(piece));
            }
        }
        pieces = std::move(out);
    }

private:
    bool m_addPrefixSpace;
    std::optional<UnicodeRegex> m_regex;
};

enum class PrependScheme { Always, First, Never };

class MetaspacePreTokenizer final : public PreTokenizer
{
public:
    MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
        : m_replacement(std::move(replacement))
        , m_scheme(scheme)
        , m_split(split)
    { }
    void preTokenize(std::vector<std::string>& pieces, bool atInputStart) const override
    {
        std::vector<std::string> out;
        for (size_t i = 0; i < pieces.size(); ++i) {
            std::string text;
            for (char c : pieces[i]) {
                if (c == ' ')
                    text += m_replacement;
                else
                    text += c;
            }
            const bool prepend
                = m_scheme == PrependScheme::Always || (m_scheme == PrependScheme::First && atInputStart && i == 0);
            if (prepend && text.rfind(m_replacement, 0) != 0)
                text = m_replacement + text;
            if (!m_split) {
                out.push_back(std::move(text));
                continue;
            }
            std::vector<std::pair<size_t, size_t>> matches;
            for (size_t pos = text.find(m_replacement); pos != std::string::npos;
                 pos = text.find(m_replacement, pos + m_replacement.size()))
                matches.emplace_back(pos, pos + m_replacement.size());
            for (auto& part : splitWithBehavior(text, matches, SplitBehavior::MergedWithNext, false))
                out.push_back(std::move(part));
        }
        pieces = std::move(out);
    }

private:
    std::string m_replacement;
    PrependScheme m_scheme;
    bool m_split;
};

class SequencePreTokenizer final : public PreTokenizer
{
public:
    explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> items)
        : m_items(std::move(items))
    { }
    void preTokenize(std::vector<std::string>& pieces, bool atInputStart) const override
    {
        for (const auto& item : m_items)
            item->preTokenize(pieces, atInputStart);
    }

private:
    std::vector<std::unique_ptr<PreTokenizer>> m_items;
};

Expected<std::unique_ptr<PreTokenizer>> regexSplit(const char* pattern, SplitBehavior behavior, bool invert,
                                                   const std::string& where)
{
    auto regex = UnicodeRegex::compile(pattern);
    if (!regex)
        return makeError(where + ": " + regex.error().message);
    return std::unique_ptr<PreTokenizer>(std::make_unique<SplitPreTokenizer>(std::move(*regex), behavior, invert));
}

} // namespace

Expected<std::unique_ptr<PreTokenizer>> makePreTokenizer(const nlohmann::json& config, const std::string& where)
{
    using Ptr = std::unique_ptr<PreTokenizer>;
    if (config.is_null())
        return Ptr();
    if (!config.is_object() || !config.contains("type") || !config["type"].is_string())
        return makeError(where + ": expected an object with a \"type\"");
    const std::string type = config["type"].get<std::string>();
    if (type == "Sequence") {
        const auto& list = config.value("pretokenizers", nlohmann::json());
        if (!list.is_array())
            return makeError(where + ".pretokenizers: expected an array");
        std::vector<Ptr> items;
        for (size_t i = 0; i < list.size(); ++i) {
            auto item = makePreTokenizer(list[i], where + ".pretokenizers[" + std::to_string(i) + "]");
            if (!item)
                return item.error();
            if (*item)
                items.push_back(std::move(*item));
        }
        return Ptr(std::make_unique<SequencePreTokenizer>(std::move(items)));
    }
    if (type == "Split") {
        auto pattern = patternFromJson(config.value("pattern", nlohmann::json()), where + ".pattern");
        if (!pattern)
            return pattern.error();
        const std::string name = config.value("behavior", std::string("Isolated"));
        SplitBehavior behavior;
        if (name == "Removed")
            behavior = SplitBehavior::Removed;
        else if (name == "Isolated")
            behavior = SplitBehavior::Isolated;
        else if (name == "MergedWithPrevious")
            behavior = SplitBehavior::MergedWithPrevious;
        else if (name == "MergedWithNext")
            behavior = SplitBehavior::MergedWithNext;
        else if (name == "Contiguous")
            behavior = SplitBehavior::Contiguous;
        else
            return makeError(where + ".behavior: unsupported split behavior '" + name + "'");
        return Ptr(std::make_unique<SplitPreTokenizer>(std::move(*pattern), behavior, config.value("invert", false)));
    }
    if (type == "ByteLevel") {
        std::optional<UnicodeRegex> regex;
        if (config.value("use_regex", true)) {
            auto compiled = UnicodeRegex::compile(kGpt2Pattern);
            if (!compiled)
                return makeError(where + ": " + compiled.error().message);
            regex = std::move(*compiled);
        }
        return Ptr(std::make_unique<ByteLevelPreTokenizer>(config.value("add_prefix_space", false), std::move(regex)));
    }
    if (type == "Metaspace") {
        const std::string replacement = config.value("replacement", std::string("\u2581"));
        PrependScheme scheme = PrependScheme::Always;
        if (config.contains("prepend_scheme") && config["prepend_scheme"].is_string()) {
            const std::string name = config["prepend_scheme"].get<std::string>();
            if (name == "always")
                scheme = PrependScheme::Always;
            else if (name == "first")
                scheme = PrependScheme::First;
            else if (name == "never")
                scheme = PrependScheme::Never;
            else
                return makeError(where + ".prepend_scheme: unsupported value '" + name + "'");
        } else if (config.contains("add_prefix_space") && config["add_prefix_space"].is_boolean()) {
            scheme = config["add_prefix_space"].get<bool>() ? PrependScheme::Always : PrependScheme::Never;
        }
        if (replacement.empty())
            return makeError(where + ".replacement: expected a non-empty string");
        return Ptr(std::make_unique<MetaspacePreTokenizer>(replacement, scheme, config.value("split", true)));
    }
    if (type == "Digits")
        return regexSplit(config.value("individual_digits", false) ? R"(\p{Nd})" : R"(\p{Nd}+)",
                          SplitBehavior::Isolated, false, where);
    if (type == "Whitespace")
        return regexSplit(R"(\w+|[^\w\s]+)", SplitBehavior::Removed, true, where);
    if (type == "WhitespaceSplit")
        return regexSplit(R"(\s+)", SplitBehavior::Removed, false, where);
    return makeError(where + ": unsupported pre-tokenizer '" + type + "'");
}

} // namespace ts
