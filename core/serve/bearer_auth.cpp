// bearerTokenMatches: constant-time comparison of the Authorization header with the token.
#include "serve/bearer_auth.h"

namespace ts::serve {

bool bearerTokenMatches(std::string_view header, std::string_view token)
{
    constexpr std::string_view prefix = "Bearer ";
    const bool ok = header.size() == prefix.size() + token.size() && header.substr(0, prefix.size()) == prefix;
    // Constant time over the token's length.
    unsigned char diff = ok ? 0 : 1;
    for (size_t i = 0; i < token.size(); ++i)
        diff |= static_cast<unsigned char>((i + prefix.size() < header.size() ? header[i + prefix.size()] : 0)
                                           ^ token[i]);
    return diff == 0;
}

} // namespace ts::serve
