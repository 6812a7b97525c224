#include "engine/mapping/mapper.h"

#include "engine/mapping/jsonwriter.h"
#include "engine/mapping/mapperprogram.h"
#include "engine/warehouse/rowbatch.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <xxhash.h>

namespace syncline::engine::mapping {

using warehouse::ColumnKind;
using warehouse::RowBatch;
using Step = Mapper::Program::Step;

namespace {

constexpr double twoTo63 = 9223372036854775808.0;

QString shortValue(const QString &value)
{
    constexpr int maxLength = 60;
    return value.size() <= maxLength ? value : value.left(maxLength) + QStringLiteral("...");
}

QString cellReason(const RowBatch &batch, int row, const Step &step, const char *why)
{
    return QStringLiteral("column %1: '%2' %3")
        .arg(step.columnName, shortValue(batch.displayText(row, step.column)), QString::fromUtf8(why));
}

bool appendBooleanNumber(std::string &out, double value, const char *&why)
{
    if (value == 0.0 || value == 1.0) {
        out.append(value == 1.0 ? "true" : "false");
        return true;
    }
    why = "is not a boolean (0 or 1)";
    return false;
}

// One cell (not NULL) as JSON under the step's cast.
bool appendCell(
    std::string &out, const RowBatch &batch, int row, const Step &step, std::string &scratch, const char *&why)
{
    const int column = step.column;
    const Cast::Kind cast = step.cast.kind;
    switch (step.kind) {
    case ColumnKind::Integer: {
        const std::int64_t value = batch.integer(row, column);
        if (cast == Cast::Kind::Text) {
            out.push_back('"');
            json::appendInteger(out, value);
            out.push_back('"');
            return true;
        }
        if (cast == Cast::Kind::Boolean)
            return appendBooleanNumber(out, static_cast<double>(value), why);
        json::appendInteger(out, value);
        return true;
    }
    case ColumnKind::Real: {
        const double value = batch.real(row, column);
        if (!std::isfinite(value)) {
            why = "is not a finite number";
            return false;
        }
        switch (cast) {
        case Cast::Kind::Text:
            out.push_back('"');
            json::appendDouble(out, value);
            out.push_back('"');
            return true;
        case Cast::Kind::Boolean:
            return appendBooleanNumber(out, value, why);
        case Cast::Kind::Integer:
            if (value != std::trunc(value) || value >= twoTo63 || value < -twoTo63) {
                why = "is not an integer";
                return false;
            }
            json::appendInteger(out, static_cast<std::int64_t>(value));
            return true;
        default:
            json::appendDouble(out, value);
            return true;
        }
    }
    case ColumnKind::Boolean: {
        const bool value = batch.boolean(row, column);
        if (cast == Cast::Kind::Text)
            out.append(value ? "\"true\"" : "\"false\"");
        else if (cast == Cast::Kind::Number || cast == Cast::Kind::Integer)
            out.push_back(value ? '1' : '0');
        else
            out.append(value ? "true" : "false");
        return true;
    }
    case ColumnKind::Decimal: {
        const std::string_view text = batch.text(row, column);
        switch (cast) {
        case Cast::Kind::Number:
        case Cast::Kind::Json:
            if (json::appendNumberText(out, text))
                return true;
            why = "is not a number";
            return false;
        case Cast::Kind::Integer:
            if (json::appendIntegerText(out, text))
                return true;
            why = "is not an integer";
            return false;
        case Cast::Kind::Boolean:
            scratch.clear();
            if (json::appendIntegerText(scratch, text) && (scratch == "0" || scratch == "1")) {
                out.append(scratch == "1" ? "true" : "false");
                return true;
            }
            why = "is not a boolean (0 or 1)";
            return false;
        default:
            json::appendString(out, text);
            return true;
        }
    }
    case ColumnKind::Date:
    case ColumnKind::Time:
    case ColumnKind::Timestamp:
    case ColumnKind::TimestampTz: {
        const std::string_view text = batch.text(row, column);
        if (cast == Cast::Kind::Date || cast == Cast::Kind::Timestamp) {
            // The warehouse already delivers ISO text: pass it through when nothing changes.
            const bool same = step.cast.format.isEmpty()
                && ((cast == Cast::Kind::Date && step.kind == ColumnKind::Date)
                    || (cast == Cast::Kind::Timestamp
                        && (step.kind == ColumnKind::Timestamp || step.kind == ColumnKind::TimestampTz)));
            if (!same)
                return appendIsoAs(out, text, step.cast, why);
        }
        json::appendString(out, text);
        return true;
    }
    case ColumnKind::Text:
        return appendTextAs(out, batch.text(row, column), step.cast, why);
    case ColumnKind::Binary:
        out.push_back('"');
        json::appendBase64(out, batch.text(row, column));
        out.push_back('"');
        return true;
    }
    return false;
}

// A cell's plain text, as a template or a one-column key shows it.
std::string_view cellText(const RowBatch &batch, int row, int column, ColumnKind kind, std::string &buffer)
{
    switch (kind) {
    case ColumnKind::Integer:
        buffer.clear();
        json::appendInteger(buffer, batch.integer(row, column));
        return buffer;
    case ColumnKind::Real:
        buffer.clear();
        if (!json::appendDouble(buffer, batch.real(row, column)))
            buffer = std::isnan(batch.real(row, column)) ? "NaN"
                                                         : (batch.real(row, column) > 0 ? "Infinity" : "-Infinity");
        return buffer;
    case ColumnKind::Boolean:
        return batch.boolean(row, column) ? "true" : "false";
    case ColumnKind::Binary:
        buffer.clear();
        json::appendBase64(buffer, batch.text(row, column));
        return buffer;
    default:
        return batch.text(row, column);
    }
}

} // namespace

Mapper::Mapper(std::shared_ptr<const Program> program)
    : m_program(std::move(program))
    , m_scratch(std::make_unique<Scratch>(*m_program))
{ }

Mapper::Mapper(const Mapper &other)
    : m_program(other.m_program)
    , m_scratch(std::make_unique<Scratch>(*m_program))
{ }

Mapper &Mapper::operator=(const Mapper &other)
{
    if (this != &other) {
        m_program = other.m_program;
        m_scratch = std::make_unique<Scratch>(*m_program);
    }
    return *this;
}

Mapper::Mapper(Mapper &&other) noexcept = default;
Mapper &Mapper::operator=(Mapper &&other) noexcept = default;
Mapper::~Mapper() = default;

const QStringList &Mapper::fields() const
{
    return m_program->fields;
}

const std::vector<warehouse::Column> &Mapper::columns() const
{
    return m_program->columns;
}

const QStringList &Mapper::primaryKey() const
{
    return m_program->primaryKey;
}

std::vector<int> Mapper::readColumns() const
{
    const Program &program = *m_program;
    std::vector<int> read;
    for (const Step &step : program.steps)
        if (step.source == Program::Source::Column && step.column >= 0)
            read.push_back(step.column);
    for (const Program::Template &t : program.templates)
        for (int column : t.columns)
            if (column >= 0)
                read.push_back(column);
    std::sort(read.begin(), read.end());
    read.erase(std::unique(read.begin(), read.end()), read.end());
    return read;
}

int Mapper::matchColumn() const
{
    const Program &program = *m_program;
    return program.matchStep < 0 ? -1 : program.steps[size_t(program.matchStep)].column;
}

bool Mapper::matchIsKey() const
{
    const Program &program = *m_program;
    if (program.matchStep < 0 || program.keyColumns.size() != 1)
        return false;
    const Step &step = program.steps[size_t(program.matchStep)];
    return step.source == Program::Source::Column && step.cast.kind == Cast::Kind::None
        && step.column == program.keyColumns.front();
}

std::uint64_t Mapper::hashKey(std::string_view key)
{
    return XXH3_64bits(key.data(), key.size());
}

PayloadHash Mapper::hashPayload(std::string_view payload)
{
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(payload.data(), payload.size()));
    PayloadHash hash;
    static_assert(sizeof canonical.digest == sizeof(PayloadHash));
    std::memcpy(hash.data(), canonical.digest, hash.size());
    return hash;
}

