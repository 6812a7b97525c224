// YAML import checks each destination against its connector's settings schema: an unknown type,
// an unknown, misplaced or missing setting or secret, and a value of the wrong type are refused,
// each at its own line and column with the nearest valid name; a valid file passes.
#include "engine/connector/connectorregistry.h"
#include "engine/connector/destinationschemacheck.h"
#include "engine/connector/settingvalue.h"
#include "engine/definitions/yamlcodec.h"

#include <QTest>

using namespace syncline::engine;
using connector::SettingSpec;

namespace {

SettingSpec spec(const char *key, SettingSpec::Type type, bool required = false, QStringList choices = {})
{
    SettingSpec setting;
    setting.key = QLatin1String(key);
    setting.label = setting.key;
    setting.type = type;
    setting.required = required;
    setting.choices = std::move(choices);
    setting.help = QStringLiteral("help for ") + setting.key;
    return setting;
}

// A generic HTTP connector's schema as the issue describes it, registered here so the check is
// tested without the real connector.
connector::ConnectorRegistry registry()
{
    using Type = SettingSpec::Type;
    connector::ConnectorRegistry registry;
    connector::ConnectorType http;
    http.id = QStringLiteral("http");
    http.label = QStringLiteral("Any JSON HTTP API");
    http.settings = { spec("base_url", Type::Url, true), spec("batch_size", Type::Integer),
        spec("concurrency", Type::Integer), spec("rate_limit", Type::Rate), spec("timeout", Type::Duration),
        spec("headers", Type::Map), spec("verify", Type::Boolean),
        spec("body", Type::Choice, false, { QStringLiteral("json"), QStringLiteral("form") }),
        spec("operations", Type::Object), spec("token", Type::Secret, true), spec("client_secret", Type::Secret) };
    registry.add(http);
    connector::ConnectorType file;
    file.id = QStringLiteral("file");
    file.settings = { spec("folder", Type::Path, true) };
    registry.add(file);
    return registry;
}

QStringList problemsOf(const QByteArray &yaml)
{
    YamlPositions positions;
    auto parsed = YamlCodec::parse(yaml, nullptr, &positions);
    if (!parsed)
        qFatal("the YAML does not parse: %s", qPrintable(parsed.error().message));
    QStringList messages;
    for (const auto &problem : connector::checkDestinationSchemas(*parsed, positions, registry()))
        messages << problem.message;
    return messages;
}

} // namespace

class TestDestinationSchema : public QObject
{
    Q_OBJECT

private slots:
    void unknownTypeNamesItsPositionAndTheNearestType()
    {
        const QStringList problems = problemsOf("destinations:\n"
                                                "  - name: crm-api\n"
                                                "    type: htpp\n"
                                                "    settings: { base_url: https://api.example.com/people }\n");
        QCOMPARE(problems,
            QStringList { QStringLiteral("line 3, column 11: destination 'crm-api': unknown type 'htpp'; "
                                         "did you mean 'http'?") });
        QCOMPARE(problemsOf("destinations:\n  - name: d\n    type: webhook\n"),
            QStringList { QStringLiteral("line 3, column 11: destination 'd': unknown type 'webhook'; known types: "
                                         "http, file") });
    }

    void misspeltSettingNamesTheNearestOne()
    {
        const QStringList problems = problemsOf("destinations:\n"
                                                "  - name: crm-api\n"
                                                "    type: http\n"
                                                "    settings:\n"
                                                "      base_url: https://api.example.com/people\n"
                                                "      batchsize: 100\n"
                                                "    secrets:\n"
                                                "      token: { env: CRM_TOKEN }\n"
                                                "      tokn: { env: CRM_TOKEN }\n");
        QCOMPARE(problems,
            (QStringList { QStringLiteral("line 6, column 7: destination 'crm-api': unknown setting 'batchsize'; did "
                                          "you mean 'batch_size'?"),
                QStringLiteral("line 9, column 7: destination 'crm-api': unknown secret 'tokn'; did you "
                               "mean 'token'?") }));
    }

