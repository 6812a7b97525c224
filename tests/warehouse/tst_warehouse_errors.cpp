// Connection strings, driver defaults, error classification and redaction; and the connect
// failures a user meets without any server: missing driver, bad string, unreachable host.
#include "engine/warehouse/driverdefaults.h"
#include "engine/warehouse/odbcconnection.h"
#include "engine/warehouse/odbcdiagnostics.h"
#include "engine/warehouse/odbctext.h"
#include "warehousetesthelpers.h"

#include <QElapsedTimer>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace syncline::engine;
using namespace syncline::engine::warehouse;
using namespace syncline::engine::warehouse::testing;

namespace {
// A TCP port on 127.0.0.1 that nothing listens on: bound by the kernel's choice, then released.
int closedLocalPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

const QString kSecret = QStringLiteral("S3cr3t-p4ss;}w0rd");

void verifyNoSecret(const Error &error)
{
    QVERIFY2(!errorText(error).contains(QStringLiteral("S3cr3t")), qPrintable(QStringLiteral("password leaked: ") + errorText(error)));
}
} // namespace

class TestWarehouseErrors : public QObject
{
    Q_OBJECT

private slots:
    void parsesBracedValuesAndDsnNames()
    {
        auto parsed = parseConnectionString(QStringLiteral("Driver={PostgreSQL Unicode};Server=db.example.com; Pwd={a;b}}c};Port=5432"));
        WAREHOUSE_VERIFY_OK(parsed);
        QCOMPARE(int(parsed->size()), 4);
        QCOMPARE(attributeValue(*parsed, QStringLiteral("driver")), QStringLiteral("PostgreSQL Unicode"));
        QCOMPARE(attributeValue(*parsed, QStringLiteral("PWD")), QStringLiteral("a;b}c"));
        QCOMPARE(attributeValue(*parsed, QStringLiteral("Port")), QStringLiteral("5432"));
        QCOMPARE(buildConnectionString(*parsed), QStringLiteral("Driver=PostgreSQL Unicode;Server=db.example.com;Pwd={a;b}}c};Port=5432;"));

        auto dsn = parseConnectionString(QStringLiteral("Warehouse"));
        WAREHOUSE_VERIFY_OK(dsn);
        QCOMPARE(attributeValue(*dsn, QStringLiteral("DSN")), QStringLiteral("Warehouse"));

        auto unclosed = parseConnectionString(QStringLiteral("Driver={PostgreSQL Unicode;Server=x"));
        QVERIFY(!unclosed);
        QCOMPARE(unclosed.error().code, QStringLiteral("odbc.bad_connection_string"));
        auto keyless = parseConnectionString(QStringLiteral("Driver=x;=y"));
        QVERIFY(!keyless);
        QCOMPARE(keyless.error().code, QStringLiteral("odbc.bad_connection_string"));
    }

    void driverDefaultsMakeReadsStreamAndUserKeysWin()
    {
        auto parsed = parseConnectionString(QStringLiteral("Driver={PostgreSQL Unicode};Server=x;fetch=500"));
        WAREHOUSE_VERIFY_OK(parsed);
        QCOMPARE(recogniseDriver(*parsed), DriverFamily::PostgreSQL);
        applyDriverDefaults(*parsed, DriverFamily::PostgreSQL);
        QCOMPARE(attributeValue(*parsed, QStringLiteral("Fetch")), QStringLiteral("500"));
        QCOMPARE(attributeValue(*parsed, QStringLiteral("UseDeclareFetch")), QStringLiteral("1"));
        QCOMPARE(attributeValue(*parsed, QStringLiteral("CommLog")), QStringLiteral("0"));
        QCOMPARE(attributeValue(*parsed, QStringLiteral("BoolsAsChar")), QStringLiteral("0"));

        QCOMPARE(recogniseDriverName(QStringLiteral("SQLite3")), DriverFamily::SQLite);
        QCOMPARE(recogniseDriverName(QStringLiteral("MariaDB Unicode")), DriverFamily::MariaDB);
        QCOMPARE(recogniseDriverName(QStringLiteral("/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so")), DriverFamily::PostgreSQL);
        std::vector<ConnectionAttribute> sqlite{{QStringLiteral("Driver"), QStringLiteral("SQLite3")}};
        applyDriverDefaults(sqlite, recogniseDriver(sqlite));
        QCOMPARE(attributeValue(sqlite, QStringLiteral("StepAPI")), QStringLiteral("1"));
        QCOMPARE(attributeValue(sqlite, QStringLiteral("BigInt")), QStringLiteral("1"));
    }

