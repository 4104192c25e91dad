// BPE encoding: per-word symbol list merged lowest-rank-first (leftmost on ties) with a heap, results cached.
#include "model/bpe.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <mutex>
#include <queue>

#include <nlohmann/json.hpp>

#include "common/utf8.h"

namespace ts {

struct BpeModel::Cache
{
    static constexpr size_t kCapacity = 65536;
    static constexpr size_t kMaxWordBytes = 256;
    std::mutex mutex;
    std::unordered_map<std::string, std::vector<int32_t>, StringHash, std::equal_to<>> entries;
};

namespace {

uint64_t pairKey(int32_t left, int32_t right)
{
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

std::optional<std::string> optionalString(const nlohmann::json& model, const char* key)
{
    if (!model.contains(key) || model[key].is_null())
        return std::nullopt;
    if (!model[key].is_string())
        return std::nullopt;
    return model[key].get<std::string>();
}

} // namespace

Expected<BpeModel> BpeModel::fromJson(const nlohmann::json& model, const std::string& where)
{
    BpeModel bpe;
    const std::string at = where + ": model";
    if (!model.contains("vocab") || !model["vocab"].is_object())
        return makeError(at + ".vocab: missing or not an object");
    if (!model.contains("merges") || !model["merges"].is_array())
        return makeError(at + ".merges: missing or not an array");
    if (model.contains("dropout") && model["dropout"].is_number() && model["dropout"].get<double>() > 0.0)
        return makeError(at + ".dropout: BPE dropout is not supported for inference");

    int32_t maxId = -1;
    bpe.m_vocab.reserve(model["vocab"].size());
    for (const auto& [token, value] : model["vocab"].items()) {
        if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > INT32_MAX)
            return makeError(at + ".vocab[\"" + token + "\"]: expected a non-negative integer id");
        const auto id = static_cast<int32_t>(value.get<int64_t>());
        bpe.m_vocab.emplace(token, id);
        maxId = std::max(maxId, id);
    }
    bpe.m_idToToken.assign(static_cast<size_t>(maxId + 1), std::string());
    for (const auto& [token, id] : bpe.m_vocab)
        bpe.m_idToToken[static_cast<size_t>(id)] = token;

    if (auto unk = optionalString(model, "unk_token")) {
        auto id = bpe.tokenToId(*unk);
        if (!id)
            return makeError(at + ".unk_token: '" + *unk + "' is not in the vocabulary");
        bpe.m_unkId = *id;
    }
    bpe.m_byteFallback = model.value("byte_fallback", false);
    bpe.m_fuseUnk = model.value("fuse_unk", false);
    bpe.m_ignoreMerges = model.value("ignore_merges", false);
    bpe.m_prefix = optionalString(model, "continuing_subword_prefix").value_or("");
    bpe.m_suffix = optionalString(model, "end_of_word_suffix").value_or("");
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof(name), "<0x%02X>", b);
        bpe.m_byteIds[b] = bpe.tokenToId(name).value_or(-1);
    }

    const auto& merges = model["merges"];
    bpe.m_merges.reserve(merges.size());
    for (size_t i = 0; i < merges.size(); ++i) {
        const auto& entry = merges[i];
        std::string left, right;
        if (entry.is_string()) {
            const auto& text = entry.get_ref<const std::string&>();
            const size_t space = text.find(' ', 1);
            if (space == std::string::npos)
                return makeError(at + ".merges[" + std::to_string(i) + "]: expected \"left right\", got '" + text
                                 + "'");
            left = text.substr(0, space);
            right = text.substr(space + 1);
        } else if (entry.is_array() && entry.size() == 2 && entry[0].is_string() && entry[1].is_string()) {
            left = entry[0].get<std::string>();
            right = entry[1].get<std::string>();
        } else {
            return makeError(at + ".merges[" + std::to_string(i) + "]: expected a string or a pair of strings");
        }
        std::string merged = left;
        if (!bpe.m_prefix.empty() && right.rfind(bpe.m_prefix, 0) == 0)
            merged += right.substr(bpe.m_prefix.size());
        else
            merged += right;
        auto leftId = bpe.tokenToId(left);
        auto rightId = bpe.tokenToId(right);
        auto newId = bpe.tokenToId(merged);
        if (!leftId || !rightId || !newId) {
            const std::string& missing = !leftId ? left : (!rightId ? right : merged);
            return makeError(at + ".merges[" + std::to_string(i) + "]: token '" + missing
                             + "' is not in the vocabulary");
        }
        bpe.m_merges[pairKey(*leftId, *rightId)] = Merge {static_cast<int32_t>(i), *newId};
    }
    bpe.m_cache = std::make_shared<Cache>();
    return bpe;
}

