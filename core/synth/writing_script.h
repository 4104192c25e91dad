// WritingScript: the language filter of the synthetic pipeline, as far as it can be decided without a model — the
// writing system most of a text's letters belong to (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai,
// Han/Kana, Hangul). A teacher that drifts into another language (a Latin-script task answered in Chinese, a
// Russian task answered in English) is caught; two languages of the same script (English and German) are not.
#pragma once

#include <optional>
#include <string_view>

namespace ts::synth {

enum class WritingScript { Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai, HanKana, Hangul, Other };

std::string_view writingScriptName(WritingScript script); // "Latin", "Cyrillic", …, "Han/Kana", "Hangul", "other"

// The script of most of the text's letters (digits, punctuation, symbols and JSON syntax do not count); nullopt when
// it has fewer than `minLetters` letters (too little to tell).
std::optional<WritingScript> dominantScript(std::string_view utf8Text, int minLetters = 8);

// Why `answer` is not in the seed's script ("the answer is written in Cyrillic script, the seed in Latin"); nullopt
// when they agree or either is too short to tell.
std::optional<std::string> scriptMismatchReason(std::string_view seedText, std::string_view answer);

} // namespace ts::synth
