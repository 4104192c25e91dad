// Small text helpers for HTTP: URL parts for the providers' messages and endpoints, and
// whitespace trimming and lower-casing for header lines and values.
#pragma once

#include <string>
#include <string_view>

namespace ts::llm {

// "host:port" of a URL ("api.openai.com", "127.0.0.1:8080"); user:password@ is left out.
std::string urlHost(std::string_view url);

// `url` without trailing '/' characters.
std::string withoutTrailingSlashes(std::string_view url);

// `text` without leading and trailing ASCII whitespace.
std::string_view trimAsciiSpace(std::string_view text);

// `text` with ASCII letters lower-cased (header names).
std::string asciiLower(std::string_view text);

// True for http:// and https:// URLs with a host.
bool isHttpUrl(std::string_view url);

} // namespace ts::llm
