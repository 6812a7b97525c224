#include "ui/destinations/destinationspage.h"

#include "engine/state/definitionstore.h"
#include "ui/destinations/destinationdialog.h"
#include "ui/services/workspaceservice.h"

#include <QCryptographicHash>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::DestinationDef;
using engine::Result;
using engine::SecretRef;
using engine::state::DefinitionStore;
using engine::state::Workspace;

DestinationsPage::DestinationsPage(WorkspaceService *workspace, ConnectorAccess access,
                                   std::shared_ptr<SecretWriter> secretWriter, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_access(std::move(access))
    , m_secretWriter(std::move(secretWriter))
    , m_list(new QTreeWidget(this))
    , m_message(new QLabel(this))
    , m_edit(new QPushButton(tr("Edit…"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
{
    auto *title = new QLabel(tr("<h2>Destinations</h2>"), this);
    auto *intro = new QLabel(tr("A destination is a configured connector: a folder of CSV files, a database table, a "
                                "web API. Its secrets are kept in the system keychain; the workspace file stores only "
                                "references to them."), this);
    intro->setWordWrap(true);
    m_list->setHeaderLabels({tr("Name"), tr("Type"), tr("Where"), tr("Secrets")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_message->setWordWrap(true);
    m_message->hide();
    auto *add = new QPushButton(tr("Add destination…"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_list, 1);

    const auto updateButtons = [this] {
        m_edit->setEnabled(m_list->currentItem());
        m_remove->setEnabled(m_list->currentItem());
    };
    updateButtons();
    connect(m_list, &QTreeWidget::currentItemChanged, this, updateButtons);
    connect(add, &QPushButton::clicked, this, [this] { openDialog()->open(); });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (m_list->currentItem())
            openDialog(m_list->currentItem()->text(0))->open();
    });
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) { openDialog(item->text(0))->open(); });
    connect(m_remove, &QPushButton::clicked, this, &DestinationsPage::remove);
    connect(m_workspace, &WorkspaceService::definitionsChanged, this, &DestinationsPage::reload);
    connect(m_workspace, &WorkspaceService::opened, this, &DestinationsPage::reload);
}

void DestinationsPage::reload()
{
    m_workspace->call<Result<std::vector<DestinationDef>>>(
        this, [](Workspace &workspace) { return DefinitionStore(workspace).destinations(); },
        [this](Result<std::vector<DestinationDef>> destinations) {
            if (!destinations)
                return showMessage(destinations.error().message);
            m_destinations = *destinations;
            m_list->clear();
            for (const DestinationDef &destination : m_destinations) {
                const auto *type = m_access.registry ? m_access.registry->find(destination.type) : nullptr;
                QString where;
                for (const char *key : {"folder", "base_url", "database", "connection", "host"})
                    if (where.isEmpty())
                        where = destination.settings.value(QLatin1String(key)).toString();
                QStringList secrets;
                for (auto it = destination.secrets.cbegin(); it != destination.secrets.cend(); ++it)
                    secrets << (it.value().kind == SecretRef::Kind::Env ? tr("%1 from $%2").arg(it.key(), it.value().name)
                                                                        : tr("%1 in keychain").arg(it.key()));
                new QTreeWidgetItem(m_list, {destination.name, type ? type->label : destination.type, where,
                                             secrets.isEmpty() ? tr("none") : secrets.join(QStringLiteral(", "))});
            }
            for (int column = 0; column < 2; ++column)
                m_list->resizeColumnToContents(column);
        });
}

QString DestinationsPage::keychainName(const QString &workspacePath, const QString &destination, const QString &key)
{
    const QByteArray hash = QCryptographicHash::hash(workspacePath.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
    return QStringLiteral("destination/%1/%2/%3").arg(destination, key, QString::fromLatin1(hash));
}

DestinationDialog *DestinationsPage::openDialog(const QString &name)
{
    auto *dialog = new DestinationDialog(m_access, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!name.isEmpty()) {
        const auto it = std::find_if(m_destinations.begin(), m_destinations.end(),
                                     [&](const DestinationDef &d) { return d.name == name; });
        if (it != m_destinations.end())
            dialog->setDestination(*it);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] { saveFromDialog(dialog); });
    return dialog;
}

void DestinationsPage::saveFromDialog(DestinationDialog *dialog)
{
    storeSecrets(dialog->destination(), dialog->typedSecrets());
}

// One secret at a time into the keychain, then the definition with their references.
void DestinationsPage::storeSecrets(DestinationDef destination, QMap<QString, QString> typed)
{
    if (typed.isEmpty())
        return write(destination);
    const QString key = typed.firstKey();
    const QString value = typed.take(key);
    const QString entry = keychainName(m_workspace->path(), destination.name, key);
    m_secretWriter->store(entry, value, this, [this, destination, typed, key, entry](Result<void> stored) mutable {
        if (!stored)
            return showMessage(tr("Could not keep the secret %1 in the keychain: %2").arg(key, stored.error().message));
        destination.secrets.insert(key, SecretRef{SecretRef::Kind::Keychain, entry});
        storeSecrets(destination, typed);
    });
}

void DestinationsPage::write(const DestinationDef &destination)
{
    m_workspace->call<Result<void>>(
        this, [destination](Workspace &workspace) { return DefinitionStore(workspace).saveDestination(destination); },
        [this, name = destination.name](Result<void> result) {
            if (!result)
                return showMessage(result.error().message);
            showMessage(tr("Saved destination \"%1\".").arg(name));
            m_workspace->notifyChanged();
            emit saved(name);
        });
}

void DestinationsPage::remove()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString name = item->text(0);
    if (QMessageBox::question(this, tr("Remove destination"), tr("Remove the destination \"%1\"?").arg(name)) != QMessageBox::Yes)
        return;
    m_workspace->call<Result<void>>(
        this, [name](Workspace &workspace) { return DefinitionStore(workspace).removeDestination(name); },
        [this](Result<void> result) {
            if (!result)
                return showMessage(result.error().message);
            m_message->hide();
            m_workspace->notifyChanged();
        });
}

void DestinationsPage::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->show();
}

QString DestinationsPage::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

} // namespace syncline::ui
