// syncline-fake-mailchimp: the Mailchimp fake as a process, for trying a sync by hand (or from the
// demo warehouse). Prints "port N", then serves until killed; the API key is $FAKE_MAILCHIMP_KEY
// or the default below; audience "demo" has the merge fields FNAME, LNAME, PLAN, LTV.
#include "tests/fakes/mailchimp/mailchimpfake.h"

#include <QCoreApplication>

#include <cstdio>

using syncline::testfakes::MailchimpFake;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int portAt = int(args.indexOf(QStringLiteral("--port")));
    const quint16 port = portAt > 0 ? quint16(args.value(portAt + 1).toUInt()) : 0;
    MailchimpFake fake(qEnvironmentVariable("FAKE_MAILCHIMP_KEY", QStringLiteral("0123456789abcdef0123456789abcdef-us21")));
    fake.addAudience(QStringLiteral("demo"), QStringLiteral("Demo audience"),
        { { QStringLiteral("FNAME"), QStringLiteral("First name") }, { QStringLiteral("LNAME"), QStringLiteral("Last name") },
            { QStringLiteral("PLAN"), QStringLiteral("Plan") }, { QStringLiteral("LTV"), QStringLiteral("Lifetime value"), QStringLiteral("number") } });
    QString error;
    if (!fake.start(port, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::printf("port %u\n", unsigned(fake.url().port()));
    std::fflush(stdout);
    return app.exec();
}
