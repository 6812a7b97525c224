#include "connectors/file/filedestination.h"

#include "connectors/file/statestore.h"
#include "engine/mapping/jsonreader.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryFile>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace syncline::connectors::file {

using engine::fail;
using engine::Result;
using engine::connector::Batch;
using engine::connector::Capabilities;
using engine::connector::ConnectorType;
using engine::connector::ObjectSpec;
using engine::connector::Operation;
using engine::connector::OutgoingRecord;
using engine::connector::RecordOutcome;
using engine::connector::SettingSpec;
namespace json = engine::mapping::json;

namespace {

constexpr size_t flushThreshold = 1 << 20;

Result<void> checkObjectName(const QString &name)
{
    bool ok = !name.isEmpty() && name.size() <= 200 && !name.startsWith(QLatin1Char('.'));
    for (const QChar c : name) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.unicode() < 0x20 || c == QLatin1Char(':'))
            ok = false;
    }
    if (ok)
        return {};
    return fail(QStringLiteral("file.object"),
        QStringLiteral("Object name '%1' cannot be a file name: use letters, digits, '-', '_' or '.', "
                       "without '/', '\\', ':' or a leading '.'")
            .arg(name));
}

// Writes a file atomically: `produce` appends text to a buffer that is flushed as it grows;
// the file only replaces the old one when everything was written.
Result<void> writeAtomically(
    const QString &path, const std::function<Result<void>(std::string &, const std::function<bool()> &)> &produce)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("file.write"),
            QStringLiteral("Cannot write %1: %2; check the folder's permissions and free space")
                .arg(path, file.errorString()));
    std::string buffer;
    buffer.reserve(flushThreshold + 4096);
    auto flush = [&]() {
        if (buffer.empty())
            return true;
        const bool written
            = file.write(buffer.data(), static_cast<qint64>(buffer.size())) == static_cast<qint64>(buffer.size());
        buffer.clear();
        return written;
    };
    auto flushIfFull = [&]() { return buffer.size() < flushThreshold || flush(); };
    if (auto ok = produce(buffer, flushIfFull); !ok) {
        file.cancelWriting();
        return ok;
    }
    if (!flush() || !file.commit())
        return fail(QStringLiteral("file.write"),
            QStringLiteral("Cannot write %1: %2; check the folder's permissions and free space")
                .arg(path, file.errorString()));
    return {};
}

QString settingText(const engine::DestinationDef &destination, const char *key, const char *fallback)
{
    const QVariant value = destination.settings.value(QString::fromLatin1(key));
    const QString text = value.toString().trimmed();
    return text.isEmpty() ? QString::fromLatin1(fallback) : text;
}

// The stored payload with the clear payload's fields applied: the runner sends the fields to
// clear as null (and the match field with its value); fields it does not name are kept.
std::string clearedPayload(std::string_view existing, std::string_view clearPayload)
{
    std::vector<json::Member> existingMembers, clearMembers;
    json::splitObject(existing, existingMembers);
    json::splitObject(clearPayload, clearMembers);
    std::unordered_map<std::string_view, std::string_view> replacements;
    for (const json::Member &member : clearMembers)
        replacements.emplace(member.key, member.value);
    std::string out = "{";
    auto appendMember = [&out](std::string_view key, std::string_view value) {
        if (out.size() > 1)
            out.push_back(',');
        out.append(key);
        out.push_back(':');
        out.append(value);
    };
    for (const json::Member &member : existingMembers) {
        const auto replacement = replacements.find(member.key);
        if (replacement == replacements.end()) {
            appendMember(member.key, member.value);
            continue;
        }
        appendMember(member.key, replacement->second);
        replacements.erase(replacement);
    }
    for (const json::Member &member : clearMembers) {
        if (replacements.contains(member.key))
            appendMember(member.key, member.value);
    }
    out.push_back('}');
    return out;
}

RecordOutcome accepted()
{
    RecordOutcome outcome;
    outcome.accepted = true;
    return outcome;
}

RecordOutcome rejected(const QString &why)
{
    RecordOutcome outcome;
    outcome.accepted = false;
    outcome.error = why;
    return outcome;
}

} // namespace

