#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace syncline::ui {

class WorkspaceService;

// What the ledger says about one key of a sync: the payload the destination last accepted,
// the record id, the key's status and last error, and the newest run that sent it.
struct LastSent
{
    QString syncName;
    QString key;
    bool known = false;        // the ledger has the key
    bool delivered = false;    // it holds an accepted payload
    QString payload;           // indented JSON
    QString status;            // delivered, rejected, cleared, pending
    QString destinationId;
    QString lastError;
    int attempts = 0;
    qint64 updatedAtMs = 0;
    qint64 lastRunId = 0;      // the newest run with an outcome for the key (0: none kept)
    bool lastRunAccepted = false;
    QString error;             // the query failed
};

// "What did we last send for this key?", answered from the ledger on the workspace thread.
class LastSentPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LastSentPanel(WorkspaceService *workspace, QWidget *parent = nullptr);

    void setSync(const QString &syncName);
    void ask(const QString &key);
    const LastSent &answer() const { return m_answer; }
    QString answerText() const;
    QLineEdit *keyEdit() const { return m_key; }
    QPushButton *askButton() const { return m_ask; }

signals:
    void answered(const QString &key);

private:
    void showAnswer(const LastSent &answer);

    WorkspaceService *m_workspace;
    QString m_syncName;
    quint64 m_generation = 0;
    LastSent m_answer;
    QLineEdit *m_key;
    QPushButton *m_ask;
    QLabel *m_summary;
    QPlainTextEdit *m_payload;
};

} // namespace syncline::ui
