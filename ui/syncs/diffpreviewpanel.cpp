#include "ui/syncs/diffpreviewpanel.h"

#include "engine/sync/syncplanner.h"
#include "ui/services/workspaceservice.h"
#include "ui/syncs/diffrowsmodel.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace syncline::ui {

using engine::state::DiffOp;
using engine::sync::formatCount;

namespace {

constexpr DiffOp kKinds[] = {DiffOp::Add, DiffOp::Change, DiffOp::Remove, DiffOp::Unchanged};

QTableView *makeTable(QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->horizontalHeader()->setStretchLastSection(true);
    // Column widths from the first rows only, so sizing stays cheap whatever the page size.
    view->horizontalHeader()->setResizeContentsPrecision(40);
    view->setWordWrap(false);
    return view;
}

QString duration(qint64 seconds)
{
    if (seconds < 60)
        return QCoreApplication::translate("syncline::ui::DiffPreviewPanel", "%n s", nullptr, int(seconds));
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace

DiffPreviewPanel::DiffPreviewPanel(WorkspaceService *workspace, std::shared_ptr<engine::SecretResolver> secrets,
                                   QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_planner(new PlanJob(secrets, this))
    , m_sender(new SendController(secrets, this))
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_guardrail(new QLabel(this))
    , m_error(new QLabel(this))
    , m_previewButton(new QPushButton(tr("Preview again"), this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_search(new QLineEdit(this))
    , m_tabs(new QTabWidget(this))
    , m_invalid(new QStandardItemModel(0, 2, this))
    , m_invalidFilter(new QSortFilterProxyModel(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_status->setWordWrap(true);
    m_guardrail->setWordWrap(true);
    m_guardrail->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #664d03; border: 1px solid #ffe69c; "
                                              "border-radius: 4px; padding: 6px; }"));
    m_guardrail->hide();
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #b02a37; }"));
    m_error->hide();
    m_sendButton->setDefault(true);
    m_sendButton->setToolTip(tr("Send exactly the rows previewed here"));
    m_cancelButton->setShortcut(QKeySequence(Qt::Key_Escape));
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_progressText->hide();
    m_search->setPlaceholderText(tr("Search by key"));
    m_search->setClearButtonEnabled(true);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);

    for (DiffOp op : kKinds) {
        auto *model = new DiffRowsModel(workspace, op, this);
        auto *view = makeTable(m_tabs);
        view->setModel(model);
        m_tabs->addTab(view, QString());
        m_kinds.emplace_back(model, view);
        connect(model, &QAbstractItemModel::rowsInserted, view, [view, model](const QModelIndex &, int first) {
            if (first != 0)
                return;
            // Size columns to the first page once; the user's own widths are kept after that.
            view->resizeColumnsToContents();
            const int widest = view->fontMetrics().averageCharWidth() * 48;
            for (int c = 0; c < model->columnCount(); ++c)
                view->setColumnWidth(c, std::min(view->columnWidth(c), widest));
        });
    }
    m_invalid->setHorizontalHeaderLabels({tr("Key"), tr("Why it is not sent")});
    m_invalidFilter->setSourceModel(m_invalid);
    m_invalidFilter->setFilterKeyColumn(0);
    m_invalidFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_invalidView = makeTable(m_tabs);
    m_invalidView->setModel(m_invalidFilter);
    m_tabs->addTab(m_invalidView, QString());
    updateTabTitles();

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_previewButton);
    header->addWidget(m_cancelButton);
    header->addWidget(m_sendButton);
    auto *progress = new QHBoxLayout;
    progress->addWidget(m_progress, 1);
    progress->addWidget(m_progressText, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_status);
    layout->addWidget(m_guardrail);
    layout->addWidget(m_error);
    layout->addLayout(progress);
    layout->addWidget(m_search);
    layout->addWidget(m_tabs, 1);

    connect(m_previewButton, &QPushButton::clicked, this, &DiffPreviewPanel::preview);
    connect(m_sendButton, &QPushButton::clicked, this, &DiffPreviewPanel::send);
    connect(m_cancelButton, &QPushButton::clicked, this, &DiffPreviewPanel::cancel);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(&m_searchDelay, &QTimer::timeout, this, &DiffPreviewPanel::applySearch);
    connect(m_planner, &PlanJob::progressed, this, [this](qint64 rows) {
        m_progressText->setText(tr("Reading the model: %1 rows so far").arg(formatCount(rows)));
    });
    connect(m_planner, &PlanJob::planned, this, &DiffPreviewPanel::showPlan);
    connect(m_planner, &PlanJob::failed, this, [this](const engine::Error &error) {
        if (error.code == QLatin1String("run.cancelled")) {
            m_status->setText(tr("The preview was cancelled; nothing was sent."));
            setState(State::Idle);
            return;
        }
        showError(error.message);
    });
    connect(m_sender, &SendController::started, this, &DiffPreviewPanel::sendStarted);
    connect(m_sender, &SendController::progressed, this, &DiffPreviewPanel::showProgress);
    connect(m_sender, &SendController::finished, this, &DiffPreviewPanel::showRun);
    connect(m_sender, &SendController::failed, this, [this](const engine::Error &error) {
        if (error.code == QLatin1String("plan.stale") || error.code == QLatin1String("plan.applied"))
            return showError(tr("Nothing was sent: this preview is out of date, because %1 was sent since it was made "
                                "(from here, the scheduler or the command line). Preview again, then send.")
                                 .arg(m_syncName));
        showError(tr("Nothing was sent: %1").arg(error.message));
    });
    setState(State::Idle);
}

DiffPreviewPanel::~DiffPreviewPanel() = default;

void DiffPreviewPanel::setSync(const QString &syncName)
{
    if (m_state == State::Sending)
        return; // the send finishes first; the panel keeps showing it
    m_planner->cancel();
    m_syncName = syncName;
    m_preview.reset();
    m_lastRun.reset();
    for (const auto &[model, view] : m_kinds)
        model->clear();
    m_invalid->removeRows(0, m_invalid->rowCount());
    m_title->setText(syncName.isEmpty() ? tr("Preview") : tr("Preview of %1").arg(syncName));
    m_status->setText(syncName.isEmpty() ? tr("Choose a sync to preview.")
                                         : tr("Preview shows exactly what a send would change, before anything leaves "
                                              "this computer."));
    setState(State::Idle);
}

void DiffPreviewPanel::preview()
{
    if (m_syncName.isEmpty() || !m_workspace->isOpen() || m_state == State::Sending)
        return;
    if (m_question)
        m_question->close();
    m_error->hide();
    m_guardrail->hide();
    m_progressText->setText(tr("Reading the model…"));
    m_status->setText(tr("Planning %1: reading the model and comparing it with what was sent before…").arg(m_syncName));
    setState(State::Planning);
    m_planner->start(m_workspace->path(), m_syncName);
}

void DiffPreviewPanel::showPlan(const PlanPreview &preview)
{
    m_preview = preview;
    const auto &counts = preview.plan.counts;
    for (const auto &[model, view] : m_kinds)
        model->setPlan(preview.plan.id, preview.fields);
    m_invalid->removeRows(0, m_invalid->rowCount());
    for (const auto &example : preview.plan.invalidExamples) {
        auto *key = new QStandardItem(example.key.isEmpty() ? tr("(no key)") : example.key);
        auto *reason = new QStandardItem(example.reason);
        key->setEditable(false);
        reason->setEditable(false);
        reason->setToolTip(example.reason);
        m_invalid->appendRow({key, reason});
    }
    updateTabTitles();
    applySearch();
    QString status = tr("Plan %1: %2 to send, %3 unchanged, %4 invalid (never sent).")
                         .arg(preview.plan.id)
                         .arg(formatCount(counts.toSend), formatCount(counts.unchanged), formatCount(counts.invalid));
    if (qint64(preview.plan.invalidExamples.size()) >= PlanJob::kInvalidExamplesPerKind)
        status += QLatin1Char(' ') + tr("The Invalid tab lists %1 of them.").arg(formatCount(qint64(preview.plan.invalidExamples.size())));
    m_status->setText(status);
    if (preview.plan.blocked) {
        m_guardrail->setText(tr("A guardrail stopped this plan: %1 Sending asks you first.")
                                 .arg(guardrailQuestionText(preview).section(QLatin1Char('.'), 0, 0) + QLatin1Char('.')));
        m_guardrail->show();
    }
    // Open the tab a person wants first: changes, then additions, then removals.
    const qint64 kindCounts[] = {counts.added, counts.changed, counts.removed, counts.unchanged};
    for (int index : {1, 0, 2})
        if (kindCounts[index] > 0) {
            m_tabs->setCurrentIndex(index);
            break;
        }
    setState(State::Planned);
    emit planned(preview.plan.id);
}

void DiffPreviewPanel::updateTabTitles()
{
    const engine::state::PlanCounts counts = m_preview ? m_preview->plan.counts : engine::state::PlanCounts{};
    const QString names[] = {tr("Added"), tr("Changed"), tr("Removed"), tr("Unchanged"), tr("Invalid")};
    const qint64 values[] = {counts.added, counts.changed, counts.removed, counts.unchanged, counts.invalid};
    for (int i = 0; i < 5; ++i)
        m_tabs->setTabText(i, m_preview ? QStringLiteral("%1 (%2)").arg(names[i], formatCount(values[i])) : names[i]);
    // Unchanged rows are stored (and shown) only when the sync's mode sends them.
    if (m_preview && counts.unchanged > 0 && m_preview->plan.mode != engine::SyncMode::All)
        m_tabs->setTabToolTip(3, tr("Unchanged rows are not sent in this sync's mode, so they are counted, not listed."));
}

void DiffPreviewPanel::applySearch()
{
    const QString text = m_search->text().trimmed();
    for (const auto &[model, view] : m_kinds)
        model->setKeyFilter(text);
    m_invalidFilter->setFilterFixedString(text);
}

QString DiffPreviewPanel::guardrailQuestionText(const PlanPreview &preview)
{
    const auto &plan = preview.plan;
    if (preview.modelRows == 0 && plan.ledgerDelivered > 0) {
        if (plan.counts.removed > 0)
            return tr("The model returned no rows, so this removes all %1 records sent before. Send anyway?")
                .arg(formatCount(plan.ledgerDelivered));
        return tr("The model returned no rows, but %1 records were sent before. Send anyway?")
            .arg(formatCount(plan.ledgerDelivered));
    }
    return tr("This removes %1 of %2 records. Send anyway?")
        .arg(formatCount(plan.counts.removed), formatCount(plan.ledgerDelivered));
}

void DiffPreviewPanel::send()
{
    if (m_state != State::Planned || !m_preview)
        return;
    if (!m_preview->plan.blocked)
        return startSend(false);
    // The guardrail's stop, as a question with its numbers; yes is the CLI's --force.
    if (m_question)
        m_question->close();
    m_question = new QMessageBox(QMessageBox::Warning, tr("Send anyway?"), guardrailQuestionText(*m_preview),
                                 QMessageBox::NoButton, this);
    m_question->setAttribute(Qt::WA_DeleteOnClose);
    m_question->setInformativeText(tr("A guardrail of %1 stopped this plan: %2").arg(m_syncName, m_preview->plan.guardrail));
    QPushButton *yes = m_question->addButton(tr("Send anyway"), QMessageBox::AcceptRole);
    m_question->addButton(tr("Don't send"), QMessageBox::RejectRole);
    m_question->setDefaultButton(qobject_cast<QPushButton *>(m_question->buttons().last()));
    connect(m_question, &QMessageBox::buttonClicked, this, [this, yes](QAbstractButton *button) {
        if (button == yes)
            startSend(true);
        else
            m_status->setText(tr("Nothing was sent. Fix the model, or send anyway once you have checked the removals."));
    });
    m_question->open();
}

void DiffPreviewPanel::startSend(bool force)
{
    if (!m_preview || !m_sender->start(m_workspace->path(), m_preview->plan.id, force))
        return;
    m_error->hide();
    m_progress->setRange(0, int(std::min<qint64>(m_preview->plan.counts.toSend, INT_MAX)));
    m_progress->setValue(0);
    m_progressText->setText(tr("Starting to send %1 rows…").arg(formatCount(m_preview->plan.counts.toSend)));
    m_status->setText(tr("Sending plan %1 of %2.").arg(m_preview->plan.id).arg(m_syncName));
    setState(State::Sending);
}

void DiffPreviewPanel::showProgress(const SendProgress &progress)
{
    if (m_state != State::Sending)
        return;
    m_progress->setRange(0, int(std::min<qint64>(std::max<qint64>(progress.planned, 1), INT_MAX)));
    m_progress->setValue(int(std::min<qint64>(progress.sent, INT_MAX)));
    QString text = tr("%1 of %2 rows").arg(formatCount(progress.sent), formatCount(progress.planned));
    if (progress.rowsPerSecond > 0)
        text += tr(" · %1 rows/s").arg(formatCount(qint64(progress.rowsPerSecond)));
    if (progress.secondsLeft >= 0 && progress.sent < progress.planned)
        text += tr(" · about %1 left").arg(duration(progress.secondsLeft));
    if (m_sender->isCancelling())
        text += tr(" · stopping after the batch in flight");
    m_progressText->setText(text);
}

void DiffPreviewPanel::showRun(const engine::state::RunInfo &run)
{
    m_lastRun = run;
    const QString counts = tr("%1 accepted, %2 rejected").arg(formatCount(run.counts.accepted), formatCount(run.counts.rejected));
    const double seconds = double(run.finishedAtMs - run.startedAtMs) / 1000.0;
    QString text;
    if (run.status == QLatin1String("succeeded"))
        text = tr("Sent: %1 in %2 s (run %3).").arg(counts).arg(seconds, 0, 'f', 1).arg(run.id);
    else if (run.status == QLatin1String("partial"))
        text = tr("Sent with rejections: %1 (run %2). Rejected rows are sent again next time; the Runs page shows why.")
                   .arg(counts)
                   .arg(run.id);
    else if (run.status == QLatin1String("cancelled"))
        text = tr("Cancelled after %1 of %2 rows (%3, run %4). The rest was not sent and stays for the next send.")
                   .arg(formatCount(run.counts.sent), formatCount(run.counts.planned), counts)
                   .arg(run.id);
    else
        text = tr("The send failed after %1 rows (run %2): %3").arg(formatCount(run.counts.sent)).arg(run.id).arg(run.error);
    m_progressText->setText(tr("%1 of %2 rows").arg(formatCount(run.counts.sent), formatCount(run.counts.planned)));
    m_status->setText(text + QLatin1Char(' ') + tr("Preview again to see what is left to send."));
    setState(State::Sent);
    emit sent(run.id);
}

void DiffPreviewPanel::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    setState(State::Failed);
}

void DiffPreviewPanel::cancel()
{
    if (m_state == State::Planning)
        m_planner->cancel();
    else if (m_state == State::Sending) {
        m_sender->cancel();
        m_cancelButton->setEnabled(false);
        m_progressText->setText(m_progressText->text() + tr(" · stopping after the batch in flight"));
    }
}

QString DiffPreviewPanel::statusText() const
{
    return m_status->text();
}

QTableView *DiffPreviewPanel::tableFor(DiffOp op) const
{
    for (const auto &[model, view] : m_kinds)
        if (model->op() == op)
            return view;
    return nullptr;
}

DiffRowsModel *DiffPreviewPanel::modelFor(DiffOp op) const
{
    for (const auto &[model, view] : m_kinds)
        if (model->op() == op)
            return model;
    return nullptr;
}

void DiffPreviewPanel::setState(State state)
{
    m_state = state;
    const bool busy = state == State::Planning || state == State::Sending;
    const bool sendable = state == State::Planned && m_preview && m_preview->plan.counts.toSend > 0;
    m_sendButton->setEnabled(sendable);
    m_sendButton->setText(m_preview && state == State::Planned
                              ? tr("Send %1 rows").arg(formatCount(m_preview->plan.counts.toSend))
                              : tr("Send"));
    m_previewButton->setEnabled(!busy && !m_syncName.isEmpty());
    m_previewButton->setText(m_preview ? tr("Preview again") : tr("Preview"));
    m_cancelButton->setVisible(busy);
    m_cancelButton->setEnabled(busy);
    m_progress->setVisible(state == State::Planning || state == State::Sending || state == State::Sent);
    m_progressText->setVisible(m_progress->isVisibleTo(this));
    if (state == State::Planning)
        m_progress->setRange(0, 0); // busy: the model's size is not known until it is read
    if (state == State::Failed || state == State::Idle) {
        m_progress->hide();
        m_progressText->hide();
    }
    m_search->setEnabled(m_preview.has_value());
    emit stateChanged(state);
}

} // namespace syncline::ui
