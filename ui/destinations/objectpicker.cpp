#include "ui/destinations/objectpicker.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::Result;
using engine::connector::ObjectSpec;

ObjectPicker::ObjectPicker(ConnectorAccess access, QWidget *parent)
    : QWidget(parent)
    , m_access(std::move(access))
    , m_combo(new QComboBox(this))
    , m_status(new QLabel(this))
{
    m_combo->setEditable(true);
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(12);
    m_combo->setInsertPolicy(QComboBox::NoInsert);
    m_combo->lineEdit()->setPlaceholderText(tr("e.g. contacts"));
    m_status->setWordWrap(true);
    m_status->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_combo);
    layout->addWidget(m_status);
    connect(m_combo->lineEdit(), &QLineEdit::editingFinished, this, &ObjectPicker::describe);
    connect(m_combo, &QComboBox::activated, this, &ObjectPicker::describe);
}

void ObjectPicker::setDestination(const std::optional<engine::DestinationDef> &destination)
{
    if (destination == m_destination)
        return;
    m_destination = destination;
    const QString kept = object();
    const quint64 generation = ++m_listGeneration;
    ++m_generation; // a description of the previous destination's object is stale
    m_combo->clear();
    m_combo->setEditText(kept);
    m_spec.reset();
    if (!m_destination)
        return setStatus({}, false);
    ++m_pending;
    setStatus(tr("Asking the destination for its objects…"), false);
    listObjects(m_access, *m_destination, this, [this, generation](Result<std::vector<ObjectSpec>> objects) {
        --m_pending;
        if (generation != m_listGeneration)
            return;
        const QString current = object();
        if (!objects) {
            setStatus(describeDestinationError(objects.error()).summary + QLatin1Char(' ') + objects.error().message, true);
        } else {
            const QSignalBlocker block(m_combo);
            for (const ObjectSpec &spec : *objects)
                m_combo->addItem(spec.label.isEmpty() || spec.label == spec.name ? spec.name
                                                                                 : spec.name + QStringLiteral(" — ") + spec.label,
                                 spec.name);
            m_combo->setCurrentIndex(-1);
            m_combo->setEditText(current);
            setStatus(objects->empty() ? tr("No objects listed; type a name.") : QString(), false);
        }
        describe();
    });
}

void ObjectPicker::setObject(const QString &name)
{
    m_combo->setEditText(name);
    describe();
}

QString ObjectPicker::object() const
{
    const int index = m_combo->findText(m_combo->currentText());
    if (index >= 0 && m_combo->itemData(index).isValid())
        return m_combo->itemData(index).toString();
    return m_combo->currentText().trimmed();
}

QString ObjectPicker::status() const
{
    return m_status->isVisibleTo(this) ? m_status->text() : QString();
}

void ObjectPicker::describe()
{
    const QString name = object();
    if (m_spec && m_spec->name == name)
        return;
    m_spec.reset();
    emit objectChanged(name);
    if (!m_destination || name.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    ++m_pending;
    describeObject(m_access, *m_destination, name, this, [this, generation](Result<ObjectSpec> spec) {
        --m_pending;
        if (generation != m_generation)
            return;
        if (!spec)
            return setStatus(spec.error().message, true);
        m_spec = *spec;
        QString text = spec->label.isEmpty() ? QString() : spec->label;
        if (spec->acceptsAnyField)
            text += (text.isEmpty() ? QString() : QStringLiteral(": ")) + tr("takes whatever fields you map.");
        else
            text += (text.isEmpty() ? QString() : QStringLiteral(": ")) + tr("fields: %1.").arg(spec->fields.size());
        setStatus(text, false);
        emit specReady(*m_spec);
    });
}

void ObjectPicker::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b00020") : QString());
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setVisible(!text.isEmpty());
}

} // namespace syncline::ui
