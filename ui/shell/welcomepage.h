#pragma once

#include <QWidget>

class QLabel;

namespace syncline::ui {

// The short walk-through shown on first start: connect, model, map, preview and send.
// Each step names the page that does it and has a button that goes there.
class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);
    void setWorkspaceName(const QString &name);

signals:
    void goToSources();
    void goToModels();
    void goToSyncs();
    void goToRuns();

private:
    QLabel *m_workspace = nullptr;
};

} // namespace syncline::ui
