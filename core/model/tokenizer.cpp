// Tokenizer: added-token splitting, normalizer, pre-tokenizer, BPE, post-processor and decoder of tokenizer.json.
#include "model/tokenizer.h"

#include "common/file_io.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "model/bpe.h"
#include "model/decoder.h"
#include "model/normalizer.h"
#include "model/pretokenizer.h"
#include "model/unicode_regex.h"

namespace ts {

namespace {

using json = nlohmann::json;

// Added-token contents in a byte trie for leftmost-longest matching.
class TokenTrie
{
public:
    TokenTrie() { m_root.fill(-1); }
    bool empty() const { return m_nodes.empty(); }

    void insert(std::string_view content, int token)
    {
        if (content.empty())
            return;
        int node = child(-1, static_cast<unsigned char>(content[0]), true);
        for (size_t i = 1; i < content.size(); ++i)
            node = child(node, static_cast<unsigned char>(content[i]), true);
        if (m_nodes[node].token < 0)
            m_nodes[node].token = token;
    }

    // Longest token starting at text[pos]: {token, length}, or {-1, 0}.
    std::pair<int, size_t> longest(std::string_view text, size_t pos) const
    {
        std::pair<int, size_t> best {-1, 0};
        int node = child(-1, static_cast<unsigned char>(text[pos]));
        size_t i = pos + 1;
        while (node >= 0) {
            if (m_nodes[node].token >= 0)
                best = {m_nodes[node].token, i - pos};
            if (i >= text.size())
                break;
            node = child(node, static_cast<unsigned char>(text[i++]));
        }
        return best;
    }

private:
    struct Node
    {
        std::vector<std::pair<unsigned char, int>> next;
        int token = -1;
    };

    int child(int node, unsigned char byte, bool create = false)
    {
        if (node < 0) {
            if (m_root[byte] < 0 && create) {
                m_root[byte] = static_cast<int>(m_nodes.size());
                m_nodes.emplace_back();
            }
            return m_root[byte];
        }
        for (const auto& [b, n] : m_nodes[node].next)
            if (b == byte)
                return n;
        if (!create)
            return -1;
        const int n = static_cast<int>(m_nodes.size());
        m_nodes.emplace_back();
        m_nodes[node].next.emplace_back(byte, n);
        return n;
    }
    int child(int node, unsigned char byte) const
    {
        if (node < 0)
            return m_root[byte];
        for (const auto& [b, n] : m_nodes[node].next)
            if (b == byte)
                return n;
        return -1;
    }

    std::array<int, 256> m_root {};
    std::vector<Node> m_nodes;
};

// One step of the post-processor for a single sequence: special ids and the sequence, in template order.
struct TemplateItem
{
    bool isSequence = false;
    std::vector<int32_t> ids;
};
using Template = std::vector<TemplateItem>;

struct Section
{
    std::string_view text;
    int token = -1; // index into addedTokens when this section is an added token
};

Expected<json> parseJson(std::string_view text, const std::string& where)
{
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        return makeError(where + ": not valid JSON (" + e.what() + ")");
    }
}

// tokenizer_config.json tokens are strings or {"content": ...} objects.
std::string tokenContent(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_object() && value.contains("content") && value["content"].is_string())
        return value["content"].get<std::string>();
    return {};
}

std::optional<bool> optionalBool(const json& object, const char* key)
{
    if (object.is_object() && object.contains(key) && object[key].is_boolean())
        return object[key].get<bool>();
    return std::nullopt;
}

void replaceAll(std::string& text, std::string_view from, std::string_view to)
{
    for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

bool isWordChar(std::string_view ch)
{
    static const Expected<UnicodeRegex> word = UnicodeRegex::compile(R"(\w)");
    return word && word->matchesWhole(ch);
}

std::string_view lastChar(std::string_view text, size_t end)
{
    const size_t start = utf8::floorToBoundary(text, end - 1);
    return text.substr(start, end - start);
}

std::string_view firstChar(std::string_view text, size_t begin)
{
    size_t pos = begin;
    utf8::next(text, pos);
    return text.substr(begin, pos - begin);
}

std::string_view trimStartWhitespace(std::string_view text)
{
    size_t begin = 0;
    while (begin < text.size()) {
        size_t pos = begin;
        if (!isUnicodeWhitespace(utf8::next(text, pos)))
            break;
        begin = pos;
    }
    return text.substr(begin);
}

std::string_view trimEndWhitespace(std::string_view text)
{
    size_t end = text.size();
    while (end > 0) {
        std::string_view ch = lastChar(text, end);
        size_t pos = 0;
        if (!isUnicodeWhitespace(utf8::next(ch, pos)))
            break;
        end -= ch.size();
    }
    return text.substr(0, end);
}

} // namespace