bool Mapper::mapKey(const RowBatch &batch, int row, std::string &key, QString *invalidReason) const
{
    const Program &program = *m_program;
    key.clear();
    const bool composite = program.keyColumns.size() > 1;
    if (composite)
        key.push_back('[');
    for (size_t i = 0; i < program.keyColumns.size(); ++i) {
        const int column = program.keyColumns[i];
        if (batch.isNull(row, column)) {
            if (invalidReason)
                *invalidReason = QStringLiteral("primary key column %1 is NULL")
                                     .arg(program.primaryKey[static_cast<qsizetype>(i)]);
            return false;
        }
        const ColumnKind kind = program.columns[static_cast<size_t>(column)].kind;
        if (kind == ColumnKind::Real && !std::isfinite(batch.real(row, column))) {
            if (invalidReason)
                *invalidReason = QStringLiteral("primary key column %1 is not a finite number")
                                     .arg(program.primaryKey[static_cast<qsizetype>(i)]);
            return false;
        }
        if (!composite) {
            if (kind == ColumnKind::Integer)
                json::appendInteger(key, batch.integer(row, column));
            else
                key.append(cellText(batch, row, column, kind, m_scratch->number));
            continue;
        }
        if (i > 0)
            key.push_back(',');
        switch (kind) {
        case ColumnKind::Integer:
            json::appendInteger(key, batch.integer(row, column));
            break;
        case ColumnKind::Real:
            json::appendDouble(key, batch.real(row, column));
            break;
        case ColumnKind::Boolean:
            key.append(batch.boolean(row, column) ? "true" : "false");
            break;
        case ColumnKind::Binary:
            key.push_back('"');
            json::appendBase64(key, batch.text(row, column));
            key.push_back('"');
            break;
        default:
            json::appendString(key, batch.text(row, column));
            break;
        }
    }
    if (composite)
        key.push_back(']');
    return true;
}

