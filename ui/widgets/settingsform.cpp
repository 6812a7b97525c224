#include "ui/widgets/settingsform.h"

#include "engine/connector/settingvalue.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>

#include <limits>

namespace syncline::ui {

using engine::SecretRef;
using engine::connector::SettingSpec;
using Type = SettingSpec::Type;

namespace {

constexpr int kUnsetInteger = -1;

QString exampleFor(const SettingSpec &spec)
{
    switch (spec.type) {
    case Type::Url:
        return QStringLiteral("https://api.example.com/…");
    case Type::Duration:
        return QStringLiteral("e.g. 30s, 500ms or 2m");
    case Type::Rate:
        return QStringLiteral("e.g. 20/s or 600/min");
    default:
        return {};
    }
}

QString placeholderFor(const SettingSpec &spec)
{
    if (spec.defaultValue.isValid() && !spec.defaultValue.toString().isEmpty())
        return SettingsForm::tr("default: %1").arg(spec.defaultValue.toString());
    return exampleFor(spec);
}

bool isDirectory(const SettingSpec &spec)
{
    const QString words = spec.key + QLatin1Char(' ') + spec.label;
    return words.contains(QLatin1String("folder"), Qt::CaseInsensitive)
        || words.contains(QLatin1String("directory"), Qt::CaseInsensitive);
}

// A key-value table with one empty row at the end for the next entry.
QTableWidget *makeMapTable(QWidget *parent)
{
    auto *table = new QTableWidget(0, 2, parent);
    table->setHorizontalHeaderLabels({SettingsForm::tr("Key"), SettingsForm::tr("Value")});
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setMinimumHeight(table->fontMetrics().height() * 6);
    const auto keepOneEmptyRow = [table] {
        const int rows = table->rowCount();
        const auto filled = [table](int r) {
            for (int c = 0; c < 2; ++c)
                if (table->item(r, c) && !table->item(r, c)->text().isEmpty())
                    return true;
            return false;
        };
        if (rows == 0 || filled(rows - 1))
            table->insertRow(rows);
    };
    keepOneEmptyRow();
    QObject::connect(table, &QTableWidget::cellChanged, table, keepOneEmptyRow);
    return table;
}

void setMapTable(QTableWidget *table, const QVariantMap &map)
{
    const QSignalBlocker block(table);
    table->setRowCount(0);
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        const int r = table->rowCount();
        table->insertRow(r);
        table->setItem(r, 0, new QTableWidgetItem(it.key()));
        table->setItem(r, 1, new QTableWidgetItem(it.value().toString()));
    }
    table->insertRow(table->rowCount());
}

QVariantMap readMapTable(const QTableWidget *table)
{
    QVariantMap map;
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString key = table->item(r, 0) ? table->item(r, 0)->text().trimmed() : QString();
        if (!key.isEmpty())
            map.insert(key, table->item(r, 1) ? table->item(r, 1)->text() : QString());
    }
    return map;
}

} // namespace

SettingsForm::SettingsForm(std::vector<SettingSpec> specs, QWidget *parent)
    : QWidget(parent)
    , m_specs(std::move(specs))
    , m_layout(new QFormLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_rows.reserve(m_specs.size());
    for (const SettingSpec &spec : m_specs)
        addRow(spec);
    connect(this, &SettingsForm::changed, this, &SettingsForm::refreshProblems);
    refreshProblems();
}

