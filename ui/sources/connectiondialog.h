#pragma once

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"

#include <QDialog>
#include <QMap>

#include <memory>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QWidget;

namespace syncline::ui {

struct DriverKind;

// Adds or edits a warehouse connection: a form per common warehouse (drawn from the driver
// table in driverkinds.h), an installed DSN, or a raw connection string for any other driver.
// "Test connection" connects in the background and explains a failure in plain words with the
// driver's detail underneath. The password is handed out separately, never in the source.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr const char *kDsnKind = "dsn";
    static constexpr const char *kRawKind = "raw";

    ConnectionDialog(std::shared_ptr<engine::SecretResolver> secrets, QWidget *parent = nullptr);

    void setSource(const engine::SourceDef &source); // edit an existing source
    void setName(const QString &name);
    void setKind(const QString &kindId);             // a DriverKind id, kDsnKind or kRawKind
    void setField(const QString &keyword, const QString &value);
    void setDriver(const QString &driverName);
    void setRawConnection(const QString &connection);
    void setPassword(const QString &password);
    void testConnection();

    QString kind() const;
    QString connectionString() const; // without the password
    engine::SourceDef source() const;  // password reference left as it was; the caller sets it
    std::optional<QString> password() const; // empty -> unchanged
    bool isTesting() const { return m_testing; }
    QString testSummary() const;
    QString testDetails() const;
    QStringList installedDriverNames() const { return m_drivers; }
    bool driversLoaded() const { return m_driversLoaded; }

signals:
    void driverListReady();
    void testFinished(bool ok);

private:
    void loadDrivers();
    void rebuildForm();
    void updatePreview();
    void showTestResult(bool ok, const QString &summaryHtml, const QString &details);
    void validateAndAccept();
    const DriverKind *currentKind() const;

    std::shared_ptr<engine::SecretResolver> m_secrets;
    engine::SourceDef m_original;
    QStringList m_drivers;
    QStringList m_dsns;
    bool m_driversLoaded = false;
    bool m_testing = false;
    QMap<QString, QString> m_pendingFields;

    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QComboBox *m_driver = nullptr;
    QLabel *m_driverLabel = nullptr;
    QLabel *m_driverWarning = nullptr;
    static constexpr int kFirstFieldRow = 6; // after Name, Warehouse, Driver, warning, DSN, raw
    QFormLayout *m_form = nullptr;
    QList<QWidget *> m_fieldRows;
    QMap<QString, QLineEdit *> m_fields;
    QComboBox *m_dsn = nullptr;
    QLabel *m_dsnLabel = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QLabel *m_rawLabel = nullptr;
    QLabel *m_passwordLabel = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_preview = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testIcon = nullptr;
    QLabel *m_testResult = nullptr;
    QToolButton *m_detailsToggle = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace syncline::ui
