#include "ui/sources/connectiondialog.h"

#include "engine/warehouse/odbcdrivers.h"
#include "ui/services/backgroundpool.h"
#include "ui/sources/driverkinds.h"
#include "ui/widgets/errortext.h"
#include "ui/sources/sourceconnection.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace syncline::ui {

using engine::Error;
using engine::Result;
using engine::SourceDef;

namespace {

struct DriverList
{
    QStringList drivers;
    QStringList dsns;
};

struct TestOutcome
{
    bool ok = false;
    QString dbms;
    QString driver;
    Error error;
};

} // namespace

ConnectionDialog::ConnectionDialog(std::shared_ptr<engine::SecretResolver> secrets, QWidget *parent)
    : QDialog(parent)
    , m_secrets(std::move(secrets))
    , m_name(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_driver(new QComboBox(this))
    , m_driverLabel(new QLabel(tr("ODBC driver"), this))
    , m_driverWarning(new QLabel(this))
    , m_form(new QFormLayout)
    , m_dsn(new QComboBox(this))
    , m_dsnLabel(new QLabel(tr("Data source"), this))
    , m_raw(new QPlainTextEdit(this))
    , m_rawLabel(new QLabel(tr("Connection string"), this))
    , m_passwordLabel(new QLabel(tr("Password"), this))
    , m_password(new QLineEdit(this))
    , m_preview(new QLineEdit(this))
    , m_test(new QPushButton(tr("Test connection"), this))
    , m_testIcon(new QLabel(this))
    , m_testResult(new QLabel(this))
    , m_detailsToggle(new QToolButton(this))
    , m_details(new QPlainTextEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Warehouse connection"));
    m_name->setPlaceholderText(tr("e.g. warehouse"));
    for (const DriverKind &kind : driverKinds())
        m_kind->addItem(kind.title, kind.id);
    m_kind->addItem(tr("Data source (DSN)"), QString::fromLatin1(kDsnKind));
    m_kind->addItem(tr("Other driver (connection string)"), QString::fromLatin1(kRawKind));
    m_driver->setEditable(true);
    m_driverWarning->setWordWrap(true);
    m_driverWarning->hide();
    m_raw->setPlaceholderText(QStringLiteral("Driver={My Driver};Server=...;Database=...;Uid=..."));
    m_raw->setFixedHeight(m_raw->fontMetrics().lineSpacing() * 4);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setToolTip(tr("Kept in the system keychain, never in the workspace file."));
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setReadOnly(true);
    m_preview->setFrame(false);
    m_preview->setToolTip(tr("The connection string Syncline stores (the password is kept apart)"));
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

    // One form, so every label and field lines up; the driver's fields are inserted after the raw row.
    m_form->addRow(tr("Name"), m_name);
    m_form->addRow(tr("Warehouse"), m_kind);
    m_form->addRow(m_driverLabel, m_driver);
    m_form->addRow(QString(), m_driverWarning);
    m_form->addRow(m_dsnLabel, m_dsn);
    m_form->addRow(m_rawLabel, m_raw);
    m_form->addRow(m_passwordLabel, m_password);
    m_form->addRow(tr("Connection"), m_preview);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_detailsToggle);
    testRow->addStretch();
    auto *resultRow = new QHBoxLayout;
    resultRow->addWidget(m_testIcon);
    resultRow->addWidget(m_testResult, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addLayout(testRow);
    layout->addLayout(resultRow);
    layout->addWidget(m_details);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(600);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &ConnectionDialog::rebuildForm);
    connect(m_driver, &QComboBox::currentTextChanged, this, &ConnectionDialog::updatePreview);
    connect(m_dsn, &QComboBox::currentTextChanged, this, &ConnectionDialog::updatePreview);
    connect(m_raw, &QPlainTextEdit::textChanged, this, &ConnectionDialog::updatePreview);
    connect(m_test, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(m_detailsToggle, &QToolButton::toggled, this, [this](bool on) {
        m_details->setVisible(on);
        m_detailsToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::validateAndAccept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    rebuildForm();
    loadDrivers();
}

void ConnectionDialog::loadDrivers()
{
    auto *watcher = new QFutureWatcher<DriverList>(this);
    connect(watcher, &QFutureWatcher<DriverList>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const DriverList list = watcher->result();
        m_drivers = list.drivers;
        m_dsns = list.dsns;
        m_driversLoaded = true;
        const QString dsn = m_dsn->currentText();
        {
            QSignalBlocker block(m_dsn);
            m_dsn->clear();
            m_dsn->addItems(m_dsns);
            if (!dsn.isEmpty())
                m_dsn->setCurrentText(dsn);
        }
        const QString driver = m_driver->currentText();
        rebuildForm();
        if (!driver.isEmpty() && !m_drivers.contains(driver))
            setDriver(driver);
        emit driverListReady();
    });
    watcher->setFuture(QtConcurrent::run(&backgroundPool(), [] {
        DriverList list;
        if (auto drivers = engine::warehouse::installedDrivers())
            for (const auto &driver : *drivers)
                list.drivers << driver.name;
        if (auto sources = engine::warehouse::dataSources())
            for (const auto &source : *sources)
                list.dsns << source.name;
        return list;
    }));
}

const DriverKind *ConnectionDialog::currentKind() const
{
    return driverKind(kind());
}

QString ConnectionDialog::kind() const
{
    return m_kind->currentData().toString();
}

void ConnectionDialog::setKind(const QString &kindId)
{
    const int index = m_kind->findData(kindId);
    if (index >= 0)
        m_kind->setCurrentIndex(index);
}

void ConnectionDialog::rebuildForm()
{
    const DriverKind *driverKind = currentKind();
    const bool isDsn = kind() == QLatin1String(kDsnKind);
    const bool isRaw = kind() == QLatin1String(kRawKind);
    QMap<QString, QString> keep = m_pendingFields;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it)
        if (!it.value()->text().isEmpty() && !keep.contains(it.key()))
            keep.insert(it.key(), it.value()->text());
    m_pendingFields.clear();
    for (QWidget *row : std::as_const(m_fieldRows))
        m_form->removeRow(row);
    m_fieldRows.clear();
    m_fields.clear();

    m_form->setRowVisible(m_driver, driverKind);
    m_form->setRowVisible(m_dsn, isDsn);
    m_form->setRowVisible(m_raw, isRaw);
    m_form->setRowVisible(m_driverWarning, false);
    const bool password = !driverKind || driverKind->usesPassword;
    m_form->setRowVisible(m_password, password);
    m_passwordLabel->setText(driverKind && !driverKind->passwordLabel.isEmpty() ? driverKind->passwordLabel : tr("Password"));

    if (driverKind) {
        QSignalBlocker block(m_driver);
        const QString previous = m_driver->currentText();
        m_driver->clear();
        m_driver->addItems(m_drivers);
        const QString match = matchingDriver(*driverKind, m_drivers);
        if (!match.isEmpty()) {
            m_driver->setCurrentText(match);
        } else {
            m_driver->setCurrentText(driverKind->suggestedDriver);
            if (m_driversLoaded) {
                m_driverWarning->setText(tr("No %1 driver is installed on this computer. %2")
                                             .arg(driverKind->title, driverKind->installHint));
                m_form->setRowVisible(m_driverWarning, true);
            }
        }
        Q_UNUSED(previous);
        int rowIndex = kFirstFieldRow;
        for (const DriverField &field : driverKind->fields) {
            auto *edit = new QLineEdit(this);
            edit->setPlaceholderText(field.placeholder);
            edit->setText(keep.value(field.keyword, field.defaultValue));
            edit->setObjectName(field.keyword);
            connect(edit, &QLineEdit::textChanged, this, &ConnectionDialog::updatePreview);
            const QString label = field.required ? field.label : tr("%1 (optional)").arg(field.label);
            if (field.type == DriverField::Type::File) {
                auto *row = new QWidget(this);
                auto *rowLayout = new QHBoxLayout(row);
                rowLayout->setContentsMargins(0, 0, 0, 0);
                auto *browse = new QPushButton(tr("Browse…"), row);
                rowLayout->addWidget(edit, 1);
                rowLayout->addWidget(browse);
                connect(browse, &QPushButton::clicked, this, [this, edit] {
                    const QString file = QFileDialog::getOpenFileName(this, tr("Choose a file"), edit->text());
                    if (!file.isEmpty())
                        edit->setText(file);
                });
                m_form->insertRow(rowIndex++, label, row);
                m_fieldRows << row;
            } else {
                m_form->insertRow(rowIndex++, label, edit);
                m_fieldRows << edit;
            }
            m_fields.insert(field.keyword, edit);
        }
    }
    updatePreview();
}

void ConnectionDialog::setField(const QString &keyword, const QString &value)
{
    if (QLineEdit *edit = m_fields.value(keyword))
        edit->setText(value);
    else
        m_pendingFields.insert(keyword, value);
}

void ConnectionDialog::setName(const QString &name)
{
    m_name->setText(name);
}

void ConnectionDialog::setDriver(const QString &driverName)
{
    m_driver->setCurrentText(driverName);
    m_form->setRowVisible(m_driverWarning, false);
}

void ConnectionDialog::setRawConnection(const QString &connection)
{
    m_raw->setPlainText(connection);
}

void ConnectionDialog::setPassword(const QString &password)
{
    m_password->setText(password);
}

void ConnectionDialog::setSource(const SourceDef &source)
{
    m_original = source;
    m_name->setText(source.name);
    if (source.password.kind != engine::SecretRef::Kind::None)
        m_password->setPlaceholderText(tr("unchanged (kept in the keychain)"));
    if (!source.connection.contains(QLatin1Char('='))) {
        setKind(QString::fromLatin1(kDsnKind));
        m_dsn->setCurrentText(source.connection);
        return;
    }
    const auto pairs = parseConnectionString(source.connection);
    QString driver;
    for (const auto &[key, value] : pairs)
        if (key.compare(QStringLiteral("driver"), Qt::CaseInsensitive) == 0)
            driver = value;
    const DriverKind *kind = driver.isEmpty() ? nullptr : kindForDriver(driver);
    bool fits = kind != nullptr;
    if (kind) {
        for (const auto &[key, value] : pairs) {
            if (key.compare(QStringLiteral("driver"), Qt::CaseInsensitive) == 0)
                continue;
            const bool known = std::any_of(kind->fields.begin(), kind->fields.end(),
                                           [&](const DriverField &f) { return f.keyword.compare(key, Qt::CaseInsensitive) == 0; })
                || kind->fixed.contains(key);
            fits = fits && known;
        }
    }
    if (!fits) {
        setKind(QString::fromLatin1(kRawKind));
        setRawConnection(source.connection);
        return;
    }
    setKind(kind->id);
    for (const auto &[key, value] : pairs) {
        for (const DriverField &field : kind->fields)
            if (field.keyword.compare(key, Qt::CaseInsensitive) == 0)
                setField(field.keyword, value);
    }
    setDriver(driver);
}

QString ConnectionDialog::connectionString() const
{
    if (kind() == QLatin1String(kDsnKind))
        return m_dsn->currentText().trimmed();
    if (kind() == QLatin1String(kRawKind))
        return m_raw->toPlainText().trimmed();
    const DriverKind *driverKind = currentKind();
    QMap<QString, QString> values;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it)
        values.insert(it.key(), it.value()->text());
    return buildConnectionString(*driverKind, m_driver->currentText().trimmed(), values);
}

