#pragma once

#include "engine/definitions/definitions.h"
#include "ui/destinations/destinationdiscovery.h"
#include "ui/destinations/oauthsignin.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QToolButton;
class QWidget;

namespace syncline::ui {

class SettingsForm;

// Adds or edits a destination: its name, its connector type, and a form generated from the
// type's settings schema. "Test connection" creates the connector in the background and lists
// its objects; OAuth types get "Sign in with the browser". Saving checks the definition with the
// engine (the YAML import's schema check) and shows its messages; the page stores the secrets.
class DestinationDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DestinationDialog(ConnectorAccess access, QWidget *parent = nullptr);

    void setDestination(const engine::DestinationDef &destination); // edit an existing one
    void setName(const QString &name);
    void setType(const QString &typeId);
    SettingsForm *form() const { return m_form; }
    QLineEdit *nameEdit() const { return m_name; }

    // The definition without the typed secrets (the page stores those and adds their references).
    engine::DestinationDef destination() const;
    QMap<QString, QString> typedSecrets() const;
    // The engine's verdict on what the form holds (empty when it may be saved).
    QStringList problems() const;
    QString validationMessage() const;

    void testConnection();
    bool isTesting() const { return m_testing; }
    QString testSummary() const;
    QString testDetails() const;

    bool offersSignIn() const;
    QLineEdit *authorizeUrlEdit() const { return m_authorizeUrl; }
    void signIn(OAuthSignIn::BrowserOpener openBrowser = {});
    QString signInMessage() const;

signals:
    void testFinished(bool ok);
    void signInFinished(bool ok);

private:
    void rebuildForm();
    void startSignIn(const QString &clientId, const QString &clientSecret, OAuthSignIn::BrowserOpener openBrowser);
    void showTestResult(bool ok, const ConnectionReport &report);
    void validateAndAccept();
    const engine::connector::ConnectorType *currentType() const;

    ConnectorAccess m_access;
    engine::DestinationDef m_original;
    bool m_testing = false;
    quint64 m_testGeneration = 0;
    QLineEdit *m_name = nullptr;
    QComboBox *m_type = nullptr;
    QScrollArea *m_scroll = nullptr;
    SettingsForm *m_form = nullptr;
    QWidget *m_signInBox = nullptr;
    QLineEdit *m_authorizeUrl = nullptr;
    QPushButton *m_signIn = nullptr;
    QLabel *m_signInResult = nullptr;
    QPointer<OAuthSignIn> m_signInFlow;
    QPushButton *m_test = nullptr;
    QLabel *m_testIcon = nullptr;
    QLabel *m_testResult = nullptr;
    QToolButton *m_detailsToggle = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QLabel *m_validation = nullptr;
};

} // namespace syncline::ui