bool Mapper::map(const RowBatch &batch, int row, MappedRow &out, QString *invalidReason)
{
    const Program &program = *m_program;
    if (batch.columnCount() != static_cast<int>(program.columns.size())) {
        if (invalidReason)
            *invalidReason = QStringLiteral("the batch has %1 columns but the model has %2")
                                 .arg(batch.columnCount())
                                 .arg(program.columns.size());
        return false;
    }
    if (!mapKey(batch, row, out.key, invalidReason)) {
        out.key.clear();
        out.keyHash = 0;
        return false;
    }
    out.keyHash = hashKey(out.key);

    std::string &payload = out.payload;
    payload.clear();
    if (program.steps.empty())
        payload.append("{");
    const char *why = nullptr;
    out.matchOffset = 0;
    out.matchLength = 0;
    const Step *matchStep = program.matchStep >= 0 ? &program.steps[size_t(program.matchStep)] : nullptr;
    for (const Step &step : program.steps) {
        payload.append(step.prefix);
        if (&step == matchStep)
            out.matchOffset = std::uint32_t(payload.size());
        switch (step.source) {
        case Program::Source::Constant:
            payload.append(step.constantJson);
            break;
        case Program::Source::Column:
            if (batch.isNull(row, step.column)) {
                payload.append("null", 4);
                break;
            }
            if (!appendCell(payload, batch, row, step, m_scratch->number, why)) {
                if (invalidReason)
                    *invalidReason = cellReason(batch, row, step, why);
                return false;
            }
            break;
        case Program::Source::Template: {
            const Program::Template &compiled = program.templates[static_cast<size_t>(step.templateIndex)];
            Scratch &scratch = *m_scratch;
            const size_t count = compiled.columns.size();
            scratch.templateValues.resize(count);
            if (scratch.templateTexts.size() < count)
                scratch.templateTexts.resize(count);
            for (size_t i = 0; i < count; ++i) {
                const int column = compiled.columns[i];
                if (batch.isNull(row, column))
                    scratch.templateValues[i].reset();
                else
                    scratch.templateValues[i] = cellText(batch, row, column,
                        program.columns[static_cast<size_t>(column)].kind, scratch.templateTexts[i]);
            }
            RowTemplate &rowTemplate = scratch.templates[static_cast<size_t>(step.templateIndex)];
            rowTemplate.render(scratch.templateValues, scratch.rendered);
            if (!appendTextAs(payload, scratch.rendered, step.cast, why)) {
                if (invalidReason)
                    *invalidReason = QStringLiteral("template for field %1: '%2' %3")
                                         .arg(step.field, shortValue(QString::fromStdString(scratch.rendered)),
                                             QString::fromUtf8(why));
                return false;
            }
            break;
        }
        }
        if (&step == matchStep)
            out.matchLength = std::uint32_t(payload.size() - out.matchOffset);
    }
    payload.push_back('}');
    out.payloadHash = hashPayload(payload);
    return true;
}

} // namespace syncline::engine::mapping
