// JsonArrayScanner: cuts a top-level JSON array into element texts without parsing them (dataset import and
// format detection).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ts::detail {

// Cuts a top-level JSON array into element texts without parsing them, counting lines on the way, so each
// element is parsed and reported on its own and the whole pass stays linear.
class JsonArrayScanner
{
public:
    struct Element
    {
        std::string_view text;
        size_t line = 0;
    };

    explicit JsonArrayScanner(std::string_view text)
        : m_text(text)
    { }

    bool open(); // skips to and past the opening '['; false when the text does not start an array
    std::optional<Element> next(); // nullopt at the closing ']' or at the end of the text
    bool closed() const { return m_closed; }
    bool onlySpaceLeft();
    size_t offset() const { return m_pos; }
    size_t line() const { return m_line; }

private:
    void skipSpace();
    void skipString();

    std::string_view m_text;
    size_t m_pos = 0;
    size_t m_line = 1;
    bool m_closed = false;
};

} // namespace ts::detail
