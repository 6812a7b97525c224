#include "ui/models/modelspage.h"

#include "engine/state/definitionstore.h"
#include "ui/sources/catalogbrowser.h"
#include "ui/models/keypanel.h"
#include "ui/models/previewpanel.h"
#include "ui/models/resultmodel.h"
#include "ui/models/sqleditor.h"
#include "ui/services/workspaceservice.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::ModelDef;
using engine::Result;
using engine::SourceDef;
using engine::state::DefinitionStore;
using engine::state::Workspace;

namespace {

struct SourcesAndModels
{
    std::vector<SourceDef> sources;
    std::vector<ModelDef> models;
};

} // namespace

ModelsPage::ModelsPage(WorkspaceService *workspace, std::shared_ptr<engine::SecretResolver> secrets, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_secrets(std::move(secrets))
    , m_models(new QListWidget(this))
    , m_catalog(new CatalogBrowser(this))
    , m_name(new QLineEdit(this))
    , m_source(new QComboBox(this))
    , m_previewButton(new QPushButton(tr("Preview"), this))
    , m_saveButton(new QPushButton(tr("Save model"), this))
    , m_message(new QLabel(this))
    , m_editor(new SqlEditor(this))
    , m_preview(new PreviewPanel(this))
    , m_keys(new KeyPanel(this))
{
    auto *newButton = new QPushButton(tr("New model"), this);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("<b>Models</b>"), left));
    leftLayout->addWidget(m_models, 1);
    leftLayout->addWidget(newButton);
    auto *leftSplit = new QSplitter(Qt::Vertical, this);
    leftSplit->addWidget(left);
    leftSplit->addWidget(m_catalog);
    leftSplit->setStretchFactor(1, 2);

    m_name->setPlaceholderText(tr("e.g. active_customers"));
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_source->setMinimumContentsLength(12);
    m_previewButton->setToolTip(tr("Run the query and show its first rows (Ctrl+Enter)"));
    m_previewButton->setDefault(true);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    m_editor->setMinimumHeight(120);

    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Name"), this));
    header->addWidget(m_name, 1);
    header->addWidget(new QLabel(tr("Source"), this));
    header->addWidget(m_source);
    header->addWidget(m_previewButton);
    header->addWidget(m_saveButton);

    auto *center = new QWidget(this);
    auto *centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(0, 0, 0, 0);
    centerLayout->addLayout(header);
    centerLayout->addWidget(m_message);
    auto *editorSplit = new QSplitter(Qt::Vertical, center);
    editorSplit->addWidget(m_editor);
    editorSplit->addWidget(m_preview);
    editorSplit->setStretchFactor(0, 1);
    editorSplit->setStretchFactor(1, 2);
    centerLayout->addWidget(editorSplit, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(leftSplit);
    split->addWidget(center);
    split->addWidget(m_keys);
    split->setStretchFactor(1, 1);
    split->setSizes({200, 600, 260});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    auto *previewShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    previewShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(previewShortcut, &QShortcut::activated, this, &ModelsPage::preview);
    connect(m_editor, &SqlEditor::runRequested, this, &ModelsPage::preview);
    connect(m_previewButton, &QPushButton::clicked, this, &ModelsPage::preview);
    connect(m_saveButton, &QPushButton::clicked, this, &ModelsPage::save);
    connect(newButton, &QPushButton::clicked, this, [this] { newModel(); });
    connect(m_keys, &KeyPanel::checkRequested, this, &ModelsPage::checkKey);
    connect(m_source, &QComboBox::currentIndexChanged, this, &ModelsPage::sourceChanged);
    connect(m_catalog, &CatalogBrowser::catalogLoaded, m_editor, &SqlEditor::setCatalog);
    connect(m_catalog, &CatalogBrowser::tableActivated, this, [this](const QString &schema, const QString &table) {
        newModel(Catalog::selectAllSql(schema, table));
        m_name->setText(table);
        preview();
    });
    connect(m_models, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) { openModel(item->text()); });
    connect(m_models, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty())
            openModel(name);
    });
    connect(m_preview, &PreviewPanel::columnsChanged, this, [this](const std::vector<engine::warehouse::Column> &columns) {
        QStringList names;
        for (const auto &column : columns)
            names << column.name;
        m_keys->setColumns(names);
    });
    connect(m_workspace, &WorkspaceService::definitionsChanged, this, &ModelsPage::reload);
    connect(m_workspace, &WorkspaceService::opened, this, &ModelsPage::reload);
}