struct Tokenizer::Impl
{
    std::string source;
    BpeModel model;
    std::unique_ptr<Normalizer> normalizer;
    std::unique_ptr<PreTokenizer> preTokenizer;
    std::unique_ptr<Decoder> decoder;
    std::vector<Template> postProcessors; // applied in order when adding special tokens

    std::vector<AddedToken> addedTokens;
    std::unordered_map<std::string, int> addedByContent;
    std::unordered_map<int32_t, int> addedById;
    TokenTrie rawTrie; // matched on the input text
    TokenTrie normalizedTrie; // matched after normalization
    std::unordered_set<int32_t> skipIds; // special tokens, skipped by decode(skipSpecialTokens)
    int32_t vocabSize = 0;

    std::string bosToken, eosToken, padToken, unkToken;
    std::optional<bool> addBos, addEos;
    bool cleanUp = true;
    std::string chatTemplate;
    std::map<std::string, std::string> chatTemplates;

    std::vector<Section> splitAdded(std::string_view text, const TokenTrie& trie) const;
    void encodeSection(std::string_view text, bool atInputStart, std::vector<int32_t>& ids) const;
};

std::vector<Section> Tokenizer::Impl::splitAdded(std::string_view text, const TokenTrie& trie) const
{
    std::vector<Section> sections;
    if (trie.empty()) {
        sections.push_back({text, -1});
        return sections;
    }
    size_t start = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        auto [token, length] = trie.longest(text, pos);
        if (token >= 0 && addedTokens[token].singleWord) {
            const bool before = pos == 0 || !isWordChar(lastChar(text, pos));
            const bool after = pos + length == text.size() || !isWordChar(firstChar(text, pos + length));
            if (!before || !after)
                token = -1;
        }
        if (token < 0) {
            ++pos;
            continue;
        }
        if (pos > start)
            sections.push_back({text.substr(start, pos - start), -1});
        sections.push_back({text.substr(pos, length), token});
        pos += length;
        start = pos;
    }
    if (start < text.size())
        sections.push_back({text.substr(start), -1});
    // lstrip / rstrip: the token swallows the whitespace next to it.
    for (size_t i = 0; i < sections.size(); ++i) {
        if (sections[i].token < 0)
            continue;
        const AddedToken& t = addedTokens[sections[i].token];
        if (t.lstrip && i > 0 && sections[i - 1].token < 0)
            sections[i - 1].text = trimEndWhitespace(sections[i - 1].text);
        if (t.rstrip && i + 1 < sections.size() && sections[i + 1].token < 0)
            sections[i + 1].text = trimStartWhitespace(sections[i + 1].text);
    }
    return sections;
}

void Tokenizer::Impl::encodeSection(std::string_view text, bool atInputStart, std::vector<int32_t>& ids) const
{
    std::vector<std::string> pieces {std::string(text)};
    if (preTokenizer)
        preTokenizer->preTokenize(pieces, atInputStart);
    for (const auto& piece : pieces)
        model.encodeWord(piece, ids);
}

