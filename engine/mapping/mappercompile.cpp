// Mapper::compile: checks a sync's mapping against the model and the destination object,
// collecting every problem, and builds the program the hot path runs.

#include "engine/mapping/jsonwriter.h"
#include "engine/mapping/mapper.h"
#include "engine/mapping/mapperprogram.h"
#include "engine/mapping/nearmatch.h"

#include <QSet>

namespace syncline::engine::mapping {

using connector::FieldSpec;
using connector::FieldType;
using warehouse::ColumnKind;

namespace {

QString quoted(const QString &text)
{
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

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

// What JSON a step produces, as a field type (Json = any JSON value).
FieldType outputType(Mapper::Program::Source source, ColumnKind kind, const Cast &cast)
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
    if (source != Mapper::Program::Source::Column)
        return FieldType::Text;
    switch (kind) {
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
        return FieldType::Text; // decimals travel as exact strings unless cast to number
    }
}

bool fitsField(FieldType field, FieldType produced)
{
    if (field == FieldType::Text || field == FieldType::Json || produced == FieldType::Json)
        return true;
    if (field == FieldType::Number)
        return produced == FieldType::Number || produced == FieldType::Integer;
    return field == produced;
}

QString describeSource(const MappingEntry &entry)
{
    switch (entry.kind) {
    case MappingEntry::SourceKind::Column:
        return QStringLiteral("column ") + quoted(entry.column);
    case MappingEntry::SourceKind::Template:
        return QStringLiteral("template ") + quoted(entry.templateText);
    case MappingEntry::SourceKind::Constant:
        return QStringLiteral("value ") + quoted(entry.value);
    }
    return QString();
}

QString didYouMean(const QString &name, const QStringList &candidates, const QString &what)
{
    const QStringList near = nearMatches(name, candidates);
    if (!near.isEmpty())
        return QStringLiteral(" (did you mean %1?)").arg(near.join(QStringLiteral(", ")));
    if (candidates.isEmpty())
        return QString();
    return QStringLiteral(" (%1: %2)").arg(what, candidates.join(QStringLiteral(", ")));
}

class Compiler
{
public:
    Compiler(const SyncDef &sync, const connector::ObjectSpec &object, Mapper::Program &program)
        : m_sync(sync)
        , m_object(object)
        , m_program(program)
    {
        for (const warehouse::Column &column : program.columns)
            m_columnNames << column.name;
        for (const FieldSpec &field : object.fields)
            m_fieldNames << field.name;
    }

    QStringList problems;

    int columnIndex(const QString &name) const
    {
        const qsizetype exact = m_columnNames.indexOf(name);
        if (exact >= 0)
            return static_cast<int>(exact);
        int found = -1;
        for (qsizetype i = 0; i < m_columnNames.size(); ++i) {
            if (m_columnNames[i].compare(name, Qt::CaseInsensitive) == 0) {
                if (found >= 0)
                    return -1; // ambiguous
                found = static_cast<int>(i);
            }
        }
        return found;
    }

    QString noSuchColumn(const QString &name) const
    {
        return QStringLiteral("the model has no column %1%2")
            .arg(quoted(name), didYouMean(name, m_columnNames, QStringLiteral("its columns are")));
    }

    const FieldSpec *fieldSpec(const QString &name) const
    {
        for (const FieldSpec &field : m_object.fields) {
            if (field.name == name)
                return &field;
        }
        return nullptr;
    }

    // Checks the destination side of one mapping line; returns the field's spec when listed.
    const FieldSpec *checkField(const QString &where, const QString &field, bool isMatch)
    {
        if (field.isEmpty()) {
            problems << where + QStringLiteral(": no destination field given; set field");
            return nullptr;
        }
        const FieldSpec *spec = fieldSpec(field);
        if (!spec && !m_object.acceptsAnyField) {
            problems << where
                    + QStringLiteral(": object %1 has no field %2%3")
                          .arg(quoted(m_object.name), quoted(field),
                              didYouMean(field, m_fieldNames, QStringLiteral("its fields are")));
            return nullptr;
        }
        if (spec && spec->readOnly && !(isMatch && spec->identifier))
            problems << where
                    + QStringLiteral(": field %1 is read-only in object %2; remove this mapping")
                          .arg(quoted(field), quoted(m_object.name));
        if (isMatch && spec && !spec->identifier && !m_object.acceptsAnyField) {
            QStringList identifiers;
            for (const FieldSpec &candidate : m_object.fields) {
                if (candidate.identifier)
                    identifiers << candidate.name;
            }
            problems << where
                    + QStringLiteral(": field %1 cannot identify records of object %2 (identifier fields: %3)")
                          .arg(quoted(field), quoted(m_object.name),
                              identifiers.isEmpty() ? QStringLiteral("none") : identifiers.join(QStringLiteral(", ")));
        }
        if (m_seenFields.contains(field))
            problems << where
                    + QStringLiteral(": field %1 is mapped more than once; keep one mapping").arg(quoted(field));
        m_seenFields.insert(field);
        return spec;
    }

