// Small URL helpers for the HTTP providers: the host part for messages, joining a base URL and a path.
#pragma once

#include <string>
#include <string_view>

namespace ts::llm {

// "host:port" of a URL ("api.openai.com", "127.0.0.1:8080"); user:password@ is left out.
std::string urlHost(std::string_view url);

// `url` without trailing '/' characters.
std::string withoutTrailingSlashes(std::string_view url);

// True for http:// and https:// URLs with a host.
bool isHttpUrl(std::string_view url);

} // namespace ts::llm
