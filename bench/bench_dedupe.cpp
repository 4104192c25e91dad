// Benchmark: dedupeSynthetic() over 100,000 plausible instruction rows of 50–400 characters (~10% planted near
// duplicates, ~2% exact ones up to case and spacing). Prints time, peak memory (ru_maxrss), rows/s and the groups
// found. Reference: bench_dedupe_reference.py, an independent MinHash in Python with exact Jaccard, reads the rows
// and the pairs this writes (--write-rows, --write-pairs) and prints the recall and precision of these pairs.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "data/near_duplicates.h"
#include "instruction_text_generator.h" // tests/core: the seeded text generator of the dedupe tests
#include "synth/synthetic_dedupe.h"

using namespace ts;
using Clock = std::chrono::steady_clock;

namespace {

struct Arguments
{
    int rows = 100000;
    uint64_t seed = 42;
    double threshold = 0.8;
    std::string rowsPath;
    std::string pairsPath;
};

[[noreturn]] void usage(const char* message)
{
    std::fprintf(stderr,
                 "bench_dedupe: %s\nusage: tunesmith-bench-dedupe [--rows N] [--seed S] [--threshold T] "
                 "[--write-rows PATH] [--write-pairs PATH]\n",
                 message);
    std::exit(2);
}

Arguments parseArguments(int argc, char** argv)
{
    Arguments arguments;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc)
            usage("a flag lacks its value");
        const char* value = argv[++i];
        if (flag == "--rows")
            arguments.rows = std::atoi(value);
        else if (flag == "--seed")
            arguments.seed = std::strtoull(value, nullptr, 10);
        else if (flag == "--threshold")
            arguments.threshold = std::atof(value);
        else if (flag == "--write-rows")
            arguments.rowsPath = value;
        else if (flag == "--write-pairs")
            arguments.pairsPath = value;
        else
            usage("unknown flag");
    }
    if (arguments.rows < 1)
        usage("--rows must be at least 1");
    return arguments;
}

struct PlantedRows
{
    std::vector<synth::CandidateText> rows;
    int exactCopies = 0;
    int nearCopies = 0;
};

// Fresh texts, with ~2% copies of an earlier row in other case and spacing and ~10% near copies of an earlier row
// (a few character edits, a word swap or a synonym).
PlantedRows plantRows(int count, uint64_t seed)
{
    tstest::InstructionTextGenerator generator(seed);
    PlantedRows planted;
    planted.rows.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        const size_t draw = generator.pick(100);
        std::string text;
        if (i > 0 && draw < 2) {
            text = generator.changeCaseAndSpacing(planted.rows[generator.pick(size_t(i))].text);
            ++planted.exactCopies;
        } else if (i > 0 && draw < 12) {
            const std::string& parent = planted.rows[generator.pick(size_t(i))].text;
            switch (generator.pick(3)) {
            case 0:
                text = generator.editCharacters(parent, 1 + static_cast<int>(generator.pick(3)));
                break;
            case 1:
                text = generator.reorderWords(parent, 1);
                break;
            default:
                text = generator.substituteWords(parent, 1);
            }
            ++planted.nearCopies;
        } else {
            text = generator.text(50, 400);
        }
        planted.rows.push_back({i + 1, std::move(text)});
    }
    return planted;
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double peakResidentMiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

void writeRows(const std::string& path, const std::vector<synth::CandidateText>& rows)
{
    std::ofstream out(path);
    for (const auto& row : rows)
        out << nlohmann::json(row.text).dump() << '\n';
    if (!out)
        usage("cannot write --write-rows");
}

// Every pair of rows (0-based line numbers of --write-rows) at the threshold or above, as the C++ MinHash finds it.
void writePairs(const std::string& path, const std::vector<synth::CandidateText>& rows, double threshold)
{
    std::vector<std::string> texts;
    texts.reserve(rows.size());
    for (const auto& row : rows)
        texts.push_back(normalizeForComparison(row.text, true));
    NearDuplicateOptions options;
    options.threshold = threshold;
    const auto start = Clock::now();
    auto pairs = findNearDuplicatePairs(texts, options);
    if (!pairs)
        usage(pairs.error().message.c_str());
    std::printf("pairs:       %zu at Jaccard >= %.2f (findNearDuplicatePairs, %.2f s)\n", pairs->size(), threshold,
                secondsSince(start));
    std::FILE* out = std::fopen(path.c_str(), "w");
    if (!out)
        usage("cannot write --write-pairs");
    for (const auto& pair : *pairs)
        std::fprintf(out, "%zu %zu %.6f\n", pair.first, pair.second, pair.jaccard);
    std::fclose(out);
}

} // namespace

int main(int argc, char** argv)
{
    const Arguments arguments = parseArguments(argc, argv);
    const PlantedRows planted = plantRows(arguments.rows, arguments.seed);
    size_t characters = 0;
    for (const auto& row : planted.rows)
        characters += row.text.size();
    const double baselineMiB = peakResidentMiB();

    synth::DedupeOptions options;
    options.threshold = arguments.threshold;
    const auto start = Clock::now();
    auto verdicts = synth::dedupeSynthetic({}, planted.rows, options);
    const double seconds = secondsSince(start);
    if (!verdicts)
        usage(verdicts.error().message.c_str());

    int exact = 0;
    int near = 0;
    std::unordered_set<int64_t> groups; // the kept row of each group with a duplicate
    for (const auto& verdict : *verdicts) {
        if (verdict.kind == synth::DuplicateKind::Unique)
            continue;
        (verdict.kind == synth::DuplicateKind::Exact ? exact : near) += 1;
        groups.insert(verdict.duplicateOfRowId);
    }
    std::printf("rows:        %d (%.0f characters on average; planted %d exact and %d near copies)\n", arguments.rows,
                double(characters) / arguments.rows, planted.exactCopies, planted.nearCopies);
    std::printf("dedupe:      %.3f s, %.0f rows/s, threshold %.2f (%d bands of %d rows)\n", seconds,
                arguments.rows / seconds, arguments.threshold, lshBandsFor(arguments.threshold).bands,
                lshBandsFor(arguments.threshold).rows);
    std::printf("peak memory: %.1f MiB (ru_maxrss; %.1f MiB before the dedupe, with the rows)\n", peakResidentMiB(),
                baselineMiB);
    std::printf("found:       %zu groups with duplicates, %d exact and %d near duplicates\n", groups.size(), exact,
                near);
    std::printf("target:      <= 10 s and <= 1024 MiB: %s\n",
                seconds <= 10.0 && peakResidentMiB() <= 1024.0 ? "met" : "MISSED");

    if (!arguments.rowsPath.empty())
        writeRows(arguments.rowsPath, planted.rows);
    if (!arguments.pairsPath.empty())
        writePairs(arguments.pairsPath, planted.rows, arguments.threshold);
    return 0;
}
