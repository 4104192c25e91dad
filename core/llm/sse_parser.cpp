#include "llm/sse_parser.h"

namespace ts::llm {

void SseParser::feed(std::string_view bytes, const EventCallback& onEvent)
{
    for (char c : bytes) {
        if (c == '\n' && m_lastWasCr) {
            m_lastWasCr = false; // the \n of a \r\n pair: the line already ended at \r
            continue;
        }
        m_lastWasCr = c == '\r';
        if (c == '\n' || c == '\r') {
            processLine(onEvent);
            m_line.clear();
        } else {
            m_line.push_back(c);
        }
    }
}

void SseParser::processLine(const EventCallback& onEvent)
{
    if (m_line.empty()) {
        if (m_hasData && onEvent)
            onEvent(m_event);
        m_event = SseEvent {};
        m_hasData = false;
        return;
    }
    if (m_line.front() == ':')
        return; // comment (servers send these as keep-alives)

    std::string_view line(m_line);
    std::string_view field = line;
    std::string_view value;
    if (auto colon = line.find(':'); colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    if (field == "data") {
        if (m_hasData)
            m_event.data.push_back('\n');
        m_event.data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_event.event.assign(value);
    } else if (field == "id") {
        m_event.id.assign(value);
    }
    // `retry:` and unknown fields are ignored.
}

} // namespace ts::llm