SourceDef ConnectionDialog::source() const
{
    SourceDef source = m_original;
    source.name = m_name->text().trimmed();
    source.connection = connectionString();
    return source;
}

std::optional<QString> ConnectionDialog::password() const
{
    if (kind() != QLatin1String(kRawKind) && currentKind() && !currentKind()->usesPassword)
        return std::nullopt;
    if (m_password->text().isEmpty())
        return std::nullopt;
    return m_password->text();
}

void ConnectionDialog::updatePreview()
{
    const bool form = currentKind() != nullptr;
    m_form->setRowVisible(m_preview, form);
    if (form) {
        m_preview->setText(connectionString());
        m_preview->setCursorPosition(0);
    }
}

void ConnectionDialog::testConnection()
{
    if (m_testing)
        return;
    const SourceDef source = this->source();
    if (source.connection.isEmpty())
        return showTestResult(false, tr("<b>Fill in the connection first.</b>"), {});
    m_testing = true;
    m_test->setEnabled(false);
    m_testIcon->clear();
    m_testResult->setText(tr("Connecting…"));
    m_detailsToggle->hide();
    m_details->hide();
    ConnectionOpener open = password() ? connectionOpener(connectionSpec(source.connection, password()))
                                       : connectionOpener(source, m_secrets);
    auto *watcher = new QFutureWatcher<TestOutcome>(this);
    connect(watcher, &QFutureWatcher<TestOutcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_testing = false;
        m_test->setEnabled(true);
        const TestOutcome outcome = watcher->result();
        if (outcome.ok) {
            showTestResult(true, tr("<b>Connected</b> to %1 through %2.").arg(outcome.dbms.toHtmlEscaped(), outcome.driver.toHtmlEscaped()), {});
        } else {
            const ErrorText text = ErrorText::forConnection(outcome.error);
            showTestResult(false, text.html(), text.details);
        }
    });
    watcher->setFuture(QtConcurrent::run(&backgroundPool(), [open] {
        TestOutcome outcome;
        auto connection = open();
        if (!connection) {
            outcome.error = connection.error();
            return outcome;
        }
        outcome.ok = true;
        outcome.dbms = (*connection)->dbmsName();
        outcome.driver = (*connection)->driverName();
        return outcome;
    }));
}

