// reasonKind: cuts a row's reason down to its kind (see reason_kind.h).
#include "synth/reason_kind.h"

#include <algorithm>

namespace ts::ui {

namespace {

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

} // namespace

std::string reasonKind(std::string_view reason)
{
    // The pipeline's low-quality reason carries the score ("judged 3/10, below the threshold of 7").
    if (reason.starts_with("judged ") && reason.find("below the threshold") != std::string_view::npos)
        return "judged below the threshold";
    const auto colon = reason.find(':');
    const auto paren = reason.find(" (");
    const auto cut = std::min(colon, paren);
    return std::string(trimmed(cut == std::string_view::npos ? reason : reason.substr(0, cut)));
}

} // namespace ts::ui