Expected<Tokenizer> Tokenizer::fromJson(std::string_view tokenizerJson, std::string_view configJson,
                                        const std::string& sourceName)
{
    try {
        auto parsed = parseJson(tokenizerJson, sourceName);
        if (!parsed)
            return parsed.error();
        const json& root = *parsed;
        if (!root.is_object())
            return makeError(sourceName + ": expected a JSON object at the top level");
        if (!root.contains("model") || !root["model"].is_object())
            return makeError(sourceName + ": missing \"model\" object");
        const json& modelJson = root["model"];
        std::string type;
        if (modelJson.contains("type") && modelJson["type"].is_string())
            type = modelJson["type"].get<std::string>();
        else if (modelJson.contains("merges"))
            type = "BPE";
        else if (modelJson.contains("vocab") && modelJson["vocab"].is_array())
            type = "Unigram";
        else
            type = "WordPiece";
        if (type != "BPE")
            return makeError("unsupported tokenizer model '" + type + "' in " + sourceName);

        auto impl = std::make_shared<Impl>();
        impl->source = sourceName;
        auto model = BpeModel::fromJson(modelJson, sourceName);
        if (!model)
            return model.error();
        impl->model = std::move(*model);
        impl->vocabSize = impl->model.size();

        auto normalizer = makeNormalizer(root.value("normalizer", json()), sourceName + ": normalizer");
        if (!normalizer)
            return normalizer.error();
        impl->normalizer = std::move(*normalizer);
        auto preTokenizer = makePreTokenizer(root.value("pre_tokenizer", json()), sourceName + ": pre_tokenizer");
        if (!preTokenizer)
            return preTokenizer.error();
        impl->preTokenizer = std::move(*preTokenizer);
        auto decoder = makeDecoder(root.value("decoder", json()), sourceName + ": decoder");
        if (!decoder)
            return decoder.error();
        impl->decoder = std::move(*decoder);

        // added_tokens
        const json& added = root.value("added_tokens", json::array());
        if (!added.is_array())
            return makeError(sourceName + ": added_tokens: expected an array");
        for (size_t i = 0; i < added.size(); ++i) {
            const json& a = added[i];
            const std::string at = sourceName + ": added_tokens[" + std::to_string(i) + "]";
            if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer() || !a.contains("content")
                || !a["content"].is_string())
                return makeError(at + ": expected an object with integer \"id\" and string \"content\"");
            AddedToken t;
            t.id = a["id"].get<int32_t>();
            if (t.id < 0)
                return makeError(at + ".id: must not be negative");
            t.content = a["content"].get<std::string>();
            t.singleWord = a.value("single_word", false);
            t.lstrip = a.value("lstrip", false);
            t.rstrip = a.value("rstrip", false);
            t.special = a.value("special", false);
            t.normalized = a.value("normalized", !t.special);
            const int index = static_cast<int>(impl->addedTokens.size());
            impl->addedByContent[t.content] = index;
            impl->addedById[t.id] = index;
            if (t.normalized && impl->normalizer)
                impl->normalizedTrie.insert(impl->normalizer->normalize(t.content), index);
            else
                impl->rawTrie.insert(t.content, index);
            if (t.special)
                impl->skipIds.insert(t.id);
            impl->vocabSize = std::max(impl->vocabSize, t.id + 1);
            impl->addedTokens.push_back(std::move(t));
        }

        // post_processor
        const auto tokenIdOf = [&](const std::string& token) -> std::optional<int32_t> {
            auto it = impl->addedByContent.find(token);
            if (it != impl->addedByContent.end())
                return impl->addedTokens[it->second].id;
            return impl->model.tokenToId(token);
        };
        std::function<Status(const json&, const std::string&)> addPostProcessor;
        addPostProcessor = [&](const json& pp, const std::string& at) -> Status {
            if (pp.is_null())
                return {};
            if (!pp.is_object() || !pp.contains("type") || !pp["type"].is_string())
                return makeError(at + ": expected an object with a \"type\"");
            const std::string ppType = pp["type"].get<std::string>();
            if (ppType == "ByteLevel")
                return {};
            if (ppType == "Sequence") {
                const json& list = pp.value("processors", json());
                if (!list.is_array())
                    return makeError(at + ".processors: expected an array");
                for (size_t i = 0; i < list.size(); ++i)
                    if (auto s = addPostProcessor(list[i], at + ".processors[" + std::to_string(i) + "]"); !s)
                        return s;
                return {};
            }
            if (ppType == "TemplateProcessing") {
                const json& single = pp.value("single", json());
                if (!single.is_array())
                    return makeError(at + ".single: expected an array");
                const json& specials = pp.value("special_tokens", json::object());
                Template tmpl;
                for (size_t i = 0; i < single.size(); ++i) {
                    const json& item = single[i];
                    const std::string itemAt = at + ".single[" + std::to_string(i) + "]";
                    if (item.contains("Sequence")) {
                        tmpl.push_back({true, {}});
                    } else if (item.contains("SpecialToken") && item["SpecialToken"].contains("id")) {
                        const std::string name = item["SpecialToken"]["id"].get<std::string>();
                        TemplateItem special;
                        if (specials.contains(name) && specials[name].contains("ids")
                            && specials[name]["ids"].is_array()) {
                            for (const auto& id : specials[name]["ids"])
                                special.ids.push_back(id.get<int32_t>());
                        } else if (auto id = tokenIdOf(name)) {
                            special.ids.push_back(*id);
                        } else {
                            return makeError(itemAt + ": special token '" + name + "' has no id");
                        }
                        tmpl.push_back(std::move(special));
                    } else {
                        return makeError(itemAt + ": expected a SpecialToken or Sequence item");
                    }
                }
                impl->postProcessors.push_back(std::move(tmpl));
                return {};
            }
            if (ppType == "BertProcessing" || ppType == "RobertaProcessing") {
                const json& cls = pp.value("cls", json());
                const json& sep = pp.value("sep", json());
                if (!cls.is_array() || cls.size() != 2 || !sep.is_array() || sep.size() != 2)
                    return makeError(at + ": expected \"cls\" and \"sep\" as [token, id]");
                impl->postProcessors.push_back(
                    {{false, {cls[1].get<int32_t>()}}, {true, {}}, {false, {sep[1].get<int32_t>()}}});
                return {};
            }
            return makeError(at + ": unsupported post-processor '" + ppType + "'");
        };
        if (auto s = addPostProcessor(root.value("post_processor", json()), sourceName + ": post_processor"); !s)
            return s.error();

        // tokenizer_config.json
        if (!configJson.empty()) {
            const std::string configName = sourceName + " (tokenizer_config.json)";
            auto config = parseJson(configJson, configName);
            if (!config)
                return config.error();
            const json& c = *config;
            if (!c.is_object())
                return makeError(configName + ": expected a JSON object at the top level");
            impl->bosToken = tokenContent(c.value("bos_token", json()));
            impl->eosToken = tokenContent(c.value("eos_token", json()));
            impl->padToken = tokenContent(c.value("pad_token", json()));
            impl->unkToken = tokenContent(c.value("unk_token", json()));
            impl->addBos = optionalBool(c, "add_bos_token");
            impl->addEos = optionalBool(c, "add_eos_token");
            impl->cleanUp = optionalBool(c, "clean_up_tokenization_spaces").value_or(true);
            for (const auto& extra : c.value("additional_special_tokens", json::array())) {
                if (auto id = tokenIdOf(tokenContent(extra)))
                    impl->skipIds.insert(*id);
            }
            const json& tmpl = c.value("chat_template", json());
            if (tmpl.is_string()) {
                impl->chatTemplate = tmpl.get<std::string>();
                impl->chatTemplates["default"] = impl->chatTemplate;
            } else if (tmpl.is_array()) {
                for (const auto& entry : tmpl) {
                    if (entry.is_object() && entry.value("name", json()).is_string()
                        && entry.value("template", json()).is_string())
                        impl->chatTemplates[entry["name"].get<std::string>()] = entry["template"].get<std::string>();
                }
                if (auto it = impl->chatTemplates.find("default"); it != impl->chatTemplates.end())
                    impl->chatTemplate = it->second;
            }
        }
        if (impl->unkToken.empty() && impl->model.unkId())
            impl->unkToken = impl->model.idToToken(*impl->model.unkId());

        Tokenizer tokenizer;
        tokenizer.m_impl = std::move(impl);
        return tokenizer;
    } catch (const std::exception& e) {
        // Wrong JSON value types deep inside the file (e.g. a number where a string belongs).
        return makeError(sourceName + ": invalid tokenizer file (" + e.what() + ")");
    }
}

