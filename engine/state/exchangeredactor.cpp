#include "engine/state/exchangeredactor.h"

#include <QUrl>

#include <algorithm>
#include <array>

namespace syncline::engine::state {

namespace {

// Names hidden wherever they appear, as a whole (case-insensitive).
constexpr std::array kSensitiveNames { "code", "assertion", "client_assertion", "pwd", "pass", "sig", "otp" };
// Names hidden when they contain one of these (case-insensitive): X-Api-Key, access_token, clientSecret...
constexpr std::array kSensitiveParts { "token", "key", "secret", "password", "passwd", "auth", "cookie", "session",
    "signature", "credential", "bearer", "private", "passphrase" };

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Index just past the JSON string that starts at `i` (text[i] == '"'); the end when unterminated.
qsizetype skipString(const QByteArray &text, qsizetype i)
{
    for (++i; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
    }
    return text.size();
}

// Index just past the JSON value that starts at `i` (a body cut short ends it).
qsizetype skipValue(const QByteArray &text, qsizetype i)
{
    if (i >= text.size())
        return i;
    if (text[i] == '"')
        return skipString(text, i);
    if (text[i] == '{' || text[i] == '[') {
        int depth = 0;
        while (i < text.size()) {
            const char c = text[i];
            if (c == '"') {
                i = skipString(text, i);
                continue;
            }
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            ++i;
        }
        return i;
    }
    while (i < text.size() && !isSpace(text[i]) && text[i] != ',' && text[i] != '}' && text[i] != ']')
        ++i;
    return i;
}

// Replaces the value of every member with a sensitive name, at any depth, keeping the rest byte for byte.
QByteArray redactJson(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        if (text[i] != '"') {
            out.append(text[i++]);
            continue;
        }
        const qsizetype end = skipString(text, i);
        out.append(text.constData() + i, end - i);
        qsizetype colon = end;
        while (colon < text.size() && isSpace(text[colon]))
            ++colon;
        const bool isName = colon < text.size() && text[colon] == ':';
        if (!isName || end - i < 2
            || !ExchangeRedactor::isSensitiveName(QByteArrayView(text).sliced(i + 1, end - i - 2))) {
            i = end;
            continue;
        }
        qsizetype value = colon + 1;
        while (value < text.size() && isSpace(text[value]))
            ++value;
        out.append(text.constData() + end, value - end);
        const qsizetype valueEnd = skipValue(text, value);
        const QByteArrayView original = QByteArrayView(text).sliced(value, valueEnd - value);
        if (original == "null" || original.isEmpty())
            out.append(original);
        else
            out.append('"').append(ExchangeRedactor::Redacted.data(), ExchangeRedactor::Redacted.size()).append('"');
        i = valueEnd;
    }
    return out;
}

QByteArray decodedName(QByteArray name)
{
    return QByteArray::fromPercentEncoding(name.replace('+', ' '));
}

// name=value&name=value: the values of sensitive names hidden. Used for form bodies and URL queries.
QByteArray redactPairs(const QByteArray &pairs)
{
    QList<QByteArray> parts = pairs.split('&');
    for (QByteArray &part : parts) {
        const qsizetype equals = part.indexOf('=');
        if (equals > 0 && ExchangeRedactor::isSensitiveName(decodedName(part.left(equals))))
            part = part.left(equals + 1)
                + QByteArray(ExchangeRedactor::Redacted.data(), ExchangeRedactor::Redacted.size());
    }
    return parts.join('&');
}

bool looksFormEncoded(const QByteArray &body)
{
    if (body.isEmpty() || !body.contains('='))
        return false;
    for (const char c : body)
        if (isSpace(c) || c == '{' || c == '"' || c == '<')
            return false;
    return true;
}

} // namespace

ExchangeRedactor::ExchangeRedactor(const QStringList &secretValues)
{
    for (const QString &secret : secretValues) {
        const QByteArray raw = secret.toUtf8();
        if (raw.size() < MinSecretLength)
            continue;
        QByteArray jsonEscaped = raw;
        jsonEscaped.replace("\\", "\\\\").replace("\"", "\\\"");
        for (const QByteArray &form : { raw, QUrl::toPercentEncoding(secret),
                 QUrl::toPercentEncoding(secret, " ").replace(' ', '+'), raw.toBase64(),
                 raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals), jsonEscaped })
            if (form.size() >= MinSecretLength && !m_needles.contains(form))
                m_needles.append(form);
    }
    std::sort(m_needles.begin(), m_needles.end(),
        [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
    m_longest = m_needles.isEmpty() ? 0 : m_needles.front().size();
}

bool ExchangeRedactor::isSensitiveName(QByteArrayView name)
{
    const QByteArray lower = name.toByteArray().trimmed().toLower();
    for (const char *exact : kSensitiveNames)
        if (lower == exact)
            return true;
    for (const char *part : kSensitiveParts)
        if (lower.contains(part))
            return true;
    return false;
}

QByteArray ExchangeRedactor::scrubSecrets(QByteArray data) const
{
    for (const QByteArray &needle : m_needles)
        data.replace(needle, QByteArray(Redacted.data(), Redacted.size()));
    return data;
}

QString ExchangeRedactor::text(const QString &text) const
{
    return m_needles.isEmpty() ? text : QString::fromUtf8(scrubSecrets(text.toUtf8()));
}

QString ExchangeRedactor::url(const QString &url) const
{
    QByteArray bytes = url.toUtf8();
    // scheme://user:password@host/...
    if (const qsizetype scheme = bytes.indexOf("://"); scheme > 0) {
        const qsizetype authorityEnd = [&] {
            qsizetype end = bytes.size();
            for (const char stop : { '/', '?', '#' })
                if (const qsizetype at = bytes.indexOf(stop, scheme + 3); at >= 0)
                    end = std::min(end, at);
            return end;
        }();
        const qsizetype at = bytes.lastIndexOf('@', authorityEnd - 1);
        if (at > scheme) {
            const qsizetype colon = bytes.indexOf(':', scheme + 3);
            if (colon >= 0 && colon < at)
                bytes = bytes.left(colon + 1) + QByteArray(Redacted.data(), Redacted.size()) + bytes.mid(at);
        }
    }
    const qsizetype question = bytes.indexOf('?');
    if (question >= 0) {
        qsizetype fragment = bytes.indexOf('#', question);
        if (fragment < 0)
            fragment = bytes.size();
        bytes = bytes.left(question + 1) + redactPairs(bytes.mid(question + 1, fragment - question - 1))
            + bytes.mid(fragment);
    }
    return QString::fromUtf8(scrubSecrets(bytes));
}

QList<QPair<QByteArray, QByteArray>> ExchangeRedactor::headers(
    const QList<QPair<QByteArray, QByteArray>> &headers) const
{
    QList<QPair<QByteArray, QByteArray>> redacted;
    redacted.reserve(headers.size());
    for (const auto &[name, value] : headers)
        redacted.append(
            { name, isSensitiveName(name) ? QByteArray(Redacted.data(), Redacted.size()) : scrubSecrets(value) });
    return redacted;
}

QByteArray ExchangeRedactor::body(const QByteArray &body) const
{
    qsizetype first = 0;
    while (first < body.size() && isSpace(body[first]))
        ++first;
    if (first < body.size() && (body[first] == '{' || body[first] == '['))
        return scrubSecrets(redactJson(body));
    if (looksFormEncoded(body))
        return scrubSecrets(redactPairs(body));
    return scrubSecrets(body);
}

} // namespace syncline::engine::state
