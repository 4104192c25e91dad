// Near-duplicate groups and pairs: shingle sets, MinHash signatures (computed on several threads), banded candidate
// buckets, exact Jaccard, union-find.
#include "data/near_duplicates.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <functional>
#include <numeric>
#include <thread>
#include <utility>

namespace ts {

namespace {

constexpr int kHashes = 96;
constexpr int kMaxRowsPerBand = 8;
constexpr double kProposeAtThreshold = 0.99;
constexpr size_t kRowsPerCancelCheck = 256;

uint64_t fnv1a(std::string_view bytes)
{
    uint64_t hash = 1469598103934665603ull;
    for (char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    return hash;
}

constexpr uint64_t splitMix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// The 96 hash functions of the signature: h_i(v) = fmix((v ^ seed_i) · odd_i), 32 bits each, so that the minimum
// over a text's shingles vectorises (8 or 16 lanes).
struct MinHashFamily
{
    std::array<uint32_t, kHashes> seeds {};
    std::array<uint32_t, kHashes> multipliers {};
};

constexpr MinHashFamily makeMinHashFamily()
{
    MinHashFamily family;
    uint64_t state = 0x6d696e68617368ull;
    for (int h = 0; h < kHashes; ++h) {
        state = splitMix(state);
        family.seeds[h] = static_cast<uint32_t>(state);
        family.multipliers[h] = static_cast<uint32_t>(state >> 32) | 1u;
    }
    return family;
}

constexpr MinHashFamily kFamily = makeMinHashFamily();

// On x86-64 an AVX2 copy is chosen at load time where the processor has it; elsewhere the compiler's own vectors.
#if defined(__x86_64__) && defined(__GNUC__)
#define TS_MINHASH_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TS_MINHASH_CLONES
#endif

TS_MINHASH_CLONES void minHashSignature(const uint32_t* values, size_t count, uint32_t* signature)
{
    std::array<uint32_t, kHashes> minimum;
    minimum.fill(UINT32_MAX);
    for (size_t i = 0; i < count; ++i) {
        const uint32_t value = values[i];
        for (int h = 0; h < kHashes; ++h) {
            uint32_t x = (value ^ kFamily.seeds[h]) * kFamily.multipliers[h];
            x ^= x >> 16;
            x *= 0x7feb352du;
            x ^= x >> 15;
            minimum[h] = std::min(minimum[h], x);
        }
    }
    std::copy(minimum.begin(), minimum.end(), signature);
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

int threadCount(const NearDuplicateOptions& options, size_t work)
{
    int threads = options.threads;
    if (threads <= 0)
        threads = static_cast<int>(std::min(8u, std::max(1u, std::thread::hardware_concurrency())));
    // Small inputs are not worth a thread start.
    const size_t useful = std::max<size_t>(1, work / 1024);
    return static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), useful));
}

// Runs work(begin, end) over [0, n) in `threads` contiguous chunks, the first on the calling thread.
void parallelChunks(size_t n, int threads, const std::function<void(size_t, size_t)>& work)
{
    const size_t chunks = static_cast<size_t>(std::max(1, threads));
    const size_t step = (n + chunks - 1) / chunks;
    std::vector<std::thread> workers;
    for (size_t c = 1; c < chunks; ++c) {
        const size_t begin = std::min(n, c * step);
        const size_t end = std::min(n, begin + step);
        if (begin < end)
            workers.emplace_back(work, begin, end);
    }
    work(0, std::min(n, step));
    for (auto& worker : workers)
        worker.join();
}

// The shingle sets and MinHash signatures of all texts.
struct MinHashIndex
{
    std::vector<std::vector<uint64_t>> shingles;
    std::vector<uint32_t> signatures; // kHashes per text
};

Expected<MinHashIndex> buildIndex(const std::vector<std::string>& texts, const NearDuplicateOptions& options,
                                  const CancelToken* cancel)
{
    if (cancel && cancel->stopRequested())
        return cancelledError();
    MinHashIndex index;
    const size_t n = texts.size();
    index.shingles.resize(n);
    index.signatures.assign(n * kHashes, UINT32_MAX);
    std::atomic_bool stopped = false;
    parallelChunks(n, threadCount(options, n), [&](size_t begin, size_t end) {
        std::vector<uint32_t> mixed;
        for (size_t t = begin; t < end; ++t) {
            if ((t - begin) % kRowsPerCancelCheck == 0 && cancel && cancel->stopRequested()) {
                stopped = true;
                return;
            }
            auto& set = index.shingles[t];
            set = shingleHashes(texts[t], options.shingleChars);
            mixed.resize(set.size());
            for (size_t i = 0; i < set.size(); ++i)
                mixed[i] = static_cast<uint32_t>(splitMix(set[i]));
            minHashSignature(mixed.data(), mixed.size(), &index.signatures[t * kHashes]);
        }
    });
    if (stopped)
        return cancelledError();
    return index;
}

// (band key, text index) of every non-empty text, sorted so that one bucket is one run of equal keys.
std::vector<std::pair<uint64_t, uint32_t>> bandBuckets(const MinHashIndex& index, LshBands layout, int band)
{
    std::vector<std::pair<uint64_t, uint32_t>> keys;
    keys.reserve(index.shingles.size());
    for (size_t t = 0; t < index.shingles.size(); ++t) {
        if (index.shingles[t].empty())
            continue;
        uint64_t key = 0x84222325cbf29ce4ull ^ uint64_t(band);
        const uint32_t* values = &index.signatures[t * kHashes + size_t(band * layout.rows)];
        for (int r = 0; r < layout.rows; ++r)
            key = splitMix(key ^ values[r]);
        keys.emplace_back(key, static_cast<uint32_t>(t));
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

// Calls visit(a, b) with a < b for each pair of texts sharing a bucket of one band.
template <typename Visit> void forEachBucketPair(const std::vector<std::pair<uint64_t, uint32_t>>& keys, Visit&& visit)
{
    for (size_t begin = 0; begin < keys.size();) {
        size_t end = begin + 1;
        while (end < keys.size() && keys[end].first == keys[begin].first)
            ++end;
        for (size_t i = begin; i < end; ++i)
            for (size_t j = i + 1; j < end; ++j)
                visit(size_t(keys[i].second), size_t(keys[j].second));
        begin = end;
    }
}

// Exact Jaccard ≥ threshold; the size bound min/max ≥ J rejects most unequal pairs without a merge.
bool similarEnough(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, double threshold, double* jaccard)
{
    const double smaller = static_cast<double>(std::min(a.size(), b.size()));
    const double larger = static_cast<double>(std::max(a.size(), b.size()));
    if (smaller < threshold * larger)
        return false;
    *jaccard = jaccardSimilarity(a, b);
    return *jaccard >= threshold;
}

} // namespace

LshBands lshBandsFor(double threshold)
{
    const double t = std::clamp(threshold, 0.05, 1.0);
    LshBands best {kHashes, 1};
    for (int rows = 2; rows <= kMaxRowsPerBand; ++rows) {
        const LshBands layout {kHashes / rows, rows};
        if (lshCandidateProbability(layout, t) >= kProposeAtThreshold)
            best = layout;
    }
    return best;
}

double lshCandidateProbability(LshBands layout, double similarity)
{
    return 1.0 - std::pow(1.0 - std::pow(similarity, layout.rows), layout.bands);
}

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
    auto index = buildIndex(texts, options, cancel);
    if (!index)
        return index.error();
    const size_t n = texts.size();
    const LshBands layout = lshBandsFor(options.threshold);
    UnionFind groups(n);
    for (int band = 0; band < layout.bands; ++band) {
        if (cancel && cancel->stopRequested())
            return cancelledError();
        forEachBucketPair(bandBuckets(*index, layout, band), [&](size_t a, size_t b) {
            double jaccard = 0;
            if (groups.find(a) != groups.find(b)
                && similarEnough(index->shingles[a], index->shingles[b], options.threshold, &jaccard))
                groups.join(a, b);
        });
    }

    std::vector<std::vector<size_t>> byRoot(n);
    for (size_t t = 0; t < n; ++t)
        byRoot[groups.find(t)].push_back(t);
    std::vector<std::vector<size_t>> out;
    for (auto& members : byRoot)
        if (members.size() > 1)
            out.push_back(std::move(members));
    return out; // a root is its group's smallest index, so they come ordered by first index
}

Expected<std::vector<NearDuplicatePair>> findNearDuplicatePairs(const std::vector<std::string>& texts,
                                                                const NearDuplicateOptions& options,
                                                                const CancelToken* cancel)
{
    auto index = buildIndex(texts, options, cancel);
    if (!index)
        return index.error();
    const LshBands layout = lshBandsFor(options.threshold);
    std::vector<uint64_t> candidates; // first << 32 | second
    for (int band = 0; band < layout.bands; ++band) {
        if (cancel && cancel->stopRequested())
            return cancelledError();
        forEachBucketPair(bandBuckets(*index, layout, band),
                          [&](size_t a, size_t b) { candidates.push_back(uint64_t(a) << 32 | uint64_t(b)); });
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    const int threads = threadCount(options, candidates.size());
    std::vector<std::vector<NearDuplicatePair>> found(static_cast<size_t>(threads));
    std::atomic_bool stopped = false;
    const size_t step = (candidates.size() + size_t(threads) - 1) / size_t(threads);
    parallelChunks(candidates.size(), threads, [&](size_t begin, size_t end) {
        auto& out = found[step ? begin / step : 0];
        for (size_t c = begin; c < end; ++c) {
            if ((c - begin) % (kRowsPerCancelCheck * 64) == 0 && cancel && cancel->stopRequested()) {
                stopped = true;
                return;
            }
            const size_t a = size_t(candidates[c] >> 32);
            const size_t b = size_t(candidates[c] & 0xffffffffu);
            double jaccard = 0;
            if (similarEnough(index->shingles[a], index->shingles[b], options.threshold, &jaccard))
                out.push_back({a, b, jaccard});
        }
    });
    if (stopped)
        return cancelledError();
    std::vector<NearDuplicatePair> pairs;
    for (auto& part : found)
        pairs.insert(pairs.end(), part.begin(), part.end());
    return pairs;
}

} // namespace ts
