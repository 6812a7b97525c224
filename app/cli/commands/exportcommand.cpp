// `syncline-cli export [--workspace FILE] [--output FILE]`: the workspace's definitions as YAML,
// secret-free (secrets are references), in the layout `import` reads.
#include "app/cli/command.h"
#include "app/cli/workspaceoption.h"
#include "engine/definitions/yamlcodec.h"
#include "engine/state/definitionstore.h"

#include <QSaveFile>

namespace syncline::cli {
namespace {

int runExport(CommandContext &context)
{
    QStringList arguments = context.arguments;
    bool ok = true;
    const auto output = takeOption(context, arguments, QStringLiteral("output"), ok);
    if (!ok)
        return 2;
    const auto workspacePath = takeWorkspacePath(context, arguments);
    if (!workspacePath)
        return 2;
    if (!arguments.isEmpty())
        return failWith(context,
            QStringLiteral("unexpected argument '%1'; usage: syncline-cli export [--workspace FILE] "
                           "[--output FILE]")
                .arg(arguments.first()),
            2);
    auto workspace = openWorkspace(context, *workspacePath, engine::state::Workspace::OpenMode::MustExist);
    if (!workspace)
        return 1;
    engine::state::DefinitionStore store(*workspace);
    const auto definitions = store.exportDefinitions();
    if (!definitions)
        return failWith(context, definitions.error().message);
    const QByteArray yaml = engine::YamlCodec::write(*definitions);
    if (!output) {
        context.out << QString::fromUtf8(yaml);
        context.out.flush();
        return 0;
    }
    QSaveFile file(*output); // written whole or not at all
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size() || !file.commit())
        return failWith(context, QStringLiteral("cannot write %1: %2").arg(*output, file.errorString()));
    context.out << "exported " << definitions->sources.size() << " sources, " << definitions->models.size()
                << " models, " << definitions->destinations.size() << " destinations and " << definitions->syncs.size()
                << " syncs to " << *output << Qt::endl;
    return 0;
}

} // namespace

SYNCLINE_CLI_COMMAND(Command { QStringLiteral("export"), QStringLiteral("export [--workspace FILE] [--output FILE]"),
    QStringLiteral("write the workspace's definitions as YAML (stdout by default); secrets stay "
                   "references"),
    &runExport });

} // namespace syncline::cli
