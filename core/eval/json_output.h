// JSON in model output. Models often wrap JSON in a Markdown fence, so the output counts as JSON when
// either the whole text parses (surrounding whitespace ignored) or, failing that, the first fenced block
// tagged json (```json ... ```, tag case-insensitive) or untagged (``` ... ```) parses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ts::eval {

struct JsonOutput
{
    nlohmann::json value;
    bool fromFence = false; // found inside a ``` fenced block, not as the whole output
};

std::optional<JsonOutput> parseJsonOutput(std::string_view text);

// Why `text` is not JSON, in plain words that name what and where: "unexpected 'x' at line 1, column 5",
// "it ends before the JSON is complete (line 2, column 1)", "it is empty". Columns count characters, not bytes.
// "" when `text` parses.
std::string jsonErrorText(std::string_view text);

} // namespace ts::eval
