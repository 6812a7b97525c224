#include "ui/syncs/scheduledialog.h"

#include "engine/schedule/schedule.h"
#include "engine/state/definitionstore.h"
#include "ui/services/backgroundpool.h"
#include "ui/runs/runalerts.h"
#include "ui/services/workspaceservice.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace syncline::ui {

using engine::Result;
using engine::schedule::Schedule;

ScheduleDialog::ScheduleDialog(WorkspaceService *workspace, SchedulerServices services, const QString &syncName, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_services(std::move(services))
    , m_syncName(syncName)
    , m_edit(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_next(new QListWidget(this))
    , m_alertUrl(new QLineEdit(this))
    , m_alertShare(new QDoubleSpinBox(this))
    , m_keepRunning(new QCheckBox(tr("Keep running scheduled syncs when Syncline is closed"), this))
    , m_keepRunningNote(new QLabel(this))
{
    setWindowTitle(tr("Schedule of %1").arg(syncName));
    m_edit->setPlaceholderText(tr("manual"));
    m_edit->setToolTip(tr("One of: %1").arg(Schedule::formsHint()));
    m_error->setWordWrap(true);
    m_error->setForegroundRole(QPalette::BrightText);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->hide();
    m_next->setMaximumHeight(m_next->fontMetrics().height() * 7);
    m_next->setSelectionMode(QAbstractItemView::NoSelection);

    auto *form = new QFormLayout;
    form->addRow(tr("Schedule:"), m_edit);
    form->addRow(QString(), new QLabel(tr("e.g. %1").arg(Schedule::formsHint()), this));
    form->addRow(QString(), m_error);
    form->addRow(tr("Next runs (%1):").arg(QString::fromUtf8(m_services.zone.id())), m_next);

    auto *alerts = new QGroupBox(tr("Alerts for every sync in this workspace"), this);
    auto *alertForm = new QFormLayout(alerts);
    m_alertUrl->setPlaceholderText(tr("https://hooks.slack.com/services/… or any URL"));
    m_alertShare->setRange(0, 100);
    m_alertShare->setSuffix(tr(" %"));
    m_alertShare->setSpecialValueText(tr("only failed runs"));
    alertForm->addRow(tr("Post to:"), m_alertUrl);
    alertForm->addRow(tr("Also when rejecting more than:"), m_alertShare);
    const AlertSettings settings = AlertSettings::load(m_workspace->path());
    m_alertUrl->setText(settings.url);
    m_alertShare->setValue(settings.rejectedShare * 100);

    m_keepRunningNote->setWordWrap(true);
    m_keepRunning->setEnabled(bool(m_services.keepRunningWhenClosed));
    if (m_services.keepsRunningWhenClosed)
        m_keepRunning->setChecked(m_services.keepsRunningWhenClosed(m_workspace->path()));
    connect(m_keepRunning, &QCheckBox::toggled, this, &ScheduleDialog::setKeepRunning);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_saveButton = buttons->button(QDialogButtonBox::Save);
    connect(buttons, &QDialogButtonBox::accepted, this, &ScheduleDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(alerts);
    layout->addWidget(m_keepRunning);
    layout->addWidget(m_keepRunningNote);
    layout->addWidget(buttons);
    connect(m_edit, &QLineEdit::textChanged, this, &ScheduleDialog::refresh);

    m_edit->setEnabled(false);
    m_workspace->call<Result<std::optional<engine::SyncDef>>>(
        this, [syncName](engine::state::Workspace &w) { return engine::state::DefinitionStore(w).sync(syncName); },
        [this](Result<std::optional<engine::SyncDef>> sync) {
            m_edit->setEnabled(true);
            if (sync && *sync)
                m_edit->setText((*sync)->schedule);
            refresh();
        });
    refresh();
}

void ScheduleDialog::refresh()
{
    m_next->clear();
    auto schedule = Schedule::parse(m_edit->text());
    m_error->setVisible(!schedule);
    m_saveButton->setEnabled(bool(schedule) && m_edit->isEnabled());
    if (!schedule) {
        m_error->setText(schedule.error().message);
        return;
    }
    if (schedule->kind() == Schedule::Kind::Manual) {
        m_next->addItem(tr("Runs only when started by hand."));
        return;
    }
    const QLocale locale;
    for (const QDateTime &time : schedule->nextRuns(m_services.clock->now(), 5, m_services.zone)) {
        const QDateTime local = time.toTimeZone(m_services.zone);
        m_next->addItem(locale.toString(local, QStringLiteral("ddd yyyy-MM-dd HH:mm")) + QLatin1Char(' ')
                        + m_services.zone.abbreviation(time));
    }
}

void ScheduleDialog::save()
{
    AlertSettings{m_alertUrl->text().trimmed(), m_alertShare->value() / 100.0}.save(m_workspace->path());
    const QString text = Schedule::parse(m_edit->text())->text();
    const QString syncName = m_syncName;
    m_saveButton->setEnabled(false);
    m_workspace->call<Result<void>>(
        this,
        [syncName, text](engine::state::Workspace &w) -> Result<void> {
            engine::state::DefinitionStore definitions(w);
            auto sync = definitions.sync(syncName);
            if (!sync)
                return std::unexpected(sync.error());
            if (!*sync)
                return engine::fail(QStringLiteral("definitions.not_found"), tr("Sync '%1' was removed meanwhile.").arg(syncName));
            engine::SyncDef changed = **sync;
            changed.schedule = text == QLatin1String("manual") ? QString() : text;
            return definitions.saveSync(changed);
        },
        [this, text](Result<void> ok) {
            m_saveButton->setEnabled(true);
            if (!ok) {
                m_error->setText(ok.error().message);
                m_error->show();
                return;
            }
            m_workspace->notifyChanged();
            emit saved(m_syncName, text);
            accept();
        });
}

void ScheduleDialog::setKeepRunning(bool on)
{
    if (!m_services.keepRunningWhenClosed)
        return;
    m_keepRunning->setEnabled(false);
    m_keepRunningNote->setText(on ? tr("Installing…") : tr("Removing…"));
    QPointer<ScheduleDialog> guard(this);
    auto install = m_services.keepRunningWhenClosed;
    const QString path = m_workspace->path();
    (void)QtConcurrent::run(&backgroundPool(), [guard, install, path, on] {
        const Result<QString> done = install(path, on);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [guard, done, on] {
            if (!guard)
                return;
            guard->m_keepRunning->setEnabled(true);
            guard->m_keepRunningNote->setText(done ? *done : done.error().message);
            if (!done) {
                const QSignalBlocker blocker(guard->m_keepRunning);
                guard->m_keepRunning->setChecked(!on);
            }
            emit guard->keepRunningChanged(bool(done), done ? *done : done.error().message);
        }, Qt::QueuedConnection);
    });
}

} // namespace syncline::ui
