#pragma once

#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"

#include <QMap>
#include <QVariantMap>
#include <QWidget>

#include <functional>
#include <vector>

class QFormLayout;
class QLabel;

namespace syncline::ui {

// A form generated from a connector's settings schema: one editor per SettingSpec type (text,
// integer spin, checkbox, choice, path with Browse, password field for secrets, URL, duration,
// rate, key-value table for maps, JSON editor for objects), each with its problem shown inline
// in the engine's words. A setting left empty, or at its default when not required, is not
// written. Secrets are never read back: a typed secret is handed out by typedSecrets() for the
// caller to store in the keychain; untouched ones keep their reference.
class SettingsForm : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsForm(std::vector<engine::connector::SettingSpec> specs, QWidget *parent = nullptr);

    const std::vector<engine::connector::SettingSpec> &specs() const { return m_specs; }
    const engine::connector::SettingSpec *spec(const QString &key) const;

    // Fills the editors from a stored destination; keys the schema does not know are kept as they are.
    void setValues(const QVariantMap &settings, const QMap<QString, engine::SecretRef> &secrets);
    void setValue(const QString &key, const QVariant &value);
    void setSecret(const QString &key, const QString &value);

    QVariantMap settings() const;                        // what goes under `settings:`
    QMap<QString, QString> typedSecrets() const;         // key -> value typed in this form
    QMap<QString, engine::SecretRef> keptSecrets() const; // references of secrets not retyped
    // The value a setting would be saved with (its default when left alone), for sign-in and tests.
    QVariant effectiveValue(const QString &key) const;

    QString problem(const QString &key) const; // empty when the editor's value is fine
    QStringList problems() const;             // "Folder: is required", one per editor with a problem
    QWidget *editor(const QString &key) const;
    // Shows missing required values too (before that, only wrong values are shown); call on Save.
    void revealProblems();
    QString shownProblem(const QString &key) const; // the inline message the user sees, or empty

signals:
    void changed();

private:
    struct Row
    {
        engine::connector::SettingSpec spec;
        QWidget *editor = nullptr;
        QLabel *problem = nullptr;
        std::function<QVariant()> read;              // invalid QVariant: not set
        std::function<void(const QVariant &)> write;
        std::function<QString()> parseProblem;       // e.g. JSON that does not parse
    };
    Row *row(const QString &key);
    const Row *row(const QString &key) const;
    void addRow(const engine::connector::SettingSpec &spec);
    QString rowProblem(const Row &row) const;
    void refreshProblems();

    std::vector<engine::connector::SettingSpec> m_specs;
    std::vector<Row> m_rows;
    QFormLayout *m_layout = nullptr;
    QVariantMap m_unknownSettings;
    QMap<QString, engine::SecretRef> m_storedSecrets;
    bool m_revealMissing = false;
};

} // namespace syncline::ui