void SettingsForm::addRow(const SettingSpec &spec)
{
    Row row;
    row.spec = spec;
    const auto notify = [this] { emit changed(); };
    QWidget *field = nullptr;
    switch (spec.type) {
    case Type::Text:
    case Type::Url:
    case Type::Duration:
    case Type::Rate:
    case Type::Path:
    case Type::Secret: {
        auto *edit = new QLineEdit(this);
        edit->setPlaceholderText(placeholderFor(spec));
        if (spec.type == Type::Secret) {
            edit->setEchoMode(QLineEdit::Password);
            edit->setPlaceholderText(spec.required ? tr("required; kept in the system keychain")
                                                   : tr("kept in the system keychain"));
        }
        connect(edit, &QLineEdit::textChanged, this, notify);
        row.editor = edit;
        field = edit;
        const QString fallback = spec.defaultValue.toString();
        const bool required = spec.required;
        row.read = [edit, fallback, required]() -> QVariant {
            const QString text = edit->text().trimmed();
            if (text.isEmpty() || (!required && text == fallback))
                return {};
            return text;
        };
        row.write = [edit](const QVariant &value) { edit->setText(value.toString()); };
        if (spec.type == Type::Path) {
            auto *box = new QWidget(this);
            auto *layout = new QHBoxLayout(box);
            layout->setContentsMargins(0, 0, 0, 0);
            auto *browse = new QToolButton(box);
            browse->setText(tr("Browse…"));
            layout->addWidget(edit, 1);
            layout->addWidget(browse);
            const bool directory = isDirectory(spec);
            connect(browse, &QToolButton::clicked, this, [this, edit, directory, label = spec.label] {
                const QString chosen = directory ? QFileDialog::getExistingDirectory(this, label, edit->text())
                                                 : QFileDialog::getSaveFileName(this, label, edit->text(), {}, nullptr,
                                                                                QFileDialog::DontConfirmOverwrite);
                if (!chosen.isEmpty())
                    edit->setText(QDir::toNativeSeparators(chosen));
            });
            field = box;
        }
        break;
    }
    case Type::Integer: {
        auto *spin = new QSpinBox(this);
        const bool hasDefault = spec.defaultValue.isValid();
        spin->setRange(hasDefault ? 0 : kUnsetInteger, std::numeric_limits<int>::max());
        if (!hasDefault)
            spin->setSpecialValueText(spec.required ? tr("required") : tr("not set"));
        spin->setValue(hasDefault ? spec.defaultValue.toInt() : kUnsetInteger);
        connect(spin, &QSpinBox::valueChanged, this, notify);
        const int fallback = hasDefault ? spec.defaultValue.toInt() : kUnsetInteger;
        const bool required = spec.required;
        row.read = [spin, fallback, required]() -> QVariant {
            if (spin->value() == kUnsetInteger || (!required && spin->value() == fallback))
                return {};
            return qlonglong(spin->value());
        };
        row.write = [spin, fallback](const QVariant &value) {
            bool ok = false;
            const int number = value.toInt(&ok);
            spin->setValue(ok ? number : fallback);
        };
        row.editor = field = spin;
        break;
    }
    case Type::Boolean: {
        auto *check = new QCheckBox(spec.label, this);
        const bool fallback = spec.defaultValue.toBool();
        check->setChecked(fallback);
        connect(check, &QCheckBox::toggled, this, notify);
        const bool required = spec.required;
        row.read = [check, fallback, required]() -> QVariant {
            if (!required && check->isChecked() == fallback)
                return {};
            return check->isChecked();
        };
        row.write = [check](const QVariant &value) {
            check->setChecked(value.typeId() == QMetaType::QString
                                  ? value.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0
                                  : value.toBool());
        };
        row.editor = field = check;
        break;
    }
    case Type::Choice: {
        auto *combo = new QComboBox(this);
        const QString fallback = spec.defaultValue.toString();
        if (fallback.isEmpty())
            combo->addItem(spec.required ? tr("(choose one)") : tr("(not set)"), QString());
        for (const QString &choice : spec.choices)
            combo->addItem(choice, choice);
        combo->setCurrentIndex(std::max(0, combo->findData(fallback)));
        connect(combo, &QComboBox::currentIndexChanged, this, notify);
        const bool required = spec.required;
        row.read = [combo, fallback, required]() -> QVariant {
            const QString value = combo->currentData().toString();
            if (value.isEmpty() || (!required && value == fallback))
                return {};
            return value;
        };
        row.write = [combo](const QVariant &value) {
            int index = combo->findData(value.toString());
            if (index < 0) { // a value the schema does not offer: show it, so the problem is visible
                combo->addItem(value.toString(), value.toString());
                index = combo->count() - 1;
            }
            combo->setCurrentIndex(index);
        };
        row.editor = field = combo;
        break;
    }
    case Type::Map: {
        auto *table = makeMapTable(this);
        connect(table, &QTableWidget::cellChanged, this, notify);
        row.read = [table]() -> QVariant {
            const QVariantMap map = readMapTable(table);
            return map.isEmpty() ? QVariant() : QVariant(map);
        };
        row.write = [table](const QVariant &value) { setMapTable(table, value.toMap()); };
        row.editor = field = table;
        break;
    }
    case Type::Object: {
        auto *edit = new QPlainTextEdit(this);
        edit->setPlaceholderText(tr("A JSON object, e.g. {\"upsert\": {\"method\": \"PUT\"}}"));
        edit->setTabChangesFocus(true);
        edit->setMinimumHeight(edit->fontMetrics().height() * 5);
        connect(edit, &QPlainTextEdit::textChanged, this, notify);
        const auto parse = [edit](QString *problem) -> QVariant {
            const QByteArray text = edit->toPlainText().trimmed().toUtf8();
            if (text.isEmpty())
                return {};
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(text, &error);
            if (!document.isObject()) {
                if (problem)
                    *problem = error.error != QJsonParseError::NoError
                        ? tr("is not valid JSON: %1 at character %2").arg(error.errorString()).arg(error.offset)
                        : tr("must be a JSON object in braces { … }");
                return {};
            }
            return document.object().toVariantMap();
        };
        row.read = [parse]() { return parse(nullptr); };
        row.parseProblem = [parse] {
            QString problem;
            parse(&problem);
            return problem;
        };
        row.write = [edit](const QVariant &value) {
            edit->setPlainText(value.isValid()
                                   ? QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(value.toMap())).toJson())
                                   : QString());
        };
        row.editor = field = edit;
        break;
    }
    }
    row.problem = new QLabel(this);
    row.problem->setWordWrap(true);
    row.problem->setStyleSheet(QStringLiteral("color: #b00020"));
    row.problem->hide();
    auto *cell = new QWidget(this);
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(2);
    cellLayout->addWidget(field);
    cellLayout->addWidget(row.problem);
    if (!spec.help.isEmpty() && spec.type != Type::Boolean)
        field->setToolTip(spec.help);
    if (!spec.help.isEmpty()) {
        auto *help = new QLabel(spec.help, this);
        help->setWordWrap(true);
        help->setForegroundRole(QPalette::PlaceholderText);
        cellLayout->addWidget(help);
    }
    row.editor->setObjectName(spec.key);
    const QString label = spec.type == Type::Boolean ? QString()
                                                     : spec.label + (spec.required ? QStringLiteral(" *:") : QStringLiteral(":"));
    m_layout->addRow(label, cell);
    m_rows.push_back(std::move(row));
}

