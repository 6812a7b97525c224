// The Destinations page as a user meets it: add a file destination through the generated form,
// test the connection in the background and read the answer in plain words, get the engine's
// own messages when something is missing, keep a secret in the (test) keyring, and sign in with
// OAuth through the browser and a loopback redirect.

#include "connectors/builtinconnectors.h"
#include "engine/connector/destinationschemacheck.h"
#include "engine/secrets/keychainsecretresolver.h"
#include "engine/state/definitionstore.h"
#include "ui/destinations/destinationdialog.h"
#include "ui/destinations/destinationspage.h"
#include "ui/services/keychainsecretwriter.h"
#include "ui/services/workspaceservice.h"
#include "ui/widgets/settingsform.h"
#include "uitestsupport.h"

#include <QComboBox>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDialogButtonBox>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUrlQuery>

using namespace syncline;
using namespace syncline::ui;
using engine::DestinationDef;
using engine::SecretRef;

namespace {

std::shared_ptr<const engine::connector::ConnectorRegistry> builtinRegistry()
{
    auto registry = std::make_shared<engine::connector::ConnectorRegistry>();
    connectors::registerBuiltinConnectors(*registry);
    return registry;
}

QString secretServiceMissingReason()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return QStringLiteral("no D-Bus session bus (run inside scripts/test-services.sh with_keyring)");
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    if (!bus || !bus->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")).value())
        return QStringLiteral("no Secret Service on the session bus (run inside scripts/test-services.sh with_keyring)");
    return {};
}

void typeInto(SettingsForm *form, const char *key, const QString &text)
{
    auto *edit = qobject_cast<QLineEdit *>(form->editor(QString::fromLatin1(key)));
    QVERIFY2(edit, key);
    edit->clear();
    QTest::keyClicks(edit, text);
}

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (auto *button : parent->findChildren<QPushButton *>())
        if (button->text() == text)
            return button;
    qFatal("no button %s", qPrintable(text));
}

void clickSave(DestinationDialog *dialog)
{
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QTest::mouseClick(buttons->button(QDialogButtonBox::Save), Qt::LeftButton);
}

} // namespace

