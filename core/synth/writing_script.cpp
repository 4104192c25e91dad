// WritingScript: code point ranges of the scripts, counted over a text's letters.
#include "synth/writing_script.h"

#include <array>
#include <string>

#include "common/utf8.h"

namespace ts::synth {

namespace {

// The script of a letter; nullopt for what is not a letter of a script we tell apart (digits, punctuation, symbols,
// combining marks, spaces).
std::optional<WritingScript> scriptOf(char32_t c)
{
    if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')
        || (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7) || (c >= 0x1E00 && c <= 0x1EFF))
        return WritingScript::Latin;
    if (c >= 0x0370 && c <= 0x03FF)
        return WritingScript::Greek;
    if (c >= 0x0400 && c <= 0x052F)
        return WritingScript::Cyrillic;
    if (c >= 0x0590 && c <= 0x05FF)
        return WritingScript::Hebrew;
    if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F))
        return WritingScript::Arabic;
    if (c >= 0x0900 && c <= 0x097F)
        return WritingScript::Devanagari;
    if (c >= 0x0E00 && c <= 0x0E7F)
        return WritingScript::Thai;
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF))
        return WritingScript::HanKana;
    if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF))
        return WritingScript::Hangul;
    if (c >= 0x0080 && c != 0xFFFD && !(c >= 0x2000 && c <= 0x2BFF) && !(c >= 0x3000 && c <= 0x303F)
        && !(c >= 0xFF00 && c <= 0xFF0F) && !(c >= 0x1F000 && c <= 0x1FFFF) && !(c >= 0x0300 && c <= 0x036F))
        return WritingScript::Other;
    return std::nullopt;
}

} // namespace

std::string_view writingScriptName(WritingScript script)
{
    static constexpr std::array<std::string_view, 10> kNames {
        "Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari", "Thai", "Han/Kana", "Hangul", "other",
    };
    return kNames[static_cast<size_t>(script)];
}

std::optional<WritingScript> dominantScript(std::string_view text, int minLetters)
{
    std::array<int, 10> counts {};
    int letters = 0;
    for (size_t pos = 0; pos < text.size();) {
        if (auto script = scriptOf(utf8::next(text, pos))) {
            ++counts[static_cast<size_t>(*script)];
            ++letters;
        }
    }
    if (letters < minLetters)
        return std::nullopt;
    size_t best = 0;
    for (size_t i = 1; i < counts.size(); ++i)
        if (counts[i] > counts[best])
            best = i;
    return static_cast<WritingScript>(best);
}

std::optional<std::string> scriptMismatchReason(std::string_view seedText, std::string_view answer)
{
    const auto seed = dominantScript(seedText);
    const auto got = dominantScript(answer);
    if (!seed || !got || *seed == *got)
        return std::nullopt;
    return "the answer is written in " + std::string(writingScriptName(*got)) + " script, the seed in "
        + std::string(writingScriptName(*seed));
}

} // namespace ts::synth
