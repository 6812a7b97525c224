#include "app/cli/commands/queryoutput.h"

#include <QString>

#include <charconv>
#include <cmath>

namespace syncline::cli {
namespace {

using namespace syncline::engine::warehouse;

void appendInteger(QByteArray &out, int64_t value)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr - digits);
}

void appendReal(QByteArray &out, double value)
{
    char digits[32];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr - digits);
}

void appendHex(QByteArray &out, std::string_view bytes)
{
    static const char hex[] = "0123456789abcdef";
    out.append("\\x");
    for (unsigned char byte : bytes) {
        out.append(hex[byte >> 4]);
        out.append(hex[byte & 15]);
    }
}

// The cell as plain UTF-8 text (not NULL): what CSV writes and the table shows.
void appendPlain(QByteArray &out, const RowBatch &batch, int row, int column, ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Integer: appendInteger(out, batch.integer(row, column)); return;
    case ColumnKind::Real: appendReal(out, batch.real(row, column)); return;
    case ColumnKind::Boolean: out.append(batch.boolean(row, column) ? "true" : "false"); return;
    case ColumnKind::Binary: appendHex(out, batch.text(row, column)); return;
    default: {
        const std::string_view text = batch.text(row, column);
        out.append(text.data(), qsizetype(text.size()));
    }
    }
}

class CsvOutput final : public QueryOutput
{
public:
    void begin(const std::vector<Column> &columns, QByteArray &out) override
    {
        m_kinds.clear();
        for (size_t c = 0; c < columns.size(); ++c) {
            if (c)
                out.append(',');
            appendField(out, columns[c].name.toUtf8(), false);
            m_kinds.push_back(columns[c].kind);
        }
        out.append("\r\n");
    }

    void rows(const RowBatch &batch, QByteArray &out) override
    {
        for (int r = 0; r < batch.rowCount(); ++r) {
            for (int c = 0; c < batch.columnCount(); ++c) {
                if (c)
                    out.append(',');
                if (batch.isNull(r, c))
                    continue; // NULL is an empty field; an empty string is ""
                m_cell.clear();
                appendPlain(m_cell, batch, r, c, m_kinds[size_t(c)]);
                appendField(out, m_cell, true);
            }
            out.append("\r\n");
        }
    }

    void end(qint64, QByteArray &) override {}

private:
    static void appendField(QByteArray &out, const QByteArray &field, bool quoteEmpty)
    {
        bool quote = quoteEmpty && field.isEmpty();
        for (char ch : field)
            if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
                quote = true;
                break;
            }
        if (!quote) {
            out.append(field);
            return;
        }
        out.append('"');
        for (char ch : field) {
            if (ch == '"')
                out.append('"');
            out.append(ch);
        }
        out.append('"');
    }

    std::vector<ColumnKind> m_kinds;
    QByteArray m_cell;
};

class JsonLinesOutput final : public QueryOutput
{
public:
    void begin(const std::vector<Column> &columns, QByteArray &) override
    {
        m_keys.clear();
        m_kinds.clear();
        for (const Column &column : columns) {
            QByteArray key;
            appendString(key, column.name.toUtf8());
            m_keys.push_back(key + ':');
            m_kinds.push_back(column.kind);
        }
    }

    void rows(const RowBatch &batch, QByteArray &out) override
    {
        for (int r = 0; r < batch.rowCount(); ++r) {
            out.append('{');
            for (int c = 0; c < batch.columnCount(); ++c) {
                if (c)
                    out.append(',');
                out.append(m_keys[size_t(c)]);
                if (batch.isNull(r, c)) {
                    out.append("null");
                    continue;
                }
                switch (m_kinds[size_t(c)]) {
                case ColumnKind::Integer: appendInteger(out, batch.integer(r, c)); break;
                case ColumnKind::Boolean: out.append(batch.boolean(r, c) ? "true" : "false"); break;
                case ColumnKind::Real: {
                    const double value = batch.real(r, c);
                    if (std::isfinite(value))
                        appendReal(out, value);
                    else
                        out.append(std::isnan(value) ? "\"NaN\"" : value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
                    break;
                }
                case ColumnKind::Binary: {
                    QByteArray hex;
                    appendHex(hex, batch.text(r, c));
                    appendString(out, hex);
                    break;
                }
                default: { // exact decimals, dates and times stay strings: nothing is rounded
                    const std::string_view text = batch.text(r, c);
                    appendString(out, QByteArray::fromRawData(text.data(), qsizetype(text.size())));
                }
                }
            }
            out.append("}\n");
        }
    }

    void end(qint64, QByteArray &) override {}

private:
    static void appendString(QByteArray &out, const QByteArray &utf8)
    {
        static const char hex[] = "0123456789abcdef";
        out.append('"');
        for (char ch : utf8) {
            const auto byte = static_cast<unsigned char>(ch);
            switch (ch) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default:
                if (byte < 0x20) {
                    out.append("\\u00");
                    out.append(hex[byte >> 4]);
                    out.append(hex[byte & 15]);
                } else {
                    out.append(ch);
                }
            }
        }
        out.append('"');
    }

