// SseParser: an incremental Server-Sent-Events parser (the WHATWG "text/event-stream" rules) fed
// arbitrary byte chunks, as they come off the socket. Lines end in \n, \r\n or \r (a \r at the
// end of one chunk and \n at the start of the next count as one line end); `data:` lines of one
// event are joined with \n; lines starting with ':' are comments; an empty line dispatches the
// event. An unfinished event at the end of the stream is dropped, as the spec says.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ts::llm {

struct SseEvent
{
    std::string event; // the `event:` field; empty means "message"
    std::string data; // the `data:` lines joined with \n
    std::string id;

    bool isDone() const { return data == "[DONE]"; } // OpenAI's end-of-stream sentinel
};

class SseParser
{
public:
    using EventCallback = std::function<void(const SseEvent&)>;

    // Parses `bytes` and calls onEvent for each event completed by them.
    void feed(std::string_view bytes, const EventCallback& onEvent);

    // True when bytes of an undispatched event (or an unfinished line) are pending.
    bool hasPartialEvent() const { return !m_line.empty() || m_hasData || !m_event.event.empty(); }

private:
    void processLine(const EventCallback& onEvent);

    std::string m_line;
    SseEvent m_event;
    bool m_hasData = false;
    bool m_lastWasCr = false;
};

} // namespace ts::llm
