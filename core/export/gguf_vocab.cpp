// GGUF tokenizer metadata: maps a tokenizer.json BPE vocabulary to llama.cpp's "gpt2" or "llama" vocab keys.
#include "export/gguf_vocab.h"

#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/file_io.h"
#include "common/json_file.h"
#include "export/gguf_writer.h"

namespace ts::gguf {

namespace {

using nlohmann::json;

// Pre-tokenizer regexes of the vocabularies llama.cpp knows by name (verbatim from their tokenizer.json files).
constexpr const char* kLlama3Regex = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3})"
                                     R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* kQwen2Regex = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N})"
                                    R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Collects every pre-tokenizer (or normalizer) object of a possibly nested Sequence.
void flatten(const json& node, const char* listKey, std::vector<const json*>& out)
{
    if (!node.is_object())
        return;
    if (node.value("type", "") == "Sequence" && node.contains(listKey) && node[listKey].is_array()) {
        for (const auto& child : node[listKey])
            flatten(child, listKey, out);
        return;
    }
    out.push_back(&node);
}

// A special-token field of tokenizer_config.json: a string or {"content": ...}.
std::optional<std::string> tokenText(const json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_object() && value.contains("content") && value["content"].is_string())
        return value["content"].get<std::string>();
    return std::nullopt;
}

std::optional<uint32_t> idFromConfig(const json& config, const char* key)
{
    if (!config.is_object() || !config.contains(key))
        return std::nullopt;
    const json& v = config[key];
    if (v.is_number_integer() && v.get<int64_t>() >= 0)
        return static_cast<uint32_t>(v.get<int64_t>());
    if (v.is_array() && !v.empty() && v[0].is_number_integer() && v[0].get<int64_t>() >= 0)
        return static_cast<uint32_t>(v[0].get<int64_t>());
    return std::nullopt;
}

bool isByteToken(const std::string& text)
{
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
    return text.size() == 6 && text.compare(0, 3, "<0x") == 0 && hex(text[3]) && hex(text[4]) && text[5] == '>';
}

} // namespace

