#pragma once
// RAII owner of one ODBC handle (environment, connection or statement): freed exactly once,
// on destruction or reset(). Move-only. Internal to engine/warehouse.

#include <sql.h>
#include <sqlext.h>

#include <utility>

namespace syncline::engine::warehouse {

class OdbcHandle
{
public:
    OdbcHandle() = default;
    OdbcHandle(SQLSMALLINT type, SQLHANDLE handle) : m_type(type), m_handle(handle) {}
    ~OdbcHandle() { reset(); }
    OdbcHandle(const OdbcHandle &) = delete;
    OdbcHandle &operator=(const OdbcHandle &) = delete;
    OdbcHandle(OdbcHandle &&other) noexcept : m_type(other.m_type), m_handle(std::exchange(other.m_handle, nullptr)) {}
    OdbcHandle &operator=(OdbcHandle &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_type = other.m_type;
            m_handle = std::exchange(other.m_handle, nullptr);
        }
        return *this;
    }

    // Allocates a handle of `type` under `parent` (SQL_NULL_HANDLE for an environment).
    // Returns an empty handle when the driver manager refuses.
    static OdbcHandle allocate(SQLSMALLINT type, SQLHANDLE parent)
    {
        SQLHANDLE handle = SQL_NULL_HANDLE;
        const SQLRETURN rc = SQLAllocHandle(type, parent, &handle);
        if (!SQL_SUCCEEDED(rc))
            return {};
        return OdbcHandle(type, handle);
    }

    void reset()
    {
        if (m_handle)
            SQLFreeHandle(m_type, m_handle);
        m_handle = nullptr;
    }

    SQLHANDLE get() const { return m_handle; }
    SQLSMALLINT type() const { return m_type; }
    explicit operator bool() const { return m_handle != nullptr; }

private:
    SQLSMALLINT m_type = 0;
    SQLHANDLE m_handle = nullptr;
};

} // namespace syncline::engine::warehouse
