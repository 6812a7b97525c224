// The connection dialog driven like a user: pick a warehouse, type into its form, test the
// connection, and read an explanation a person understands when it fails.

#include "engine/state/definitionstore.h"
#include "ui/sources/connectiondialog.h"
#include "ui/sources/driverkinds.h"
#include "ui/sources/sourcespage.h"
#include "ui/services/workspaceservice.h"
#include "uitestsupport.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace syncline;
using namespace syncline::ui;

class TestConnectionDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void postgresFormBuildsConnectionString();
    void sqliteFormBuildsConnectionStringAndConnects();
    void missingDriverIsExplained();
    void kindWithoutInstalledDriverSaysHowToInstallIt();
    void wrongPasswordIsExplained();
    void editingParsesTheConnectionBackIntoTheForm();
    void savingKeepsThePasswordInTheKeychainOnly();
    void passwordInARawConnectionStringIsRefused();

private:
    std::unique_ptr<ConnectionDialog> openDialog();
    void type(ConnectionDialog *dialog, const QString &keyword, const QString &text);

    QTemporaryDir m_dir;
    std::shared_ptr<testing::MemorySecrets> m_secrets = std::make_shared<testing::MemorySecrets>();
};

void TestConnectionDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

std::unique_ptr<ConnectionDialog> TestConnectionDialog::openDialog()
{
    auto dialog = std::make_unique<ConnectionDialog>(m_secrets);
    dialog->show();
    if (!dialog->driversLoaded()) {
        QSignalSpy ready(dialog.get(), &ConnectionDialog::driverListReady);
        ready.wait(5000);
    }
    return dialog;
}

void TestConnectionDialog::type(ConnectionDialog *dialog, const QString &keyword, const QString &text)
{
    auto *edit = dialog->findChild<QLineEdit *>(keyword);
    QVERIFY2(edit, qPrintable(keyword));
    edit->clear();
    QTest::keyClicks(edit, text);
}

void TestConnectionDialog::postgresFormBuildsConnectionString()
{
    auto dialog = openDialog();
    QVERIFY(dialog->driversLoaded());
    dialog->setKind(QStringLiteral("postgresql"));
    type(dialog.get(), QStringLiteral("Server"), QStringLiteral("db.example.com"));
    type(dialog.get(), QStringLiteral("Port"), QStringLiteral("5433"));
    type(dialog.get(), QStringLiteral("Database"), QStringLiteral("analytics"));
    type(dialog.get(), QStringLiteral("Uid"), QStringLiteral("analyst"));
    dialog->setPassword(QStringLiteral("s3cret"));
    // The installed psqlODBC Unicode driver is picked; the password never enters the string.
    QCOMPARE(dialog->connectionString(),
             QStringLiteral("Driver={PostgreSQL Unicode};Server=db.example.com;Port=5433;Database=analytics;Uid=analyst;SSLmode=prefer;"));
    QCOMPARE(dialog->password(), std::optional<QString>(QStringLiteral("s3cret")));
}

void TestConnectionDialog::sqliteFormBuildsConnectionStringAndConnects()
{
    const QString path = m_dir.filePath(QStringLiteral("form.db"));
    QVERIFY(testing::createPeopleWarehouse(path, 10));
    auto dialog = openDialog();
    dialog->setKind(QStringLiteral("sqlite"));
    type(dialog.get(), QStringLiteral("Database"), path);
    QCOMPARE(dialog->connectionString(), QStringLiteral("Driver={SQLite3};Database=") + path + QLatin1Char(';'));
    QSignalSpy finished(dialog.get(), &ConnectionDialog::testFinished);
    dialog->testConnection();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.front().front().toBool(), true);
    QVERIFY2(dialog->testSummary().contains(QStringLiteral("Connected")), qPrintable(dialog->testSummary()));
}

void TestConnectionDialog::missingDriverIsExplained()
{
    auto dialog = openDialog();
    dialog->setKind(QString::fromLatin1(ConnectionDialog::kRawKind));
    dialog->setRawConnection(QStringLiteral("Driver={Acme Warehouse ODBC};Server=acme.example.com;"));
    QSignalSpy finished(dialog.get(), &ConnectionDialog::testFinished);
    dialog->testConnection();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.front().front().toBool(), false);
    QVERIFY2(dialog->testSummary().contains(QStringLiteral("not installed")), qPrintable(dialog->testSummary()));
    QVERIFY2(dialog->testDetails().contains(QStringLiteral("odbc.driver_missing")), qPrintable(dialog->testDetails()));
}

void TestConnectionDialog::kindWithoutInstalledDriverSaysHowToInstallIt()
{
    auto dialog = openDialog();
    dialog->setKind(QStringLiteral("snowflake"));
    const auto labels = dialog->findChildren<QLabel *>();
    const bool warned = std::any_of(labels.begin(), labels.end(), [](QLabel *label) {
        return label->isVisible() && label->text().contains(QStringLiteral("No Snowflake driver is installed"));
    });
    QVERIFY(warned);
    QVERIFY(dialog->connectionString().startsWith(QStringLiteral("Driver={SnowflakeDSIIDriver};")));
}