Expected<Tokenizer> Tokenizer::load(const std::filesystem::path& tokenizerJson,
                                    const std::optional<std::filesystem::path>& configJson)
{
    auto text = readFile(tokenizerJson);
    if (!text)
        return text.error();
    std::string config;
    if (configJson) {
        auto configText = readFile(*configJson);
        if (!configText)
            return configText.error();
        config = std::move(*configText);
    }
    return fromJson(*text, config, tokenizerJson.string());
}

Expected<Tokenizer> Tokenizer::loadFromPath(const std::filesystem::path& dirOrFile)
{
    std::error_code ec;
    const bool isDir = std::filesystem::is_directory(dirOrFile, ec);
    const std::filesystem::path dir = isDir ? dirOrFile : dirOrFile.parent_path();
    const std::filesystem::path file = isDir ? dirOrFile / "tokenizer.json" : dirOrFile;
    if (!std::filesystem::is_regular_file(file, ec))
        return makeError("no tokenizer.json at " + file.string());
    std::optional<std::filesystem::path> config;
    if (std::filesystem::is_regular_file(dir / "tokenizer_config.json", ec))
        config = dir / "tokenizer_config.json";
    auto tokenizer = load(file, config);
    if (!tokenizer)
        return tokenizer;
    if (std::filesystem::is_regular_file(dir / "chat_template.jinja", ec)) {
        auto tmpl = readFile(dir / "chat_template.jinja");
        if (!tmpl)
            return tmpl.error();
        tokenizer->m_impl->chatTemplate = *tmpl; // not shared with anyone yet
        tokenizer->m_impl->chatTemplates["default"] = *tmpl;
    }
    return tokenizer;
}

