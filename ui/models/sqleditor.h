#pragma once

#include "ui/sources/catalog.h"

#include <Qsci/qsciscintilla.h>

class QsciAPIs;

namespace syncline::ui {

// The SQL editor: QScintilla with SQL highlighting in the platform's palette, and completion
// of SQL keywords plus the warehouse's schemas, tables and columns ("schema." offers its
// tables, "table." its columns). Ctrl+Enter asks to run the query.
class SqlEditor : public QsciScintilla
{
    Q_OBJECT
public:
    explicit SqlEditor(QWidget *parent = nullptr);
    ~SqlEditor() override;

    void setCatalog(const Catalog &catalog);
    const QStringList &completionWords() const { return m_words; }

signals:
    void runRequested();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QsciAPIs *m_apis = nullptr;
    bool m_preparing = false; // QsciAPIs is building its word list on its own thread
    QStringList m_words;
};

} // namespace syncline::ui
