// reasonKind: the kind of a synthetic row's failure reason, without its particulars ("the response is a refusal: it
// says …" → "the response is a refusal"), so that "Reject all like this" can group rows that failed the same way.
#pragma once

#include <string>
#include <string_view>

namespace ts::ui {

// The reason up to its first ':' or " (" (where the particulars begin), trimmed; the whole reason when it has
// neither. "judged 3/10, below …" keeps its first clause: "judged …" rows differ only by score, so they are one
// kind ("judged below the threshold").
std::string reasonKind(std::string_view reason);

} // namespace ts::ui
