// API keys on the CLI/core side: read from an environment variable, never shown. Keys must not
// reach describe(), error messages or logs: redactSecret() scrubs any text that might echo one
// (providers' error bodies sometimes quote the key they were sent). The GUI reads keys from the
// OS keychain and hands them to makeHttpProvider() directly.
#pragma once

#include <string>
#include <string_view>

#include "common/expected.h"

namespace ts::llm {

inline constexpr std::string_view kOpenAiKeyEnv = "OPENAI_API_KEY";
inline constexpr std::string_view kAnthropicKeyEnv = "ANTHROPIC_API_KEY";

// Letters, digits and '_', not starting with a digit.
bool isValidEnvName(std::string_view name);

// The value of environment variable `envName`; an error naming the variable (never a value)
// when it is unset or empty, or when the name is not a valid variable name.
Expected<std::string> apiKeyFromEnv(const std::string& envName);

// `text` with every occurrence of `secret` replaced by "[redacted]" (an empty secret changes nothing).
std::string redactSecret(std::string text, std::string_view secret);

// "sk-…abcd"-style hint for showing which key is in use without showing it ("" for short keys).
std::string maskedKeyHint(std::string_view key);

} // namespace ts::llm