void ModelsPage::reload()
{
    m_workspace->call<Result<SourcesAndModels>>(
        this,
        [](Workspace &workspace) -> Result<SourcesAndModels> {
            DefinitionStore store(workspace);
            auto sources = store.sources();
            if (!sources)
                return std::unexpected(sources.error());
            auto models = store.models();
            if (!models)
                return std::unexpected(models.error());
            return SourcesAndModels{std::move(*sources), std::move(*models)};
        },
        [this](Result<SourcesAndModels> loaded) {
            if (!loaded) {
                showMessage(loaded.error().message);
                return;
            }
            const QString currentSource = m_source->currentText();
            m_sources = loaded->sources;
            {
                QSignalBlocker block(m_source);
                m_source->clear();
                for (const SourceDef &source : m_sources)
                    m_source->addItem(source.name);
                const int index = m_source->findText(currentSource);
                m_source->setCurrentIndex(index >= 0 ? index : (m_sources.empty() ? -1 : 0));
            }
            const QString currentModel = m_name->text().trimmed();
            {
                QSignalBlocker block(m_models);
                m_models->clear();
                for (const ModelDef &model : loaded->models) {
                    auto *item = new QListWidgetItem(model.name, m_models);
                    item->setToolTip(tr("On %1, key %2").arg(model.source, model.primaryKey.join(QStringLiteral(", "))));
                }
                const auto found = m_models->findItems(currentModel, Qt::MatchExactly);
                if (!found.isEmpty())
                    m_models->setCurrentItem(found.front());
            }
            if (m_sources.empty())
                m_catalog->clear(tr("Add a source on the Sources page to browse its tables."));
            else if (m_source->currentText() != currentSource || m_catalog->tree()->topLevelItemCount() == 0)
                sourceChanged();
            if (!m_pendingModel.isEmpty())
                openModel(std::exchange(m_pendingModel, QString()));
        });
}

void ModelsPage::sourceChanged()
{
    if (auto open = opener())
        m_catalog->load(*open);
}

std::optional<ConnectionOpener> ModelsPage::opener()
{
    const int index = m_source->currentIndex();
    if (index < 0 || index >= int(m_sources.size()))
        return std::nullopt;
    return connectionOpener(m_sources[size_t(index)], m_secrets);
}

void ModelsPage::openModel(const QString &name)
{
    m_workspace->call<Result<std::optional<ModelDef>>>(
        this, [name](Workspace &workspace) { return DefinitionStore(workspace).model(name); },
        [this, name](Result<std::optional<ModelDef>> model) {
            if (!model || !*model) {
                if (m_sources.empty())
                    m_pendingModel = name;
                return;
            }
            const ModelDef &def = **model;
            m_name->setText(def.name);
            const int source = m_source->findText(def.source);
            if (source >= 0)
                m_source->setCurrentIndex(source);
            m_editor->setText(def.sql);
            m_preview->clear();
            m_keys->setColumns({});
            m_keys->setKey(def.primaryKey);
            m_message->hide();
            const auto found = m_models->findItems(def.name, Qt::MatchExactly);
            if (!found.isEmpty() && m_models->currentItem() != found.front()) {
                QSignalBlocker block(m_models);
                m_models->setCurrentItem(found.front());
            }
        });
}

void ModelsPage::newModel(const QString &sql)
{
    {
        QSignalBlocker block(m_models);
        m_models->setCurrentItem(nullptr);
        m_models->clearSelection();
    }
    m_name->clear();
    m_editor->setText(sql);
    m_preview->clear();
    m_keys->setColumns({});
    m_message->hide();
    m_editor->setFocus();
}

void ModelsPage::preview()
{
    const QString sql = m_editor->text().trimmed();
    if (sql.isEmpty())
        return showMessage(tr("Write a query first, e.g. select * from customers."));
    auto open = opener();
    if (!open)
        return showMessage(tr("Choose a source first (add one on the Sources page)."));
    m_message->hide();
    m_preview->run(*open, sql);
}

void ModelsPage::checkKey()
{
    const QString sql = m_editor->text().trimmed();
    auto open = opener();
    if (sql.isEmpty() || !open)
        return showMessage(tr("Choose a source and write a query before checking the key."));
    m_keys->check(*open, sql);
}

void ModelsPage::save()
{
    ModelDef def;
    def.name = m_name->text().trimmed();
    def.source = m_source->currentText();
    def.sql = m_editor->text().trimmed();
    def.primaryKey = m_keys->key();
    if (def.name.isEmpty())
        return showMessage(tr("Give the model a name before saving."));
    if (def.source.isEmpty())
        return showMessage(tr("Choose the source the model reads from."));
    if (def.sql.isEmpty())
        return showMessage(tr("Write the model's query before saving."));
    if (def.primaryKey.isEmpty())
        return showMessage(tr("Tick the primary key column(s) on the right before saving: a sync needs to tell rows apart."));
    m_workspace->call<Result<void>>(
        this, [def](Workspace &workspace) { return DefinitionStore(workspace).saveModel(def); },
        [this, name = def.name](Result<void> result) {
            if (!result)
                return showMessage(result.error().message);
            showMessage(tr("Saved model \"%1\".").arg(name));
            m_workspace->notifyChanged();
            emit saved(name);
        });
}

void ModelsPage::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->show();
}

QString ModelsPage::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

} // namespace syncline::ui
