#include "llm/api_keys.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace ts::llm {

bool isValidEnvName(std::string_view name)
{
    return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front()))
        && std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

Expected<std::string> apiKeyFromEnv(const std::string& envName)
{
    if (!isValidEnvName(envName))
        return makeError("\"" + envName + "\" is not a valid environment variable name for an API key");
    const char* value = std::getenv(envName.c_str());
    if (!value || !*value)
        return makeError("environment variable " + envName + " is not set (it should hold the API key)");
    return std::string(value);
}

std::string redactSecret(std::string text, std::string_view secret)
{
    if (secret.empty())
        return text;
    static constexpr std::string_view replacement = "[redacted]";
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
        text.replace(pos, secret.size(), replacement);
        pos += replacement.size();
    }
    return text;
}

std::string maskedKeyHint(std::string_view key)
{
    if (key.size() < 12)
        return "";
    return std::string(key.substr(0, 3)) + "…" + std::string(key.substr(key.size() - 4));
}

} // namespace ts::llm
