// Expected<T>: a value or an Error. Foreseeable failures (bad file, bad row, schema mismatch)
// are returned as values at API edges; exceptions stay inside implementations.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ts {

// What kind of failure an Error is, where a caller acts on it: Busy (the project file is locked by another
// writer; retrying later succeeds) is retried by long runs (store/busy_retry.h) instead of failing them;
// Cancelled is a job that stopped because it was asked to (cancelledError / isCancelled in common/cancel.h).
enum class ErrorKind { Failed, Busy, Cancelled };

struct Error
{
    std::string message;
    ErrorKind kind = ErrorKind::Failed;
};

template <typename T> class [[nodiscard]] Expected
{
public:
    Expected(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    { }
    Expected(Error error)
        : m_data(std::in_place_index<1>, std::move(error))
    { }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() &
    {
        assert(ok());
        return std::get<0>(m_data);
    }
    const T& value() const&
    {
        assert(ok());
        return std::get<0>(m_data);
    }
    T&& value() &&
    {
        assert(ok());
        return std::get<0>(std::move(m_data));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const
    {
        assert(!ok());
        return std::get<1>(m_data);
    }

private:
    std::variant<T, Error> m_data;
};

template <> class [[nodiscard]] Expected<void>
{
public:
    Expected() = default;
    Expected(Error error)
        : m_error(std::move(error))
        , m_ok(false)
    { }

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const
    {
        assert(!m_ok);
        return m_error;
    }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Expected<void>;

inline Error makeError(std::string message)
{
    return Error {std::move(message)};
}

} // namespace ts
