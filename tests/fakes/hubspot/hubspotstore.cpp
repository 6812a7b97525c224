#include "tests/fakes/hubspot/hubspotstore.h"

#include <QDateTime>
#include <QJsonArray>

namespace syncline::testfakes::hubspot {

namespace {

PropertyDef prop(const char *name, const char *type = "string", bool unique = false, bool readOnly = false)
{
    PropertyDef def;
    def.name = QString::fromLatin1(name);
    def.type = QString::fromLatin1(type);
    def.fieldType = def.type == QLatin1String("number") ? QStringLiteral("number")
        : def.type == QLatin1String("bool")             ? QStringLiteral("booleancheckbox")
        : def.type.startsWith(QLatin1String("date"))    ? QStringLiteral("date")
                                                        : QStringLiteral("text");
    def.unique = unique;
    def.readOnly = readOnly;
    return def;
}

std::vector<PropertyDef> withSystemProperties(std::vector<PropertyDef> properties)
{
    properties.push_back(prop("hs_object_id", "number", true, true));
    properties.push_back(prop("createdate", "datetime", false, true));
    properties.push_back(prop("lastmodifieddate", "datetime", false, true));
    return properties;
}

QJsonObject perInputError(
    const QString &category, const QString &message, const QString &contextKey, const QString &contextValue)
{
    QJsonObject error = hubSpotError(category, message);
    error.insert(QStringLiteral("context"), QJsonObject { { contextKey, QJsonArray { contextValue } } });
    error.insert(QStringLiteral("errors"), QJsonArray { QJsonObject { { QStringLiteral("message"), message } } });
    return error;
}

WriteAnswer batchAnswer(int okStatus, const QJsonArray &results, const QJsonArray &errors, const QString &startedAt)
{
    QJsonObject body { { QStringLiteral("status"), QStringLiteral("COMPLETE") }, { QStringLiteral("results"), results },
        { QStringLiteral("startedAt"), startedAt }, { QStringLiteral("completedAt"), hubSpotNow() } };
    if (errors.isEmpty())
        return WriteAnswer { okStatus, body };
    body.insert(QStringLiteral("numErrors"), errors.size());
    body.insert(QStringLiteral("errors"), errors);
    return WriteAnswer { 207, body };
}

WriteAnswer badRequest(const QString &message)
{
    return WriteAnswer { 400, hubSpotError(QStringLiteral("VALIDATION_ERROR"), message) };
}

} // namespace

QJsonObject hubSpotError(const QString &category, const QString &message)
{
    return QJsonObject { { QStringLiteral("status"), QStringLiteral("error") },
        { QStringLiteral("category"), category }, { QStringLiteral("message"), message },
        { QStringLiteral("correlationId"), QStringLiteral("aeb5f871-7f07-4993-9211-075dc63e7cbf") } };
}

QString hubSpotNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

HubSpotStore::HubSpotStore()
{
    defineObject(QStringLiteral("contacts"),
        { prop("email", "string", true), prop("firstname"), prop("lastname"), prop("phone"), prop("score", "number"),
            prop("vip", "bool"), prop("birthdate", "date"), prop("external_id", "string", true),
            prop("lifecyclestage", "enumeration") });
    defineObject(QStringLiteral("companies"),
        { prop("name"), prop("domain"), prop("company_key", "string", true), prop("numberofemployees", "number") });
    defineObject(QStringLiteral("deals"),
        { prop("dealname"), prop("amount", "number"), prop("deal_key", "string", true),
            prop("closedate", "datetime") });
    defineObject(QStringLiteral("2-1001"), { prop("vin", "string", true), prop("model"), prop("year", "number") });
    m_objects[QStringLiteral("contacts")].properties[0].required = true; // HubSpot asks for an email on create here
}

void HubSpotStore::defineObject(const QString &objectType, std::vector<PropertyDef> properties)
{
    ObjectType &type = m_objects[objectType];
    type.properties = withSystemProperties(std::move(properties));
    type.unique.clear();
    for (const PropertyDef &def : type.properties) {
        if (def.unique && def.name != QLatin1String("hs_object_id"))
            type.unique.insert(def.name, {});
    }
    for (const StoredRecord &record : std::as_const(type.records)) {
        for (auto it = type.unique.begin(); it != type.unique.end(); ++it) {
            if (record.properties.contains(it.key()))
                it->insert(fold(it.key(), record.properties.value(it.key())), record.id);
        }
    }
}

bool HubSpotStore::hasObject(const QString &objectType) const
{
    return m_objects.contains(objectType);
}

QJsonObject HubSpotStore::propertiesJson(const QString &objectType) const
{
    QJsonArray results;
    int order = 0;
    for (const PropertyDef &def : m_objects.value(objectType).properties) {
        QString label = def.name;
        label[0] = label[0].toUpper();
        results.append(QJsonObject {
            { QStringLiteral("name"), def.name },
            { QStringLiteral("label"), label },
            { QStringLiteral("type"), def.type },
            { QStringLiteral("fieldType"), def.fieldType },
            { QStringLiteral("groupName"), QStringLiteral("information") },
            { QStringLiteral("options"), QJsonArray {} },
            { QStringLiteral("displayOrder"), order++ },
            { QStringLiteral("hasUniqueValue"), def.unique },
            { QStringLiteral("hidden"), false },
            { QStringLiteral("formField"), !def.readOnly },
            { QStringLiteral("calculated"), false },
            { QStringLiteral("externalOptions"), false },
            { QStringLiteral("hubspotDefined"), def.name.startsWith(QLatin1String("hs_")) || def.readOnly },
            { QStringLiteral("modificationMetadata"),
                QJsonObject { { QStringLiteral("archivable"), !def.readOnly },
                    { QStringLiteral("readOnlyDefinition"), def.readOnly },
                    { QStringLiteral("readOnlyValue"), def.readOnly } } },
        });
    }
    return QJsonObject { { QStringLiteral("results"), results } };
}

const PropertyDef *HubSpotStore::property(const QString &objectType, const QString &name) const
{
    const auto found = m_objects.constFind(objectType);
    if (found == m_objects.cend())
        return nullptr;
    for (const PropertyDef &def : found->properties) {
        if (def.name == name)
            return &def;
    }
    return nullptr;
}

QString HubSpotStore::fold(const QString &property, const QString &value)
{
    return property == QLatin1String("email") ? value.toLower() : value;
}

QString HubSpotStore::findBy(const QString &objectType, const QString &name, const QString &value) const
{
    const ObjectType &type = m_objects[objectType];
    if (name == QLatin1String("hs_object_id"))
        return type.records.contains(value) ? value : QString();
    const auto index = type.unique.constFind(name);
    if (index != type.unique.cend())
        return index->value(fold(name, value));
    for (auto it = type.records.cbegin(); it != type.records.cend(); ++it) {
        if (it->properties.value(name) == value)
            return it.key();
    }
    return {};
}

void HubSpotStore::unindex(ObjectType &type, const StoredRecord &record)
{
    for (auto it = type.unique.begin(); it != type.unique.end(); ++it) {
        const QString value = record.properties.value(it.key());
        if (!value.isEmpty() && it->value(fold(it.key(), value)) == record.id)
            it->remove(fold(it.key(), value));
    }
}

QString HubSpotStore::checkProperties(const QString &objectType, const QJsonObject &properties) const
{
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const PropertyDef *def = property(objectType, it.key());
        if (!def)
            return QStringLiteral("Property values were not valid: Property \"%1\" does not exist").arg(it.key());
        if (def->readOnly)
            return QStringLiteral(
                "Property values were not valid: \"%1\" is a read only property; its value cannot be set.")
                .arg(it.key());
        if (!it->isString())
            return QStringLiteral("Property values were not valid: the value of \"%1\" must be a string").arg(it.key());
        const QString value = it->toString();
        if (!value.isEmpty() && def->type == QLatin1String("number")) {
            bool ok = false;
            value.toDouble(&ok);
            if (!ok)
                return QStringLiteral("Property values were not valid: %1 was not a valid number").arg(value);
        }
    }
    return {};
}

