// `syncline-cli drivers`: the ODBC drivers and data sources installed on this machine, and
// which of them Syncline knows streaming defaults for.
#include "app/cli/command.h"

#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcdrivers.h"

#include <QStringList>

namespace syncline::cli {
namespace {

using namespace syncline::engine::warehouse;

QString defaultsText(DriverFamily family)
{
    QStringList parts;
    for (const auto &attribute : driverDefaults(family))
        parts << attribute.key + QLatin1Char('=') + attribute.value;
    return parts.join(QLatin1Char(';'));
}

int runDrivers(CommandContext &context)
{
    if (!context.arguments.isEmpty())
        return failWith(context, QStringLiteral("drivers takes no arguments"), 2);
    auto drivers = installedDrivers();
    if (!drivers)
        return failWith(context, drivers.error().toString());
    auto sources = dataSources();
    if (!sources)
        return failWith(context, sources.error().toString());

    context.out << "ODBC drivers (" << drivers->size() << "):\n";
    for (const auto &driver : *drivers) {
        QString library;
        for (const QString &attribute : driver.attributes.split(QLatin1Char(';')))
            if (attribute.startsWith(QLatin1String("Driver="), Qt::CaseInsensitive))
                library = attribute.mid(7);
        const DriverFamily family = recogniseDriverName(driver.name + QLatin1Char(' ') + library);
        context.out << "  " << driver.name;
        if (!library.isEmpty())
            context.out << "  [" << library << "]";
        if (family != DriverFamily::Unknown)
            context.out << "  " << driverFamilyName(family) << " defaults: " << defaultsText(family);
        context.out << "\n";
    }
    context.out << "ODBC data sources (" << sources->size() << "):\n";
    for (const auto &source : *sources)
        context.out << "  " << source.name << "  [" << source.driver << "] " << (source.userDsn ? "user" : "system") << "\n";
    if (sources->empty())
        context.out << "  (none; connect with a connection string such as \"Driver={PostgreSQL Unicode};Server=host;Database=db;Uid=user\")\n";
    context.out.flush();
    return 0;
}

} // namespace

SYNCLINE_CLI_COMMAND(Command{QStringLiteral("drivers"), QStringLiteral("drivers"),
                             QStringLiteral("list the installed ODBC drivers and data sources"), &runDrivers});

} // namespace syncline::cli
