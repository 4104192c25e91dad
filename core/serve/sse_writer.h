// SseWriter: server-sent events framing for a streamed response: each payload goes out as
// "data: <payload>\n\n" through a write function. The first failed write (the client went away)
// closes the writer: later payloads are dropped and `onClosed` runs once (e.g. to cancel the
// generation feeding the stream).
#pragma once

#include <functional>
#include <string>

namespace ts::serve {

class SseWriter
{
public:
    // `write` sends bytes and says whether they went out.
    using WriteFunction = std::function<bool(const std::string& bytes)>;

    SseWriter(WriteFunction write, std::function<void()> onClosed = {});

    // Sends one event; false once the client is gone.
    bool send(const std::string& payload);

    bool open() const { return m_open; }

private:
    WriteFunction m_write;
    std::function<void()> m_onClosed;
    bool m_open = true;
};

} // namespace ts::serve