const SettingSpec *SettingsForm::spec(const QString &key) const
{
    const Row *found = row(key);
    return found ? &found->spec : nullptr;
}

SettingsForm::Row *SettingsForm::row(const QString &key)
{
    for (Row &r : m_rows)
        if (r.spec.key == key)
            return &r;
    return nullptr;
}

const SettingsForm::Row *SettingsForm::row(const QString &key) const
{
    return const_cast<SettingsForm *>(this)->row(key);
}

QWidget *SettingsForm::editor(const QString &key) const
{
    const Row *found = row(key);
    return found ? found->editor : nullptr;
}

void SettingsForm::setValues(const QVariantMap &settings, const QMap<QString, SecretRef> &secrets)
{
    m_unknownSettings.clear();
    m_storedSecrets = secrets;
    for (auto it = settings.cbegin(); it != settings.cend(); ++it) {
        Row *r = row(it.key());
        if (r && r->spec.type != Type::Secret)
            r->write(it.value());
        else
            m_unknownSettings.insert(it.key(), it.value());
    }
    for (Row &r : m_rows) {
        if (r.spec.type != Type::Secret)
            continue;
        auto *edit = static_cast<QLineEdit *>(r.editor);
        edit->clear();
        const SecretRef ref = secrets.value(r.spec.key);
        if (ref.kind == SecretRef::Kind::Keychain)
            edit->setPlaceholderText(tr("stored in the keychain; type to replace"));
        else if (ref.kind == SecretRef::Kind::Env)
            edit->setPlaceholderText(tr("read from $%1; type to keep it in the keychain instead").arg(ref.name));
    }
    refreshProblems();
}

