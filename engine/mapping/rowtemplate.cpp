#include "engine/mapping/rowtemplate.h"

#include <kainjow/mustache.hpp>

#include <algorithm>

namespace syncline::engine::mapping {

namespace {

using MustacheData = kainjow::mustache::data;

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// A template made only of text and {{name}} / {{{name}}} / {{& name}} variables renders as
// literal pieces and values, without the mustache engine (the common case, and much faster).
struct Piece
{
    std::string literal;
    int name = -1; // index into names, or -1 for a trailing literal
};

// Lists the variable and section names of a template that the mustache parser accepted,
// following {{=<% %>=}} delimiter changes. Comments and the implicit iterator are skipped.
// `pieces` is filled when the template is simple (see Piece); `simple` says whether it is.
std::vector<QString> scanTemplate(const std::string &text, std::vector<Piece> &pieces, bool &simple, QString *error)
{
    std::vector<QString> names;
    std::string open = "{{";
    std::string close = "}}";
    size_t pos = 0;
    size_t literalStart = 0;
    simple = true;
    pieces.clear();
    while ((pos = text.find(open, pos)) != std::string::npos) {
        const size_t tagStart = pos;
        size_t start = pos + open.size();
        std::string closing = close;
        if (open == "{{" && start < text.size() && text[start] == '{') {
            ++start;
            closing = "}}}";
        }
        const size_t end = text.find(closing, start);
        if (end == std::string::npos)
            break;
        std::string_view tag = trimmed(std::string_view(text).substr(start, end - start));
        pos = end + closing.size();
        if (tag.empty())
            continue;
        const char sigil = tag.front();
        if (sigil == '!') {
            simple = false;
            continue;
        }
        if (sigil == '=') {
            simple = false;
            std::string_view spec = tag.substr(1);
            if (!spec.empty() && spec.back() == '=')
                spec.remove_suffix(1);
            spec = trimmed(spec);
            const size_t space = spec.find_first_of(" \t");
            if (space != std::string_view::npos) {
                open = std::string(spec.substr(0, space));
                close = std::string(trimmed(spec.substr(space)));
            }
            continue;
        }
        if (sigil == '>') {
            if (error)
                *error = QStringLiteral("partials ({{>name}}) are not supported in field templates");
            return {};
        }
        if (sigil == '#' || sigil == '^' || sigil == '/')
            simple = false;
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&' || sigil == '{')
            tag = trimmed(tag.substr(1));
        if (sigil == '/' || tag == ".") {
            simple = false;
            continue;
        }
        const QString name = QString::fromUtf8(tag.data(), static_cast<qsizetype>(tag.size()));
        auto found = std::find(names.begin(), names.end(), name);
        if (found == names.end())
            found = names.insert(names.end(), name);
        pieces.push_back({text.substr(literalStart, tagStart - literalStart), static_cast<int>(found - names.begin())});
        literalStart = pos;
    }
    pieces.push_back({text.substr(literalStart), -1});
    if (!simple)
        pieces.clear();
    return names;
}

} // namespace

struct RowTemplate::Impl
{
    explicit Impl(const std::string &text) : mustache(text) {}

    kainjow::mustache::mustache mustache;
    bool simple = false;
    std::vector<Piece> pieces; // when simple
    std::vector<QString> names;
    std::vector<std::string> utf8Names;
    std::vector<MustacheData> values;
};

namespace {

// Resolves names against the row's values; sections push their value on a stack as usual.
class RowContext final : public kainjow::mustache::basic_context<std::string>
{
public:
    RowContext(const std::vector<std::string> &names, const std::vector<MustacheData> &values)
        : m_names(names), m_values(values)
    {
    }
    void push(const MustacheData *data) override { m_stack.insert(m_stack.begin(), data); }
    void pop() override { m_stack.erase(m_stack.begin()); }
    const MustacheData *get(const std::string &name) const override
    {
        if (name == "." && !m_stack.empty())
            return m_stack.front();
        for (const MustacheData *item : m_stack) {
            if (const MustacheData *found = item->get(name))
                return found;
        }
        for (size_t i = 0; i < m_names.size(); ++i) {
            if (m_names[i] == name)
                return &m_values[i];
        }
        return nullptr;
    }
    const MustacheData *get_partial(const std::string &) const override { return nullptr; }

private:
    const std::vector<std::string> &m_names;
    const std::vector<MustacheData> &m_values;
    std::vector<const MustacheData *> m_stack;
};

} // namespace

std::optional<RowTemplate> RowTemplate::parse(const QString &text, QString *error)
{
    const std::string utf8 = text.toUtf8().toStdString();
    auto impl = std::make_unique<Impl>(utf8);
    if (!impl->mustache.is_valid()) {
        if (error)
            *error = QString::fromStdString(impl->mustache.error_message());
        return std::nullopt;
    }
    QString namesError;
    impl->names = scanTemplate(utf8, impl->pieces, impl->simple, &namesError);
    if (!namesError.isEmpty()) {
        if (error)
            *error = namesError;
        return std::nullopt;
    }
    impl->mustache.set_custom_escape([](const std::string &value) { return value; });
    for (const QString &name : impl->names)
        impl->utf8Names.push_back(name.toUtf8().toStdString());
    for (size_t i = 0; i < impl->names.size(); ++i)
        impl->values.emplace_back(false);
    return RowTemplate(std::move(impl));
}

RowTemplate::RowTemplate(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RowTemplate::RowTemplate(const RowTemplate &other) : m_impl(std::make_unique<Impl>(*other.m_impl)) {}
RowTemplate &RowTemplate::operator=(const RowTemplate &other)
{
    if (this != &other)
        m_impl = std::make_unique<Impl>(*other.m_impl);
    return *this;
}
RowTemplate::RowTemplate(RowTemplate &&) noexcept = default;
RowTemplate &RowTemplate::operator=(RowTemplate &&) noexcept = default;
RowTemplate::~RowTemplate() = default;

const std::vector<QString> &RowTemplate::names() const
{
    return m_impl->names;
}

void RowTemplate::render(const std::vector<std::optional<std::string_view>> &values, std::string &out)
{
    if (m_impl->simple) {
        out.clear();
        for (const Piece &piece : m_impl->pieces) {
            out.append(piece.literal);
            if (piece.name >= 0 && static_cast<size_t>(piece.name) < values.size() && values[static_cast<size_t>(piece.name)])
                out.append(*values[static_cast<size_t>(piece.name)]);
        }
        return;
    }
    for (size_t i = 0; i < m_impl->values.size(); ++i) {
        if (i < values.size() && values[i])
            m_impl->values[i] = MustacheData(std::string(*values[i]));
        else
            m_impl->values[i] = MustacheData(false);
    }
    RowContext context(m_impl->utf8Names, m_impl->values);
    out = m_impl->mustache.render(context);
}

} // namespace syncline::engine::mapping
