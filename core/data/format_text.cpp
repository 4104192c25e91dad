// Small text helpers of the dataset readers: byte order mark, blank lines, ASCII lowercase.
#include "data/format_detail.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace ts::detail {

std::string_view stripBom(std::string_view text)
{
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (text.substr(0, bom.size()) == bom)
        text.remove_prefix(bom.size());
    return text;
}

bool isBlank(std::string_view text)
{
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

} // namespace ts::detail
