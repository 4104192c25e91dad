// Bearer token check for the server: "Authorization: Bearer <token>", compared in constant time
// over the token's length so response timing does not reveal how much of a guess was right.
#pragma once

#include <string_view>

namespace ts::serve {

// True when `authorizationHeader` is exactly "Bearer " + `token`.
bool bearerTokenMatches(std::string_view authorizationHeader, std::string_view token);

} // namespace ts::serve
