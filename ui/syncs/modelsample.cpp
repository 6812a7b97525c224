#include "ui/syncs/modelsample.h"

#include "ui/sources/sourceconnection.h"
#include "ui/widgets/errortext.h"

namespace syncline::ui {

using engine::warehouse::Column;

ModelSample::ModelSample(std::shared_ptr<engine::SecretResolver> secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(std::move(secrets))
{
}

void ModelSample::clear()
{
    if (m_session) {
        m_session->cancel();
        m_session->deleteLater();
    }
    ++m_generation;
    m_running = false;
    m_columns.clear();
    m_rows.clear();
    m_error.clear();
}

void ModelSample::run(const engine::ModelDef &model, const engine::SourceDef &source, int rows)
{
    clear();
    m_running = true;
    m_wanted = rows;
    auto *session = new QuerySession(connectionOpener(source, m_secrets), model.sql, m_generation, this);
    m_session = session;
    connect(session, &QuerySession::columnsReady, this, [this](quint64 g, const std::vector<Column> &columns) {
        if (g == m_generation)
            m_columns = columns;
    });
    connect(session, &QuerySession::rowsReady, this, [this](quint64 g, const QVector<PreviewRow> &rows) {
        if (g != m_generation)
            return;
        m_rows += rows;
        if (m_rows.size() >= m_wanted)
            finish();
    });
    connect(session, &QuerySession::finished, this, [this](quint64 g, qint64) {
        if (g == m_generation)
            finish();
    });
    connect(session, &QuerySession::failed, this, [this](quint64 g, const engine::Error &error) {
        if (g != m_generation)
            return;
        m_running = false;
        m_error = ErrorText::forQuery(error).summary;
        emit failed(m_error);
    });
    session->start();
    session->request(rows);
}

void ModelSample::finish()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_rows.size() > m_wanted)
        m_rows.resize(m_wanted);
    // The rest of the result is not needed: close the cursor now, so it holds no read lock on the
    // warehouse (a SQLite file lets no one write while a reader is open).
    if (m_session) {
        m_session->cancel();
        m_session->deleteLater();
    }
    emit ready();
}

} // namespace syncline::ui
