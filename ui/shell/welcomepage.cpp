#include "ui/shell/welcomepage.h"

#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace syncline::ui {

namespace {

QFrame *stepCard(QWidget *parent, int number, const QString &title, const QString &text, QPushButton *button)
{
    auto *card = new QFrame(parent);
    card->setFrameShape(QFrame::StyledPanel);
    card->setAutoFillBackground(true);
    card->setBackgroundRole(QPalette::Base);
    auto *badge = new QLabel(QString::number(number), card);
    QFont big = badge->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    badge->setFont(big);
    badge->setForegroundRole(QPalette::Highlight);
    badge->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    badge->setMinimumWidth(badge->fontMetrics().horizontalAdvance(QStringLiteral("00")));
    auto *heading = new QLabel(QStringLiteral("<b>") + title.toHtmlEscaped() + QStringLiteral("</b>"), card);
    auto *body = new QLabel(text, card);
    body->setWordWrap(true);
    auto *layout = new QGridLayout(card);
    layout->addWidget(badge, 0, 0, 3, 1);
    layout->addWidget(heading, 0, 1);
    layout->addWidget(body, 1, 1);
    if (button)
        layout->addWidget(button, 2, 1, Qt::AlignLeft);
    layout->setColumnStretch(1, 1);
    return card;
}

} // namespace

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_workspace(new QLabel(this))
{
    auto *content = new QWidget(this);
    auto *title = new QLabel(tr("<h1>Welcome to Syncline</h1>"), content);
    auto *intro = new QLabel(tr("Syncline sends rows from your warehouse to the tools your team works in. "
                                "It takes four steps:"), content);
    intro->setWordWrap(true);
    m_workspace->setWordWrap(true);

    auto *sources = new QPushButton(tr("Open Sources"), content);
    auto *models = new QPushButton(tr("Open Models"), content);
    auto *syncs = new QPushButton(tr("Open Syncs"), content);
    auto *runs = new QPushButton(tr("Open Runs"), content);
    connect(sources, &QPushButton::clicked, this, &WelcomePage::goToSources);
    connect(models, &QPushButton::clicked, this, &WelcomePage::goToModels);
    connect(syncs, &QPushButton::clicked, this, &WelcomePage::goToSyncs);
    connect(runs, &QPushButton::clicked, this, &WelcomePage::goToRuns);

    auto *layout = new QVBoxLayout(content);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(stepCard(content, 1, tr("Connect to your warehouse"),
                               tr("Add a source: PostgreSQL, MySQL, SQLite, SQL Server, Snowflake, BigQuery, Redshift, "
                                  "Databricks or any ODBC driver. Test the connection before you save it; the password "
                                  "stays in your system keychain."), sources));
    layout->addWidget(stepCard(content, 2, tr("Write a model"),
                               tr("A model is a SQL query with a primary key. Write it with completion of your tables "
                                  "and columns, preview its rows, and let Syncline check that the key is unique and "
                                  "never empty over the whole result."), models));
    layout->addWidget(stepCard(content, 3, tr("Map it onto a destination"),
                               tr("A sync maps the model's columns onto a destination's fields (a CRM object, a "
                                  "webhook, a CSV folder). The Syncs page lists the syncs this workspace holds; this "
                                  "version of the app does not edit them yet."), syncs));
    layout->addWidget(stepCard(content, 4, tr("Preview and send"),
                               tr("Before anything is sent, a sync's preview shows exactly which records will be "
                                  "added, changed or removed, and which rows are invalid and why. Sending applies "
                                  "exactly that preview; each run is recorded."), runs));
    layout->addWidget(m_workspace);
    layout->addStretch();

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    content->setMaximumWidth(760);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

void WelcomePage::setWorkspaceName(const QString &name)
{
    m_workspace->setText(tr("You are in the workspace <b>%1</b>. The demo workspace comes with a small SQLite "
                            "warehouse of customers, accounts and orders as the source <b>demo-warehouse</b>, a "
                            "<b>customers</b> model, a CSV folder destination and a sync between them, to try each "
                            "step on.").arg(name.toHtmlEscaped()));
}

} // namespace syncline::ui
