#include "connectors/googlesheets/a1notation.h"

#include <QRegularExpression>

namespace syncline::connectors::googlesheets {

QString columnLetters(int column)
{
    QString letters;
    for (int n = column + 1; n > 0; n = (n - 1) / 26)
        letters.prepend(QChar(u'A' + (n - 1) % 26));
    return letters;
}

QString quotedTitle(const QString &title)
{
    QString quoted = title;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString cellRange(const QString &title, int firstColumn, int firstRow, int lastColumn, int lastRow)
{
    return quotedTitle(title) + QLatin1Char('!') + columnLetters(firstColumn) + QString::number(firstRow)
        + QLatin1Char(':') + columnLetters(lastColumn) + (lastRow > 0 ? QString::number(lastRow) : QString());
}

std::optional<std::pair<int, int>> rowsOfRange(const QString &range)
{
    // The cells part follows the last '!' (a quoted title may contain one).
    const QString cells = range.mid(range.lastIndexOf(QLatin1Char('!')) + 1);
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z]*(\\d+)(?::[A-Za-z]*(\\d+))?$"));
    const QRegularExpressionMatch match = pattern.match(cells);
    if (!match.hasMatch())
        return std::nullopt;
    const int first = match.captured(1).toInt();
    const int last = match.captured(2).isEmpty() ? first : match.captured(2).toInt();
    return std::pair { first, last };
}

} // namespace syncline::connectors::googlesheets
