// Dataset overview: one pass for splits, tags and token lengths; a hash map for exact duplicates; near-duplicates
// over the distinct contents.
#include "data/dataset_overview.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace ts {

namespace {

// Input and output, each whitespace-normalised, with a separator no text contains.
std::string contentKey(const Example& example)
{
    return normalizeForComparison(example.input(), false) + '\x1f' + normalizeForComparison(example.output(), false);
}

int64_t roundWidth(int64_t atLeast)
{
    int64_t scale = 1;
    while (true) {
        for (int64_t step : {1, 2, 5})
            if (step * scale >= atLeast)
                return step * scale;
        scale *= 10;
    }
}

} // namespace

Expected<DatasetOverview> computeDatasetOverview(const std::vector<Example>& examples,
                                                 const DatasetOverviewOptions& options, const CancelToken* cancel)
{
    DatasetOverview overview;
    overview.total = static_cast<int64_t>(examples.size());
    std::map<std::string, int64_t> tagCounts;
    overview.ids.reserve(examples.size());
    if (options.countTokens)
        overview.tokenLengths.reserve(examples.size());
    for (size_t i = 0; i < examples.size(); ++i) {
        if (cancel && (i % 256) == 0 && cancel->stopRequested())
            return cancelledError();
        const Example& example = examples[i];
        overview.ids.push_back(example.id);
        switch (example.split) {
        case Split::Train:
            ++overview.train;
            break;
        case Split::Eval:
            ++overview.eval;
            break;
        case Split::Test:
            ++overview.test;
            break;
        }
        if (example.tags.empty())
            ++overview.untagged;
        for (const std::string& tag : example.tags)
            ++tagCounts[tag];
        if (options.countTokens) {
            auto tokens = options.countTokens(example);
            if (tokens) {
                overview.tokenLengths.push_back(*tokens);
            } else {
                overview.tokenLengths.push_back(-1);
                if (overview.uncounted++ == 0)
                    overview.firstCountError = tokens.error().message;
            }
        }
    }
    for (auto& [tag, count] : tagCounts)
        overview.tags.push_back({tag, count});
    std::stable_sort(overview.tags.begin(), overview.tags.end(),
                     [](const TagCount& a, const TagCount& b) { return a.count > b.count; });

    // Exact duplicates: examples grouped by content, in the order given.
    std::unordered_map<std::string, size_t> groupOf; // content → index into `groups`
    std::vector<std::vector<size_t>> groups; // indices into `examples`
    for (size_t i = 0; i < examples.size(); ++i) {
        auto [it, added] = groupOf.try_emplace(contentKey(examples[i]), groups.size());
        if (added)
            groups.emplace_back();
        groups[it->second].push_back(i);
    }
    const auto toIds = [&examples](const std::vector<size_t>& indices) {
        std::vector<int64_t> ids;
        for (size_t i : indices)
            ids.push_back(examples[i].id);
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    for (const auto& group : groups) {
        if (group.size() < 2)
            continue;
        overview.exactDuplicateGroups.push_back(toIds(group));
        overview.exactDuplicates += static_cast<int64_t>(group.size()) - 1;
    }

    // Near duplicates among the distinct contents: the first example of each exact group stands for it.
    std::vector<std::string> texts;
    texts.reserve(groups.size());
    for (const auto& group : groups) {
        const Example& example = examples[group.front()];
        texts.push_back(normalizeForComparison(example.input() + "\n" + example.output(), true));
    }
    auto near = findNearDuplicateGroups(texts, options.nearDuplicates, cancel);
    if (!near)
        return near.error();
    for (const auto& group : *near) {
        std::vector<size_t> members;
        for (size_t g : group)
            members.push_back(groups[g].front());
        overview.nearDuplicateGroups.push_back(toIds(members));
        overview.nearDuplicates += static_cast<int64_t>(group.size()) - 1;
    }
    const auto byFirstId = [](const auto& a, const auto& b) { return a.front() < b.front(); };
    std::sort(overview.exactDuplicateGroups.begin(), overview.exactDuplicateGroups.end(), byFirstId);
    std::sort(overview.nearDuplicateGroups.begin(), overview.nearDuplicateGroups.end(), byFirstId);
    return overview;
}

int64_t countLongerThan(const std::vector<int64_t>& lengths, int64_t limit)
{
    return std::count_if(lengths.begin(), lengths.end(), [limit](int64_t n) { return n > limit; });
}

std::vector<LengthBin> lengthHistogram(const std::vector<int64_t>& lengths, int maxBins)
{
    std::vector<LengthBin> bins;
    int64_t longest = -1;
    for (int64_t n : lengths)
        longest = std::max(longest, n);
    if (longest < 0 || maxBins < 1)
        return bins;
    // Bin i holds [i·w, (i+1)·w); the longest length must fall in the last one.
    const int64_t width = roundWidth((longest + maxBins) / maxBins);
    const int64_t count = longest / width + 1;
    bins.resize(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i)
        bins[size_t(i)] = {i * width, (i + 1) * width, 0};
    for (int64_t n : lengths)
        if (n >= 0)
            ++bins[size_t(n / width)].count;
    return bins;
}

} // namespace ts
