#pragma once
// Turns a mapped payload into the bodies of Mailchimp's member endpoints. Fields named
// email_address, status, language, vip and email_type are the member's own; every other field is
// a merge field by its tag (FNAME, ...). A null merge value becomes "" (Mailchimp's way to clear).
// Free functions over values; thread-safe.

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace syncline::connectors::mailchimp {

// MD5 of the lowercased email, in hex: the member's id in every member URL.
QString subscriberHash(const QString &email);

// The member's own (non-merge) fields, as discovery lists them.
const QStringList &memberFieldNames();

struct MemberBody
{
    QJsonObject body;
    QString error; // why the payload cannot be sent (e.g. an unknown status); body is then empty
};

// One entry of a batch-subscribe `members` array: status is the mapped one, else `statusIfNew`.
MemberBody batchMember(const QJsonObject &payload, const QString &statusIfNew);
// PUT body: creates with `statusIfNew` or updates, changing the status only when it is mapped.
MemberBody putMember(const QJsonObject &payload, const QString &statusIfNew);
// PATCH body for an update of an existing member (no email change, status only when mapped).
MemberBody patchMember(const QJsonObject &payload);
// PATCH body that empties every mapped merge field of `payload` (the member and its status stay).
MemberBody clearMember(const QJsonObject &payload);

} // namespace syncline::connectors::mailchimp