Expected<GgufVocab> loadGgufVocab(const std::filesystem::path& modelDir, int64_t vocabSize)
{
    const auto tokenizerPath = modelDir / "tokenizer.json";
    if (!std::filesystem::exists(tokenizerPath))
        return makeError("no tokenizer.json in " + modelDir.string() + ": GGUF export needs the tokenizer");
    auto tokenizer = readJsonFile(tokenizerPath);
    if (!tokenizer)
        return tokenizer.error();
    json config = json::object();
    if (std::filesystem::exists(modelDir / "tokenizer_config.json")) {
        auto c = readJsonFile(modelDir / "tokenizer_config.json");
        if (!c)
            return c.error();
        config = std::move(*c);
    }
    json modelConfig = json::object();
    if (std::filesystem::exists(modelDir / "config.json")) {
        auto c = readJsonFile(modelDir / "config.json");
        if (!c)
            return c.error();
        modelConfig = std::move(*c);
    }

    const json& model = (*tokenizer)["model"];
    if (!model.is_object() || model.value("type", "") != "BPE")
        return makeError(tokenizerPath.string() + ": only BPE tokenizers can be exported to GGUF (model type '"
                         + (model.is_object() ? model.value("type", "?") : std::string("?")) + "')");
    if (!model.contains("vocab") || !model["vocab"].is_object())
        return makeError(tokenizerPath.string() + ": model.vocab is missing");

    // id -> (text, added?, special?)
    struct Entry
    {
        std::string text;
        bool present = false;
        bool added = false;
        bool special = false;
    };
    std::unordered_map<std::string, uint32_t> idOf;
    std::vector<Entry> entries;
    auto place = [&](int64_t id, const std::string& text) -> Status {
        if (id < 0)
            return makeError(tokenizerPath.string() + ": negative token id for '" + text + "'");
        if (id >= vocabSize)
            return makeError(tokenizerPath.string() + ": token '" + text + "' has id " + std::to_string(id)
                             + " but the model's vocab_size is " + std::to_string(vocabSize));
        if (static_cast<size_t>(id) >= entries.size())
            entries.resize(static_cast<size_t>(id) + 1);
        entries[id].text = text;
        entries[id].present = true;
        idOf[text] = static_cast<uint32_t>(id);
        return {};
    };
    for (const auto& [text, id] : model["vocab"].items()) {
        if (!id.is_number_integer())
            return makeError(tokenizerPath.string() + ": vocab entry '" + text + "' has no integer id");
        if (auto st = place(id.get<int64_t>(), text); !st)
            return st.error();
    }
    if (tokenizer->contains("added_tokens") && (*tokenizer)["added_tokens"].is_array()) {
        for (const auto& added : (*tokenizer)["added_tokens"]) {
            if (!added.contains("id") || !added["id"].is_number_integer() || !added.contains("content"))
                return makeError(tokenizerPath.string() + ": malformed added_tokens entry");
            const int64_t id = added["id"].get<int64_t>();
            if (auto st = place(id, added["content"].get<std::string>()); !st)
                return st.error();
            entries[id].added = true;
            entries[id].special = added.value("special", false);
        }
    }

    GgufVocab vocab;
    // SentencePiece-style: byte fallback or the Metaspace / "▁" normalizer; byte-level: a ByteLevel pre-tokenizer.
    std::vector<const json*> preTokenizers, normalizers;
    flatten((*tokenizer)["pre_tokenizer"], "pretokenizers", preTokenizers);
    flatten((*tokenizer)["normalizer"], "normalizers", normalizers);
    bool byteLevel = false, metaspace = model.value("byte_fallback", false);
    std::string splitRegex;
    std::optional<bool> addSpacePrefix;
    for (const json* p : preTokenizers) {
        const std::string type = p->value("type", "");
        if (type == "ByteLevel")
            byteLevel = true;
        if (type == "Metaspace") {
            metaspace = true;
            const std::string scheme = p->value("prepend_scheme", "");
            addSpacePrefix = scheme.empty() ? p->value("add_prefix_space", true) : scheme != "never";
        }
        if (type == "Split" && p->contains("pattern") && (*p)["pattern"].contains("Regex"))
            splitRegex = (*p)["pattern"]["Regex"].get<std::string>();
    }
    for (const json* n : normalizers) {
        if (n->value("type", "") == "Replace" && n->value("content", "") == "\xE2\x96\x81")
            metaspace = true;
        if (n->value("type", "") == "Prepend" && n->value("prepend", "") == "\xE2\x96\x81")
            addSpacePrefix = true;
    }
    if (metaspace && !byteLevel) {
        vocab.model = "llama";
        vocab.addSpacePrefix = addSpacePrefix.value_or(false);
    } else if (byteLevel) {
        vocab.model = "gpt2";
        if (splitRegex == kLlama3Regex)
            vocab.pre = "llama-bpe";
        else if (splitRegex == kQwen2Regex)
            vocab.pre = "qwen2";
        else if (splitRegex.empty())
            vocab.pre = "gpt-2";
        else
            vocab.pre = "default";
    } else {
        return makeError(tokenizerPath.string()
                         + ": unsupported BPE flavour (neither byte-level nor SentencePiece-style)");
    }

    // Merges: "a b" strings or ["a", "b"] pairs.
    std::vector<std::string> merges;
    if (model.contains("merges") && model["merges"].is_array()) {
        merges.reserve(model["merges"].size());
        for (const auto& m : model["merges"]) {
            if (m.is_string())
                merges.push_back(m.get<std::string>());
            else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())
                merges.push_back(m[0].get<std::string>() + " " + m[1].get<std::string>());
            else
                return makeError(tokenizerPath.string() + ": malformed merge entry");
        }
    }

    std::optional<std::string> unkText;
    if (model.contains("unk_token") && model["unk_token"].is_string())
        unkText = model["unk_token"].get<std::string>();
    if (config.contains("unk_token"))
        if (auto t = tokenText(config["unk_token"]))
            unkText = t;

    // A SentencePiece BPE merges the pair whose result has the highest score; HF lists merges in that order,
    // so the score of a piece is minus the rank of the merge that produces it.
    std::unordered_map<std::string, float> mergeScore;
    if (vocab.model == "llama") {
        for (size_t rank = 0; rank < merges.size(); ++rank) {
            const auto space = merges[rank].find(' ');
            if (space == std::string::npos)
                continue;
            std::string merged = merges[rank].substr(0, space) + merges[rank].substr(space + 1);
            mergeScore.emplace(std::move(merged), -static_cast<float>(rank));
        }
    }

    const size_t n = static_cast<size_t>(vocabSize);
    entries.resize(n);
    vocab.tokens.reserve(n);
    vocab.tokenTypes.reserve(n);
    for (size_t id = 0; id < n; ++id) {
        const Entry& e = entries[id];
        TokenType type = TokenType::Normal;
        float score = 0.0f;
        std::string text = e.text;
        if (!e.present) {
            text = "[PAD" + std::to_string(id) + "]";
            type = TokenType::Unused;
            score = -1000.0f;
        } else if (vocab.model == "llama" && unkText && e.text == *unkText) {
            type = TokenType::Unknown;
        } else if (e.added) {
            type = e.special ? TokenType::Control : TokenType::UserDefined;
        } else if (vocab.model == "llama" && isByteToken(e.text)) {
            type = TokenType::Byte;
        } else if (vocab.model == "llama") {
            if (auto it = mergeScore.find(e.text); it != mergeScore.end())
                score = it->second;
        }
        vocab.tokens.push_back(std::move(text));
        vocab.tokenTypes.push_back(static_cast<int32_t>(type));
        if (vocab.model == "llama")
            vocab.scores.push_back(score);
    }
    if (vocab.model == "gpt2")
        vocab.merges = std::move(merges);

    // Special ids: tokenizer_config.json names them; config.json ids are the fallback.
    auto lookup = [&](const char* key) -> std::optional<uint32_t> {
        if (!config.contains(key))
            return std::nullopt;
        auto text = tokenText(config[key]);
        if (!text)
            return std::nullopt;
        auto it = idOf.find(*text);
        return it == idOf.end() ? std::nullopt : std::optional<uint32_t>(it->second);
    };
    vocab.bosId = lookup("bos_token");
    vocab.eosId = lookup("eos_token");
    vocab.unkId = lookup("unk_token");
    vocab.padId = lookup("pad_token");
    if (!vocab.bosId)
        vocab.bosId = idFromConfig(modelConfig, "bos_token_id");
    if (!vocab.eosId)
        vocab.eosId = idFromConfig(modelConfig, "eos_token_id");
    if (!vocab.padId)
        vocab.padId = idFromConfig(modelConfig, "pad_token_id");
    if (!vocab.unkId && unkText)
        if (auto it = idOf.find(*unkText); it != idOf.end())
            vocab.unkId = it->second;

    // add_bos/add_eos: tokenizer_config.json flags, else what the post-processor template adds.
    if (config.contains("add_bos_token") && config["add_bos_token"].is_boolean())
        vocab.addBos = config["add_bos_token"].get<bool>();
    if (config.contains("add_eos_token") && config["add_eos_token"].is_boolean())
        vocab.addEos = config["add_eos_token"].get<bool>();
    std::vector<const json*> post;
    flatten((*tokenizer)["post_processor"], "processors", post);
    bool sawTemplate = false;
    for (const json* p : post) {
        if (p->value("type", "") != "TemplateProcessing" || !p->contains("single") || !(*p)["single"].is_array())
            continue;
        sawTemplate = true;
        const json& single = (*p)["single"];
        const bool startsSpecial = !single.empty() && single.front().contains("SpecialToken");
        const bool endsSpecial = !single.empty() && single.back().contains("SpecialToken");
        if (!vocab.addBos)
            vocab.addBos = startsSpecial;
        if (!vocab.addEos)
            vocab.addEos = endsSpecial;
        if (startsSpecial && !vocab.bosId) {
            const std::string text = single.front()["SpecialToken"].value("id", "");
            if (auto it = idOf.find(text); it != idOf.end())
                vocab.bosId = it->second;
        }
    }
    if (!sawTemplate) { // the tokenizer adds nothing by itself; say so, or llama.cpp applies its own default
        if (!vocab.addBos)
            vocab.addBos = false;
        if (!vocab.addEos)
            vocab.addEos = false;
    }

    if (std::filesystem::exists(modelDir / "chat_template.jinja")) {
        auto text = readFile(modelDir / "chat_template.jinja");
        if (!text)
            return text.error();
        vocab.chatTemplate = std::move(*text);
    } else if (config.contains("chat_template")) {
        const json& t = config["chat_template"];
        if (t.is_string()) {
            vocab.chatTemplate = t.get<std::string>();
        } else if (t.is_array()) {
            for (const auto& named : t)
                if (named.is_object() && named.value("name", "") == "default" && named.contains("template"))
                    vocab.chatTemplate = named["template"].get<std::string>();
            if (vocab.chatTemplate.empty() && !t.empty() && t[0].is_object() && t[0].contains("template"))
                vocab.chatTemplate = t[0]["template"].get<std::string>();
        }
    }
    return vocab;
}