Result<FileSettings> FileSettings::fromDestination(const engine::DestinationDef &destination)
{
    FileSettings settings;
    QString folder = destination.settings.value(QStringLiteral("folder")).toString().trimmed();
    if (folder.isEmpty())
        return fail(QStringLiteral("file.settings"),
            QStringLiteral("Destination '%1' has no folder: set its folder setting to an existing, writable folder")
                .arg(destination.name));
    if (folder == QLatin1String("~") || folder.startsWith(QStringLiteral("~/")))
        folder = QDir::homePath() + folder.mid(1);

    const QString format = settingText(destination, "format", "jsonl").toLower();
    if (format == QLatin1String("csv"))
        settings.format = Format::Csv;
    else if (format == QLatin1String("jsonl"))
        settings.format = Format::Jsonl;
    else
        return fail(QStringLiteral("file.settings"),
            QStringLiteral("Destination '%1' has format '%2'; use csv or jsonl").arg(destination.name, format));

    const QString layout = settingText(destination, "layout", "snapshot").toLower();
    if (layout == QLatin1String("snapshot"))
        settings.layout = Layout::Snapshot;
    else if (layout == QLatin1String("changes"))
        settings.layout = Layout::Changes;
    else
        return fail(QStringLiteral("file.settings"),
            QStringLiteral("Destination '%1' has layout '%2'; use snapshot or changes").arg(destination.name, layout));

    const QFileInfo info(folder);
    if (!info.exists())
        return fail(QStringLiteral("file.folder_missing"),
            QStringLiteral("The folder '%1' of destination '%2' does not exist; create it (mkdir -p '%1') "
                           "or change the destination's folder setting")
                .arg(folder, destination.name));
    if (!info.isDir())
        return fail(QStringLiteral("file.folder_missing"),
            QStringLiteral("'%1' (folder of destination '%2') is a file, not a folder; "
                           "set the destination's folder setting to a folder")
                .arg(folder, destination.name));
    QTemporaryFile probe(QDir(folder).filePath(QStringLiteral(".syncline-probe-XXXXXX")));
    if (!probe.open())
        return fail(QStringLiteral("file.folder_not_writable"),
            QStringLiteral("Syncline cannot write to the folder '%1' of destination '%2' (%3); "
                           "make it writable for this user or choose another folder")
                .arg(folder, destination.name, probe.errorString()));
    settings.folder = info.absoluteFilePath();
    return settings;
}

FileDestination::FileDestination(FileSettings settings, Clock clock)
    : m_settings(std::move(settings))
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentDateTimeUtc(); }))
{ }

FileDestination::~FileDestination() = default;

ConnectorType FileDestination::connectorType()
{
    ConnectorType type;
    type.id = QStringLiteral("file");
    type.label = QStringLiteral("Files (CSV or JSON Lines)");
    SettingSpec folder;
    folder.key = QStringLiteral("folder");
    folder.label = QStringLiteral("Folder");
    folder.type = SettingSpec::Type::Path;
    folder.required = true;
    folder.help = QStringLiteral("An existing folder Syncline may write to; one file per object");
    SettingSpec format;
    format.key = QStringLiteral("format");
    format.label = QStringLiteral("Format");
    format.type = SettingSpec::Type::Choice;
    format.defaultValue = QStringLiteral("jsonl");
    format.choices = { QStringLiteral("csv"), QStringLiteral("jsonl") };
    format.help = QStringLiteral("CSV (RFC 4180, UTF-8) or JSON Lines");
    SettingSpec layout;
    layout.key = QStringLiteral("layout");
    layout.label = QStringLiteral("Layout");
    layout.type = SettingSpec::Type::Choice;
    layout.defaultValue = QStringLiteral("snapshot");
    layout.choices = { QStringLiteral("snapshot"), QStringLiteral("changes") };
    layout.help = QStringLiteral("snapshot: one file mirroring the delivered records; changes: one file per run");
    type.settings = { folder, format, layout };
    type.capabilities = fileCapabilities();
    type.create = [](const engine::DestinationDef &destination,
                      engine::SecretResolver &) -> Result<std::unique_ptr<engine::connector::Connector>> {
        auto settings = FileSettings::fromDestination(destination);
        if (!settings)
            return std::unexpected(settings.error());
        return std::make_unique<FileDestination>(std::move(*settings));
    };
    return type;
}

