#include "ui/models/keypanel.h"

#include "ui/widgets/errortext.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace syncline::ui {

KeyPanel::KeyPanel(QWidget *parent)
    : QWidget(parent)
    , m_columns(new QListWidget(this))
    , m_check(new QPushButton(tr("Check key"), this))
    , m_cancel(new QPushButton(tr("Stop"), this))
    , m_icon(new QLabel(this))
    , m_verdict(new QLabel(this))
    , m_checker(new KeyChecker(this))
{
    auto *title = new QLabel(tr("<b>Primary key</b>"), this);
    auto *help = new QLabel(tr("Tick the column(s) that identify a row. The check reads the whole result."), this);
    help->setWordWrap(true);
    help->setForegroundRole(QPalette::PlaceholderText);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_icon->setAlignment(Qt::AlignTop);
    m_cancel->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_check);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    auto *verdict = new QHBoxLayout;
    verdict->addWidget(m_icon);
    verdict->addWidget(m_verdict, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(help);
    layout->addWidget(m_columns, 3);
    layout->addLayout(buttons);
    layout->addLayout(verdict, 2);

    connect(m_columns, &QListWidget::itemChanged, this, [this] {
        resetVerdict();
        emit keyChanged(key());
    });
    connect(m_check, &QPushButton::clicked, this, &KeyPanel::checkRequested);
    connect(m_cancel, &QPushButton::clicked, this, &KeyPanel::cancel);
    connect(m_checker, &KeyChecker::progress, this, [this](qint64 rows) {
        showMessage(tr("Checking… %1 rows read").arg(QLocale().toString(rows)));
    });
    connect(m_checker, &KeyChecker::finished, this, [this](const KeyVerdict &verdict) {
        setRunning(false);
        showVerdict(verdict);
    });
    connect(m_checker, &KeyChecker::failed, this, [this](const engine::Error &error) {
        setRunning(false);
        m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(20, 20));
        m_verdict->setText(ErrorText::forQuery(error).html());
    });
    connect(m_checker, &KeyChecker::cancelled, this, [this] {
        setRunning(false);
        showMessage(tr("Key check stopped."));
    });
    resetVerdict();
}

void KeyPanel::setColumns(const QStringList &columns)
{
    const QStringList ticked = key();
    QSignalBlocker block(m_columns);
    m_columns->clear();
    for (const QString &name : columns) {
        auto *item = new QListWidgetItem(name, m_columns);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        item->setCheckState(ticked.contains(name, Qt::CaseInsensitive) ? Qt::Checked : Qt::Unchecked);
    }
}

void KeyPanel::setKey(const QStringList &key)
{
    {
        QSignalBlocker block(m_columns);
        QStringList missing = key;
        for (int i = 0; i < m_columns->count(); ++i) {
            QListWidgetItem *item = m_columns->item(i);
            const bool on = key.contains(item->text(), Qt::CaseInsensitive);
            item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
            missing.removeAll(item->text());
        }
        for (const QString &name : std::as_const(missing)) {
            auto *item = new QListWidgetItem(name, m_columns);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
            item->setCheckState(Qt::Checked);
        }
    }
    resetVerdict();
}

QStringList KeyPanel::key() const
{
    QStringList names;
    for (int i = 0; i < m_columns->count(); ++i)
        if (m_columns->item(i)->checkState() == Qt::Checked)
            names << m_columns->item(i)->text();
    return names;
}

void KeyPanel::check(ConnectionOpener opener, const QString &sql)
{
    const QStringList columns = key();
    if (columns.isEmpty()) {
        showMessage(tr("Tick at least one column first."));
        return;
    }
    setRunning(true);
    showMessage(tr("Checking…"));
    m_checker->start(std::move(opener), sql, columns);
}

void KeyPanel::cancel()
{
    m_checker->cancel();
}

void KeyPanel::resetVerdict()
{
    if (m_checker->isRunning())
        m_checker->cancel();
    showMessage(key().isEmpty() ? tr("No key chosen.") : tr("Not checked yet."));
}

void KeyPanel::setRunning(bool running)
{
    m_check->setEnabled(!running);
    m_cancel->setVisible(running);
}

void KeyPanel::showMessage(const QString &html)
{
    m_icon->clear();
    m_verdict->setText(html);
}

QString KeyPanel::verdictText() const
{
    return m_verdict->text();
}

void KeyPanel::showVerdict(const KeyVerdict &verdict)
{
    const QLocale locale;
    const QString rows = locale.toString(verdict.rows);
    if (verdict.isValid()) {
        m_icon->setPixmap(style()->standardIcon(QStyle::SP_DialogApplyButton).pixmap(20, 20));
        m_verdict->setText(tr("<b>Good key.</b> Unique and never NULL over all %1 rows.").arg(rows));
        return;
    }
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(20, 20));
    QString text = tr("<b>Not a usable key</b> over %1 rows:").arg(rows);
    const auto examples = [](const QStringList &keys) {
        QStringList escaped;
        for (const QString &key : keys)
            escaped << key.toHtmlEscaped();
        return escaped.join(QStringLiteral(", "));
    };
    if (verdict.nullKeys > 0)
        text += verdict.nullKeys == 1
                    ? tr("<br>1 row has a NULL key, e.g. %1.").arg(examples(verdict.nullExamples))
                    : tr("<br>%1 rows have a NULL key, e.g. %2.").arg(locale.toString(verdict.nullKeys), examples(verdict.nullExamples));
    if (verdict.duplicateRows > 0)
        text += verdict.duplicateRows == 1
                    ? tr("<br>1 row repeats a key, e.g. %1.").arg(examples(verdict.duplicateExamples))
                    : tr("<br>%1 rows repeat a key, e.g. %2.").arg(locale.toString(verdict.duplicateRows), examples(verdict.duplicateExamples));
    text += tr("<br>Such rows are shown as invalid and never sent.");
    m_verdict->setText(text);
}

} // namespace syncline::ui