    std::vector<QByteArray> m_keys;
    std::vector<ColumnKind> m_kinds;
};

// Aligned columns sized by the header and the first rows; longer cells are cut with "...".
class TableOutput final : public QueryOutput
{
public:
    static constexpr int kMaxWidth = 40;
    static constexpr int kSampleRows = 200;

    void begin(const std::vector<Column> &columns, QByteArray &) override
    {
        m_columns = columns;
        m_widths.clear();
        m_headerDone = false;
    }

    void rows(const RowBatch &batch, QByteArray &out) override
    {
        if (!m_headerDone) {
            for (const Column &column : m_columns)
                m_widths.push_back(int(column.name.size()));
            for (int r = 0; r < std::min(batch.rowCount(), kSampleRows); ++r)
                for (int c = 0; c < batch.columnCount(); ++c)
                    m_widths[size_t(c)] = std::max(m_widths[size_t(c)], int(std::min<qsizetype>(cell(batch, r, c).size(), kMaxWidth)));
            writeHeader(out);
        }
        for (int r = 0; r < batch.rowCount(); ++r) {
            for (int c = 0; c < batch.columnCount(); ++c)
                appendPadded(out, cell(batch, r, c), size_t(c), isNumeric(m_columns[size_t(c)].kind));
            trimLine(out);
        }
    }

    void end(qint64 rowCount, QByteArray &out) override
    {
        if (!m_headerDone)
            writeHeader(out);
        out.append('(');
        appendInteger(out, rowCount);
        out.append(rowCount == 1 ? " row)\n" : " rows)\n");
    }

private:
    static bool isNumeric(ColumnKind kind)
    {
        return kind == ColumnKind::Integer || kind == ColumnKind::Real || kind == ColumnKind::Decimal;
    }

    static QString cell(const RowBatch &batch, int row, int column)
    {
        if (batch.isNull(row, column))
            return QStringLiteral("NULL");
        QString text = batch.displayText(row, column);
        for (QChar &ch : text)
            if (ch == QLatin1Char('\n') || ch == QLatin1Char('\r') || ch == QLatin1Char('\t'))
                ch = QLatin1Char(' ');
        return text;
    }

    void writeHeader(QByteArray &out)
    {
        if (m_widths.size() < m_columns.size())
            for (size_t c = m_widths.size(); c < m_columns.size(); ++c)
                m_widths.push_back(int(m_columns[c].name.size()));
        for (size_t c = 0; c < m_columns.size(); ++c)
            appendPadded(out, m_columns[c].name, c, false);
        trimLine(out);
        for (size_t c = 0; c < m_columns.size(); ++c) {
            out.append(QByteArray(m_widths[c], '-'));
            out.append(c + 1 < m_columns.size() ? "  " : "");
        }
        out.append('\n');
        m_headerDone = true;
    }

    void appendPadded(QByteArray &out, const QString &text, size_t column, bool right)
    {
        const int width = m_widths[column];
        QString shown = text.size() > width ? text.left(std::max(0, width - 3)) + QStringLiteral("...") : text;
        const QByteArray padding(std::max<qsizetype>(0, width - shown.size()), ' ');
        if (right)
            out.append(padding);
        out.append(shown.toUtf8());
        if (!right)
            out.append(padding);
        out.append("  ");
    }

    static void trimLine(QByteArray &out)
    {
        while (out.endsWith(' '))
            out.chop(1);
        out.append('\n');
    }

    std::vector<Column> m_columns;
    std::vector<int> m_widths;
    bool m_headerDone = false;
};

class NoOutput final : public QueryOutput
{
public:
    void begin(const std::vector<Column> &, QByteArray &) override {}
    void rows(const RowBatch &, QByteArray &) override {}
    void end(qint64, QByteArray &) override {}
};

} // namespace

std::unique_ptr<QueryOutput> makeQueryOutput(const QString &format)
{
    if (format == QLatin1String("table"))
        return std::make_unique<TableOutput>();
    if (format == QLatin1String("csv"))
        return std::make_unique<CsvOutput>();
    if (format == QLatin1String("jsonl"))
        return std::make_unique<JsonLinesOutput>();
    if (format == QLatin1String("none"))
        return std::make_unique<NoOutput>();
    return nullptr;
}

} // namespace syncline::cli