class TestDestinationsPage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    WorkspaceService *m_workspace = nullptr;
    std::shared_ptr<testing::MemorySecrets> m_secrets = std::make_shared<testing::MemorySecrets>();
    std::shared_ptr<const engine::connector::ConnectorRegistry> m_registry = builtinRegistry();

    std::optional<DestinationDef> stored(const QString &name)
    {
        std::optional<DestinationDef> found;
        bool done = false;
        m_workspace->call<engine::Result<std::optional<DestinationDef>>>(
            this, [name](engine::state::Workspace &w) { return engine::state::DefinitionStore(w).destination(name); },
            [&](engine::Result<std::optional<DestinationDef>> d) {
                if (d)
                    found = *d;
                done = true;
            });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            qWarning("workspace did not answer");
        return found;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = new WorkspaceService(this);
        QSignalSpy opened(m_workspace, &WorkspaceService::opened);
        m_workspace->open(m_dir.filePath(QStringLiteral("destinations.syncline")));
        QVERIFY(opened.wait(10000));
    }

    void addingAFileDestinationTestsAndSavesIt()
    {
        DestinationsPage page(m_workspace, {m_registry, m_secrets}, m_secrets);
        page.show();
        DestinationDialog *dialog = page.openDialog();
        dialog->show();
        QCOMPARE(dialog->findChild<QComboBox *>()->currentData().toString(), QStringLiteral("file"));
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("exports"));
        const QString folder = m_dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(folder));
        typeInto(dialog->form(), "folder", folder);
        qobject_cast<QComboBox *>(dialog->form()->editor(QStringLiteral("format")))->setCurrentText(QStringLiteral("csv"));

        testing::StallWatchdog watchdog;
        QSignalSpy tested(dialog, &DestinationDialog::testFinished);
        QTest::mouseClick(buttonNamed(dialog, QStringLiteral("Test connection")), Qt::LeftButton);
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.front().front().toBool(), true);
        QVERIFY2(dialog->testSummary().contains(QStringLiteral("Ready.")), qPrintable(dialog->testSummary()));
        QVERIFY(watchdog.longestStallMs() < 100);

        QSignalSpy saved(&page, &DestinationsPage::saved);
        clickSave(dialog);
        QVERIFY(saved.wait(10000));
        const auto destination = stored(QStringLiteral("exports"));
        QVERIFY(destination);
        QCOMPARE(destination->type, QStringLiteral("file"));
        QCOMPARE(destination->settings,
                 QVariantMap({{QStringLiteral("folder"), folder}, {QStringLiteral("format"), QStringLiteral("csv")}}));
        QTRY_COMPARE(page.list()->topLevelItemCount(), 1);
        QCOMPARE(page.list()->topLevelItem(0)->text(0), QStringLiteral("exports"));
        QCOMPARE(page.list()->topLevelItem(0)->text(2), folder);
    }

    void aMissingFolderIsExplainedInPlainWordsWithDetails()
    {
        DestinationDialog dialog({m_registry, m_secrets});
        dialog.setName(QStringLiteral("nowhere"));
        typeInto(dialog.form(), "folder", m_dir.filePath(QStringLiteral("no/such/folder")));
        QSignalSpy tested(&dialog, &DestinationDialog::testFinished);
        dialog.testConnection();
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.front().front().toBool(), false);
        QVERIFY2(dialog.testSummary().contains(QStringLiteral("The folder does not exist.")), qPrintable(dialog.testSummary()));
        QVERIFY(dialog.testDetails().contains(QStringLiteral("code: file.folder_missing")));
    }

    void saveShowsTheImportCheckMessagesAndKeepsTheDialogOpen()
    {
        DestinationDialog dialog({m_registry, m_secrets});
        dialog.show();
        dialog.setName(QStringLiteral("half-done"));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        clickSave(&dialog);
        QCOMPARE(accepted.count(), 0);
        // What `syncline-cli import` says about the same definition, word for word.
        engine::Definitions definitions;
        definitions.destinations.push_back(dialog.destination());
        const auto problems = engine::connector::checkDestinationSchemas(definitions, {}, *m_registry);
        QCOMPARE(problems.size(), size_t(1));
        QCOMPARE(dialog.validationMessage(), problems.front().message);
        QVERIFY(problems.front().message.contains(QStringLiteral("missing required setting 'folder'")));
        QVERIFY(!dialog.form()->shownProblem(QStringLiteral("folder")).isEmpty()); // and inline, under the field
    }

    void aSecretGoesToTheKeyringAndOnlyItsReferenceToTheWorkspace()
    {
        if (const QString reason = secretServiceMissingReason(); !reason.isEmpty())
            QSKIP(qPrintable(reason));
        auto keychain = std::make_shared<engine::secrets::KeychainSecretResolver>();
        DestinationsPage page(m_workspace, {m_registry, keychain}, std::make_shared<KeychainSecretWriter>());
        DestinationDialog *dialog = page.openDialog();
        dialog->show();
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("webhook"));
        dialog->setType(QStringLiteral("http"));
        typeInto(dialog->form(), "base_url", QStringLiteral("http://127.0.0.1:9/hooks"));
        const QString token = QStringLiteral("tok-%1").arg(QDateTime::currentMSecsSinceEpoch());
        typeInto(dialog->form(), "token", token);

        QSignalSpy tested(dialog, &DestinationDialog::testFinished);
        dialog->testConnection();
        QVERIFY(tested.wait(10000));
        QVERIFY2(tested.front().front().toBool(), qPrintable(dialog->testDetails()));

        QSignalSpy saved(&page, &DestinationsPage::saved);
        clickSave(dialog);
        QVERIFY2(saved.wait(20000), qPrintable(page.message()));
        const auto destination = stored(QStringLiteral("webhook"));
        QVERIFY(destination);
        const SecretRef ref = destination->secrets.value(QStringLiteral("token"));
        QCOMPARE(ref.kind, SecretRef::Kind::Keychain);
        QCOMPARE(ref.name, DestinationsPage::keychainName(m_workspace->path(), QStringLiteral("webhook"), QStringLiteral("token")));
        const auto read = keychain->resolve(ref);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(*read, token);
        QFile file(m_workspace->path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(token.toUtf8()));
        // The entry stays: with_keyring's keyring lives in a throwaway home.
    }

    void oauthSignInKeepsTheRefreshToken()
    {
        // The provider's token endpoint, on loopback; the "browser" approves at once.
        QHttpServer provider;
        QList<QUrlQuery> tokenRequests;
        provider.route(QStringLiteral("/oauth/token"), QHttpServerRequest::Method::Post, [&](const QHttpServerRequest &request) {
            tokenRequests << QUrlQuery(QString::fromUtf8(request.body()));
            return QHttpServerResponse(QJsonObject{{QStringLiteral("access_token"), QStringLiteral("at-1")},
                                                   {QStringLiteral("refresh_token"), QStringLiteral("rt-from-provider")},
                                                   {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                                   {QStringLiteral("expires_in"), 3600}});
        });
        const quint16 port = provider.listen(QHostAddress::LocalHost);
        QVERIFY(port != 0);
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);

        DestinationsPage page(m_workspace, {m_registry, m_secrets}, m_secrets);
        DestinationDialog *dialog = page.openDialog();
        dialog->show();
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("api"));
        dialog->setType(QStringLiteral("http"));
        QVERIFY(dialog->offersSignIn());
        typeInto(dialog->form(), "base_url", base + QStringLiteral("/people"));
        typeInto(dialog->form(), "token_url", base + QStringLiteral("/oauth/token"));
        typeInto(dialog->form(), "client_id", QStringLiteral("syncline-app"));
        typeInto(dialog->form(), "client_secret", QStringLiteral("client-secret"));

        QNetworkAccessManager browser;
        QUrl opened;
        QSignalSpy signedIn(dialog, &DestinationDialog::signInFinished);
        dialog->signIn([&](const QUrl &url) {
            opened = url;
            const QUrlQuery query(url);
            QUrl redirect(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
            redirect.setQuery(QStringLiteral("code=the-code&state=") + query.queryItemValue(QStringLiteral("state")));
            browser.get(QNetworkRequest(redirect));
        });
        QVERIFY(signedIn.wait(20000));
        QVERIFY2(signedIn.front().front().toBool(), qPrintable(dialog->signInMessage()));
        // The sign-in page was guessed from the token URL, and the redirect came back to loopback.
        QCOMPARE(opened.adjusted(QUrl::RemoveQuery).toString(), base + QStringLiteral("/oauth/authorize"));
        QCOMPARE(QUrl(QUrlQuery(opened).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded)).host(),
                 QStringLiteral("127.0.0.1"));
        QCOMPARE(tokenRequests.size(), 1);
        QCOMPARE(tokenRequests.front().queryItemValue(QStringLiteral("code")), QStringLiteral("the-code"));

        QSignalSpy saved(&page, &DestinationsPage::saved);
        clickSave(dialog);
        QVERIFY2(saved.wait(10000), qPrintable(dialog->validationMessage() + page.message()));
        const auto destination = stored(QStringLiteral("api"));
        QVERIFY(destination);
        const SecretRef ref = destination->secrets.value(QStringLiteral("refresh_token"));
        QCOMPARE(ref.kind, SecretRef::Kind::Keychain);
        QCOMPARE(m_secrets->values().value(ref.name), QStringLiteral("rt-from-provider"));
        QCOMPARE(destination->settings.value(QStringLiteral("token_url")).toString(), base + QStringLiteral("/oauth/token"));
    }
};

QTEST_MAIN(TestDestinationsPage)
#include "tst_destinationspage.moc"
