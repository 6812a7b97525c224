#pragma once
// The compiled form of a sync's mapping, shared read-only by every copy of a Mapper,
// and the per-copy scratch buffers the hot path reuses. Internal to engine/mapping.

#include "engine/mapping/casts.h"
#include "engine/mapping/mapper.h"
#include "engine/mapping/rowtemplate.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syncline::engine::mapping {

struct Mapper::Program
{
    enum class Source { Column, Template, Constant };
    struct Step
    {
        Source source = Source::Column;
        int column = -1; // Source::Column
        warehouse::ColumnKind kind = warehouse::ColumnKind::Text;
        Cast cast;
        std::string prefix; // "{\"field\":" for the first step, ",\"field\":" after
        std::string constantJson; // Source::Constant, already cast
        int templateIndex = -1; // Source::Template
        QString field;
        QString columnName;
    };
    struct Template
    {
        RowTemplate prototype;
        std::vector<int> columns; // model column per prototype.names()[i]
    };

    std::vector<Step> steps;
    std::vector<Template> templates;
    std::vector<int> keyColumns;
    std::vector<warehouse::Column> columns;
    QStringList primaryKey;
    QStringList fields;
    int matchStep = -1; // the step that writes the match field, -1 without a match
};

struct Mapper::Scratch
{
    explicit Scratch(const Program &program)
    {
        for (const Program::Template &t : program.templates)
            templates.push_back(t.prototype);
    }
    std::vector<RowTemplate> templates;
    std::vector<std::optional<std::string_view>> templateValues;
    std::vector<std::string> templateTexts;
    std::string rendered;
    std::string number;
};

} // namespace syncline::engine::mapping