Capabilities FileDestination::capabilities() const
{
    return fileCapabilities();
}

Capabilities FileDestination::fileCapabilities()
{
    Capabilities capabilities;
    capabilities.operations
        = { Operation::Upsert, Operation::Update, Operation::Insert, Operation::Delete, Operation::Clear };
    capabilities.maxBatchSize = 1000;
    capabilities.discoversObjects = false;
    return capabilities;
}

Result<std::vector<ObjectSpec>> FileDestination::objects()
{
    std::vector<ObjectSpec> found;
    const QStringList sidecars
        = QDir(m_settings.folder)
              .entryList({ QStringLiteral(".*.syncline-state") }, QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &sidecar : sidecars) {
        const QString name = sidecar.mid(1, sidecar.size() - 1 - QStringLiteral(".syncline-state").size());
        if (auto spec = object(name))
            found.push_back(*spec);
    }
    return found;
}

Result<ObjectSpec> FileDestination::object(const QString &name)
{
    if (auto ok = checkObjectName(name); !ok)
        return std::unexpected(ok.error());
    ObjectSpec spec;
    spec.name = name;
    spec.label = name + QLatin1Char('.') + formatExtension(m_settings.format);
    spec.acceptsAnyField = true;
    return spec;
}

QString FileDestination::snapshotPath(const QString &object) const
{
    return QDir(m_settings.folder).filePath(object + QLatin1Char('.') + formatExtension(m_settings.format));
}

void FileDestination::removeStaleTempFiles(const QString &object) const
{
    // QSaveFile writes <name>.XXXXXX and renames it when the filesystem has no O_TMPFILE, or
    // when the target exists; a crash in that window leaves the complete but stray temp file.
    const QRegularExpression stray(QStringLiteral("^%1(-[0-9]{8}T[0-9]{6}Z-[0-9]+)?\\.%2\\.[A-Za-z0-9]{6}$")
                                       .arg(QRegularExpression::escape(object), formatExtension(m_settings.format)));
    // A suffix of lowercase letters only ("t.csv.backup") may be the user's: leave it.
    const QRegularExpression userLike(QStringLiteral("\\.[a-z]{6}$"));
    QDir folder(m_settings.folder);
    for (const QString &name : folder.entryList(QDir::Files)) {
        if (stray.match(name).hasMatch() && !userLike.match(name).hasMatch())
            folder.remove(name);
    }
}

Result<void> FileDestination::beginRun(const QString &object)
{
    if (auto ok = checkObjectName(object); !ok)
        return ok;
    m_store.reset();
    m_run = 0;
    auto store = StateStore::open(m_settings.folder, object);
    if (!store)
        return std::unexpected(store.error());
    m_store = std::move(*store);
    m_object = object;
    removeStaleTempFiles(object);
    auto fields = m_store->fields();
    if (!fields)
        return std::unexpected(fields.error());
    m_knownFields = std::unordered_set<std::string>(fields->begin(), fields->end());
    m_knownTokens.clear();
    if (m_settings.layout == Layout::Snapshot)
        return rewriteSnapshotIfBehind();
    if (auto ok = writePendingChangeFiles(false); !ok)
        return ok;
    const QString stamp = m_clock().toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    auto run = m_store->startRun([&](qint64 sequence) {
        return QStringLiteral("%1-%2-%3.%4").arg(object, stamp).arg(sequence).arg(formatExtension(m_settings.format));
    });
    if (!run)
        return std::unexpected(run.error());
    m_run = *run;
    return {};
}