    void checkType(const QString &where, const FieldSpec *spec, const Mapper::Program::Step &step)
    {
        if (!spec)
            return;
        const FieldType produced = outputType(step.source, step.kind, step.cast);
        if (fitsField(spec->type, produced))
            return;
        problems << where
                + QStringLiteral(": field %1 expects %2 but gets %3; add cast: %2")
                      .arg(quoted(spec->name), fieldTypeName(spec->type), fieldTypeName(produced));
    }

    void addColumnStep(
        const QString &where, const QString &column, const QString &field, const Cast &cast, const FieldSpec *spec)
    {
        Mapper::Program::Step step;
        step.source = Mapper::Program::Source::Column;
        step.field = field;
        step.columnName = column;
        step.cast = cast;
        step.column = columnIndex(column);
        if (step.column < 0) {
            problems << where + QStringLiteral(": ") + noSuchColumn(column);
            return;
        }
        step.kind = m_program.columns[static_cast<size_t>(step.column)].kind;
        step.columnName = m_columnNames[step.column];
        QString why;
        if (!castFits(step.kind, cast, &why)) {
            problems << where + QStringLiteral(": ")
                    + QStringLiteral("cannot cast column %1 (%2) to %3 for field %4")
                          .arg(quoted(step.columnName), warehouse::columnKindName(step.kind), cast.name(),
                              quoted(field));
            return;
        }
        checkType(where, spec, step);
        m_program.steps.push_back(std::move(step));
    }

    void addTemplateStep(const QString &where, const MappingEntry &entry, const Cast &cast, const FieldSpec *spec)
    {
        QString error;
        std::optional<RowTemplate> parsed = RowTemplate::parse(entry.templateText, &error);
        if (!parsed) {
            problems << where + QStringLiteral(": the template does not parse: ") + error;
            return;
        }
        Mapper::Program::Template compiled { *parsed, {} };
        bool ok = true;
        for (const QString &name : parsed->names()) {
            const int index = columnIndex(name);
            if (index < 0) {
                problems << where + QStringLiteral(": {{%1}} is not a column: ").arg(name) + noSuchColumn(name);
                ok = false;
            }
            compiled.columns.push_back(index);
        }
        if (!ok)
            return;
        Mapper::Program::Step step;
        step.source = Mapper::Program::Source::Template;
        step.field = entry.field;
        step.cast = cast;
        step.templateIndex = static_cast<int>(m_program.templates.size());
        m_program.templates.push_back(std::move(compiled));
        checkType(where, spec, step);
        m_program.steps.push_back(std::move(step));
    }

    void addConstantStep(const QString &where, const MappingEntry &entry, const Cast &cast, const FieldSpec *spec)
    {
        Mapper::Program::Step step;
        step.source = Mapper::Program::Source::Constant;
        step.field = entry.field;
        step.cast = cast;
        const char *why = nullptr;
        const std::string text = entry.value.toUtf8().toStdString();
        if (!appendTextAs(step.constantJson, text, cast, why)) {
            problems << where
                    + QStringLiteral(": %1 %2 for field %3")
                          .arg(quoted(entry.value), QString::fromUtf8(why), quoted(entry.field));
            return;
        }
        checkType(where, spec, step);
        m_program.steps.push_back(std::move(step));
    }

    void compileMatch(bool coveredByMapping)
    {
        const QString &column = m_sync.matchColumn;
        const QString &field = m_sync.matchField;
        if (column.isEmpty() && field.isEmpty())
            return;
        if (column.isEmpty() || field.isEmpty()) {
            problems << QStringLiteral("match column %1 -> field %2: set both the match column and the match field")
                            .arg(quoted(column), quoted(field));
            return;
        }
        if (coveredByMapping)
            return;
        const QString where = QStringLiteral("match column %1 -> field %2").arg(quoted(column), quoted(field));
        const FieldSpec *spec = checkField(where, field, true);
        addColumnStep(where, column, field, Cast {}, spec);
    }