    void everyWrongValueIsListedAtItsValue()
    {
        const QStringList problems = problemsOf("destinations:\n"
                                                "  - name: crm-api\n"
                                                "    type: http\n"
                                                "    settings:\n"
                                                "      base_url: api.example.com/people\n"
                                                "      batch_size: lots\n"
                                                "      concurrency: 2.5\n"
                                                "      rate_limit: fast\n"
                                                "      timeout: 30 seconds\n"
                                                "      headers: [X-Team]\n"
                                                "      verify: maybe\n"
                                                "      body: xml\n"
                                                "      operations: post\n"
                                                "    secrets: { token: { env: T } }\n");
        QCOMPARE(problems,
            (QStringList {
                QStringLiteral("line 5, column 17: destination 'crm-api': setting 'base_url' must be an absolute "
                               "http(s) URL such as https://api.example.com/people, not 'api.example.com/people'"),
                QStringLiteral("line 6, column 19: destination 'crm-api': setting 'batch_size' must be an integer "
                               "such as 100, not 'lots'"),
                QStringLiteral("line 7, column 20: destination 'crm-api': setting 'concurrency' must be an integer "
                               "such as 100, not '2.5'"),
                QStringLiteral("line 8, column 19: destination 'crm-api': setting 'rate_limit' must be a rate such "
                               "as 20/s or 600/min, not 'fast'"),
                QStringLiteral("line 9, column 16: destination 'crm-api': setting 'timeout' must be a duration "
                               "such as 30s, 500ms or 2m, not '30 seconds'"),
                QStringLiteral("line 10, column 16: destination 'crm-api': setting 'headers' must be a map such as "
                               "{ X-Team: analytics }, not a list"),
                QStringLiteral("line 11, column 15: destination 'crm-api': setting 'verify' must be true or false, "
                               "not 'maybe'"),
                QStringLiteral("line 12, column 13: destination 'crm-api': setting 'body' must be one of json, "
                               "form, not 'xml'"),
                QStringLiteral("line 13, column 19: destination 'crm-api': setting 'operations' must be a map of "
                               "its own keys, not 'post'") }));
    }

    void missingRequiredSettingsAndMisplacedSecretsAreRefused()
    {
        // (A secret written under settings: is refused by the codec itself, before this check.)
        const QStringList problems = problemsOf("destinations:\n"
                                                "  - name: crm-api\n"
                                                "    type: http\n"
                                                "    settings:\n"
                                                "      batch_size: 10\n"
                                                "    secrets:\n"
                                                "      verify: { env: VERIFY }\n"
                                                "  - name: files\n"
                                                "    type: file\n");
        QCOMPARE(problems,
            (QStringList {
                QStringLiteral("line 5, column 7: destination 'crm-api': missing required setting 'base_url' (url: "
                               "help for base_url)"),
                QStringLiteral("line 7, column 7: destination 'crm-api': 'verify' is a setting, not a secret: move "
                               "it under 'settings:'"),
                QStringLiteral("line 7, column 7: destination 'crm-api': missing required secret 'token' (secret: "
                               "help for token)"),
                QStringLiteral("line 8, column 5: destination 'files': missing required setting 'folder' (path: "
                               "help for folder)") }));
    }

    void validDestinationsPass()
    {
        QCOMPARE(problemsOf("destinations:\n"
                            "  - name: crm-api\n"
                            "    type: http\n"
                            "    settings:\n"
                            "      base_url: https://api.example.com/people\n"
                            "      batch_size: 100\n"
                            "      concurrency: \"4\"\n"
                            "      rate_limit: 600/min\n"
                            "      timeout: 500ms\n"
                            "      headers: { X-Team: analytics, X-Version: 2 }\n"
                            "      verify: true\n"
                            "      body: json\n"
                            "      operations: { delete: { method: DELETE, path: \"/{{id}}\" } }\n"
                            "    secrets:\n"
                            "      token: { env: CRM_TOKEN }\n"
                            "      client_secret: { keychain: crm-client }\n"
                            "  - name: files\n"
                            "    type: file\n"
                            "    settings: { folder: /tmp/out }\n"),
            QStringList {});
    }

    void durationsAndRatesReadAsTheirUnitsSay()
    {
        using namespace std::chrono_literals;
        QCOMPARE(connector::parseDuration(QStringLiteral("30s")), std::optional(30000ms));
        QCOMPARE(connector::parseDuration(QStringLiteral("500ms")), std::optional(500ms));
        QCOMPARE(connector::parseDuration(QStringLiteral("2m")), std::optional(120000ms));
        QCOMPARE(connector::parseDuration(QStringLiteral("1.5h")), std::optional(5400000ms));
        QVERIFY(!connector::parseDuration(QStringLiteral("30")));
        QCOMPARE(connector::parseRate(QStringLiteral("20/s")), std::optional(20.0));
        QCOMPARE(connector::parseRate(QStringLiteral("600/min")), std::optional(10.0));
        QCOMPARE(connector::parseRate(QStringLiteral("7200 / hour")), std::optional(2.0));
        QVERIFY(!connector::parseRate(QStringLiteral("0/s")));
        QVERIFY(!connector::parseRate(QStringLiteral("20 per second")));
    }
};

QTEST_GUILESS_MAIN(TestDestinationSchema)
#include "tst_destinationschema.moc"