QString HubSpotStore::checkInputs(const QJsonObject &body) const
{
    const QJsonArray inputs = body.value(QStringLiteral("inputs")).toArray();
    if (inputs.isEmpty())
        return QStringLiteral("Invalid input JSON: inputs must not be empty");
    if (inputs.size() > maxInputs)
        return QStringLiteral("Too many inputs: %1 given, the limit is %2").arg(inputs.size()).arg(maxInputs);
    return {};
}

QString HubSpotStore::apply(const QString &objectType, const QString &existingId, const QJsonObject &properties)
{
    ObjectType &type = m_objects[objectType];
    QString id = existingId;
    const QString now = hubSpotNow();
    if (id.isEmpty()) {
        id = QString::number(m_nextId++);
        type.records[id] = StoredRecord { id, {}, now, now };
    }
    StoredRecord &record = type.records[id];
    unindex(type, record);
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        QString value = it->toString();
        if (it.key() == QLatin1String("email"))
            value = value.toLower();
        if (value.isEmpty())
            record.properties.remove(it.key());
        else
            record.properties[it.key()] = value;
    }
    for (auto it = type.unique.begin(); it != type.unique.end(); ++it) {
        if (record.properties.contains(it.key()))
            it->insert(fold(it.key(), record.properties.value(it.key())), id);
    }
    record.updatedAt = now;
    ++writesPerRecord[objectType + QLatin1Char('/') + id];
    ++recordsWritten;
    return id;
}

