#pragma once

#include "engine/core/error.h"
#include "engine/definitions/definitions.h"
#include "engine/secrets/secretresolver.h"
#include "engine/warehouse/column.h"
#include "ui/models/querysession.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace syncline::ui {

// The first rows of a model, for the sync editor: its columns (the match key and the mapper's
// left side) and sample values. Runs the model's SQL on a pool thread through a QuerySession and
// fetches only `rows` rows; a new run() drops what the previous one still delivers.
class ModelSample : public QObject
{
    Q_OBJECT
public:
    explicit ModelSample(std::shared_ptr<engine::SecretResolver> secrets, QObject *parent = nullptr);

    void run(const engine::ModelDef &model, const engine::SourceDef &source, int rows = 20);
    void clear();
    bool isRunning() const { return m_running; }
    const std::vector<engine::warehouse::Column> &columns() const { return m_columns; }
    const QVector<PreviewRow> &rows() const { return m_rows; }
    QString error() const { return m_error; }

signals:
    void ready();
    void failed(const QString &message);

private:
    void finish();

    std::shared_ptr<engine::SecretResolver> m_secrets;
    QPointer<QuerySession> m_session;
    quint64 m_generation = 0;
    bool m_running = false;
    int m_wanted = 0;
    std::vector<engine::warehouse::Column> m_columns;
    QVector<PreviewRow> m_rows;
    QString m_error;
};

} // namespace syncline::ui
