#include "llm/http_text.h"

#include <algorithm>
#include <cctype>

namespace ts::llm {

std::string urlHost(std::string_view url)
{
    if (auto scheme = url.find("://"); scheme != std::string_view::npos)
        url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find_first_of("/?#"));
    if (auto at = url.rfind('@'); at != std::string_view::npos)
        url.remove_prefix(at + 1);
    return std::string(url);
}

std::string withoutTrailingSlashes(std::string_view url)
{
    while (!url.empty() && url.back() == '/')
        url.remove_suffix(1);
    return std::string(url);
}

std::string_view trimAsciiSpace(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

std::string asciiLower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool isHttpUrl(std::string_view url)
{
    const bool scheme = url.starts_with("http://") || url.starts_with("https://");
    return scheme && !urlHost(url).empty();
}

} // namespace ts::llm