std::optional<int32_t> BpeModel::tokenToId(std::string_view token) const
{
    auto it = m_vocab.find(token);
    if (it == m_vocab.end())
        return std::nullopt;
    return it->second;
}

const std::string& BpeModel::idToToken(int32_t id) const
{
    static const std::string empty;
    if (id < 0 || static_cast<size_t>(id) >= m_idToToken.size())
        return empty;
    return m_idToToken[static_cast<size_t>(id)];
}

const BpeModel::Merge* BpeModel::findMerge(int32_t left, int32_t right) const
{
    auto it = m_merges.find(pairKey(left, right));
    return it == m_merges.end() ? nullptr : &it->second;
}

void BpeModel::encodeWord(std::string_view word, std::vector<int32_t>& out) const
{
    if (word.empty())
        return;
    if (m_ignoreMerges && m_suffix.empty()) {
        if (auto id = tokenToId(word)) {
            out.push_back(*id);
            return;
        }
    }
    const bool cacheable = word.size() <= Cache::kMaxWordBytes;
    if (cacheable) {
        std::lock_guard lock(m_cache->mutex);
        auto it = m_cache->entries.find(word);
        if (it != m_cache->entries.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids;
    mergeWord(word, ids);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::lock_guard lock(m_cache->mutex);
        if (m_cache->entries.size() >= Cache::kCapacity)
            m_cache->entries.clear();
        m_cache->entries.emplace(std::string(word), std::move(ids));
    }
}

void BpeModel::mergeWord(std::string_view word, std::vector<int32_t>& out) const
{
    struct Symbol
    {
        int32_t id;
        int prev;
        int next;
        bool mergeable;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    std::string piece;
    size_t pos = 0;
    bool first = true;
    while (pos < word.size()) {
        const size_t start = pos;
        utf8::next(word, pos);
        piece.clear();
        if (!first)
            piece += m_prefix;
        piece.append(word.substr(start, pos - start));
        if (pos == word.size())
            piece += m_suffix;
        first = false;
        if (auto id = tokenToId(piece)) {
            symbols.push_back({*id, 0, 0, true});
            continue;
        }
        if (m_byteFallback) {
            const std::string_view bytes = word.substr(start, pos - start);
            bool all = true;
            for (char c : bytes)
                all = all && m_byteIds[static_cast<unsigned char>(c)] >= 0;
            if (all) {
                for (char c : bytes)
                    symbols.push_back({m_byteIds[static_cast<unsigned char>(c)], 0, 0, false});
                continue;
            }
        }
        if (m_unkId) {
            if (m_fuseUnk && !symbols.empty() && symbols.back().id == *m_unkId && !symbols.back().mergeable)
                continue;
            symbols.push_back({*m_unkId, 0, 0, false});
        }
        // Without unk_token an unknown character is dropped, as tokenizers does.
    }
    const int n = static_cast<int>(symbols.size());
    for (int i = 0; i < n; ++i) {
        symbols[i].prev = i - 1;
        symbols[i].next = i + 1 < n ? i + 1 : -1;
    }

    struct Candidate
    {
        int32_t rank;
        int pos;
        int32_t newId;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](int left) {
        const int right = symbols[left].next;
        if (right < 0 || !symbols[left].mergeable || !symbols[right].mergeable)
            return;
        if (const Merge* m = findMerge(symbols[left].id, symbols[right].id))
            queue.push({m->rank, left, m->newId});
    };
    for (int i = 0; i + 1 < n; ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[top.pos];
        if (left.id < 0 || left.next < 0)
            continue;
        Symbol& right = symbols[left.next];
        const Merge* m = left.mergeable && right.mergeable ? findMerge(left.id, right.id) : nullptr;
        if (!m || m->rank != top.rank || m->newId != top.newId)
            continue; // stale entry
        left.id = top.newId;
        const int removed = left.next;
        left.next = right.next;
        if (right.next >= 0)
            symbols[right.next].prev = top.pos;
        symbols[removed].id = -1;
        if (left.prev >= 0)
            consider(left.prev);
        consider(top.pos);
    }
    for (int i = n > 0 ? 0 : -1; i >= 0; i = symbols[i].next)
        out.push_back(symbols[i].id);
}

} // namespace ts
