// Hugging Face tokenizer.json (BPE: byte-level and SentencePiece-style) loader, encoder, decoder; torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"

namespace ts {

struct AddedToken
{
    int32_t id = 0;
    std::string content;
    bool singleWord = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = false;
    bool special = false;
};

struct DecodeOptions
{
    bool skipSpecialTokens = false;
    // transformers' clean_up_tokenization (" ." -> "." etc.); see Tokenizer::cleanUpTokenizationSpaces().
    bool cleanUpTokenizationSpaces = false;
};

class Tokenizer
{
public:
    // tokenizer.json plus, optionally, tokenizer_config.json (special token names, add_bos_token, chat template).
    static Expected<Tokenizer> load(const std::filesystem::path& tokenizerJson,
                                    const std::optional<std::filesystem::path>& configJson = std::nullopt);
    // A model folder: tokenizer.json, and tokenizer_config.json / chat_template.jinja when present. A path to a
    // file is passed to load() with the tokenizer_config.json next to it, if any.
    static Expected<Tokenizer> loadFromPath(const std::filesystem::path& dirOrFile);
    // From JSON text; `sourceName` stands for the file in error messages.
    static Expected<Tokenizer> fromJson(std::string_view tokenizerJson, std::string_view configJson = {},
                                        const std::string& sourceName = "tokenizer.json");

    // Never fails: text that is not valid UTF-8 is read with U+FFFD replacements.
    std::vector<int32_t> encode(std::string_view text, bool addSpecialTokens = false) const;
    std::string decode(std::span<const int32_t> ids, bool skipSpecialTokens = false) const;
    std::string decode(std::span<const int32_t> ids, const DecodeOptions& options) const;

    int32_t vocabSize() const; // highest id + 1, added tokens included
    std::optional<int32_t> tokenToId(std::string_view token) const;
    std::optional<std::string> idToToken(int32_t id) const;
    bool isSpecial(int32_t id) const;
    std::vector<int32_t> specialTokenIds() const;
    const std::vector<AddedToken>& addedTokens() const;

    // From tokenizer_config.json (empty / nullopt when absent).
    const std::string& bosToken() const;
    const std::string& eosToken() const;
    const std::string& padToken() const;
    const std::string& unkToken() const;
    std::optional<int32_t> bosTokenId() const;
    std::optional<int32_t> eosTokenId() const;
    std::optional<int32_t> padTokenId() const;
    std::optional<int32_t> unkTokenId() const;
    std::optional<bool> addBosToken() const;
    std::optional<bool> addEosToken() const;
    bool cleanUpTokenizationSpaces() const; // config value, default true as in transformers
    // The default chat template (chat_template.jinja, else tokenizer_config.json "chat_template", string or the
    // entry named "default"); empty when none. chatTemplates() has every named one.
    const std::string& chatTemplate() const;
    const std::map<std::string, std::string>& chatTemplates() const;

    struct Impl;

private:
    std::shared_ptr<Impl> m_impl; // immutable once loaded; copies share it
};

// Incremental decoding for streaming generation: push ids one at a time and get the text they complete.
// Text is held back while it ends in an incomplete UTF-8 sequence (or a lone U+FFFD from one).
class TokenStreamDecoder
{
public:
    explicit TokenStreamDecoder(const Tokenizer& tokenizer, bool skipSpecialTokens = true);
    std::string push(int32_t id);
    std::string flush(); // whatever is held back, completed with U+FFFD where needed
    void reset();
    const std::string& text() const { return m_text; } // all text returned so far

private:
    const Tokenizer* m_tokenizer;
    bool m_skipSpecial;
    std::vector<int32_t> m_ids;
    size_t m_prefixOffset = 0;
    size_t m_readOffset = 0;
    std::string m_text;
};

} // namespace ts