    void redactsPasswordsFromDriverText()
    {
        QCOMPARE(redactSecrets(QStringLiteral("bad string DRIVER={x};PWD={a;b}}c};UID=u"), std::nullopt),
                 QStringLiteral("bad string DRIVER={x};PWD=****;UID=u"));
        QCOMPARE(redactSecrets(QStringLiteral("password=hunter2; user hunter2"), QStringLiteral("hunter2")),
                 QStringLiteral("password=****; user ****"));
    }

    void classifiesTheCommonDriverDiagnostics()
    {
        OdbcErrorContext context;
        context.password = kSecret;
        context.driver = QStringLiteral("Some Driver");
        struct Case { OdbcStep step; const char *state; const char *message; const char *code; };
        const Case cases[] = {
            {OdbcStep::Connect, "28P01", "FATAL: password authentication failed for user \"x\"", "odbc.auth"},
            {OdbcStep::Connect, "28000", "Access denied for user 'x'@'localhost' (using password: YES)", "odbc.auth"},
            {OdbcStep::Connect, "08001", "could not connect to server: Connection refused", "odbc.unreachable"},
            {OdbcStep::Connect, "HY000", "Can't connect to MySQL server on '127.0.0.1' (111)", "odbc.unreachable"},
            {OdbcStep::Connect, "IM002", "[unixODBC][Driver Manager]Data source name not found and no default driver specified", "odbc.driver_missing"},
            {OdbcStep::Execute, "42601", "ERROR: syntax error at or near \"SELEC\"", "query.syntax"},
            {OdbcStep::Execute, "42000", "You have an error in your SQL syntax; check the manual", "query.syntax"},
            {OdbcStep::Execute, "42P01", "ERROR: relation \"t\" does not exist", "query.missing_table"},
            {OdbcStep::Execute, "42S02", "Table 'db.t' doesn't exist", "query.missing_table"},
            {OdbcStep::Execute, "42703", "ERROR: column \"c\" does not exist", "query.missing_column"},
            {OdbcStep::Execute, "HYT00", "Timeout expired", "query.timeout"},
            {OdbcStep::Execute, "57014", "ERROR: canceling statement due to statement timeout", "query.timeout"},
            {OdbcStep::Fetch, "08S01", "server closed the connection unexpectedly", "odbc.connection_lost"},
        };
        for (const Case &c : cases) {
            const Error error = classifyOdbcError(c.step, {{QString::fromLatin1(c.state), 7, QString::fromLatin1(c.message) + QStringLiteral(" PWD=") + kSecret}}, context);
            QVERIFY2(error.code == QLatin1String(c.code), qPrintable(QString::fromLatin1(c.message) + QStringLiteral(" -> ") + error.code));
            QCOMPARE(error.detail(QStringLiteral("sqlstate")), QString::fromLatin1(c.state));
            QCOMPARE(error.detail(QStringLiteral("native_code")), QStringLiteral("7"));
            verifyNoSecret(error);
        }
        OdbcErrorContext cancelled;
        cancelled.cancelled = true;
        QCOMPARE(classifyOdbcError(OdbcStep::Execute, {{QStringLiteral("57014"), 0, QStringLiteral("canceling statement due to user request")}}, cancelled).code,
                 QStringLiteral("query.cancelled"));
    }

