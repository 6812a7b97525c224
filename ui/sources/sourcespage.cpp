#include "ui/sources/sourcespage.h"

#include "engine/state/definitionstore.h"
#include "ui/sources/connectiondialog.h"
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

using engine::Result;
using engine::SecretRef;
using engine::SourceDef;
using engine::state::DefinitionStore;
using engine::state::Workspace;

SourcesPage::SourcesPage(WorkspaceService *workspace, std::shared_ptr<engine::SecretResolver> secrets,
                         std::shared_ptr<SecretWriter> secretWriter, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_secrets(std::move(secrets))
    , m_secretWriter(std::move(secretWriter))
    , m_list(new QTreeWidget(this))
    , m_message(new QLabel(this))
    , m_edit(new QPushButton(tr("Edit…"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
{
    auto *title = new QLabel(tr("<h2>Sources</h2>"), this);
    auto *intro = new QLabel(tr("A source is a warehouse connection over ODBC. Passwords are kept in the system "
                                "keychain; the workspace file stores only a reference to them."), this);
    intro->setWordWrap(true);
    m_list->setHeaderLabels({tr("Name"), tr("Connection"), tr("Password")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_message->setWordWrap(true);
    m_message->hide();
    auto *add = new QPushButton(tr("Add connection…"), this);
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
    connect(m_remove, &QPushButton::clicked, this, &SourcesPage::remove);
    connect(m_workspace, &WorkspaceService::definitionsChanged, this, &SourcesPage::reload);
    connect(m_workspace, &WorkspaceService::opened, this, &SourcesPage::reload);
}

void SourcesPage::reload()
{
    m_workspace->call<Result<std::vector<SourceDef>>>(
        this, [](Workspace &workspace) { return DefinitionStore(workspace).sources(); },
        [this](Result<std::vector<SourceDef>> sources) {
            if (!sources)
                return showMessage(sources.error().message);
            m_sources = *sources;
            m_list->clear();
            for (const SourceDef &source : m_sources) {
                const QString password = source.password.kind == SecretRef::Kind::Keychain ? tr("in keychain")
                                       : source.password.kind == SecretRef::Kind::Env    ? tr("from $%1").arg(source.password.name)
                                                                                         : tr("none");
                new QTreeWidgetItem(m_list, {source.name, source.connection, password});
            }
            m_list->resizeColumnToContents(0);
        });
}

QString SourcesPage::keychainName(const QString &workspacePath, const QString &sourceName)
{
    const QByteArray hash = QCryptographicHash::hash(workspacePath.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
    return QStringLiteral("source/%1/%2").arg(sourceName, QString::fromLatin1(hash));
}

ConnectionDialog *SourcesPage::openDialog(const QString &name)
{
    auto *dialog = new ConnectionDialog(m_secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!name.isEmpty()) {
        const auto it = std::find_if(m_sources.begin(), m_sources.end(), [&](const SourceDef &s) { return s.name == name; });
        if (it != m_sources.end())
            dialog->setSource(*it);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] { saveFromDialog(dialog); });
    return dialog;
}

void SourcesPage::saveFromDialog(ConnectionDialog *dialog)
{
    SourceDef source = dialog->source();
    const std::optional<QString> password = dialog->password();
    const auto write = [this](SourceDef def) {
        m_workspace->call<Result<void>>(
            this, [def](Workspace &workspace) { return DefinitionStore(workspace).saveSource(def); },
            [this, name = def.name](Result<void> result) {
                if (!result)
                    return showMessage(result.error().message);
                showMessage(tr("Saved source \"%1\".").arg(name));
                m_workspace->notifyChanged();
                emit saved(name);
            });
    };
    if (!password) {
        write(source);
        return;
    }
    const QString key = keychainName(m_workspace->path(), source.name);
    m_secretWriter->store(key, *password, this, [this, source, key, write](Result<void> stored) mutable {
        if (!stored)
            return showMessage(stored.error().message);
        source.password = SecretRef{SecretRef::Kind::Keychain, key};
        write(source);
    });
}

void SourcesPage::remove()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString name = item->text(0);
    if (QMessageBox::question(this, tr("Remove source"), tr("Remove the source \"%1\"?").arg(name)) != QMessageBox::Yes)
        return;
    m_workspace->call<Result<void>>(
        this, [name](Workspace &workspace) { return DefinitionStore(workspace).removeSource(name); },
        [this](Result<void> result) {
            if (!result)
                return showMessage(result.error().message);
            m_message->hide();
            m_workspace->notifyChanged();
        });
}

void SourcesPage::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->show();
}

QString SourcesPage::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

} // namespace syncline::ui
