// InstructionTextGenerator: seeded, plausible instruction texts (claims-and-support domain) and the ways an evolved
// copy differs from its parent (character edits, word reorders, paraphrase-like word substitutions), for the dedupe
// tests and benchmark.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tstest {

class InstructionTextGenerator
{
public:
    explicit InstructionTextGenerator(uint64_t seed)
        : m_random(seed)
    { }

    // A text of whole sentences, its length drawn uniformly from [minChars, maxChars] (cut at a word end).
    std::string text(size_t minChars, size_t maxChars)
    {
        const size_t target = std::uniform_int_distribution<size_t>(minChars, maxChars)(m_random);
        std::string out;
        while (out.size() < target) {
            if (!out.empty())
                out += ' ';
            out += sentence();
        }
        while (out.size() > maxChars) {
            const size_t space = out.rfind(' ', maxChars);
            out.resize(space == std::string::npos || space < minChars ? maxChars : space);
        }
        return out;
    }

    // `count` single-character substitutions, insertions or deletions at random places.
    std::string editCharacters(std::string text, int count)
    {
        static constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyz ";
        for (int e = 0; e < count && !text.empty(); ++e) {
            const size_t at = pick(text.size());
            const char letter = letters[pick(letters.size())];
            switch (pick(3)) {
            case 0:
                text[at] = letter;
                break;
            case 1:
                text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), letter);
                break;
            default:
                text.erase(at, 1);
            }
        }
        return text;
    }

    // `count` swaps of two neighbouring words.
    std::string reorderWords(const std::string& text, int count)
    {
        std::vector<std::string> words = split(text);
        for (int s = 0; s < count && words.size() > 1; ++s) {
            const size_t at = pick(words.size() - 1);
            std::swap(words[at], words[at + 1]);
        }
        return join(words);
    }

    // `count` words replaced by a synonym where the table has one, by another word of the vocabulary otherwise.
    std::string substituteWords(const std::string& text, int count)
    {
        std::vector<std::string> words = split(text);
        for (int s = 0; s < count && !words.empty(); ++s) {
            std::string& word = words[pick(words.size())];
            const auto synonym = std::find_if(kSynonyms.begin(), kSynonyms.end(),
                                              [&](const auto& entry) { return entry.first == word; });
            word = synonym != kSynonyms.end() ? std::string(synonym->second) : std::string(any(kNouns));
        }
        return join(words);
    }

    // The same words with some letters upper-cased and some spaces doubled or turned into newlines.
    std::string changeCaseAndSpacing(const std::string& text)
    {
        std::string out;
        for (char c : text) {
            if (c == ' ' && pick(4) == 0)
                out += pick(2) ? "  " : " \n";
            else if (c >= 'a' && c <= 'z' && pick(5) == 0)
                out += static_cast<char>(c - 'a' + 'A');
            else
                out += c;
        }
        return "  " + out + "\t";
    }

    size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(m_random); }
    std::mt19937_64& random() { return m_random; }

private:
    static constexpr std::array<std::string_view, 24> kVerbs {
        "Summarize", "Classify", "Extract",  "Rewrite", "Explain", "Compare",  "List",    "Draft",
        "Translate", "Evaluate", "Identify", "Check",   "Outline", "Estimate", "Review",  "Describe",
        "Format",    "Validate", "Rank",     "Flag",    "Convert", "Group",    "Predict", "Correct",
    };
    static constexpr std::array<std::string_view, 40> kNouns {
        "claim",    "policy",   "invoice",  "customer", "adjuster",  "vehicle",  "bumper",   "windshield",
        "report",   "estimate", "deadline", "payment",  "refund",    "account",  "contract", "warranty",
        "incident", "witness",  "photo",    "garage",   "premium",   "coverage", "tenant",   "landlord",
        "roof",     "basement", "pipe",     "storm",    "hospital",  "receipt",  "flight",   "luggage",
        "shipment", "supplier", "order",    "ticket",   "complaint", "email",    "summary",  "table",
    };
    static constexpr std::array<std::string_view, 24> kAdjectives {
        "delayed",  "damaged",  "urgent",  "missing", "duplicate", "rejected", "pending", "approved",
        "detailed", "short",    "formal",  "angry",   "unclear",   "recent",   "annual",  "partial",
        "total",    "previous", "foreign", "local",   "written",   "signed",   "broken",  "flooded",
    };
    static constexpr std::array<std::string_view, 12> kPrepositions {
        "about", "for", "from", "with", "in", "after", "before", "under", "against", "by", "on", "without",
    };
    static constexpr std::array<std::string_view, 12> kTails {
        "and return JSON",          "in three bullet points",    "for the claims team",  "using plain words",
        "and give a reason",        "as a short table",          "in under fifty words", "and name the policy number",
        "then suggest a next step", "with the amounts in euros", "for a new adjuster",   "and keep the dates",
    };
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kSynonyms {{
        {"claim", "case"},
        {"customer", "client"},
        {"invoice", "bill"},
        {"damaged", "broken"},
        {"urgent", "pressing"},
        {"missing", "absent"},
        {"report", "statement"},
        {"vehicle", "car"},
        {"refund", "reimbursement"},
        {"short", "brief"},
        {"detailed", "thorough"},
        {"about", "regarding"},
        {"email", "message"},
        {"photo", "picture"},
        {"delayed", "late"},
        {"angry", "upset"},
    }};

    template <size_t N> std::string_view any(const std::array<std::string_view, N>& words) { return words[pick(N)]; }

    std::string sentence()
    {
        std::string out = std::string(any(kVerbs)) + " the " + std::string(any(kAdjectives)) + " "
            + std::string(any(kNouns)) + " " + std::string(any(kPrepositions)) + " the " + std::string(any(kNouns));
        if (pick(3) == 0)
            out += " number " + std::to_string(1000 + pick(9000));
        if (pick(2) == 0)
            out += " " + std::string(any(kTails));
        return out + ".";
    }

    static std::vector<std::string> split(const std::string& text)
    {
        std::vector<std::string> words;
        size_t begin = 0;
        while (begin <= text.size()) {
            const size_t end = std::min(text.find(' ', begin), text.size());
            if (end > begin)
                words.push_back(text.substr(begin, end - begin));
            begin = end + 1;
        }
        return words;
    }

    static std::string join(const std::vector<std::string>& words)
    {
        std::string out;
        for (const auto& word : words) {
            if (!out.empty())
                out += ' ';
            out += word;
        }
        return out;
    }

    std::mt19937_64 m_random;
};

} // namespace tstest
