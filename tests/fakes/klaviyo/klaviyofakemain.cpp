// syncline-fake-klaviyo: the Klaviyo fake as a process, for trying a sync by hand (or from the
// demo warehouse). Prints "port N", then serves until killed; the private key is
// $FAKE_KLAVIYO_KEY or the default below. Jobs complete at their first poll.
#include "tests/fakes/klaviyo/klaviyofake.h"

#include <QCoreApplication>

#include <cstdio>

using syncline::testfakes::KlaviyoFake;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int portAt = int(args.indexOf(QStringLiteral("--port")));
    const quint16 port = portAt > 0 ? quint16(args.value(portAt + 1).toUInt()) : 0;
    KlaviyoFake fake(qEnvironmentVariable("FAKE_KLAVIYO_KEY", QStringLiteral("pk_test_0123456789abcdef")));
    fake.setPollsToComplete(1);
    QString error;
    if (!fake.start(port, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::printf("port %u\n", unsigned(fake.url().port()));
    std::fflush(stdout);
    return app.exec();
}
