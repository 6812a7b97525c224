// `syncline-cli import FILE.yaml [--workspace FILE]`: definitions as code into a workspace, all or
// nothing. Each destination is checked against its connector's settings schema first; every problem
// is listed with its line and column. Prints what was created, updated or left unchanged.
#include "app/cli/command.h"
#include "app/cli/workspaceoption.h"
#include "connectors/builtinconnectors.h"
#include "engine/connector/destinationschemacheck.h"
#include "engine/definitions/yamlcodec.h"
#include "engine/state/definitionstore.h"

#include <QFile>

namespace syncline::cli {
namespace {

using engine::Error;
using engine::state::DefinitionStore;

QString actionName(DefinitionStore::ImportChange::Action action)
{
    switch (action) {
    case DefinitionStore::ImportChange::Action::Created:
        return QStringLiteral("created");
    case DefinitionStore::ImportChange::Action::Updated:
        return QStringLiteral("updated");
    case DefinitionStore::ImportChange::Action::Unchanged:
        break;
    }
    return QStringLiteral("unchanged");
}

int runImport(CommandContext &context)
{
    QStringList arguments = context.arguments;
    const auto workspacePath = takeWorkspacePath(context, arguments);
    if (!workspacePath)
        return 2;
    if (arguments.size() != 1 || arguments.first().startsWith(QStringLiteral("--")))
        return failWith(context, QStringLiteral("usage: syncline-cli import FILE.yaml [--workspace FILE]"), 2);
    const QString fileName = arguments.first();
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(context, QStringLiteral("cannot read %1: %2").arg(fileName, file.errorString()));
    QHash<QString, int> lines;
    engine::YamlPositions positions;
    const auto definitions = engine::YamlCodec::parse(file.readAll(), &lines, &positions);
    if (!definitions)
        return failWith(context, fileName + QStringLiteral(": ") + definitions.error().message);
    engine::connector::ConnectorRegistry registry;
    connectors::registerBuiltinConnectors(registry);
    if (const auto problems = engine::connector::checkDestinationSchemas(*definitions, positions, registry);
        !problems.empty()) {
        QString message = QStringLiteral("%1: %2 problem(s) with destinations; nothing was imported")
                              .arg(fileName)
                              .arg(problems.size());
        for (const auto &problem : problems)
            message += QStringLiteral("\n  ") + fileName + QStringLiteral(": ") + problem.message;
        return failWith(context, message);
    }

    auto workspace = openWorkspace(context, *workspacePath, engine::state::Workspace::OpenMode::CreateIfMissing);
    if (!workspace)
        return 1;
    DefinitionStore store(*workspace);
    const auto changes = store.importDefinitions(*definitions);
    if (!changes) {
        const Error &error = changes.error();
        const int line = lines.value(
            error.detail(QStringLiteral("kind")) + QLatin1Char('/') + error.detail(QStringLiteral("name")));
        return failWith(context,
            fileName + QStringLiteral(": ") + (line > 0 ? QStringLiteral("line %1: ").arg(line) : QString())
                + error.message + QStringLiteral("; nothing was imported"));
    }
    int counts[3] = { 0, 0, 0 };
    for (const auto &change : *changes) {
        ++counts[int(change.action)];
        context.out << actionName(change.action) << ' ' << change.kind << " '" << change.name << "'\n";
    }
    context.out << "imported " << fileName << " into " << workspace->path() << ": " << counts[0] << " created, "
                << counts[1] << " updated, " << counts[2] << " unchanged" << Qt::endl;
    return 0;
}

} // namespace

SYNCLINE_CLI_COMMAND(Command { QStringLiteral("import"), QStringLiteral("import FILE.yaml [--workspace FILE]"),
    QStringLiteral("create or replace the sources, models, destinations and syncs of a YAML file "
                   "(all or nothing)"),
    &runImport });

} // namespace syncline::cli
