// Near-duplicate groups: shingle sets, MinHash signatures, banded candidate buckets, exact Jaccard, union-find.
#include "data/near_duplicates.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace ts {

namespace {

constexpr int kBands = 16;
constexpr int kRows = 6;
constexpr int kHashes = kBands * kRows;

uint64_t fnv1a(std::string_view bytes)
{
    uint64_t hash = 1469598103934665603ull;
    for (char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

uint64_t splitMix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

class UnionFind
{
public:
    explicit UnionFind(size_t n)
        : m_parent(n)
    {
        std::iota(m_parent.begin(), m_parent.end(), size_t(0));
    }
    size_t find(size_t x)
    {
        while (m_parent[x] != x) {
            m_parent[x] = m_parent[m_parent[x]];
            x = m_parent[x];
        }
        return x;
    }
    void join(size_t a, size_t b)
    {
        a = find(a);
        b = find(b);
        if (a != b)
            m_parent[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<size_t> m_parent;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

} // namespace

std::string normalizeForComparison(std::string_view text, bool lowerCase)
{
    std::string out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (char c : text) {
        if (isSpace(c)) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out += ' ';
        pendingSpace = false;
        out += (lowerCase && c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::vector<uint64_t> shingleHashes(std::string_view text, int shingleChars)
{
    std::vector<uint64_t> hashes;
    const size_t k = static_cast<size_t>(std::max(1, shingleChars));
    if (text.empty())
        return hashes;
    if (text.size() <= k) {
        hashes.push_back(fnv1a(text));
        return hashes;
    }
    hashes.reserve(text.size() - k + 1);
    for (size_t i = 0; i + k <= text.size(); ++i)
        hashes.push_back(fnv1a(text.substr(i, k)));
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    return hashes;
}

double jaccardSimilarity(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b)
{
    if (a.empty() && b.empty())
        return 1.0;
    size_t common = 0;
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i < *j) {
            ++i;
        } else if (*j < *i) {
            ++j;
        } else {
            ++common;
            ++i;
            ++j;
        }
    }
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

Expected<std::vector<std::vector<size_t>>> findNearDuplicateGroups(const std::vector<std::string>& texts,
                                                                   const NearDuplicateOptions& options,
                                                                   const CancelToken* cancel)
{
    const size_t n = texts.size();
    std::vector<std::vector<uint64_t>> shingles(n);
    std::vector<uint64_t> signatures(n * kHashes, ~uint64_t(0));
    for (size_t t = 0; t < n; ++t) {
        if (cancel && (t % 256) == 0 && cancel->stopRequested())
            return cancelledError();
        shingles[t] = shingleHashes(texts[t], options.shingleChars);
        uint64_t* signature = &signatures[t * kHashes];
        for (uint64_t shingle : shingles[t])
            for (int h = 0; h < kHashes; ++h)
                signature[h] = std::min(signature[h], splitMix(shingle ^ (0x5851f42d4c957f2dull * uint64_t(h + 1))));
    }

    UnionFind groups(n);
    for (int band = 0; band < kBands; ++band) {
        if (cancel && cancel->stopRequested())
            return cancelledError();
        std::unordered_map<uint64_t, std::vector<size_t>> buckets;
        for (size_t t = 0; t < n; ++t) {
            if (shingles[t].empty())
                continue;
            uint64_t key = 0x84222325cbf29ce4ull ^ uint64_t(band);
            for (int r = 0; r < kRows; ++r)
                key = splitMix(key ^ signatures[t * kHashes + size_t(band * kRows + r)]);
            buckets[key].push_back(t);
        }
        for (auto& [key, members] : buckets) {
            for (size_t i = 0; i < members.size(); ++i) {
                for (size_t j = i + 1; j < members.size(); ++j) {
                    const size_t a = members[i];
                    const size_t b = members[j];
                    if (groups.find(a) == groups.find(b))
                        continue;
                    if (jaccardSimilarity(shingles[a], shingles[b]) >= options.threshold)
                        groups.join(a, b);
                }
            }
        }
    }

    std::unordered_map<size_t, std::vector<size_t>> byRoot;
    for (size_t t = 0; t < n; ++t)
        byRoot[groups.find(t)].push_back(t);
    std::vector<std::vector<size_t>> out;
    for (auto& [root, members] : byRoot)
        if (members.size() > 1)
            out.push_back(std::move(members));
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.front() < y.front(); });
    return out;
}

} // namespace ts