void ConnectionDialog::showTestResult(bool ok, const QString &summaryHtml, const QString &details)
{
    const QStyle::StandardPixmap icon = ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning;
    m_testIcon->setPixmap(style()->standardIcon(icon).pixmap(20, 20));
    m_testResult->setText(summaryHtml);
    m_details->setPlainText(details);
    m_detailsToggle->setVisible(!details.isEmpty());
    m_details->setVisible(!details.isEmpty() && m_detailsToggle->isChecked());
    emit testFinished(ok);
}

QString ConnectionDialog::testSummary() const
{
    return m_testResult->text();
}

QString ConnectionDialog::testDetails() const
{
    return m_details->toPlainText();
}

void ConnectionDialog::validateAndAccept()
{
    const SourceDef source = this->source();
    if (source.name.isEmpty())
        return showTestResult(false, tr("<b>Give the connection a name.</b>"), {});
    if (source.connection.isEmpty())
        return showTestResult(false, tr("<b>Fill in the connection first.</b>"), {});
    if (kind() == QLatin1String(kRawKind) && containsPassword(source.connection))
        return showTestResult(false, tr("<b>Take the password out of the connection string</b> and type it in the "
                                        "Password field: it is kept in the system keychain, never in the workspace."), {});
    accept();
}

} // namespace syncline::ui
