#include "ui/runs/lastsentpanel.h"

#include "engine/state/definitionstore.h"
#include "engine/state/ledgerstore.h"
#include "engine/state/runstore.h"
#include "ui/services/workspaceservice.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace syncline::ui {

namespace {

LastSent lookUp(engine::state::Workspace &workspace, const QString &syncName, const QString &key)
{
    LastSent answer;
    answer.syncName = syncName;
    answer.key = key;
    auto syncId = engine::state::DefinitionStore(workspace).syncId(syncName);
    if (!syncId) {
        answer.error = syncId.error().message;
        return answer;
    }
    const std::string keyText = key.toStdString();
    auto entry = engine::state::LedgerStore(workspace).find(*syncId, keyText);
    if (!entry) {
        answer.error = entry.error().message;
        return answer;
    }
    if (*entry) {
        const engine::state::LedgerEntry &e = **entry;
        answer.known = true;
        answer.delivered = e.payloadHash.has_value();
        answer.status = e.status;
        answer.destinationId = e.destinationId;
        answer.lastError = e.lastError;
        answer.attempts = e.attempts;
        answer.updatedAtMs = e.updatedAtMs;
        if (!e.payload.empty()) {
            const QJsonDocument json = QJsonDocument::fromJson(QByteArray::fromStdString(e.payload));
            answer.payload = json.isNull() ? QString::fromStdString(e.payload)
                                           : QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
        }
    }
    if (auto outcomes = engine::state::RunStore(workspace).outcomesForKey(*syncId, keyText, 1); outcomes && !outcomes->empty()) {
        answer.lastRunId = outcomes->front().runId;
        answer.lastRunAccepted = outcomes->front().accepted;
    }
    return answer;
}

} // namespace

LastSentPanel::LastSentPanel(WorkspaceService *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_key(new QLineEdit(this))
    , m_ask(new QPushButton(tr("Look up"), this))
    , m_summary(new QLabel(this))
    , m_payload(new QPlainTextEdit(this))
{
    m_key->setPlaceholderText(tr("A key, e.g. 42"));
    m_key->setClearButtonEnabled(true);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("What did we last send for a key? Type it and choose Look up."));
    m_payload->setReadOnly(true);
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->hide();
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Key:"), this));
    row->addWidget(m_key, 1);
    row->addWidget(m_ask);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_summary);
    layout->addWidget(m_payload, 1);
    connect(m_ask, &QPushButton::clicked, this, [this] { ask(m_key->text().trimmed()); });
    connect(m_key, &QLineEdit::returnPressed, m_ask, &QPushButton::click);
}

void LastSentPanel::setSync(const QString &syncName)
{
    if (syncName == m_syncName)
        return;
    m_syncName = syncName;
    ++m_generation;
    m_answer = {};
    m_payload->clear();
    m_payload->hide();
    m_summary->setText(tr("What did we last send for a key? Type it and choose Look up."));
}

void LastSentPanel::ask(const QString &key)
{
    if (key.isEmpty() || m_syncName.isEmpty())
        return;
    if (m_key->text().trimmed() != key)
        m_key->setText(key);
    const quint64 generation = ++m_generation;
    const QString syncName = m_syncName;
    m_summary->setText(tr("Looking up %1…").arg(key));
    m_workspace->call<LastSent>(
        this, [syncName, key](engine::state::Workspace &workspace) { return lookUp(workspace, syncName, key); },
        [this, generation](LastSent answer) {
            if (generation == m_generation)
                showAnswer(answer);
        });
}

QString LastSentPanel::answerText() const
{
    return m_summary->text();
}

void LastSentPanel::showAnswer(const LastSent &answer)
{
    m_answer = answer;
    const QString when = QLocale().toString(QDateTime::fromMSecsSinceEpoch(answer.updatedAtMs), QLocale::ShortFormat);
    QString text;
    if (!answer.error.isEmpty())
        text = answer.error;
    else if (!answer.known)
        text = tr("%1 never sent key %2.").arg(answer.syncName, answer.key);
    else if (answer.delivered)
        text = tr("Key %1: last accepted %2 as record %3 (status %4). This is what the destination has from us:")
                   .arg(answer.key, when, answer.destinationId.isEmpty() ? tr("(no id)") : answer.destinationId, answer.status);
    else
        text = tr("Key %1 has nothing delivered (status %2, updated %3).").arg(answer.key, answer.status, when);
    if (answer.known && !answer.lastError.isEmpty())
        text += QLatin1Char(' ') + tr("Last error after %n attempt(s): %1", nullptr, answer.attempts).arg(answer.lastError);
    if (answer.lastRunId > 0)
        text += QLatin1Char(' ') + tr("Newest run with this key: run %1 (%2).")
                                      .arg(answer.lastRunId)
                                      .arg(answer.lastRunAccepted ? tr("accepted") : tr("rejected"));
    m_summary->setText(text);
    m_payload->setPlainText(answer.payload);
    m_payload->setVisible(!answer.payload.isEmpty());
    emit answered(answer.key);
}

} // namespace syncline::ui
