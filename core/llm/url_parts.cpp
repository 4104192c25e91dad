#include "llm/url_parts.h"

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

bool isHttpUrl(std::string_view url)
{
    const bool scheme = url.starts_with("http://") || url.starts_with("https://");
    return scheme && !urlHost(url).empty();
}

} // namespace ts::llm
