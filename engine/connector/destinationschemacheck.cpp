#include "engine/connector/destinationschemacheck.h"

#include "engine/connector/settingvalue.h"
#include "engine/mapping/nearmatch.h"

#include <algorithm>

namespace syncline::engine::connector {

namespace {

QString quoted(const QString &name)
{
    return QLatin1Char('\'') + name + QLatin1Char('\'');
}

QString suggestion(const QString &name, const QStringList &candidates, const QString &listIntro)
{
    const QStringList near = mapping::nearMatches(name, candidates, 1);
    if (!near.isEmpty())
        return QStringLiteral("; did you mean %1?").arg(quoted(near.front()));
    if (candidates.isEmpty())
        return QStringLiteral("; there are no %1").arg(listIntro);
    return QStringLiteral("; %1: %2").arg(listIntro, candidates.join(QStringLiteral(", ")));
}

class Checker
{
public:
    Checker(const YamlPositions &positions, std::vector<SchemaProblem> &problems)
        : m_positions(positions)
        , m_problems(problems)
    { }

    void check(const DestinationDef &destination, const ConnectorRegistry &registry)
    {
        m_destination = &destination;
        m_at = QStringLiteral("destination/") + destination.name;
        const ConnectorType *type = registry.find(destination.type);
        if (!type) {
            QStringList known;
            for (const ConnectorType &candidate : registry.types())
                known << candidate.id;
            add(QStringLiteral("/type"),
                QStringLiteral("unknown type %1").arg(quoted(destination.type))
                    + suggestion(destination.type, known, QStringLiteral("known types")));
            return;
        }
        QStringList settingKeys;
        QStringList secretKeys;
        for (const SettingSpec &spec : type->settings)
            (spec.type == SettingSpec::Type::Secret ? secretKeys : settingKeys) << spec.key;
        const auto findSpec = [type](const QString &key) -> const SettingSpec * {
            for (const SettingSpec &spec : type->settings)
                if (spec.key == key)
                    return &spec;
            return nullptr;
        };

        for (auto it = destination.settings.cbegin(); it != destination.settings.cend(); ++it) {
            const QString path = QStringLiteral("/settings/") + it.key();
            const SettingSpec *spec = findSpec(it.key());
            if (!spec)
                add(path,
                    QStringLiteral("unknown setting %1").arg(quoted(it.key()))
                        + suggestion(it.key(), settingKeys, QStringLiteral("settings of type '%1'").arg(type->id)));
            else if (spec->type == SettingSpec::Type::Secret)
                add(path,
                    QStringLiteral("%1 is a secret: move it under 'secrets:' as %1: { env: VARIABLE } "
                                   "(or { keychain: ENTRY }) so its value never lands in the workspace")
                        .arg(it.key()));
            else if (const QString problem = settingValueProblem(*spec, it.value()); !problem.isEmpty())
                add(path + QStringLiteral("/value"), QStringLiteral("setting %1 %2").arg(quoted(it.key()), problem));
        }
        for (auto it = destination.secrets.cbegin(); it != destination.secrets.cend(); ++it) {
            const QString path = QStringLiteral("/secrets/") + it.key();
            const SettingSpec *spec = findSpec(it.key());
            if (!spec)
                add(path,
                    QStringLiteral("unknown secret %1").arg(quoted(it.key()))
                        + suggestion(it.key(), secretKeys, QStringLiteral("secrets of type '%1'").arg(type->id)));
            else if (spec->type != SettingSpec::Type::Secret)
                add(path,
                    QStringLiteral("%1 is a setting, not a secret: move it under 'settings:'").arg(quoted(it.key())));
        }
        for (const SettingSpec &spec : type->settings) {
            if (!spec.required)
                continue;
            const bool isSecret = spec.type == SettingSpec::Type::Secret;
            const bool present
                = isSecret ? destination.secrets.contains(spec.key) : destination.settings.contains(spec.key);
            if (present)
                continue;
            add(isSecret ? QStringLiteral("/secrets") : QStringLiteral("/settings"),
                QStringLiteral("missing required %1 %2 (%3%4)")
                    .arg(isSecret ? QStringLiteral("secret") : QStringLiteral("setting"), quoted(spec.key),
                        settingTypeName(spec.type),
                        spec.help.isEmpty() ? QString() : QStringLiteral(": ") + spec.help));
        }
    }

private:
    void add(const QString &suffix, const QString &what)
    {
        YamlPosition position = m_positions.value(m_at + suffix);
        if (position.line == 0)
            position = m_positions.value(m_at);
        QString message;
        if (position.line > 0)
            message = QStringLiteral("line %1, column %2: ").arg(position.line).arg(position.column);
        message += QStringLiteral("destination %1: %2").arg(quoted(m_destination->name), what);
        m_problems.push_back(SchemaProblem { m_destination->name, position, message });
    }

    const YamlPositions &m_positions;
    std::vector<SchemaProblem> &m_problems;
    const DestinationDef *m_destination = nullptr;
    QString m_at;
};

} // namespace

std::vector<SchemaProblem> checkDestinationSchemas(
    const Definitions &definitions, const YamlPositions &positions, const ConnectorRegistry &registry)
{
    std::vector<SchemaProblem> problems;
    Checker checker(positions, problems);
    for (const DestinationDef &destination : definitions.destinations)
        checker.check(destination, registry);
    std::stable_sort(problems.begin(), problems.end(), [](const SchemaProblem &a, const SchemaProblem &b) {
        return std::pair(a.position.line, a.position.column) < std::pair(b.position.line, b.position.column);
    });
    return problems;
}

Result<void> checkDestinationsAgainstSchemas(
    const Definitions &definitions, const YamlPositions &positions, const ConnectorRegistry &registry)
{
    const std::vector<SchemaProblem> problems = checkDestinationSchemas(definitions, positions, registry);
    if (problems.empty())
        return {};
    QStringList lines;
    for (const SchemaProblem &problem : problems)
        lines << problem.message;
    return fail(QStringLiteral("definitions.schema"), lines.join(QLatin1Char('\n')), false,
        { { QStringLiteral("problems"), QString::number(problems.size()) } });
}

} // namespace syncline::engine::connector