QJsonObject HubSpotStore::recordJson(const QString &objectType, const StoredRecord &record) const
{
    Q_UNUSED(objectType);
    QJsonObject properties;
    for (auto it = record.properties.cbegin(); it != record.properties.cend(); ++it)
        properties.insert(it.key(), it.value());
    properties.insert(QStringLiteral("hs_object_id"), record.id);
    properties.insert(QStringLiteral("createdate"), record.createdAt);
    properties.insert(QStringLiteral("lastmodifieddate"), record.updatedAt);
    return QJsonObject { { QStringLiteral("id"), record.id }, { QStringLiteral("properties"), properties },
        { QStringLiteral("createdAt"), record.createdAt }, { QStringLiteral("updatedAt"), record.updatedAt },
        { QStringLiteral("archived"), false } };
}

WriteAnswer HubSpotStore::upsert(const QString &objectType, const QJsonObject &body)
{
    const QString startedAt = hubSpotNow();
    if (const QString problem = checkInputs(body); !problem.isEmpty())
        return badRequest(problem);
    const QJsonArray inputs = body.value(QStringLiteral("inputs")).toArray();
    QSet<QString> seen;
    for (const QJsonValue &input : inputs) {
        const QString idProperty = input[QStringLiteral("idProperty")].toString(QStringLiteral("hs_object_id"));
        const PropertyDef *def = property(objectType, idProperty);
        if (!def || !def->unique)
            return badRequest(QStringLiteral("idProperty \"%1\" is not a property with unique values").arg(idProperty));
        const QString id = input[QStringLiteral("id")].toString().toLower();
        if (seen.contains(id))
            return badRequest(QStringLiteral("Duplicate IDs found in batch input: [%1]. IDs must be unique").arg(id));
        seen.insert(id);
    }
    QJsonArray results;
    QJsonArray errors;
    for (const QJsonValue &input : inputs) {
        const QString idProperty = input[QStringLiteral("idProperty")].toString(QStringLiteral("hs_object_id"));
        const QString idValue = input[QStringLiteral("id")].toString();
        QJsonObject properties = input[QStringLiteral("properties")].toObject();
        QString problem = checkProperties(objectType, properties);
        if (idProperty != QLatin1String("hs_object_id"))
            properties.insert(idProperty, idValue);
        QHash<QString, QString> values;
        for (auto it = properties.begin(); it != properties.end(); ++it)
            values.insert(it.key(), it->toString());
        if (problem.isEmpty() && reject && reject(objectType, values))
            problem
                = QStringLiteral("Property values were not valid: the record %1 was refused by the test").arg(idValue);
        if (!problem.isEmpty()) {
            errors.append(perInputError(QStringLiteral("VALIDATION_ERROR"), problem, QStringLiteral("ids"), idValue));
            continue;
        }
        const QString existing = findBy(objectType, idProperty, idValue);
        if (existing.isEmpty() && idProperty == QLatin1String("hs_object_id")) {
            errors.append(perInputError(QStringLiteral("OBJECT_NOT_FOUND"), QStringLiteral("Object not found"),
                QStringLiteral("ids"), idValue));
            continue;
        }
        const QString id = apply(objectType, existing, properties);
        QJsonObject result = recordJson(objectType, m_objects[objectType].records[id]);
        result.insert(QStringLiteral("new"), existing.isEmpty());
        results.append(result);
    }
    return batchAnswer(200, results, errors, startedAt);
}

