#pragma once
// A mustache template over one row's columns ("{{first_name}} {{last_name}}"), parsed once
// and rendered per row without re-parsing. Values are inserted as plain text (no HTML
// escaping); a NULL renders as nothing and counts as false in {{#section}}s.
// Thread: render() mutates scratch state; use one copy per thread (copies are independent).

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::mapping {

class RowTemplate
{
public:
    // Parses `text`; on a syntax error returns nullopt and fills `error` with the parser's words.
    static std::optional<RowTemplate> parse(const QString &text, QString *error);

    RowTemplate(const RowTemplate &other);
    RowTemplate &operator=(const RowTemplate &other);
    RowTemplate(RowTemplate &&) noexcept;
    RowTemplate &operator=(RowTemplate &&) noexcept;
    ~RowTemplate();

    // The names the template reads, each once, in order of first use.
    const std::vector<QString> &names() const;
    // Renders with values[i] for names()[i] (nullopt = NULL), replacing `out`'s content.
    void render(const std::vector<std::optional<std::string_view>> &values, std::string &out);

private:
    struct Impl;
    explicit RowTemplate(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace syncline::engine::mapping
