// The generated settings form: one editor per SettingSpec type, what the user sees in it, what
// gets saved, and the engine's own words for a wrong value, inline under the editor.

#include "connectors/builtinconnectors.h"
#include "engine/connector/connectorregistry.h"
#include "engine/connector/settingvalue.h"
#include "ui/widgets/settingsform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

using namespace syncline;
using namespace syncline::ui;
using engine::SecretRef;
using engine::connector::SettingSpec;
using Type = SettingSpec::Type;

namespace {

SettingSpec spec(const char *key, Type type, QVariant fallback = {}, bool required = false, QStringList choices = {})
{
    SettingSpec s;
    s.key = QString::fromLatin1(key);
    s.label = s.key.toUpper();
    s.type = type;
    s.defaultValue = std::move(fallback);
    s.required = required;
    s.choices = std::move(choices);
    s.help = QStringLiteral("help for ") + s.key;
    return s;
}

std::vector<SettingSpec> everyType()
{
    return {spec("name", Type::Text),
            spec("size", Type::Integer, 100),
            spec("count", Type::Integer),
            spec("verbose", Type::Boolean, false),
            spec("format", Type::Choice, QStringLiteral("jsonl"), false, {QStringLiteral("csv"), QStringLiteral("jsonl")}),
            spec("folder", Type::Path, {}, true),
            spec("token", Type::Secret, {}, true),
            spec("base_url", Type::Url),
            spec("timeout", Type::Duration, QStringLiteral("30s")),
            spec("rate_limit", Type::Rate),
            spec("headers", Type::Map),
            spec("operations", Type::Object)};
}

template <typename T>
T *editorOf(SettingsForm &form, const char *key)
{
    auto *widget = qobject_cast<T *>(form.editor(QString::fromLatin1(key)));
    if (!widget)
        qFatal("no %s editor for %s", T::staticMetaObject.className(), key);
    return widget;
}

} // namespace

class TestSettingsForm : public QObject
{
    Q_OBJECT

private slots:
    void eachTypeGetsItsEditor()
    {
        SettingsForm form(everyType());
        QVERIFY(editorOf<QLineEdit>(form, "name"));
        QCOMPARE(editorOf<QSpinBox>(form, "size")->value(), 100); // the default, shown
        QCOMPARE(editorOf<QSpinBox>(form, "count")->text(), QStringLiteral("not set"));
        QVERIFY(!editorOf<QCheckBox>(form, "verbose")->isChecked());
        QCOMPARE(editorOf<QComboBox>(form, "format")->currentText(), QStringLiteral("jsonl"));
        QVERIFY(form.findChild<QToolButton *>()); // Browse… beside the path
        QCOMPARE(editorOf<QLineEdit>(form, "token")->echoMode(), QLineEdit::Password);
        QCOMPARE(editorOf<QLineEdit>(form, "timeout")->placeholderText(), QStringLiteral("default: 30s"));
        QVERIFY(editorOf<QTableWidget>(form, "headers"));
        QVERIFY(editorOf<QPlainTextEdit>(form, "operations"));
    }

    void untouchedFormSavesNothingButTheRequiredProblems()
    {
        SettingsForm form(everyType());
        QCOMPARE(form.settings(), QVariantMap());
        QVERIFY(form.typedSecrets().isEmpty());
        QCOMPARE(form.problems(),
                 QStringList({QStringLiteral("FOLDER: is required"), QStringLiteral("TOKEN: is required")}));
        QVERIFY(form.shownProblem(QStringLiteral("folder")).isEmpty()); // not shouted at before Save
        form.revealProblems();
        QCOMPARE(form.shownProblem(QStringLiteral("folder")), QStringLiteral("FOLDER is required"));
    }

    void typedValuesAreSavedWithTheirTypes()
    {
        SettingsForm form(everyType());
        QTest::keyClicks(editorOf<QLineEdit>(form, "name"), QStringLiteral("crm"));
        editorOf<QSpinBox>(form, "size")->setValue(250);
        editorOf<QSpinBox>(form, "count")->setValue(3);
        QTest::mouseClick(editorOf<QCheckBox>(form, "verbose"), Qt::LeftButton);
        editorOf<QComboBox>(form, "format")->setCurrentText(QStringLiteral("csv"));
        QTest::keyClicks(editorOf<QLineEdit>(form, "folder"), QStringLiteral("/tmp/out"));
        QTest::keyClicks(editorOf<QLineEdit>(form, "token"), QStringLiteral("s3cret"));
        QTest::keyClicks(editorOf<QLineEdit>(form, "base_url"), QStringLiteral("https://api.example.com/people"));
        QTest::keyClicks(editorOf<QLineEdit>(form, "timeout"), QStringLiteral("2m"));
        QTest::keyClicks(editorOf<QLineEdit>(form, "rate_limit"), QStringLiteral("20/s"));
        auto *headers = editorOf<QTableWidget>(form, "headers");
        headers->setItem(0, 0, new QTableWidgetItem(QStringLiteral("X-Team")));
        headers->setItem(0, 1, new QTableWidgetItem(QStringLiteral("analytics")));
        QCOMPARE(headers->rowCount(), 2); // a fresh empty row for the next header
        editorOf<QPlainTextEdit>(form, "operations")->setPlainText(QStringLiteral(R"({"upsert": {"method": "PUT"}})"));

        const QVariantMap saved = form.settings();
        QCOMPARE(saved.value(QStringLiteral("name")).toString(), QStringLiteral("crm"));
        QCOMPARE(saved.value(QStringLiteral("size")).toLongLong(), 250);
        QCOMPARE(saved.value(QStringLiteral("count")).toLongLong(), 3);
        QCOMPARE(saved.value(QStringLiteral("verbose")), QVariant(true));
        QCOMPARE(saved.value(QStringLiteral("format")).toString(), QStringLiteral("csv"));
        QCOMPARE(saved.value(QStringLiteral("folder")).toString(), QStringLiteral("/tmp/out"));
        QCOMPARE(saved.value(QStringLiteral("timeout")).toString(), QStringLiteral("2m"));
        QCOMPARE(saved.value(QStringLiteral("rate_limit")).toString(), QStringLiteral("20/s"));
        QCOMPARE(saved.value(QStringLiteral("headers")).toMap(),
                 QVariantMap({{QStringLiteral("X-Team"), QStringLiteral("analytics")}}));
        QCOMPARE(saved.value(QStringLiteral("operations")).toMap().value(QStringLiteral("upsert")).toMap()
                     .value(QStringLiteral("method")).toString(),
                 QStringLiteral("PUT"));
        QVERIFY(!saved.contains(QStringLiteral("token"))); // a secret never lands in settings
        QCOMPARE(form.typedSecrets(), (QMap<QString, QString>{{QStringLiteral("token"), QStringLiteral("s3cret")}}));
        QVERIFY2(form.problems().isEmpty(), qPrintable(form.problems().join(QLatin1Char('\n'))));
    }

