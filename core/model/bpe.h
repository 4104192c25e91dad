// The BPE model of tokenizer.json: vocabulary, ranked merges, byte fallback, unk handling and a word cache.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/expected.h"

namespace ts {

class BpeModel
{
public:
    // `model` is tokenizer.json's "model" object; `where` names the file for error messages.
    static Expected<BpeModel> fromJson(const nlohmann::json& model, const std::string& where);

    // Appends the ids of one pre-token (already in the model's alphabet, e.g. byte-level characters).
    void encodeWord(std::string_view word, std::vector<int32_t>& out) const;

    std::optional<int32_t> tokenToId(std::string_view token) const;
    // Model vocabulary only (added tokens live in the Tokenizer); empty when the id has no token.
    const std::string& idToToken(int32_t id) const;
    int32_t size() const { return static_cast<int32_t>(m_idToToken.size()); }
    std::optional<int32_t> unkId() const { return m_unkId; }

private:
    struct StringHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view> {}(s); }
    };
    struct Merge
    {
        int32_t rank;
        int32_t newId;
    };
    struct Cache;

    void mergeWord(std::string_view word, std::vector<int32_t>& out) const;
    const Merge* findMerge(int32_t left, int32_t right) const;

    std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> m_vocab;
    std::vector<std::string> m_idToToken;
    std::unordered_map<uint64_t, Merge> m_merges;
    std::array<int32_t, 256> m_byteIds {};
    std::optional<int32_t> m_unkId;
    bool m_byteFallback = false;
    bool m_fuseUnk = false;
    bool m_ignoreMerges = false;
    std::string m_prefix; // continuing_subword_prefix
    std::string m_suffix; // end_of_word_suffix
    std::shared_ptr<Cache> m_cache;
};

} // namespace ts
