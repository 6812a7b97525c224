#include "ui/destinations/destinationdialog.h"

#include "engine/connector/destinationschemacheck.h"
#include "engine/definitions/validation.h"
#include "ui/services/backgroundpool.h"
#include "ui/widgets/settingsform.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace syncline::ui {

using engine::DestinationDef;
using engine::Result;
using engine::SecretRef;
using engine::connector::ConnectorType;
using engine::connector::SettingSpec;

namespace {

// A reference standing for a secret typed but not stored yet, so the engine's checks see it as given.
const QString kPendingSecret = QStringLiteral("pending");

QString guessAuthorizeUrl(const QString &tokenUrl)
{
    QString guess = tokenUrl;
    if (guess.endsWith(QLatin1String("/token")))
        guess.replace(guess.size() - 5, 5, QStringLiteral("authorize"));
    return guess == tokenUrl ? QString() : guess;
}

} // namespace

DestinationDialog::DestinationDialog(ConnectorAccess access, QWidget *parent)
    : QDialog(parent)
    , m_access(std::move(access))
    , m_name(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_scroll(new QScrollArea(this))
    , m_signInBox(new QWidget(this))
    , m_authorizeUrl(new QLineEdit(m_signInBox))
    , m_signIn(new QPushButton(tr("Sign in with the browser…"), m_signInBox))
    , m_signInResult(new QLabel(m_signInBox))
    , m_test(new QPushButton(tr("Test connection"), this))
    , m_testIcon(new QLabel(this))
    , m_testResult(new QLabel(this))
    , m_detailsToggle(new QToolButton(this))
    , m_details(new QPlainTextEdit(this))
    , m_validation(new QLabel(this))
{
    setWindowTitle(tr("Destination"));
    m_name->setPlaceholderText(tr("e.g. crm or exports"));
    if (m_access.registry)
        for (const ConnectorType &type : m_access.registry->types())
            m_type->addItem(type.label.isEmpty() ? type.id : type.label, type.id);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *signInLayout = new QFormLayout(m_signInBox);
    signInLayout->setContentsMargins(0, 0, 0, 0);
    m_authorizeUrl->setPlaceholderText(tr("https://provider.example.com/oauth/authorize"));
    m_signInResult->setWordWrap(true);
    signInLayout->addRow(tr("Sign-in page:"), m_authorizeUrl);
    signInLayout->addRow(QString(), m_signIn);
    signInLayout->addRow(QString(), m_signInResult);

    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testIcon->setAlignment(Qt::AlignTop);
    m_detailsToggle->setText(tr("Details"));
    m_detailsToggle->setCheckable(true);
    m_detailsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsToggle->setArrowType(Qt::RightArrow);
    m_detailsToggle->hide();
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setFixedHeight(m_details->fontMetrics().lineSpacing() * 6);
    m_details->hide();
    m_validation->setWordWrap(true);
    m_validation->setStyleSheet(QStringLiteral("color: #b00020"));
    m_validation->hide();

    auto *top = new QFormLayout;
    top->addRow(tr("Name:"), m_name);
    top->addRow(tr("Type:"), m_type);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_detailsToggle);
    testRow->addStretch();
    auto *resultRow = new QHBoxLayout;
    resultRow->addWidget(m_testIcon);
    resultRow->addWidget(m_testResult, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_signInBox);
    layout->addLayout(testRow);
    layout->addLayout(resultRow);
    layout->addWidget(m_details);
    layout->addWidget(m_validation);
    layout->addWidget(buttons);

    connect(m_type, &QComboBox::currentIndexChanged, this, &DestinationDialog::rebuildForm);
    connect(m_test, &QPushButton::clicked, this, &DestinationDialog::testConnection);
    connect(m_signIn, &QPushButton::clicked, this, [this] { signIn(); });
    connect(m_detailsToggle, &QToolButton::toggled, this, [this](bool on) {
        m_details->setVisible(on);
        m_detailsToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &DestinationDialog::validateAndAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const int file = m_type->findData(QStringLiteral("file"));
    m_type->setCurrentIndex(file >= 0 ? file : 0);
    rebuildForm();
    resize(620, 720);
}

const ConnectorType *DestinationDialog::currentType() const
{
    return m_access.registry ? m_access.registry->find(m_type->currentData().toString()) : nullptr;
}

void DestinationDialog::rebuildForm()
{
    const ConnectorType *type = currentType();
    auto *form = new SettingsForm(type ? type->settings : std::vector<SettingSpec>{});
    m_scroll->setWidget(form); // deletes the previous form
    m_form = form;
    connect(m_form, &SettingsForm::changed, m_validation, &QWidget::hide);
    QStringList secretKeys;
    QStringList settingKeys;
    for (const SettingSpec &spec : m_form->specs())
        (spec.type == SettingSpec::Type::Secret ? secretKeys : settingKeys) << spec.key;
    m_signInBox->setVisible(OAuthSignIn::isOAuthSchema(secretKeys, settingKeys));
    m_authorizeUrl->setText(type ? type->oauth.authorizeUrl : QString());
    m_signInResult->clear();
    m_testResult->clear();
    m_testIcon->clear();
    m_detailsToggle->hide();
    m_details->hide();
}

void DestinationDialog::setDestination(const DestinationDef &destination)
{
    m_original = destination;
    setWindowTitle(tr("Destination %1").arg(destination.name));
    m_name->setText(destination.name);
    m_name->setReadOnly(true); // syncs refer to it by name
    setType(destination.type);
    m_form->setValues(destination.settings, destination.secrets);
}

void DestinationDialog::setName(const QString &name)
{
    m_name->setText(name);
}

void DestinationDialog::setType(const QString &typeId)
{
    const int index = m_type->findData(typeId);
    if (index >= 0 && index != m_type->currentIndex())
        m_type->setCurrentIndex(index); // rebuilds the form
}

DestinationDef DestinationDialog::destination() const
{
    DestinationDef def;
    def.name = m_name->text().trimmed();
    def.type = m_type->currentData().toString();
    def.settings = m_form->settings();
    def.secrets = m_form->keptSecrets();
    return def;
}

QMap<QString, QString> DestinationDialog::typedSecrets() const
{
    return m_form->typedSecrets();
}

QStringList DestinationDialog::problems() const
{
    QStringList out;
    DestinationDef def = destination();
    for (const QString &key : typedSecrets().keys())
        def.secrets.insert(key, SecretRef{SecretRef::Kind::Keychain, kPendingSecret});
    if (auto valid = engine::validateDestination(def); !valid)
        out << valid.error().message;
    else if (m_access.registry) {
        engine::Definitions definitions;
        definitions.destinations.push_back(def);
        for (const auto &problem : engine::connector::checkDestinationSchemas(definitions, {}, *m_access.registry))
            out << problem.message;
    }
    // The engine's words first (as the YAML import says them); what only the form can see after.
    if (out.isEmpty())
        out = m_form->problems();
    return out;
}

QString DestinationDialog::validationMessage() const
{
    return m_validation->isVisibleTo(this) ? m_validation->text() : QString();
}

void DestinationDialog::validateAndAccept()
{
    m_form->revealProblems();
    const QStringList found = problems();
    if (!found.isEmpty()) {
        m_validation->setText(found.join(QLatin1Char('\n')));
        m_validation->show();
        return;
    }
    m_validation->hide();
    accept();
}

void DestinationDialog::testConnection()
{
    m_testing = true;
    m_test->setEnabled(false);
    m_testIcon->clear();
    m_testResult->setText(tr("Connecting…"));
    m_detailsToggle->hide();
    m_details->hide();
    const quint64 generation = ++m_testGeneration;
    DestinationDef def = destination();
    if (def.name.isEmpty())
        def.name = QStringLiteral("unnamed");
    testDestination(m_access, def, typedSecrets(), this, [this, generation](ConnectionReport report) {
        if (generation != m_testGeneration)
            return; // the form changed type meanwhile
        m_testing = false;
        m_test->setEnabled(true);
        showTestResult(report.ok, report);
    });
}

void DestinationDialog::showTestResult(bool ok, const ConnectionReport &report)
{
    const auto icon = ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning;
    m_testIcon->setPixmap(style()->standardIcon(icon).pixmap(20, 20));
    QString html = QStringLiteral("<b>") + report.summary.toHtmlEscaped() + QStringLiteral("</b>");
    if (!report.hint.isEmpty())
        html += QStringLiteral("<br>") + report.hint.toHtmlEscaped();
    m_testResult->setText(html);
    m_details->setPlainText(report.details);
    m_detailsToggle->setVisible(!report.details.isEmpty());
    m_details->setVisible(!report.details.isEmpty() && m_detailsToggle->isChecked());
    emit testFinished(ok);
}

QString DestinationDialog::testSummary() const
{
    return m_testResult->text();
}

QString DestinationDialog::testDetails() const
{
    return m_details->toPlainText();
}

bool DestinationDialog::offersSignIn() const
{
    return m_signInBox->isVisibleTo(this);
}

QString DestinationDialog::signInMessage() const
{
    return m_signInResult->text();
}

void DestinationDialog::signIn(OAuthSignIn::BrowserOpener openBrowser)
{
    const QMap<QString, QString> typed = typedSecrets();
    const QMap<QString, SecretRef> stored = m_form->keptSecrets();
    const SecretRef idRef = stored.value(QStringLiteral("client_id"));
    const SecretRef secretRef = stored.value(QStringLiteral("client_secret"));
    m_signIn->setEnabled(false);
    m_signInResult->setText(tr("Waiting for the browser…"));
    if (typed.contains(QStringLiteral("client_id")) || idRef.kind == SecretRef::Kind::None || !m_access.secrets)
        return startSignIn(typed.value(QStringLiteral("client_id")), typed.value(QStringLiteral("client_secret")), openBrowser);
    // Stored client credentials: read them from the keychain off the GUI thread first.
    using Pair = std::pair<QString, QString>;
    auto *watcher = new QFutureWatcher<Pair>(this);
    connect(watcher, &QFutureWatcher<Pair>::finished, this, [this, watcher, typed, openBrowser] {
        watcher->deleteLater();
        const Pair ids = watcher->result();
        startSignIn(ids.first, typed.value(QStringLiteral("client_secret"), ids.second), openBrowser);
    });
    auto secrets = m_access.secrets;
    watcher->setFuture(QtConcurrent::run(&backgroundPool(), [secrets, idRef, secretRef]() -> Pair {
        const Result<QString> id = secrets->resolve(idRef);
        const Result<QString> secret = secretRef.kind == SecretRef::Kind::None ? Result<QString>() : secrets->resolve(secretRef);
        return {id.value_or(QString()), secret.value_or(QString())};
    }));
}

void DestinationDialog::startSignIn(const QString &clientId, const QString &clientSecret, OAuthSignIn::BrowserOpener openBrowser)
{
    const ConnectorType *type = currentType();
    const QString tokenUrl = m_form->effectiveValue(QStringLiteral("token_url")).toString();
    if (m_authorizeUrl->text().trimmed().isEmpty())
        m_authorizeUrl->setText(guessAuthorizeUrl(tokenUrl));
    OAuthSignIn::Request request{QUrl(m_authorizeUrl->text().trimmed()), QUrl(tokenUrl), clientId, clientSecret,
                                 type ? type->oauth.scope : QString()};
    if (m_signInFlow)
        m_signInFlow->deleteLater();
    m_signInFlow = new OAuthSignIn(request, std::move(openBrowser), this);
    connect(m_signInFlow, &OAuthSignIn::finished, this, [this](bool ok, const QString &refreshToken, const QString &message) {
        m_signIn->setEnabled(true);
        m_signInResult->setText(message);
        if (ok)
            m_form->setSecret(QStringLiteral("refresh_token"), refreshToken);
        emit signInFinished(ok);
    });
    m_signInFlow->start();
}

} // namespace syncline::ui
