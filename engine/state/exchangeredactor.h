#pragma once
// Takes credentials out of an HTTP exchange before the request inspector stores it: the values of
// Authorization, Proxy-Authorization, Cookie and Set-Cookie headers and of any header, URL query
// parameter, JSON member or form field whose name looks sensitive (token, key, secret, password,
// auth, ...), a password in the URL, and every occurrence of the run's own secret values (as
// they are, percent-encoded and base64-encoded) anywhere. Errs on the side of hiding: a field
// called "monkey" is hidden too. Pure; any thread.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace syncline::engine::state {

class ExchangeRedactor
{
public:
    static constexpr QLatin1StringView Redacted { "[redacted]" };
    // Secret values shorter than this are not scrubbed as text (they would blank out common
    // words); names still hide them wherever they are sent as a header, parameter or member.
    static constexpr int MinSecretLength = 4;

    explicit ExchangeRedactor(const QStringList &secretValues);

    // True for a header, parameter or member name that carries a credential.
    static bool isSensitiveName(QByteArrayView name);

    QString url(const QString &url) const;
    QList<QPair<QByteArray, QByteArray>> headers(const QList<QPair<QByteArray, QByteArray>> &headers) const;
    // A JSON body (members by name) or a form-encoded body (fields by name), then secret values.
    QByteArray body(const QByteArray &body) const;
    // Any other text (an error message): secret values only.
    QString text(const QString &text) const;
    QByteArray scrubSecrets(QByteArray data) const;

    // The longest text a secret can take in a body (raw, percent- or base64-encoded); a body is
    // scrubbed before it is cut, over its cap plus this, so no partial secret survives the cut.
    qsizetype longestSecret() const { return m_longest; }

private:
    QList<QByteArray> m_needles; // every form of every secret, longest first
    qsizetype m_longest = 0;
};

} // namespace syncline::engine::state
