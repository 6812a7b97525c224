#pragma once
// The HubSpot fake's records and properties, and the CRM v3 batch writes applied to them
// (upsert by a unique property, create, update, archive, read), answered with the bodies and
// statuses the contract (../shared/destinations/specs/hubspot_crm_objects_v3_contract.json)
// declares: 200/201, 207 multi-status with per-input errors, 204, 400 VALIDATION_ERROR.
// Pure state, no locking and no sockets: HubSpotFake calls it under its mutex.

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>

#include <functional>
#include <vector>

namespace syncline::testfakes::hubspot {

struct PropertyDef
{
    QString name;
    QString type = QStringLiteral("string"); // string, number, date, datetime, enumeration, bool
    QString fieldType = QStringLiteral("text");
    bool unique = false; // hasUniqueValue: can be an upsert's idProperty
    bool readOnly = false; // modificationMetadata.readOnlyValue: writes are refused
    bool required = false; // refused when a create leaves it empty
};

struct StoredRecord
{
    QString id; // hs_object_id
    QHash<QString, QString> properties;
    QString createdAt;
    QString updatedAt;
};

struct WriteAnswer
{
    int status = 200;
    QJsonObject body; // empty for 204
};

class HubSpotStore
{
public:
    HubSpotStore(); // contacts, companies, deals and the custom object type 2-1001 ("cars")

    void defineObject(const QString &objectType, std::vector<PropertyDef> properties);
    bool hasObject(const QString &objectType) const;
    QJsonObject propertiesJson(const QString &objectType) const; // GET /crm/v3/properties/{type}

    // Each answers as HubSpot does; more than `maxInputs` inputs is a 400 (the batch limit).
    WriteAnswer upsert(const QString &objectType, const QJsonObject &body);
    WriteAnswer create(const QString &objectType, const QJsonObject &body);
    WriteAnswer update(const QString &objectType, const QJsonObject &body);
    WriteAnswer archive(const QString &objectType, const QJsonObject &body);
    WriteAnswer read(const QString &objectType, const QJsonObject &body);

    // An input is refused (207 per-input error) when this says so; called with the object type and
    // the input's properties as they would be stored (its id property included).
    std::function<bool(const QString &, const QHash<QString, QString> &)> reject;
    int maxInputs = 100;

    QMap<QString, StoredRecord> records(const QString &objectType) const; // live records by id
    QHash<QString, int> writesPerRecord; // "<type>/<id>" -> writes applied (upsert, create, update)
    int recordsWritten = 0;
    int recordsArchived = 0;
    void clearRecords();

private:
    struct ObjectType
    {
        std::vector<PropertyDef> properties;
        QMap<QString, StoredRecord> records;
        QHash<QString, QHash<QString, QString>> unique; // unique property -> folded value -> id
    };
    static QString fold(const QString &property, const QString &value); // emails compare without case
    void unindex(ObjectType &type, const StoredRecord &record);
    const PropertyDef *property(const QString &objectType, const QString &name) const;
    QString findBy(const QString &objectType, const QString &property, const QString &value) const;
    // An empty string when `properties` may be written, else why not (a VALIDATION_ERROR message).
    QString checkProperties(const QString &objectType, const QJsonObject &properties) const;
    QString apply(const QString &objectType, const QString &id, const QJsonObject &properties);
    QJsonObject recordJson(const QString &objectType, const StoredRecord &record) const;
    QString checkInputs(const QJsonObject &body) const; // a whole-request problem, or empty

    QMap<QString, ObjectType> m_objects;
    qint64 m_nextId = 51001;
};

// {status: "error", category: "VALIDATION_ERROR", message, ...}: a whole-request error body.
QJsonObject hubSpotError(const QString &category, const QString &message);
QString hubSpotNow(); // "2026-12-01T13:00:00.000Z"

} // namespace syncline::testfakes::hubspot
