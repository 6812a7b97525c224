#include "ui/syncs/mappingwarnings.h"

#include "engine/mapping/casts.h"
#include "engine/mapping/mapper.h"
#include "engine/mapping/rowtemplate.h"

#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace syncline::ui {

using engine::MappingEntry;
using engine::connector::FieldSpec;
using engine::connector::FieldType;
using engine::mapping::Cast;
using engine::warehouse::Column;
using engine::warehouse::ColumnKind;
using Severity = MappingWarning::Severity;
using Kind = MappingWarning::Kind;

QString fieldTypeName(FieldType type)
{
    switch (type) {
    case FieldType::Text:
        return QStringLiteral("text");
    case FieldType::Number:
        return QStringLiteral("number");
    case FieldType::Integer:
        return QStringLiteral("integer");
    case FieldType::Boolean:
        return QStringLiteral("boolean");
    case FieldType::Date:
        return QStringLiteral("date");
    case FieldType::Timestamp:
        return QStringLiteral("timestamp");
    case FieldType::Json:
        return QStringLiteral("json");
    }
    return QStringLiteral("text");
}

namespace {

QString quoted(const QString &text)
{
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

// The JSON type an entry produces, by the rules Mapper::compile applies (mappercompile.cpp):
// a cast decides; otherwise a column's kind does, and templates and constants give text.
FieldType producedType(const MappingEntry &entry, const Column *column, const Cast &cast)
{
    switch (cast.kind) {
    case Cast::Kind::Text:
        return FieldType::Text;
    case Cast::Kind::Number:
        return FieldType::Number;
    case Cast::Kind::Integer:
        return FieldType::Integer;
    case Cast::Kind::Boolean:
        return FieldType::Boolean;
    case Cast::Kind::Date:
        return FieldType::Date;
    case Cast::Kind::Timestamp:
        return FieldType::Timestamp;
    case Cast::Kind::Json:
        return FieldType::Json;
    case Cast::Kind::None:
        break;
    }
    if (entry.kind != MappingEntry::SourceKind::Column || !column)
        return FieldType::Text;
    switch (column->kind) {
    case ColumnKind::Integer:
        return FieldType::Integer;
    case ColumnKind::Real:
        return FieldType::Number;
    case ColumnKind::Boolean:
        return FieldType::Boolean;
    case ColumnKind::Date:
        return FieldType::Date;
    case ColumnKind::Timestamp:
    case ColumnKind::TimestampTz:
        return FieldType::Timestamp;
    default:
        return FieldType::Text;
    }
}

bool fits(FieldType field, FieldType produced)
{
    if (field == FieldType::Text || field == FieldType::Json || produced == FieldType::Json)
        return true;
    if (field == FieldType::Number)
        return produced == FieldType::Number || produced == FieldType::Integer;
    return field == produced;
}

QString describe(const MappingEntry &entry)
{
    switch (entry.kind) {
    case MappingEntry::SourceKind::Column:
        return QStringLiteral("column ") + quoted(entry.column);
    case MappingEntry::SourceKind::Template:
        return QStringLiteral("template ") + quoted(entry.templateText);
    case MappingEntry::SourceKind::Constant:
        return QStringLiteral("value ") + quoted(entry.value);
    }
    return {};
}

class Checker
{
public:
    explicit Checker(const MappingCheck &check)
        : m_check(check)
    { }

    QList<MappingWarning> warnings;

    const FieldSpec *field(const QString &name) const
    {
        const auto &fields = m_check.object.fields;
        auto found = std::find_if(fields.begin(), fields.end(), [&](const FieldSpec &f) { return f.name == name; });
        return found == fields.end() ? nullptr : &*found;
    }

    const Column *column(const QString &name) const
    {
        const auto &columns = m_check.columns;
        auto found = std::find_if(columns.begin(), columns.end(), [&](const Column &c) { return c.name == name; });
        if (found == columns.end())
            found = std::find_if(columns.begin(), columns.end(),
                [&](const Column &c) { return c.name.compare(name, Qt::CaseInsensitive) == 0; });
        return found == columns.end() ? nullptr : &*found;
    }

    void add(Severity severity, Kind kind, const MappingEntry &entry, QString message, QString cast = {})
    {
        warnings.append(
            { severity, kind, entry.field, entry.kind == MappingEntry::SourceKind::Column ? entry.column : QString(),
                std::move(message), std::move(cast) });
    }

    void checkEntry(const MappingEntry &entry)
    {
        const QString where = describe(entry) + QStringLiteral(" \u2192 ") + quoted(entry.field);
        const FieldSpec *spec = field(entry.field);
        const bool isMatch = m_check.state.hasMatch() && entry.field == m_check.state.matchField;
        if (!spec && !m_check.object.acceptsAnyField && !m_check.object.fields.empty()) {
            add(Severity::Severe, Kind::InvalidEntry, entry,
                QStringLiteral("%1: %2 has no field %3; remove this mapping")
                    .arg(where, quoted(m_check.object.name), quoted(entry.field)));
            return;
        }
        if (spec && spec->readOnly && !(isMatch && spec->identifier))
            add(Severity::Severe, Kind::ReadOnlyField, entry,
                QStringLiteral("%1: field %2 is read-only in %3; remove this mapping")
                    .arg(where, quoted(entry.field), quoted(m_check.object.name)));
        const std::optional<Cast> cast = Cast::parse(entry.cast);
        if (!cast) {
            add(Severity::Severe, Kind::InvalidEntry, entry,
                QStringLiteral("%1: unknown cast %2 (known: %3)").arg(where, quoted(entry.cast), Cast::knownCasts()));
            return;
        }
        const Column *source = nullptr;
        if (entry.kind == MappingEntry::SourceKind::Column && !m_check.columns.empty()) {
            source = column(entry.column);
            if (!source) {
                add(Severity::Severe, Kind::InvalidEntry, entry,
                    QStringLiteral("%1: the model has no column %2; connect another column")
                        .arg(where, quoted(entry.column)));
                return;
            }
            QString why;
            if (!engine::mapping::castFits(source->kind, *cast, &why)) {
                add(Severity::Severe, Kind::InvalidEntry, entry,
                    QStringLiteral("%1: cannot cast %2 (%3) to %4; choose another cast")
                        .arg(where, quoted(source->name), engine::warehouse::columnKindName(source->kind),
                            cast->name()));
                return;
            }
        }
        if (entry.kind == MappingEntry::SourceKind::Template && !checkTemplate(where, entry))
            return;
        if (entry.kind == MappingEntry::SourceKind::Constant) {
            std::string json;
            const char *why = nullptr;
            if (!engine::mapping::appendTextAs(json, entry.value.toUtf8().toStdString(), *cast, why)) {
                add(Severity::Severe, Kind::InvalidEntry, entry,
                    QStringLiteral("%1: %2 %3; change the value or the cast")
                        .arg(where, quoted(entry.value), QString::fromUtf8(why)));
                return;
            }
        }
        if (entry.kind == MappingEntry::SourceKind::Column && m_check.columns.empty())
            return; // the column's type is not known yet
        if (spec) {
            const FieldType produced = producedType(entry, source, *cast);
            if (!fits(spec->type, produced))
                add(Severity::Severe, Kind::TypeMismatch, entry,
                    QStringLiteral("%1: field %2 expects %3 but gets %4; cast it to %3")
                        .arg(where, quoted(entry.field), fieldTypeName(spec->type), fieldTypeName(produced)),
                    suggestedCast(spec->type, source));
        }
    }

    bool checkTemplate(const QString &where, const MappingEntry &entry)
    {
        QString error;
        const std::optional<engine::mapping::RowTemplate> parsed
            = engine::mapping::RowTemplate::parse(entry.templateText, &error);
        if (!parsed) {
            add(Severity::Severe, Kind::InvalidEntry, entry,
                QStringLiteral("%1: the template does not parse: %2").arg(where, error));
            return false;
        }
        if (m_check.columns.empty())
            return true;
        for (const QString &name : parsed->names()) {
            if (!column(name)) {
                add(Severity::Severe, Kind::InvalidEntry, entry,
                    QStringLiteral("%1: {{%2}} is not a column of the model").arg(where, name));
                return false;
            }
        }
        return true;
    }

    // The cast named after the field's type, when the source can take it.
    static QString suggestedCast(FieldType type, const Column *source)
    {
        const QString name = fieldTypeName(type);
        const std::optional<Cast> cast = Cast::parse(name);
        if (!cast || (source && !engine::mapping::castFits(source->kind, *cast)))
            return {};
        return name;
    }

    void checkMatch()
    {
        const MappingState &state = m_check.state;
        if (!state.hasMatch()) {
            QStringList identifiers;
            for (const FieldSpec &spec : m_check.object.fields) {
                if (spec.identifier)
                    identifiers << spec.name;
            }
            if (!identifiers.isEmpty())
                warnings.append({ Severity::Warning, Kind::NoMatchKey, {}, {},
                    QStringLiteral("No match key: choose the field that identifies records in %1 (%2)")
                        .arg(quoted(m_check.object.name), identifiers.join(QStringLiteral(", "))),
                    {} });
            return;
        }
        const FieldSpec *spec = field(state.matchField);
        if (spec && !spec->identifier && !m_check.object.acceptsAnyField) {
            QStringList identifiers;
            for (const FieldSpec &candidate : m_check.object.fields) {
                if (candidate.identifier)
                    identifiers << candidate.name;
            }
            warnings.append({ Severity::Severe, Kind::MatchNotIdentifier, state.matchField, state.matchColumn,
                QStringLiteral("Match key %1 cannot identify records of %2; match on %3 instead")
                    .arg(quoted(state.matchField), quoted(m_check.object.name),
                        identifiers.isEmpty() ? QStringLiteral("an identifier field")
                                              : identifiers.join(QStringLiteral(" or "))),
                {} });
        }
        const QStringList &key = m_check.primaryKey;
        if (!key.isEmpty() && !(key.size() == 1 && key.first().compare(state.matchColumn, Qt::CaseInsensitive) == 0))
            warnings.append({ Severity::Warning, Kind::MatchNotUnique, state.matchField, state.matchColumn,
                QStringLiteral("Match column %1 is not the model's primary key (%2): two rows with the same %1 "
                               "would write the same record")
                    .arg(quoted(state.matchColumn), key.join(QStringLiteral(", "))),
                {} });
        const Column *matchColumn = column(state.matchColumn);
        if (spec && spec->caseInsensitive && matchColumn && matchColumn->kind == ColumnKind::Text)
            warnings.append({ Severity::Info, Kind::MatchIgnoresCase, state.matchField, state.matchColumn,
                QStringLiteral("%1 compares values ignoring case: rows whose %2 differs only in case write the "
                               "same record")
                    .arg(quoted(state.matchField), quoted(state.matchColumn)),
                {} });
    }

    void checkRequired()
    {
        if (m_check.object.acceptsAnyField || m_check.mode == engine::SyncMode::UpdateOnly)
            return;
        for (const FieldSpec &spec : m_check.object.fields) {
            if (spec.required && !m_check.state.entryFor(spec.name))
                warnings.append({ Severity::Severe, Kind::RequiredUnmapped, spec.name, {},
                    QStringLiteral("Field %1 is required by %2 but not mapped; connect a column to it")
                        .arg(quoted(spec.name), quoted(m_check.object.name)),
                    {} });
        }
    }

    // The engine's verdict, when no rule above already blocks the run.
    void checkWithEngine()
    {
        if (m_check.columns.empty())
            return;
        if (std::any_of(warnings.begin(), warnings.end(), [](const MappingWarning &w) { return w.blocksRun(); }))
            return;
        engine::SyncDef sync;
        sync.name = QStringLiteral("mapping");
        sync.mode = m_check.mode;
        sync.matchColumn = m_check.state.matchColumn;
        sync.matchField = m_check.state.matchField;
        sync.mapping = m_check.state.definitionEntries();
        // The primary key is the model's business, not the mapping's: fall back to any column.
        const QStringList key
            = m_check.primaryKey.isEmpty() ? QStringList { m_check.columns.front().name } : m_check.primaryKey;
        auto compiled = engine::mapping::Mapper::compile(sync, m_check.columns, key, m_check.object);
        if (compiled)
            return;
        QStringList lines = compiled.error().message.split(QLatin1Char('\n'));
        lines.removeFirst(); // "The mapping of sync ... has N problems:"
        static const QRegularExpression fieldName(QStringLiteral("field '([^']+)'"));
        for (const QString &line : lines)
            warnings.append({ Severity::Severe, Kind::Engine, fieldName.match(line).captured(1), {}, line, {} });
    }

private:
    const MappingCheck &m_check;
};

} // namespace

QList<MappingWarning> checkMapping(const MappingCheck &check)
{
    Checker checker(check);
    for (const MappingEntry &entry : check.state.entries)
        checker.checkEntry(entry);
    checker.checkMatch();
    checker.checkRequired();
    checker.checkWithEngine();
    std::stable_sort(checker.warnings.begin(), checker.warnings.end(),
        [](const MappingWarning &a, const MappingWarning &b) { return a.severity > b.severity; });
    return checker.warnings;
}

} // namespace syncline::ui
