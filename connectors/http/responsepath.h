#pragma once
// Where in a JSON response to find something per record (an error, an id). The syntax:
//   name.name        members from the root; the value applies to every record of the request
//   list[].error     `list` is an array aligned with the request's records: element i is record i
//   [].id            the same, when the response itself is the array
//   errors[#index].message
//                    each element of `errors` names its record by the member `index` (0-based
//                    position in the request); the rest of the path is read inside that element
// Thread: an immutable value.

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace syncline::connectors::http {

class ResponsePath
{
public:
    // nullopt and `error` filled when `text` is not in the syntax above.
    static std::optional<ResponsePath> parse(const QString &text, QString *error);

    // The value for each of `count` records (Undefined when the response has none for it).
    std::vector<QJsonValue> valuesPerRecord(const QJsonValue &root, int count) const;
    const QString &text() const { return m_text; }

private:
    enum class Mode { Whole, Aligned, Indexed };
    QString m_text;
    QStringList m_prefix;
    Mode m_mode = Mode::Whole;
    QString m_indexMember;
    QStringList m_suffix;
};

// A value found at an errors path, as a message: empty when it says "no error" (null, false, "", {}, []).
QString errorText(const QJsonValue &value);
// A value found at an id path, as text: strings as is, numbers without exponent; empty otherwise.
QString idText(const QJsonValue &value);

} // namespace syncline::connectors::http

namespace syncline::connectors::http {
// The API's own words for a refused request: the body's message / error / detail (or the first of
// its errors), else the start of the body; empty when the body says nothing.
QString responseMessage(const QByteArray &body);
}