std::vector<int32_t> Tokenizer::encode(std::string_view input, bool addSpecialTokens) const
{
    std::vector<int32_t> ids;
    if (!m_impl)
        return ids;
    const Impl& d = *m_impl;
    std::string repaired;
    std::string_view text = input;
    if (!utf8::isValid(text)) {
        repaired = utf8::toValidLossy(text);
        text = repaired;
    }
    ids.reserve(text.size() / 3 + 4);
    const auto sections = d.splitAdded(text, d.rawTrie);
    for (size_t i = 0; i < sections.size(); ++i) {
        const Section& section = sections[i];
        if (section.token >= 0) {
            ids.push_back(d.addedTokens[section.token].id);
            continue;
        }
        if (section.text.empty())
            continue;
        std::string normalized = d.normalizer ? d.normalizer->normalize(section.text) : std::string(section.text);
        if (normalized.empty())
            continue;
        const auto parts = d.splitAdded(normalized, d.normalizedTrie);
        for (size_t j = 0; j < parts.size(); ++j) {
            if (parts[j].token >= 0)
                ids.push_back(d.addedTokens[parts[j].token].id);
            else if (!parts[j].text.empty())
                d.encodeSection(parts[j].text, i == 0 && j == 0, ids);
        }
    }
    if (addSpecialTokens) {
        for (const Template& tmpl : d.postProcessors) {
            std::vector<int32_t> out;
            out.reserve(ids.size() + 4);
            for (const TemplateItem& item : tmpl) {
                if (item.isSequence)
                    out.insert(out.end(), ids.begin(), ids.end());
                else
                    out.insert(out.end(), item.ids.begin(), item.ids.end());
            }
            ids = std::move(out);
        }
    }
    return ids;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool skipSpecialTokens) const
{
    DecodeOptions options;
    options.skipSpecialTokens = skipSpecialTokens;
    return decode(ids, options);
}