WriteAnswer HubSpotStore::create(const QString &objectType, const QJsonObject &body)
{
    const QString startedAt = hubSpotNow();
    if (const QString problem = checkInputs(body); !problem.isEmpty())
        return badRequest(problem);
    const QJsonArray inputs = body.value(QStringLiteral("inputs")).toArray();
    bool traced = true;
    QStringList problems;
    for (const QJsonValue &input : inputs) {
        traced = traced && !input[QStringLiteral("objectWriteTraceId")].toString().isEmpty();
        const QJsonObject properties = input[QStringLiteral("properties")].toObject();
        QString problem = checkProperties(objectType, properties);
        QHash<QString, QString> values;
        for (auto it = properties.begin(); it != properties.end(); ++it)
            values.insert(it.key(), it->toString());
        for (const PropertyDef &def : m_objects[objectType].properties) {
            if (problem.isEmpty() && def.required && values.value(def.name).isEmpty())
                problem = QStringLiteral("Property values were not valid: \"%1\" is required").arg(def.name);
            if (problem.isEmpty() && def.unique && !values.value(def.name).isEmpty()
                && !findBy(objectType, def.name, values.value(def.name)).isEmpty())
                problem = QStringLiteral("A record with %1 %2 already exists").arg(def.name, values.value(def.name));
        }
        if (problem.isEmpty() && reject && reject(objectType, values))
            problem = QStringLiteral("Property values were not valid: the record was refused by the test");
        problems << problem;
    }
    const bool anyProblem
        = std::any_of(problems.cbegin(), problems.cend(), [](const QString &p) { return !p.isEmpty(); });
    if (anyProblem && !traced) // without objectWriteTraceIds HubSpot refuses the whole batch
        return badRequest(
            *std::find_if(problems.cbegin(), problems.cend(), [](const QString &p) { return !p.isEmpty(); }));
    QJsonArray results;
    QJsonArray errors;
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const QString trace = inputs[i][QStringLiteral("objectWriteTraceId")].toString();
        if (!problems[i].isEmpty()) {
            errors.append(perInputError(
                QStringLiteral("VALIDATION_ERROR"), problems[i], QStringLiteral("objectWriteTraceId"), trace));
            continue;
        }
        const QString id = apply(objectType, {}, inputs[i][QStringLiteral("properties")].toObject());
        QJsonObject result = recordJson(objectType, m_objects[objectType].records[id]);
        if (!trace.isEmpty())
            result.insert(QStringLiteral("objectWriteTraceId"), trace);
        results.append(result);
    }
    return batchAnswer(201, results, errors, startedAt);
}

