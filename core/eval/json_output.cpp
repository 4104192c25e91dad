// Finding JSON in model output; see json_output.h.
#include "eval/json_output.h"

#include <cctype>

namespace ts::eval {

namespace {

std::optional<nlohmann::json> parseStrict(std::string_view text)
{
    nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded())
        return std::nullopt;
    return value;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isContinuationByte(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// "line 2, column 7" for the character that starts at byte `offset` (columns count code points from 1).
std::string placeOf(std::string_view text, size_t offset)
{
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if (!isContinuationByte(text[i])) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// The character at byte `offset` as a reader sees it: 'x', or a name for one that does not print.
std::string characterAt(std::string_view text, size_t offset)
{
    const unsigned char c = static_cast<unsigned char>(text[offset]);
    if (c == '\n')
        return "line break";
    if (c == '\t')
        return "tab";
    if (c < 0x20 || c == 0x7F) {
        static const char* const kHex = "0123456789ABCDEF";
        return std::string("control character U+00") + kHex[c >> 4] + kHex[c & 0xF];
    }
    size_t end = offset + 1;
    while (end < text.size() && isContinuationByte(text[end]))
        ++end;
    return "'" + std::string(text.substr(offset, end - offset)) + "'";
}

bool isJsonTag(std::string_view tag)
{
    while (!tag.empty() && std::isspace(static_cast<unsigned char>(tag.back())))
        tag.remove_suffix(1);
    if (tag.empty())
        return true; // an untagged fence
    if (tag.size() != 4)
        return false;
    for (size_t i = 0; i < 4; ++i)
        if (std::tolower(static_cast<unsigned char>(tag[i])) != "json"[i])
            return false;
    return true;
}

} // namespace

std::optional<JsonOutput> parseJsonOutput(std::string_view text)
{
    if (auto whole = parseStrict(text))
        return JsonOutput {std::move(*whole), false};

    constexpr std::string_view kFence = "```";
    size_t pos = 0;
    while ((pos = text.find(kFence, pos)) != std::string_view::npos) {
        const size_t tagBegin = pos + kFence.size();
        const size_t lineEnd = text.find('\n', tagBegin);
        if (lineEnd == std::string_view::npos)
            return std::nullopt;
        const size_t close = text.find(kFence, lineEnd + 1);
        if (close == std::string_view::npos)
            return std::nullopt;
        if (isJsonTag(text.substr(tagBegin, lineEnd - tagBegin))) {
            if (auto inner = parseStrict(text.substr(lineEnd + 1, close - lineEnd - 1)))
                return JsonOutput {std::move(*inner), true};
        }
        pos = close + kFence.size(); // the closing fence is not the next block's opening
    }
    return std::nullopt;
}

std::string jsonErrorText(std::string_view text)
{
    size_t first = 0;
    while (first < text.size() && isSpace(text[first]))
        ++first;
    if (first == text.size())
        return "it is empty";
    try {
        [[maybe_unused]] const nlohmann::json parsed = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte: 1-based index of the last byte read; past the end when the text stopped too early.
        if (e.byte == 0 || e.byte > text.size())
            return "it ends before the JSON is complete (" + placeOf(text, text.size()) + ")";
        size_t offset = e.byte - 1;
        while (offset > 0 && isContinuationByte(text[offset]))
            --offset; // the start of the character
        return "unexpected " + characterAt(text, offset) + " at " + placeOf(text, offset);
    } catch (const nlohmann::json::out_of_range&) {
        return "a number in it is too large";
    } catch (const nlohmann::json::exception&) {
        return "it could not be read as JSON";
    }
    return {};
}

} // namespace ts::eval
