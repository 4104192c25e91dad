#include "llm/provider.h"

namespace ts::llm {

const char* chatErrorKindName(ChatErrorKind kind)
{
    switch (kind) {
    case ChatErrorKind::Cancelled:
        return "cancelled";
    case ChatErrorKind::Auth:
        return "auth";
    case ChatErrorKind::BadRequest:
        return "bad-request";
    case ChatErrorKind::RateLimited:
        return "rate-limited";
    case ChatErrorKind::Server:
        return "server";
    case ChatErrorKind::Timeout:
        return "timeout";
    case ChatErrorKind::Network:
        return "network";
    case ChatErrorKind::BadResponse:
        return "bad-response";
    }
    return "unknown";
}

} // namespace ts::llm
