// Dedupe of synthetic rows: exact duplicates by normalised text, near duplicates and leaks by MinHash clusters.
#include "synth/synthetic_dedupe.h"

#include <cstdio>
#include <limits>
#include <unordered_map>

#include "data/near_duplicates.h"

namespace ts::synth {

namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();
constexpr size_t kCandidatesPerCancelCheck = 1024;

// What a distinct text turned out to be: a leak of a reference, or a copy of the cluster's earliest candidate text.
struct TextOutcome
{
    size_t reference = kNone; // index into the references
    size_t earliestText = kNone; // index into the distinct texts
    double similarity = 1.0; // Jaccard with that reference or text
};

std::string twoDecimals(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

std::string leakReason(const ReferenceText& reference, double similarity, bool exact, double threshold)
{
    const std::string example = reference.split + " example " + std::to_string(reference.exampleId);
    const std::string consequence = ": would leak the " + reference.split + " split into training";
    if (exact)
        return "same text as " + example + consequence;
    if (similarity >= threshold)
        return "too close to " + example + " (Jaccard " + twoDecimals(similarity) + ")" + consequence;
    return "in a cluster of near duplicates with " + example + " (Jaccard " + twoDecimals(similarity) + " directly)"
        + consequence;
}

std::string nearReason(int64_t earliestRowId, double similarity, double threshold)
{
    const std::string row = "synthetic row " + std::to_string(earliestRowId);
    if (similarity >= threshold)
        return "near duplicate of " + row + " (Jaccard " + twoDecimals(similarity) + ")";
    return "near duplicate of " + row + " through a chain of similar rows (Jaccard " + twoDecimals(similarity)
        + " directly)";
}

// Fills the outcome of every text of one cluster (indices into `texts`, ascending; the first `referenceCount` texts
// are the references).
void resolveCluster(const std::vector<size_t>& members, const std::vector<std::string>& texts, size_t referenceCount,
                    int shingleChars, std::vector<TextOutcome>& outcomes)
{
    std::vector<std::vector<uint64_t>> shingles;
    shingles.reserve(members.size());
    for (size_t t : members)
        shingles.push_back(shingleHashes(texts[t], shingleChars));
    size_t firstCandidate = 0;
    while (firstCandidate < members.size() && members[firstCandidate] < referenceCount)
        ++firstCandidate;
    const bool leaks = firstCandidate > 0;
    for (size_t m = firstCandidate; m < members.size(); ++m) {
        TextOutcome& outcome = outcomes[members[m]];
        if (!leaks) {
            outcome.earliestText = members[firstCandidate];
            outcome.similarity = jaccardSimilarity(shingles[m], shingles[firstCandidate]);
            continue;
        }
        outcome.similarity = -1;
        for (size_t r = 0; r < firstCandidate; ++r) {
            const double similarity = jaccardSimilarity(shingles[m], shingles[r]);
            if (similarity > outcome.similarity) {
                outcome.similarity = similarity;
                outcome.reference = members[r];
            }
        }
    }
}

} // namespace

std::string_view duplicateKindName(DuplicateKind kind)
{
    switch (kind) {
    case DuplicateKind::Unique:
        return "unique";
    case DuplicateKind::Exact:
        return "exact";
    case DuplicateKind::Near:
        return "near";
    case DuplicateKind::Leak:
        return "leak";
    }
    return "unique";
}

Expected<std::vector<DedupeVerdict>> dedupeSynthetic(const std::vector<ReferenceText>& references,
                                                     const std::vector<CandidateText>& candidates,
                                                     const DedupeOptions& options, const CancelToken* cancel)
{
    if (cancel && cancel->stopRequested())
        return cancelledError();

    // Distinct normalised texts: the references first, then each candidate text not seen before. The map's keys
    // view the strings of `texts`, which is reserved up front so that they never move.
    std::vector<std::string> texts;
    texts.reserve(references.size() + candidates.size());
    std::unordered_map<std::string_view, size_t> textIndex;
    textIndex.reserve(references.size() + candidates.size());
    for (const ReferenceText& reference : references) {
        texts.push_back(normalizeForComparison(reference.text, true));
        textIndex.try_emplace(texts.back(), texts.size() - 1);
    }
    std::vector<size_t> textOfCandidate(candidates.size());
    std::vector<size_t> firstCandidateOfText(references.size(), kNone);
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (cancel && i % kCandidatesPerCancelCheck == 0 && cancel->stopRequested())
            return cancelledError();
        std::string normalized = normalizeForComparison(candidates[i].text, true);
        if (auto found = textIndex.find(normalized); found != textIndex.end()) {
            textOfCandidate[i] = found->second;
            continue;
        }
        texts.push_back(std::move(normalized));
        textIndex.emplace(texts.back(), texts.size() - 1);
        textOfCandidate[i] = texts.size() - 1;
        firstCandidateOfText.push_back(i);
    }

    std::vector<TextOutcome> outcomes(texts.size());
    for (size_t t = 0; t < texts.size(); ++t) {
        if (t < references.size())
            outcomes[t].reference = t;
        else
            outcomes[t].earliestText = t;
    }
    if (options.threshold < 1.0) {
        NearDuplicateOptions nearOptions;
        nearOptions.threshold = options.threshold;
        nearOptions.shingleChars = options.shingleChars;
        auto clusters = findNearDuplicateGroups(texts, nearOptions, cancel);
        if (!clusters)
            return clusters.error();
        for (const auto& members : *clusters) {
            if (cancel && cancel->stopRequested())
                return cancelledError();
            resolveCluster(members, texts, references.size(), options.shingleChars, outcomes);
        }
    }

    std::vector<DedupeVerdict> verdicts;
    verdicts.reserve(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
        const size_t text = textOfCandidate[i];
        const TextOutcome& outcome = outcomes[text];
        DedupeVerdict verdict;
        verdict.rowId = candidates[i].rowId;
        if (outcome.reference != kNone) {
            const ReferenceText& reference = references[outcome.reference];
            verdict.kind = DuplicateKind::Leak;
            verdict.leakExampleId = reference.exampleId;
            verdict.leakSplit = reference.split;
            verdict.similarity = outcome.similarity;
            verdict.reason = leakReason(reference, outcome.similarity, text < references.size(), options.threshold);
        } else {
            const size_t earliest = firstCandidateOfText[outcome.earliestText];
            if (earliest == i) {
                verdict.reason = "unique";
            } else {
                verdict.duplicateOfRowId = candidates[earliest].rowId;
                verdict.similarity = outcome.similarity;
                if (text == outcome.earliestText) {
                    verdict.kind = DuplicateKind::Exact;
                    verdict.reason = "exact duplicate of synthetic row " + std::to_string(verdict.duplicateOfRowId)
                        + " (same text up to case and whitespace)";
                } else {
                    verdict.kind = DuplicateKind::Near;
                    verdict.reason = nearReason(verdict.duplicateOfRowId, outcome.similarity, options.threshold);
                }
            }
        }
        verdicts.push_back(std::move(verdict));
    }
    return verdicts;
}

} // namespace ts::synth