Result<RecordOutcome> FileDestination::apply(const OutgoingRecord &record)
{
    const std::string_view key = record.key;
    // The payload's top-level members, into a reused vector; field names are decoded only for
    // name tokens not seen before (every record of a sync has the same few).
    bool isObject = json::splitObject(record.payload, m_members);
    m_newFields.clear();
    m_newTokens.clear();
    for (size_t i = 0; isObject && i < m_members.size(); ++i) {
        const std::string_view token = m_members[i].key;
        if (m_knownTokens.contains(token))
            continue;
        std::string name;
        if (!json::decodeString(token, name)) {
            isObject = false;
            break;
        }
        m_newTokens.emplace_back(token);
        if (!m_knownFields.contains(name) && std::find(m_newFields.begin(), m_newFields.end(), name) == m_newFields.end())
            m_newFields.push_back(std::move(name));
    }
    if (!isObject)
        m_newTokens.clear();
    if (record.operation != Operation::Delete && !isObject)
        return rejected(QStringLiteral("the payload is not a JSON object"));
    if (key.empty())
        return rejected(QStringLiteral("the record has no key"));

    // An upsert stores whatever was there: only the other operations look the key up first.
    Result<std::optional<std::string>> existing = std::optional<std::string>();
    if (record.operation != Operation::Upsert && record.operation != Operation::Delete)
        existing = m_store->presentPayload(key);
    if (!existing)
        return std::unexpected(existing.error());

    Result<void> stored;
    switch (record.operation) {
    case Operation::Insert:
        // The same insert again is a replay of a batch that was in flight at a crash: idempotent.
        if (*existing && **existing != record.payload)
            return rejected(QStringLiteral("record already exists"));
        stored = m_store->put(key, record.payload);
        break;
    case Operation::Update:
        if (!*existing)
            return rejected(QStringLiteral("no such record"));
        stored = m_store->put(key, record.payload);
        break;
    case Operation::Upsert:
        // Written with the next ones (the batch's records outlive deliver()'s commit).
        stored = m_store->queuePut(key, record.payload);
        break;
    case Operation::Delete:
        stored = m_store->remove(key);
        break;
    case Operation::Clear:
        stored = *existing ? m_store->put(key, clearedPayload(**existing, record.payload)) : m_store->remove(key);
        break;
    }
    if (!stored)
        return std::unexpected(stored.error());

    if (record.operation != Operation::Delete && !m_newFields.empty()) {
        if (auto ok = m_store->noteFields(m_newFields); !ok)
            return std::unexpected(ok.error());
        m_knownFields.insert(m_newFields.begin(), m_newFields.end());
    }
    // Tokens are remembered once their names are in the sidecar (or were not to be noted: a
    // delete's payload fields are never added to the header, so its tokens are not kept).
    if (record.operation != Operation::Delete)
        for (std::string &token : m_newTokens)
            m_knownTokens.insert(std::move(token));
    m_newTokens.clear();
    if (m_settings.layout == Layout::Changes) {
        const std::string operation = engine::connector::operationName(record.operation).toStdString();
        const std::string_view payload = isObject ? std::string_view(record.payload) : std::string_view("{}");
        if (auto ok = m_store->journal(m_run, operation, key, payload); !ok)
            return std::unexpected(ok.error());
    }
    return accepted();
}

Result<std::vector<RecordOutcome>> FileDestination::deliver(
    const Batch &batch, const engine::CancellationToken &cancellation)
{
    if (cancellation.isCancelled())
        return fail(QStringLiteral("delivery.cancelled"),
            QStringLiteral("The run was cancelled before this batch was written"));
    if (!m_store)
        return fail(QStringLiteral("file.not_started"), QStringLiteral("deliver() was called before beginRun()"));
    if (batch.object != m_object)
        return fail(QStringLiteral("file.object"),
            QStringLiteral("This run writes object '%1' but the batch is for '%2'").arg(m_object, batch.object));
    if (auto ok = m_store->begin(); !ok)
        return std::unexpected(ok.error());
    std::vector<RecordOutcome> outcomes;
    outcomes.reserve(batch.records.size());
    for (const OutgoingRecord &record : batch.records) {
        auto outcome = apply(record);
        if (!outcome) {
            m_store->rollback();
            return std::unexpected(outcome.error());
        }
        outcomes.push_back(std::move(*outcome));
    }
    if (auto ok = m_store->bumpGeneration(); !ok) {
        m_store->rollback();
        return std::unexpected(ok.error());
    }
    if (auto ok = m_store->commit(); !ok) {
        m_store->rollback();
        return std::unexpected(ok.error());
    }
    return outcomes;
}

