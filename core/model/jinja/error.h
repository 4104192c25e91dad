// The exception used inside the Jinja engine; the public API turns it into a ts::Error.
#pragma once

#include <stdexcept>
#include <string>

namespace ts::jinja {

// A template or render error. Position 0:0 means "not yet known": the interpreter fills in the
// position of the innermost expression or statement that was being evaluated.
class JinjaError : public std::runtime_error
{
public:
    explicit JinjaError(std::string message, int line = 0, int column = 0)
        : std::runtime_error(message)
        , m_message(std::move(message))
        , m_line(line)
        , m_column(column)
    { }

    const std::string& message() const { return m_message; }
    int line() const { return m_line; }
    int column() const { return m_column; }
    bool hasPosition() const { return m_line > 0; }
    void setPosition(int line, int column)
    {
        m_line = line;
        m_column = column;
    }
    // "message at LINE:COLUMN", or the bare message when no position is known.
    std::string describe() const
    {
        if (!hasPosition())
            return m_message;
        return m_message + " at " + std::to_string(m_line) + ":" + std::to_string(m_column);
    }

private:
    std::string m_message;
    int m_line;
    int m_column;
};

// raise_exception(msg) from a template: the render fails with exactly that message.
class RaisedError : public std::runtime_error
{
public:
    explicit RaisedError(const std::string& message)
        : std::runtime_error(message)
    { }
};

// A sandbox limit (output size, iterations, recursion) was exceeded.
class LimitError : public JinjaError
{
public:
    using JinjaError::JinjaError;
};

} // namespace ts::jinja