WriteAnswer HubSpotStore::update(const QString &objectType, const QJsonObject &body)
{
    const QString startedAt = hubSpotNow();
    if (const QString problem = checkInputs(body); !problem.isEmpty())
        return badRequest(problem);
    QJsonArray results;
    QJsonArray errors;
    for (const QJsonValue &input : body.value(QStringLiteral("inputs")).toArray()) {
        const QString idProperty = input[QStringLiteral("idProperty")].toString(QStringLiteral("hs_object_id"));
        const QString idValue = input[QStringLiteral("id")].toString();
        const QJsonObject properties = input[QStringLiteral("properties")].toObject();
        QString problem = checkProperties(objectType, properties);
        const PropertyDef *def = property(objectType, idProperty);
        if (problem.isEmpty() && (!def || !def->unique))
            problem = QStringLiteral("idProperty \"%1\" is not a property with unique values").arg(idProperty);
        const QString existing = problem.isEmpty() ? findBy(objectType, idProperty, idValue) : QString();
        QHash<QString, QString> values
            = existing.isEmpty() ? QHash<QString, QString> {} : m_objects[objectType].records[existing].properties;
        for (auto it = properties.begin(); it != properties.end(); ++it)
            values.insert(it.key(), it->toString());
        if (problem.isEmpty() && existing.isEmpty()) {
            errors.append(perInputError(QStringLiteral("OBJECT_NOT_FOUND"),
                QStringLiteral("Object not found.  objectId are usually numeric."), QStringLiteral("ids"), idValue));
            continue;
        }
        if (problem.isEmpty() && reject && reject(objectType, values))
            problem
                = QStringLiteral("Property values were not valid: the record %1 was refused by the test").arg(idValue);
        if (!problem.isEmpty()) {
            errors.append(perInputError(QStringLiteral("VALIDATION_ERROR"), problem, QStringLiteral("ids"), idValue));
            continue;
        }
        const QString id = apply(objectType, existing, properties);
        results.append(recordJson(objectType, m_objects[objectType].records[id]));
    }
    return batchAnswer(200, results, errors, startedAt);
}

WriteAnswer HubSpotStore::archive(const QString &objectType, const QJsonObject &body)
{
    if (const QString problem = checkInputs(body); !problem.isEmpty())
        return badRequest(problem);
    ObjectType &type = m_objects[objectType];
    for (const QJsonValue &input : body.value(QStringLiteral("inputs")).toArray()) {
        const auto found = type.records.find(input[QStringLiteral("id")].toString());
        if (found == type.records.end())
            continue;
        unindex(type, *found);
        type.records.erase(found);
        ++recordsArchived;
    }
    return WriteAnswer { 204, {} };
}

WriteAnswer HubSpotStore::read(const QString &objectType, const QJsonObject &body)
{
    const QString startedAt = hubSpotNow();
    if (const QString problem = checkInputs(body); !problem.isEmpty())
        return badRequest(problem);
    const QString idProperty = body.value(QStringLiteral("idProperty")).toString(QStringLiteral("hs_object_id"));
    QJsonArray results;
    QJsonArray errors;
    for (const QJsonValue &input : body.value(QStringLiteral("inputs")).toArray()) {
        const QString idValue = input[QStringLiteral("id")].toString();
        const QString id = findBy(objectType, idProperty, idValue);
        if (id.isEmpty())
            errors.append(perInputError(QStringLiteral("OBJECT_NOT_FOUND"),
                QStringLiteral("Could not get some %1 objects, they may be "
                               "deleted or not exist.")
                    .arg(objectType),
                QStringLiteral("ids"), idValue));
        else
            results.append(recordJson(objectType, m_objects[objectType].records[id]));
    }
    return batchAnswer(200, results, errors, startedAt);
}

QMap<QString, StoredRecord> HubSpotStore::records(const QString &objectType) const
{
    return m_objects.value(objectType).records;
}

void HubSpotStore::clearRecords()
{
    for (ObjectType &type : m_objects) {
        type.records.clear();
        for (auto &values : type.unique)
            values.clear();
    }
    writesPerRecord.clear();
    recordsWritten = 0;
    recordsArchived = 0;
}

} // namespace syncline::testfakes::hubspot