    void wrongValuesAreExplainedInTheEnginesWords()
    {
        SettingsForm form(everyType());
        QTest::keyClicks(editorOf<QLineEdit>(form, "timeout"), QStringLiteral("soon"));
        QTest::keyClicks(editorOf<QLineEdit>(form, "rate_limit"), QStringLiteral("fast"));
        QTest::keyClicks(editorOf<QLineEdit>(form, "base_url"), QStringLiteral("api.example.com"));
        editorOf<QPlainTextEdit>(form, "operations")->setPlainText(QStringLiteral("{ oops"));
        const auto engineSays = [&](const char *key, const QString &value) {
            return engine::connector::settingValueProblem(*form.spec(QString::fromLatin1(key)), value);
        };
        QCOMPARE(form.problem(QStringLiteral("timeout")), engineSays("timeout", QStringLiteral("soon")));
        QCOMPARE(form.problem(QStringLiteral("rate_limit")), engineSays("rate_limit", QStringLiteral("fast")));
        QCOMPARE(form.problem(QStringLiteral("base_url")), engineSays("base_url", QStringLiteral("api.example.com")));
        QVERIFY(form.problem(QStringLiteral("operations")).startsWith(QStringLiteral("is not valid JSON")));
        // Shown under the editor at once, without waiting for Save.
        QCOMPARE(form.shownProblem(QStringLiteral("timeout")),
                 QStringLiteral("TIMEOUT ") + engineSays("timeout", QStringLiteral("soon")));
        QTest::keyClick(editorOf<QLineEdit>(form, "timeout"), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(editorOf<QLineEdit>(form, "timeout"), QStringLiteral("500ms"));
        QVERIFY(form.shownProblem(QStringLiteral("timeout")).isEmpty());
    }

    void storedDefinitionRoundTripsAndKeepsSecretReferences()
    {
        SettingsForm form(everyType());
        const QVariantMap stored{{QStringLiteral("folder"), QStringLiteral("/data/exports")},
                                 {QStringLiteral("format"), QStringLiteral("csv")},
                                 {QStringLiteral("size"), 7},
                                 {QStringLiteral("headers"), QVariantMap{{QStringLiteral("A"), QStringLiteral("b")}}},
                                 {QStringLiteral("legacy_key"), QStringLiteral("kept")}};
        const QMap<QString, SecretRef> secrets{{QStringLiteral("token"), SecretRef{SecretRef::Kind::Keychain, QStringLiteral("dest/t")}}};
        form.setValues(stored, secrets);
        QCOMPARE(editorOf<QLineEdit>(form, "folder")->text(), QStringLiteral("/data/exports"));
        QCOMPARE(editorOf<QLineEdit>(form, "token")->text(), QString()); // never read back
        QCOMPARE(editorOf<QLineEdit>(form, "token")->placeholderText(), QStringLiteral("stored in the keychain; type to replace"));
        QVariantMap expected = stored;
        expected.insert(QStringLiteral("size"), qlonglong(7));
        QCOMPARE(form.settings(), expected);
        QCOMPARE(form.keptSecrets(), secrets);
        QVERIFY(form.problems().isEmpty()); // the stored token counts as given
        form.setSecret(QStringLiteral("token"), QStringLiteral("new"));
        QVERIFY(form.keptSecrets().isEmpty());
    }

    void everyBuiltinConnectorGetsAFormWithoutHandDrawing()
    {
        engine::connector::ConnectorRegistry registry;
        connectors::registerBuiltinConnectors(registry);
        for (const auto &type : registry.types()) {
            SettingsForm form(type.settings);
            for (const SettingSpec &setting : type.settings)
                QVERIFY2(form.editor(setting.key), qPrintable(type.id + QLatin1Char('.') + setting.key));
            const QVariantMap saved = form.settings(); // defaults left alone are the connector's
            for (auto it = saved.cbegin(); it != saved.cend(); ++it)
                QCOMPARE(engine::connector::settingValueProblem(*form.spec(it.key()), it.value()), QString());
        }
    }
};

QTEST_MAIN(TestSettingsForm)
#include "tst_settingsform.moc"
