#include "connectors/mailchimp/mailchimpmember.h"

#include <QCryptographicHash>
#include <QSet>

namespace syncline::connectors::mailchimp {

namespace {

const QString kEmail = QStringLiteral("email_address");
const QString kStatus = QStringLiteral("status");

QString checkedStatus(const QJsonObject &payload, QString *error)
{
    static const QStringList statuses = { QStringLiteral("subscribed"), QStringLiteral("unsubscribed"),
        QStringLiteral("cleaned"), QStringLiteral("pending"), QStringLiteral("transactional") };
    if (!payload.contains(kStatus) || payload.value(kStatus).isNull())
        return {};
    const QString status = payload.value(kStatus).toVariant().toString().trimmed().toLower();
    if (!statuses.contains(status))
        *error = QStringLiteral("status '%1' is not a Mailchimp member status; use one of %2")
                     .arg(status, statuses.join(QStringLiteral(", ")));
    return status;
}

QJsonValue mergeValue(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return QString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value;
}

// Fills the member's own optional fields and its merge fields; `empty` blanks every merge value.
void fill(QJsonObject &body, const QJsonObject &payload, bool empty)
{
    QJsonObject merge;
    for (auto it = payload.begin(); it != payload.end(); ++it) {
        const QString &name = it.key();
        if (name == kEmail || name == kStatus)
            continue;
        if (name == QLatin1String("vip")) {
            if (!empty && !it.value().isNull())
                body.insert(name, it.value().isBool() ? it.value().toBool()
                                                      : it.value().toVariant().toString() == QLatin1String("true"));
            continue;
        }
        if (name == QLatin1String("language") || name == QLatin1String("email_type")) {
            if (!empty && !it.value().isNull())
                body.insert(name, it.value().toVariant().toString());
            continue;
        }
        merge.insert(name, empty ? QJsonValue(QString()) : mergeValue(it.value()));
    }
    if (!merge.isEmpty() || !empty)
        body.insert(QStringLiteral("merge_fields"), merge);
}

} // namespace

QString subscriberHash(const QString &email)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(email.trimmed().toLower().toUtf8(), QCryptographicHash::Md5).toHex());
}

const QStringList &memberFieldNames()
{
    static const QStringList names = { kEmail, kStatus, QStringLiteral("language"), QStringLiteral("vip"),
        QStringLiteral("email_type") };
    return names;
}

MemberBody batchMember(const QJsonObject &payload, const QString &statusIfNew)
{
    MemberBody member;
    const QString status = checkedStatus(payload, &member.error);
    if (!member.error.isEmpty())
        return member;
    member.body.insert(kEmail, payload.value(kEmail).toString().trimmed());
    member.body.insert(kStatus, status.isEmpty() ? statusIfNew : status);
    fill(member.body, payload, false);
    return member;
}

MemberBody putMember(const QJsonObject &payload, const QString &statusIfNew)
{
    MemberBody member;
    const QString status = checkedStatus(payload, &member.error);
    if (!member.error.isEmpty())
        return member;
    member.body.insert(kEmail, payload.value(kEmail).toString().trimmed());
    member.body.insert(QStringLiteral("status_if_new"), status.isEmpty() ? statusIfNew : status);
    if (!status.isEmpty())
        member.body.insert(kStatus, status);
    fill(member.body, payload, false);
    return member;
}

MemberBody patchMember(const QJsonObject &payload)
{
    MemberBody member;
    const QString status = checkedStatus(payload, &member.error);
    if (!member.error.isEmpty())
        return member;
    if (!status.isEmpty())
        member.body.insert(kStatus, status);
    fill(member.body, payload, false);
    return member;
}

MemberBody clearMember(const QJsonObject &payload)
{
    MemberBody member;
    fill(member.body, payload, true);
    return member;
}

} // namespace syncline::connectors::mailchimp