Result<void> FileDestination::finishRun(bool)
{
    if (!m_store)
        return fail(QStringLiteral("file.not_started"), QStringLiteral("finishRun() was called before beginRun()"));
    Result<void> result
        = m_settings.layout == Layout::Snapshot ? rewriteSnapshotIfBehind() : writePendingChangeFiles(true);
    m_store.reset();
    m_run = 0;
    return result;
}

Result<void> FileDestination::rewriteSnapshotIfBehind()
{
    auto generation = m_store->generation();
    if (!generation)
        return std::unexpected(generation.error());
    auto written = m_store->snapshotGeneration();
    if (!written)
        return std::unexpected(written.error());
    const QString path = snapshotPath(m_object);
    if (*generation == *written && QFileInfo::exists(path))
        return {};
    auto fields = m_store->fields();
    if (!fields)
        return std::unexpected(fields.error());
    RecordFormat format(m_settings.format, std::move(*fields), false);
    auto ok = writeAtomically(path, [&](std::string &buffer, const std::function<bool()> &flushIfFull) -> Result<void> {
        format.appendHeader(buffer);
        bool writeFailed = false;
        auto visited = m_store->forEachPresent([&](std::string_view key, std::string_view payload) {
            format.appendSnapshotRow(buffer, key, payload);
            writeFailed = writeFailed || !flushIfFull();
        });
        if (!visited)
            return visited;
        if (writeFailed)
            return fail(QStringLiteral("file.write"), QStringLiteral("Cannot write %1; check free space").arg(path));
        return {};
    });
    if (!ok)
        return ok;
    return m_store->setSnapshotGeneration(*generation);
}

Result<void> FileDestination::writePendingChangeFiles(bool includeCurrentRun)
{
    auto runs = m_store->pendingRuns();
    if (!runs)
        return std::unexpected(runs.error());
    for (const StateStore::PendingRun &run : *runs) {
        if (run.run == m_run && !includeCurrentRun)
            continue;
        if (auto ok = writeChangeFile(run.run, run.fileName); !ok)
            return ok;
    }
    return {};
}

Result<void> FileDestination::writeChangeFile(qint64 run, const QString &fileName)
{
    // First pass: the header's fields (first-seen order) and whether the run delivered anything.
    std::vector<std::string> fields;
    std::unordered_set<std::string> seen;
    qint64 rows = 0;
    std::vector<std::string> names;
    auto scanned = m_store->forEachJournal(run, [&](std::string_view, std::string_view, std::string_view payload) {
        ++rows;
        if (m_settings.format != Format::Csv || !payloadFieldNames(payload, names))
            return;
        for (std::string &name : names) {
            if (seen.insert(name).second)
                fields.push_back(std::move(name));
        }
    });
    if (!scanned)
        return scanned;
    if (rows > 0) {
        const QString path = QDir(m_settings.folder).filePath(fileName);
        RecordFormat format(m_settings.format, std::move(fields), true);
        auto ok
            = writeAtomically(path, [&](std::string &buffer, const std::function<bool()> &flushIfFull) -> Result<void> {
                  format.appendHeader(buffer);
                  bool writeFailed = false;
                  auto visited = m_store->forEachJournal(
                      run, [&](std::string_view operation, std::string_view key, std::string_view payload) {
                          format.appendChangeRow(buffer, operation, key, payload);
                          writeFailed = writeFailed || !flushIfFull();
                      });
                  if (!visited)
                      return visited;
                  if (writeFailed)
                      return fail(
                          QStringLiteral("file.write"), QStringLiteral("Cannot write %1; check free space").arg(path));
                  return {};
              });
        if (!ok)
            return ok;
    }
    return m_store->dropRun(run);
}

} // namespace syncline::connectors::file