void writeGgufVocab(GgufWriter& writer, const GgufVocab& vocab)
{
    writer.setString("tokenizer.ggml.model", vocab.model);
    if (!vocab.pre.empty())
        writer.setString("tokenizer.ggml.pre", vocab.pre);
    writer.setStringArray("tokenizer.ggml.tokens", vocab.tokens);
    if (!vocab.scores.empty())
        writer.setF32Array("tokenizer.ggml.scores", vocab.scores);
    writer.setI32Array("tokenizer.ggml.token_type", vocab.tokenTypes);
    // llama.cpp refuses a "gpt2" vocabulary without the merges key, even when a byte-level BPE has
    // no merges (every token a single byte symbol), so that case writes an empty list.
    if (!vocab.merges.empty() || vocab.model == "gpt2")
        writer.setStringArray("tokenizer.ggml.merges", vocab.merges);
    if (vocab.bosId)
        writer.setU32("tokenizer.ggml.bos_token_id", *vocab.bosId);
    if (vocab.eosId)
        writer.setU32("tokenizer.ggml.eos_token_id", *vocab.eosId);
    if (vocab.unkId)
        writer.setU32("tokenizer.ggml.unknown_token_id", *vocab.unkId);
    if (vocab.padId)
        writer.setU32("tokenizer.ggml.padding_token_id", *vocab.padId);
    if (vocab.addBos)
        writer.setBool("tokenizer.ggml.add_bos_token", *vocab.addBos);
    if (vocab.addEos)
        writer.setBool("tokenizer.ggml.add_eos_token", *vocab.addEos);
    if (vocab.addSpacePrefix)
        writer.setBool("tokenizer.ggml.add_space_prefix", *vocab.addSpacePrefix);
    if (!vocab.chatTemplate.empty())
        writer.setString("tokenizer.chat_template", vocab.chatTemplate);
}

} // namespace ts::gguf