void SettingsForm::setValue(const QString &key, const QVariant &value)
{
    if (Row *r = row(key))
        r->write(value);
}

void SettingsForm::setSecret(const QString &key, const QString &value)
{
    if (Row *r = row(key); r && r->spec.type == Type::Secret)
        static_cast<QLineEdit *>(r->editor)->setText(value);
}

QVariantMap SettingsForm::settings() const
{
    QVariantMap out = m_unknownSettings;
    for (const Row &r : m_rows) {
        if (r.spec.type == Type::Secret)
            continue;
        if (const QVariant value = r.read(); value.isValid())
            out.insert(r.spec.key, value);
    }
    return out;
}

QMap<QString, QString> SettingsForm::typedSecrets() const
{
    QMap<QString, QString> out;
    for (const Row &r : m_rows)
        if (r.spec.type == Type::Secret)
            if (const QString text = static_cast<QLineEdit *>(r.editor)->text(); !text.isEmpty())
                out.insert(r.spec.key, text);
    return out;
}

QMap<QString, SecretRef> SettingsForm::keptSecrets() const
{
    QMap<QString, SecretRef> out = m_storedSecrets;
    for (const QString &typed : typedSecrets().keys())
        out.remove(typed);
    return out;
}

QVariant SettingsForm::effectiveValue(const QString &key) const
{
    const Row *r = row(key);
    if (!r)
        return m_unknownSettings.value(key);
    if (r->spec.type == Type::Secret)
        return typedSecrets().value(key);
    const QVariant value = r->read();
    return value.isValid() ? value : r->spec.defaultValue;
}

QString SettingsForm::rowProblem(const Row &r) const
{
    if (r.parseProblem)
        if (const QString problem = r.parseProblem(); !problem.isEmpty())
            return problem;
    if (r.spec.type == Type::Secret) {
        const bool present = m_storedSecrets.contains(r.spec.key)
            || !static_cast<const QLineEdit *>(r.editor)->text().isEmpty();
        return r.spec.required && !present ? tr("is required") : QString();
    }
    const QVariant value = r.read();
    if (!value.isValid())
        return r.spec.required && !r.spec.defaultValue.isValid() ? tr("is required") : QString();
    return engine::connector::settingValueProblem(r.spec, value);
}

QString SettingsForm::problem(const QString &key) const
{
    const Row *r = row(key);
    return r ? rowProblem(*r) : QString();
}

QStringList SettingsForm::problems() const
{
    QStringList out;
    for (const Row &r : m_rows)
        if (const QString problem = rowProblem(r); !problem.isEmpty())
            out << r.spec.label + QStringLiteral(": ") + problem;
    return out;
}

void SettingsForm::refreshProblems()
{
    for (Row &r : m_rows) {
        const QString problem = rowProblem(r);
        // A missing value is said only once the user tries to save; a wrong one at once.
        const bool missing = problem == tr("is required");
        r.problem->setText(r.spec.label + QLatin1Char(' ') + problem);
        r.problem->setVisible(!problem.isEmpty() && (!missing || m_revealMissing));
    }
}

void SettingsForm::revealProblems()
{
    m_revealMissing = true;
    refreshProblems();
}

QString SettingsForm::shownProblem(const QString &key) const
{
    const Row *r = row(key);
    return r && r->problem->isVisibleTo(this) ? r->problem->text() : QString();
}

} // namespace syncline::ui
