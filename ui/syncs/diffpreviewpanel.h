#pragma once

#include "engine/secrets/secretresolver.h"
#include "engine/state/planstore.h"
#include "engine/state/runstore.h"
#include "ui/syncs/planjob.h"
#include "ui/syncs/sendcontroller.h"

#include <QMessageBox>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace syncline::ui {

class DiffRowsModel;
class WorkspaceService;

// Preview & Send for one sync: plans it through the engine off the GUI thread (a frozen plan),
// shows the counts and a lazy table per kind (changed fields highlighted, invalid rows with
// their reason, search by key), then sends exactly that plan with progress and Cancel. A plan
// a guardrail blocked is sent only after the user answers the question with its numbers.
class DiffPreviewPanel : public QWidget
{
    Q_OBJECT
public:
    enum class State { Idle, Planning, Planned, Sending, Sent, Failed };
    Q_ENUM(State)

    // `secrets` resolves the source's and destination's secrets (the app's keychain); may be null.
    DiffPreviewPanel(WorkspaceService *workspace, std::shared_ptr<engine::SecretResolver> secrets,
                     QWidget *parent = nullptr);
    ~DiffPreviewPanel() override;

    // Shows `syncName` (clearing any previous plan); preview() plans it.
    void setSync(const QString &syncName);
    QString syncName() const { return m_syncName; }
    // Plans the sync now; a plan already running is cancelled first.
    void preview();
    // Sends the previewed plan; for a blocked plan it asks first (guardrailQuestion()).
    void send();
    // Stops the plan or the send in progress (a send stops after its batch in flight, as Ctrl-C).
    void cancel();

    State state() const { return m_state; }
    const std::optional<PlanPreview> &currentPlan() const { return m_preview; }
    std::optional<engine::state::RunInfo> lastRun() const { return m_lastRun; }
    QString statusText() const;
    // "This removes 4,210 of 10,000 records. Send anyway?"
    static QString guardrailQuestionText(const PlanPreview &preview);

    // The pieces a test or the screenshot tour drives.
    QTabWidget *tabs() const { return m_tabs; }
    QTableView *tableFor(engine::state::DiffOp op) const;
    DiffRowsModel *modelFor(engine::state::DiffOp op) const;
    QTableView *invalidTable() const { return m_invalidView; }
    QLineEdit *searchEdit() const { return m_search; }
    QPushButton *previewButton() const { return m_previewButton; }
    QPushButton *sendButton() const { return m_sendButton; }
    QPushButton *cancelButton() const { return m_cancelButton; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *progressLabel() const { return m_progressText; }
    QMessageBox *guardrailQuestion() const { return m_question; }
    SendController *sendController() const { return m_sender; }

signals:
    void stateChanged(syncline::ui::DiffPreviewPanel::State state);
    void planned(qint64 planId);
    void sendStarted(qint64 runId);
    // The send ended (succeeded, partial, failed or cancelled); the run is in the history.
    void sent(qint64 runId);

private:
    void setState(State state);
    void showPlan(const PlanPreview &preview);
    void startSend(bool force);
    void showProgress(const SendProgress &progress);
    void showRun(const engine::state::RunInfo &run);
    void showError(const QString &message);
    void applySearch();
    void updateTabTitles();

    WorkspaceService *m_workspace;
    PlanJob *m_planner;
    SendController *m_sender;
    QString m_syncName;
    std::optional<PlanPreview> m_preview;
    std::optional<engine::state::RunInfo> m_lastRun;
    State m_state = State::Idle;

    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_guardrail = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_previewButton = nullptr;
    QPushButton *m_sendButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressText = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer m_searchDelay;
    QTabWidget *m_tabs = nullptr;
    std::vector<std::pair<DiffRowsModel *, QTableView *>> m_kinds; // added, changed, removed, unchanged
    QStandardItemModel *m_invalid = nullptr;
    QSortFilterProxyModel *m_invalidFilter = nullptr;
    QTableView *m_invalidView = nullptr;
    QPointer<QMessageBox> m_question;
};

} // namespace syncline::ui