std::string Tokenizer::decode(std::span<const int32_t> ids, const DecodeOptions& options) const
{
    if (!m_impl)
        return {};
    const Impl& d = *m_impl;
    std::vector<DecodePiece> pieces;
    pieces.reserve(ids.size());
    for (int32_t id : ids) {
        if (options.skipSpecialTokens && d.skipIds.count(id))
            continue;
        if (auto it = d.addedById.find(id); it != d.addedById.end()) {
            pieces.push_back({d.addedTokens[it->second].content, true});
            continue;
        }
        const std::string& token = d.model.idToToken(id);
        if (!token.empty())
            pieces.push_back({token, false});
        else if (d.model.unkId())
            pieces.push_back({d.model.idToToken(*d.model.unkId()), false});
    }
    std::string text;
    if (d.decoder) {
        d.decoder->decodeChain(pieces);
        for (const auto& piece : pieces)
            text += piece.text;
    } else {
        for (size_t i = 0; i < pieces.size(); ++i) {
            if (i > 0)
                text += ' ';
            text += pieces[i].text;
        }
    }
    if (options.cleanUpTokenizationSpaces) {
        static constexpr std::pair<std::string_view, std::string_view> kCleanUps[]
            = {{" .", "."},     {" ?", "?"},   {" !", "!"},   {" ,", ","},     {" ' ", "'"},
               {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
        for (const auto& [from, to] : kCleanUps)
            replaceAll(text, from, to);
    }
    return utf8::toValidLossy(text);
}

int32_t Tokenizer::vocabSize() const
{
    return m_impl ? m_impl->vocabSize : 0;
}

std::optional<int32_t> Tokenizer::tokenToId(std::string_view token) const
{
    if (!m_impl)
        return std::nullopt;
    if (auto it = m_impl->addedByContent.find(std::string(token)); it != m_impl->addedByContent.end())
        return m_impl->addedTokens[it->second].id;
    return m_impl->model.tokenToId(token);
}

std::optional<std::string> Tokenizer::idToToken(int32_t id) const
{
    if (!m_impl)
        return std::nullopt;
    if (auto it = m_impl->addedById.find(id); it != m_impl->addedById.end())
        return m_impl->addedTokens[it->second].content;
    const std::string& token = m_impl->model.idToToken(id);
    if (token.empty())
        return std::nullopt;
    return token;
}

bool Tokenizer::isSpecial(int32_t id) const
{
    return m_impl && m_impl->skipIds.count(id) > 0;
}

std::vector<int32_t> Tokenizer::specialTokenIds() const
{
    std::vector<int32_t> ids;
    if (m_impl)
        ids.assign(m_impl->skipIds.begin(), m_impl->skipIds.end());
    std::sort(ids.begin(), ids.end());
    return ids;
}

const std::vector<AddedToken>& Tokenizer::addedTokens() const
{
    static const std::vector<AddedToken> none;
    return m_impl ? m_impl->addedTokens : none;
}

namespace {
const std::string& emptyString()
{
    static const std::string empty;
    return empty;
}
} // namespace

const std::string& Tokenizer::bosToken() const
{
    return m_impl ? m_impl->bosToken : emptyString();
}
const std::string& Tokenizer::eosToken() const
{
    return m_impl ? m_impl->eosToken : emptyString();
}
const std::string& Tokenizer::padToken() const
{
    return m_impl ? m_impl->padToken : emptyString();
}
const std::string& Tokenizer::unkToken() const
{
    return m_impl ? m_impl->unkToken : emptyString();
}
std::optional<int32_t> Tokenizer::bosTokenId() const
{
    return bosToken().empty() ? std::nullopt : tokenToId(bosToken());
}
std::optional<int32_t> Tokenizer::eosTokenId() const
{
    return eosToken().empty() ? std::nullopt : tokenToId(eosToken());
}
std::optional<int32_t> Tokenizer::padTokenId() const
{
    return padToken().empty() ? std::nullopt : tokenToId(padToken());
}
std::optional<int32_t> Tokenizer::unkTokenId() const
{
    return unkToken().empty() ? std::nullopt : tokenToId(unkToken());
}
std::optional<bool> Tokenizer::addBosToken() const
{
    return m_impl ? m_impl->addBos : std::nullopt;
}
std::optional<bool> Tokenizer::addEosToken() const
{
    return m_impl ? m_impl->addEos : std::nullopt;
}
bool Tokenizer::cleanUpTokenizationSpaces() const
{
    return m_impl ? m_impl->cleanUp : true;
}
const std::string& Tokenizer::chatTemplate() const
{
    return m_impl ? m_impl->chatTemplate : emptyString();
}
const std::map<std::string, std::string>& Tokenizer::chatTemplates() const
{
    static const std::map<std::string, std::string> none;
    return m_impl ? m_impl->chatTemplates : none;
}

TokenStreamDecoder::TokenStreamDecoder(const Tokenizer& tokenizer, bool skipSpecialTokens)
    : m_tokenizer(&tokenizer)
    , m_skipSpecial(skipSpecialTokens)
{ }

std::string TokenStreamDecoder::push(int32_t id)
{
    m_ids.push_back(id);
    const std::span<const int32_t> all(m_ids);
    const std::string prefix
        = m_tokenizer->decode(all.subspan(m_prefixOffset, m_readOffset - m_prefixOffset), m_skipSpecial);
    const std::string current = m_tokenizer->decode(all.subspan(m_prefixOffset), m_skipSpecial);
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    const bool incomplete = current.size() >= kReplacement.size()
        && std::string_view(current).substr(current.size() - kReplacement.size()) == kReplacement;
    if (current.size() <= prefix.size() || incomplete || current.compare(0, prefix.size(), prefix) != 0)
        return {};
    std::string added = current.substr(prefix.size());
    m_prefixOffset = m_readOffset;
    m_readOffset = m_ids.size();
    m_text += added;
    return added;
}

std::string TokenStreamDecoder::flush()
{
    const std::span<const int32_t> all(m_ids);
    const std::string prefix
        = m_tokenizer->decode(all.subspan(m_prefixOffset, m_readOffset - m_prefixOffset), m_skipSpecial);
    const std::string current = m_tokenizer->decode(all.subspan(m_prefixOffset), m_skipSpecial);
    std::string added;
    if (current.size() > prefix.size() && current.compare(0, prefix.size(), prefix) == 0)
        added = current.substr(prefix.size());
    m_prefixOffset = m_readOffset = m_ids.size();
    m_text += added;
    return added;
}

void TokenStreamDecoder::reset()
{
    m_ids.clear();
    m_prefixOffset = m_readOffset = 0;
    m_text.clear();
}

} // namespace ts
