// SseWriter: "data: ...\n\n" events until the first failed write.
#include "serve/sse_writer.h"

namespace ts::serve {

SseWriter::SseWriter(WriteFunction write, std::function<void()> onClosed)
    : m_write(std::move(write))
    , m_onClosed(std::move(onClosed))
{ }

bool SseWriter::send(const std::string& payload)
{
    if (!m_open)
        return false;
    const std::string event = "data: " + payload + "\n\n";
    m_open = m_write(event);
    if (!m_open && m_onClosed)
        m_onClosed();
    return m_open;
}

} // namespace ts::serve
