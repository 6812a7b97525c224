#include "connectors/salesforce/salesforcecsv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace syncline::connectors::salesforce {

namespace {

const QString nullCell = QStringLiteral("#N/A");

QString cell(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return nullCell;
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == double(qint64(number)) && std::abs(number) < 9.0e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::String: {
        const QString text = value.toString();
        return text.isEmpty() ? nullCell : text;
    }
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

bool isRelationship(const QJsonValue &value)
{
    return value.isObject() && !value.toObject().isEmpty();
}

} // namespace

QStringList csvColumns(const QList<QJsonObject> &records)
{
    QStringList columns;
    for (const QJsonObject &record : records)
        for (auto it = record.begin(); it != record.end(); ++it) {
            if (isRelationship(it.value())) {
                const QJsonObject parent = it.value().toObject();
                for (auto field = parent.begin(); field != parent.end(); ++field)
                    if (field.key() != QLatin1String("attributes")
                        && !columns.contains(it.key() + QLatin1Char('.') + field.key()))
                        columns << it.key() + QLatin1Char('.') + field.key();
            } else if (!columns.contains(it.key())) {
                columns << it.key();
            }
        }
    return columns;
}

QStringList csvCells(const QJsonObject &fields, const QStringList &header)
{
    QStringList cells;
    cells.reserve(header.size());
    for (const QString &column : header) {
        const qsizetype dot = column.indexOf(QLatin1Char('.'));
        if (fields.contains(column)) {
            cells << cell(fields.value(column));
        } else if (dot > 0 && isRelationship(fields.value(column.left(dot)))) {
            const QJsonObject parent = fields.value(column.left(dot)).toObject();
            cells << (parent.contains(column.mid(dot + 1)) ? cell(parent.value(column.mid(dot + 1))) : QString());
        } else {
            cells << QString();
        }
    }
    return cells;
}

QByteArray csvLine(const QStringList &cells)
{
    QByteArray line;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            line += ',';
        const QString &text = cells[i];
        const bool quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))
            || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))
            || (!text.isEmpty() && (text.front().isSpace() || text.back().isSpace()));
        if (quote) {
            QString escaped = text;
            escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
            line += '"' + escaped.toUtf8() + '"';
        } else {
            line += text.toUtf8();
        }
    }
    return line;
}

QByteArray writeCsv(const QStringList &header, const QList<QStringList> &rows)
{
    QByteArray out = csvLine(header) + '\n';
    for (const QStringList &row : rows)
        out += csvLine(row) + '\n';
    return out;
}

std::optional<CsvTable> readCsv(const QByteArray &bytes, QString *error)
{
    const QString text = QString::fromUtf8(bytes);
    QList<QStringList> lines;
    QStringList row;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    qsizetype i = 0;
    auto endField = [&] {
        row << field;
        field.clear();
        fieldStarted = false;
    };
    auto endRow = [&] {
        endField();
        if (!(row.size() == 1 && row.front().isEmpty()))
            lines << row;
        row.clear();
    };
    while (i < text.size()) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    i += 2;
                    continue;
                }
                quoted = false;
            } else {
                field += c;
            }
            ++i;
            continue;
        }
        if (c == QLatin1Char('"') && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        } else if (c == QLatin1Char(',')) {
            endField();
        } else if (c == QLatin1Char('\n')) {
            endRow();
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            endRow();
        } else {
            field += c;
            fieldStarted = true;
        }
        ++i;
    }
    if (quoted) {
        if (error)
            *error = QStringLiteral("a quoted cell is not closed");
        return std::nullopt;
    }
    if (fieldStarted || !row.isEmpty())
        endRow();
    CsvTable table;
    if (lines.isEmpty())
        return table;
    table.header = lines.takeFirst();
    for (QStringList &line : lines) {
        if (line.size() != table.header.size()) {
            if (error)
                *error = QStringLiteral("a row has %1 cells under %2 columns").arg(line.size()).arg(table.header.size());
            return std::nullopt;
        }
        table.rows << std::move(line);
    }
    return table;
}

} // namespace syncline::connectors::salesforce
