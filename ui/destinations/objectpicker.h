#pragma once

#include "engine/connector/connector.h"
#include "engine/definitions/definitions.h"
#include "ui/destinations/destinationdiscovery.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;

namespace syncline::ui {

// Picks a destination object from the connector's discovery (objects(), in the background) and
// describes the chosen one (object() -> its FieldSpecs). Destinations that accept any name (a
// file, an API path) take what the user types.
class ObjectPicker : public QWidget
{
    Q_OBJECT
public:
    explicit ObjectPicker(ConnectorAccess access, QWidget *parent = nullptr);

    void setDestination(const std::optional<engine::DestinationDef> &destination);
    void setObject(const QString &name);
    QString object() const;
    // The chosen object's description once discovery answered; unset while loading or on failure.
    const std::optional<engine::connector::ObjectSpec> &spec() const { return m_spec; }
    bool isLoading() const { return m_pending > 0; }
    QComboBox *combo() const { return m_combo; }
    QString status() const;

signals:
    void objectChanged(const QString &name);
    void specReady(const engine::connector::ObjectSpec &spec);

private:
    void describe();
    void setStatus(const QString &text, bool problem);

    ConnectorAccess m_access;
    std::optional<engine::DestinationDef> m_destination;
    std::optional<engine::connector::ObjectSpec> m_spec;
    quint64 m_generation = 0;     // of describe()
    quint64 m_listGeneration = 0; // of the object list
    int m_pending = 0;
    QComboBox *m_combo = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace syncline::ui
