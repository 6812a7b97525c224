#include "ui/shell/screenshottour.h"

#include "ui/sources/connectiondialog.h"
#include "ui/models/keypanel.h"
#include "ui/shell/mainwindow.h"
#include "ui/models/modelspage.h"
#include "ui/models/previewpanel.h"
#include "ui/sources/sourcespage.h"
#include "ui/models/sqleditor.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QListWidget>
#include <QPixmap>
#include <QPointer>
#include <QTextStream>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>

namespace syncline::ui {

ScreenshotTour::ScreenshotTour(MainWindow *window, const QString &directory, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_directory(directory)
{
    m_directory.mkpath(QStringLiteral("."));
}

void ScreenshotTour::start()
{
    step(0);
}

void ScreenshotTour::save(QWidget *widget, const QString &name)
{
    const QString path = m_directory.filePath(name + QStringLiteral(".png"));
    widget->grab().save(path);
    QTextStream(stdout) << "saved " << path << Qt::endl;
}

void ScreenshotTour::when(std::function<bool()> ready, std::function<void()> next, int timeoutMs)
{
    auto *timer = new QTimer(this);
    const QDeadlineTimer deadline(timeoutMs);
    connect(timer, &QTimer::timeout, this, [timer, ready, next, deadline] {
        if (!ready() && !deadline.hasExpired())
            return;
        timer->deleteLater();
        timer->stop();
        QTimer::singleShot(300, timer->parent(), next); // let the last paint settle
    });
    timer->start(50);
}

void ScreenshotTour::step(int index)
{
    ModelsPage *models = m_window->modelsPage();
    switch (index) {
    case 0:
        m_window->showPage(MainWindow::Page::Welcome);
        return when([] { return true; }, [this] { save(m_window, QStringLiteral("welcome")); step(1); });
    case 1:
        m_window->showPage(MainWindow::Page::Sources);
        return when([this] { return m_window->sourcesPage()->list()->topLevelItemCount() > 0; },
                    [this] { save(m_window, QStringLiteral("sources")); step(2); });
    case 2: {
        QPointer<ConnectionDialog> dialog = m_window->sourcesPage()->openDialog();
        dialog->show();
        when([dialog] { return dialog->driversLoaded(); }, [this, dialog] {
            dialog->setName(QStringLiteral("warehouse"));
            dialog->setKind(QStringLiteral("postgresql"));
            dialog->setField(QStringLiteral("Server"), QStringLiteral("localhost"));
            dialog->setField(QStringLiteral("Port"), QStringLiteral("1"));
            dialog->setField(QStringLiteral("Database"), QStringLiteral("analytics"));
            dialog->setField(QStringLiteral("Uid"), QStringLiteral("analyst"));
            dialog->setPassword(QStringLiteral("not-a-real-password"));
            dialog->testConnection();
            when([dialog] { return !dialog->isTesting(); }, [this, dialog] {
                if (auto *details = dialog->findChild<QToolButton *>())
                    details->setChecked(true); // show the driver's own words too
                dialog->resize(dialog->width(), dialog->sizeHint().height());
                save(dialog, QStringLiteral("connection-dialog"));
                dialog->reject();
                step(3);
            });
        });
        return;
    }
    case 3:
        m_window->showPage(MainWindow::Page::Models);
        return when([models] { return models->modelList()->count() > 0; }, [this, models] {
            models->modelList()->setCurrentRow(0);
            when([models] { return !models->editor()->text().isEmpty(); }, [this, models] {
                models->preview();
                when([models] {
                    const auto state = models->previewPanel()->state();
                    return state != PreviewPanel::State::Running && state != PreviewPanel::State::Idle;
                }, [this] { save(m_window, QStringLiteral("models-preview")); step(4); });
            });
        });
    case 4:
        models->checkKey();
        return when([models] { return !models->keyPanel()->checker()->isRunning(); },
                    [this] { save(m_window, QStringLiteral("key-check")); step(5); });
    default:
        QApplication::quit();
    }
}

} // namespace syncline::ui