    void utf16IsReencodedWithFourByteCharacters()
    {
        const QString text = QStringLiteral(u"a\u00e9\u20ac\U0001F600z");
        std::string out(size_t(text.size()) * 3, '\0');
        out.resize(utf16ToUtf8(reinterpret_cast<const char16_t *>(text.utf16()), size_t(text.size()), out.data()));
        QCOMPARE(QByteArray::fromStdString(out), text.toUtf8());
        const char16_t lone[] = {u'x', char16_t(0xD83D), u'y'};
        std::string replaced(9, '\0');
        replaced.resize(utf16ToUtf8(lone, 3, replaced.data()));
        QCOMPARE(QByteArray::fromStdString(replaced), QByteArray("x\xef\xbf\xbdy"));
    }

    void timestampsBecomeCanonicalIsoText()
    {
        char out[32];
        const SQL_TIMESTAMP_STRUCT withFraction{2024, 2, 29, 13, 4, 5, 120000000};
        QCOMPARE(std::string_view(out, formatTimestamp(withFraction, true, out)), std::string_view("2024-02-29T13:04:05.120000Z"));
        const SQL_TIMESTAMP_STRUCT whole{1, 1, 1, 0, 0, 0, 0};
        QCOMPARE(std::string_view(out, formatTimestamp(whole, false, out)), std::string_view("0001-01-01T00:00:00"));
    }

    void missingDriverIsNamed()
    {
        ConnectionSpec spec;
        spec.connectionString = QStringLiteral("Driver={No Such ODBC Driver};Server=127.0.0.1;Uid=u");
        spec.password = kSecret;
        auto connection = OdbcConnection::open(spec);
        QVERIFY(!connection);
        QVERIFY2(connection.error().code == QLatin1String("odbc.driver_missing"), qPrintable(errorText(connection.error())));
        QVERIFY(connection.error().message.contains(QLatin1String("No Such ODBC Driver")));
        QVERIFY(connection.error().detail(QStringLiteral("diagnostics")).contains(QLatin1String("No Such ODBC Driver")));
        verifyNoSecret(connection.error());
    }

    void badConnectionStringsAreNamed()
    {
        for (const QString &text : {QStringLiteral("Driver={PostgreSQL Unicode;Server=127.0.0.1"), QStringLiteral("Server=127.0.0.1;Port=5432"),
                                    QStringLiteral("Driver=x;=y;Pwd=S3cr3t")}) {
            ConnectionSpec spec;
            spec.connectionString = text;
            auto connection = OdbcConnection::open(spec);
            QVERIFY(!connection);
            QVERIFY2(connection.error().code == QLatin1String("odbc.bad_connection_string"), qPrintable(text + QStringLiteral(" -> ") + errorText(connection.error())));
            verifyNoSecret(connection.error());
        }
        ConnectionSpec dsn = ConnectionSpec::fromDsn(QStringLiteral("NoSuchDataSource"));
        auto connection = OdbcConnection::open(dsn);
        QVERIFY(!connection);
        QCOMPARE(connection.error().code, QStringLiteral("odbc.dsn_missing"));
    }

    void unreachableHostIsNamedQuickly()
    {
        ConnectionSpec spec;
        spec.connectionString = QStringLiteral("Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=%1;Database=x;Uid=u").arg(closedLocalPort());
        spec.password = kSecret;
        QElapsedTimer timer;
        timer.start();
        auto connection = OdbcConnection::open(spec);
        QVERIFY(!connection);
        QCOMPARE(connection.error().code, QStringLiteral("odbc.unreachable"));
        QVERIFY2(connection.error().message.contains(QLatin1String("refused")), qPrintable(connection.error().message));
        QVERIFY(timer.elapsed() < 5000);
        verifyNoSecret(connection.error());

        spec.connectionString = QStringLiteral("Driver={MariaDB Unicode};Server=127.0.0.1;Port=%1;Database=x;Uid=u").arg(closedLocalPort());
        connection = OdbcConnection::open(spec);
        QVERIFY(!connection);
        QCOMPARE(connection.error().code, QStringLiteral("odbc.unreachable"));
        verifyNoSecret(connection.error());
    }
};

QTEST_GUILESS_MAIN(TestWarehouseErrors)
#include "tst_warehouse_errors.moc"
