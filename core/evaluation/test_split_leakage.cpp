// Test-split leakage: the scored split's inputs against the train inputs and few-shot examples, by near_duplicates.
#include "evaluation/test_split_leakage.h"

#include <algorithm>
#include <map>

#include "data/near_duplicates.h"
#include "store/example_repository.h"

namespace ts::evaluation {

Expected<std::vector<TestSplitLeak>> findTestSplitLeaks(Database& db, Split split,
                                                        const std::vector<int64_t>& fewShotIds, double threshold)
{
    if (split == Split::Train)
        return std::vector<TestSplitLeak> {};
    ExampleRepository repo(db);
    auto scored = repo.inSplit(split);
    if (!scored)
        return scored.error();
    auto train = repo.inSplit(Split::Train);
    if (!train)
        return train.error();
    auto shots = repo.getMany(fewShotIds);
    if (!shots)
        return shots.error();
    // One list: the scored rows first, then what contestants have seen (flagged few-shot or train).
    std::vector<std::string> texts;
    std::vector<int64_t> ids;
    std::vector<bool> isFewShot;
    for (const Example& e : *scored) {
        texts.push_back(normalizeForComparison(e.input(), true));
        ids.push_back(e.id);
        isFewShot.push_back(false);
    }
    const size_t scoredCount = texts.size();
    for (const Example& e : *shots) {
        texts.push_back(normalizeForComparison(e.input(), true));
        ids.push_back(e.id);
        isFewShot.push_back(true);
    }
    for (const Example& e : *train) {
        texts.push_back(normalizeForComparison(e.input(), true));
        ids.push_back(e.id);
        isFewShot.push_back(false);
    }
    NearDuplicateOptions options;
    options.threshold = threshold;
    auto pairs = findNearDuplicatePairs(texts, options);
    if (!pairs)
        return pairs.error();
    std::map<int64_t, TestSplitLeak> best; // per scored row
    for (const NearDuplicatePair& p : *pairs) {
        if (p.first >= scoredCount || p.second < scoredCount)
            continue; // both scored, or both seen
        TestSplitLeak leak {ids[p.first], ids[p.second], isFewShot[p.second], p.jaccard};
        auto [it, added] = best.emplace(leak.scoredExampleId, leak);
        if (!added
            && (leak.similarity > it->second.similarity
                || (leak.similarity == it->second.similarity && leak.fewShot && !it->second.fewShot)))
            it->second = leak;
    }
    std::vector<TestSplitLeak> out;
    for (auto& [id, leak] : best)
        out.push_back(leak);
    return out;
}

std::string testSplitLeakWarning(const std::vector<TestSplitLeak>& leaks, Split split, int64_t scoredRows)
{
    if (leaks.empty())
        return {};
    const std::string splitText(splitName(split));
    std::string text;
    for (bool fewShot : {false, true}) {
        std::vector<const TestSplitLeak*> of;
        for (const auto& l : leaks)
            if (l.fewShot == fewShot)
                of.push_back(&l);
        if (of.empty())
            continue;
        if (!text.empty())
            text += "; ";
        const bool one = of.size() == 1;
        text += std::to_string(of.size())
            + (text.empty() ? " of the " + std::to_string(scoredRows) + " " + splitText
                       + (scoredRows == 1 ? " example" : " examples")
                            : std::string());
        text += fewShot
            ? (one ? " repeats a few-shot example of a contestant's prompt"
                   : " repeat few-shot examples of a contestant's prompt")
            : (one ? " repeats a train example (a fine-tune saw it)" : " repeat train examples (a fine-tune saw them)");
        text += ": ";
        for (size_t i = 0; i < of.size() && i < 5; ++i)
            text += (i ? ", #" : "#") + std::to_string(of[i]->scoredExampleId) + " \u2248 #"
                + std::to_string(of[i]->seenExampleId);
        if (of.size() > 5)
            text += ", \u2026";
    }
    return text;
}

} // namespace ts::evaluation