    void compileEntry(const MappingEntry &entry)
    {
        const QString where = describeSource(entry) + QStringLiteral(" -> field ") + quoted(entry.field);
        const bool isMatchField = !m_sync.matchField.isEmpty() && entry.field == m_sync.matchField;
        if (isMatchField && !(entry.kind == MappingEntry::SourceKind::Column && entry.column == m_sync.matchColumn)) {
            problems << where
                    + QStringLiteral(": field %1 is the match field, filled from match column %2; "
                                     "remove this mapping or change the match")
                          .arg(quoted(entry.field), quoted(m_sync.matchColumn));
            return;
        }
        const FieldSpec *spec = checkField(where, entry.field, isMatchField);
        const std::optional<Cast> cast = Cast::parse(entry.cast);
        if (!cast) {
            problems << where
                    + QStringLiteral(": unknown cast %1 (known: %2)").arg(quoted(entry.cast), Cast::knownCasts());
            return;
        }
        switch (entry.kind) {
        case MappingEntry::SourceKind::Column:
            if (entry.column.isEmpty())
                problems << where + QStringLiteral(": no column given");
            else
                addColumnStep(where, entry.column, entry.field, *cast, spec);
            break;
        case MappingEntry::SourceKind::Template:
            addTemplateStep(where, entry, *cast, spec);
            break;
        case MappingEntry::SourceKind::Constant:
            addConstantStep(where, entry, *cast, spec);
            break;
        }
    }

    void checkRequired()
    {
        if (m_object.acceptsAnyField || m_sync.mode == SyncMode::UpdateOnly)
            return;
        for (const FieldSpec &field : m_object.fields) {
            if (field.required && !m_seenFields.contains(field.name))
                problems << QStringLiteral("field %1: required by object %2 but not mapped; map a column to it")
                                .arg(quoted(field.name), quoted(m_object.name));
        }
    }

    void checkPrimaryKey(const QStringList &primaryKey)
    {
        if (primaryKey.isEmpty()) {
            problems << QStringLiteral(
                "primary key: the model has none; set primary_key to the column(s) that identify a row");
            return;
        }
        for (const QString &name : primaryKey) {
            const int index = columnIndex(name);
            if (index < 0)
                problems << QStringLiteral("primary key column %1: ").arg(quoted(name)) + noSuchColumn(name);
            else
                m_program.keyColumns.push_back(index);
        }
    }

private:
    const SyncDef &m_sync;
    const connector::ObjectSpec &m_object;
    Mapper::Program &m_program;
    QStringList m_columnNames;
    QStringList m_fieldNames;
    QSet<QString> m_seenFields;
};

} // namespace

Result<Mapper> Mapper::compile(const SyncDef &sync, const std::vector<warehouse::Column> &modelColumns,
    const QStringList &primaryKey, const connector::ObjectSpec &object)
{
    auto program = std::make_shared<Program>();
    program->columns = modelColumns;
    program->primaryKey = primaryKey;
    Compiler compiler(sync, object, *program);
    compiler.checkPrimaryKey(primaryKey);

    bool matchCovered = false;
    for (const MappingEntry &entry : sync.mapping) {
        if (!sync.matchField.isEmpty() && entry.field == sync.matchField
            && entry.kind == MappingEntry::SourceKind::Column && entry.column == sync.matchColumn)
            matchCovered = true;
    }
    compiler.compileMatch(matchCovered);
    for (const MappingEntry &entry : sync.mapping)
        compiler.compileEntry(entry);
    compiler.checkRequired();

    if (!compiler.problems.isEmpty()) {
        const qsizetype count = compiler.problems.size();
        QString message = QStringLiteral("The mapping of sync %1 has %2 %3:\n")
                              .arg(quoted(sync.name))
                              .arg(count)
                              .arg(count == 1 ? QStringLiteral("problem") : QStringLiteral("problems"));
        message += compiler.problems.join(QLatin1Char('\n'));
        return fail(QStringLiteral("mapping.invalid"), message, false,
            { { QStringLiteral("problems"), QString::number(count) } });
    }

    for (size_t i = 0; i < program->steps.size(); ++i) {
        Program::Step &step = program->steps[i];
        step.prefix.assign(1, i == 0 ? '{' : ',');
        json::appendString(step.prefix, step.field.toUtf8().toStdString());
        step.prefix.push_back(':');
        program->fields << step.field;
        if (!sync.matchField.isEmpty() && step.field == sync.matchField)
            program->matchStep = int(i);
    }
    return Mapper(std::shared_ptr<const Program>(std::move(program)));
}

} // namespace syncline::engine::mapping