void TestConnectionDialog::wrongPasswordIsExplained()
{
    const QString pg = qEnvironmentVariable("SYNCLINE_TEST_PG_ODBC");
    if (pg.isEmpty())
        QSKIP("SYNCLINE_TEST_PG_ODBC is not set (start the server with scripts/test-services.sh)");
    auto dialog = openDialog();
    dialog->setKind(QStringLiteral("postgresql"));
    for (const auto &[key, value] : parseConnectionString(pg)) {
        for (const char *keyword : {"Server", "Port", "Database", "Uid"})
            if (key.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0)
                type(dialog.get(), QLatin1String(keyword), value);
    }
    dialog->setPassword(QStringLiteral("definitely-not-the-password"));
    QSignalSpy finished(dialog.get(), &ConnectionDialog::testFinished);
    dialog->testConnection();
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.front().front().toBool(), false);
    QVERIFY2(dialog->testSummary().contains(QStringLiteral("rejected the user name or password")), qPrintable(dialog->testSummary()));
    // The driver's exact words are kept for the details area (psqlODBC reports SQLSTATE 08001 here).
    QVERIFY2(dialog->testDetails().contains(QStringLiteral("password authentication failed")), qPrintable(dialog->testDetails()));
    QVERIFY(!dialog->testDetails().contains(QStringLiteral("definitely-not-the-password")));
}

void TestConnectionDialog::editingParsesTheConnectionBackIntoTheForm()
{
    auto dialog = openDialog();
    engine::SourceDef source{QStringLiteral("crm"),
                             QStringLiteral("Driver={PostgreSQL Unicode};Server=pg.internal;Port=6432;Database=crm;Uid=reader;"),
                             {engine::SecretRef::Kind::Keychain, QStringLiteral("source/crm/x")}};
    dialog->setSource(source);
    QCOMPARE(dialog->kind(), QStringLiteral("postgresql"));
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("Server"))->text(), QStringLiteral("pg.internal"));
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("Port"))->text(), QStringLiteral("6432"));
    // An untouched password field keeps the stored keychain reference.
    QCOMPARE(dialog->password(), std::nullopt);
    QCOMPARE(dialog->source().password, source.password);
}

void TestConnectionDialog::savingKeepsThePasswordInTheKeychainOnly()
{
    const QString path = m_dir.filePath(QStringLiteral("save.syncline"));
    WorkspaceService workspace;
    SourcesPage page(&workspace, m_secrets, m_secrets);
    QSignalSpy opened(&workspace, &WorkspaceService::opened);
    workspace.open(path);
    QVERIFY(opened.wait(5000));
    ConnectionDialog *dialog = page.openDialog();
    dialog->show();
    dialog->findChild<QLineEdit *>()->setText(QStringLiteral("warehouse")); // the Name field comes first
    dialog->setKind(QStringLiteral("postgresql"));
    type(dialog, QStringLiteral("Server"), QStringLiteral("db.example.com"));
    type(dialog, QStringLiteral("Database"), QStringLiteral("analytics"));
    type(dialog, QStringLiteral("Uid"), QStringLiteral("analyst"));
    dialog->setPassword(QStringLiteral("s3cret"));
    QSignalSpy saved(&page, &SourcesPage::saved);
    dialog->accept();
    QVERIFY(saved.wait(5000));
    QTRY_COMPARE(page.list()->topLevelItemCount(), 1);

    const QString key = SourcesPage::keychainName(path, QStringLiteral("warehouse"));
    QCOMPARE(m_secrets->values().value(key), QStringLiteral("s3cret"));
    auto reopened = engine::state::Workspace::open(path);
    QVERIFY(reopened);
    auto stored = engine::state::DefinitionStore(**reopened).source(QStringLiteral("warehouse"));
    QVERIFY(stored && *stored);
    QCOMPARE((*stored)->password, (engine::SecretRef{engine::SecretRef::Kind::Keychain, key}));
    QVERIFY(!(*stored)->connection.contains(QStringLiteral("s3cret")));
    for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
        QFile file(path + suffix);
        if (file.open(QIODevice::ReadOnly))
            QVERIFY(!file.readAll().contains("s3cret"));
    }
}

void TestConnectionDialog::passwordInARawConnectionStringIsRefused()
{
    auto dialog = openDialog();
    dialog->findChild<QLineEdit *>()->setText(QStringLiteral("raw"));
    dialog->setKind(QString::fromLatin1(ConnectionDialog::kRawKind));
    dialog->setRawConnection(QStringLiteral("Driver={PostgreSQL Unicode};Server=x;Pwd=hunter2;"));
    QSignalSpy accepted(dialog.get(), &QDialog::accepted);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QCOMPARE(accepted.count(), 0);
    QVERIFY2(dialog->testSummary().contains(QStringLiteral("Take the password out")), qPrintable(dialog->testSummary()));
}

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
