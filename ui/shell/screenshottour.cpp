#include "ui/shell/screenshottour.h"

#include "ui/destinations/destinationdialog.h"
#include "ui/destinations/destinationspage.h"
#include "ui/syncs/mapperwidget.h"
#include "ui/syncs/mappingdocument.h"
#include "ui/syncs/synceditor.h"
#include "ui/syncs/syncspage.h"
#include "engine/demo/demowarehouse.h"
#include "engine/demo/demoworkspace.h"
#include "engine/warehouse/odbcconnection.h"
#include "ui/runs/runhistorymodel.h"
#include "ui/runs/runspage.h"
#include "ui/services/backgroundpool.h"
#include "ui/sources/connectiondialog.h"
#include "ui/syncs/diffpreviewpanel.h"
#include "ui/models/keypanel.h"
#include "ui/shell/mainwindow.h"
#include "ui/models/modelspage.h"
#include "ui/models/previewpanel.h"
#include "ui/sources/sourcespage.h"
#include "ui/models/sqleditor.h"

#include <QApplication>
#include <QDialog>
#include <QDeadlineTimer>
#include <QListWidget>
#include <QPixmap>
#include <QPointer>
#include <QTextStream>
#include <QTimer>
#include <QToolButton>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

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
    case 5:
    case 6:
    case 7:
    case 8:
        return previewStep(index);
    case 9:
    case 10:
    case 11:
        return editorStep(index);
    default:
        QApplication::quit();
    }
}

void ScreenshotTour::changeDemoWarehouse(const QStringList &statements, std::function<void()> next)
{
    QPointer<ScreenshotTour> guard(this);
    (void)QtConcurrent::run(&backgroundPool(), [guard, statements, next] {
        if (auto path = engine::demo::ensureDemoWarehouse()) {
            auto connection = engine::warehouse::OdbcConnection::open(
                engine::warehouse::ConnectionSpec{engine::demo::demoConnectionString(*path)});
            for (const QString &sql : statements)
                if (connection)
                    (void)(*connection)->executeUpdate(sql);
        }
        if (guard)
            QMetaObject::invokeMethod(guard.data(), next, Qt::QueuedConnection);
    });
}

void ScreenshotTour::previewStep(int index)
{
    using State = DiffPreviewPanel::State;
    if (!m_preview) {
        m_previewDialog = new QDialog(m_window);
        m_previewDialog->setWindowTitle(tr("Preview & Send"));
        m_preview = new DiffPreviewPanel(m_window->workspace(), m_window->services().secrets, m_previewDialog);
        auto *layout = new QVBoxLayout(m_previewDialog);
        layout->addWidget(m_preview);
        m_previewDialog->resize(m_window->width() - 120, m_window->height() - 120);
        m_previewDialog->show();
    }
    DiffPreviewPanel *panel = m_preview;
    const auto settled = [panel] { return panel->state() != State::Planning && panel->state() != State::Sending; };
    switch (index) {
    case 5: // the first send of the demo sync, then three customers change in the warehouse
        // The Models page's preview keeps a cursor open on the demo warehouse (a SQLite file),
        // which would hold back the changes below.
        m_window->modelsPage()->previewPanel()->clear();
        panel->setSync(engine::demo::DemoNames::sync());
        panel->preview();
        return when(settled, [this, panel, settled] {
            panel->send();
            when(settled, [this] {
                changeDemoWarehouse({QStringLiteral("update customers set plan = 'enterprise', seats = seats + 20 "
                                                    "where id in (17, 23)"),
                                     QStringLiteral("update customers set email = 'jonas.berg@northwind.example' "
                                                    "where id = 31")},
                                    [this] { step(6); });
            });
        }, 60000);
    case 6: // the diff: exactly those changes, field by field
        panel->preview();
        return when(settled, [this, panel] {
            panel->tableFor(engine::state::DiffOp::Change)->setFocus(); // no row selected: its highlights show
            save(m_previewDialog, QStringLiteral("diff-preview"));
            panel->send();
            when([panel] { return panel->state() != State::Sending; }, [this] {
                // Every customer changes: a send long enough to watch.
                changeDemoWarehouse({QStringLiteral("update customers set lifetime_value = lifetime_value + 1")},
                                    [this] { step(7); });
            });
        }, 60000);
    case 7: // a send in progress, grabbed while it runs
        panel->preview();
        return when(settled, [this, panel, settled] {
            auto *grabbed = new bool(false);
            connect(panel->sendController(), &SendController::progressed, this, [this, grabbed](const SendProgress &progress) {
                if (*grabbed || progress.sent == 0 || progress.sent >= progress.planned)
                    return;
                *grabbed = true;
                save(m_previewDialog, QStringLiteral("send-progress"));
            });
            panel->send();
            when(settled, [this, grabbed] {
                delete grabbed;
                m_previewDialog->hide();
                step(8);
            }, 60000);
        }, 60000);
    case 8: // the runs of the demo sync, with the chart
        m_window->showPage(MainWindow::Page::Runs);
        m_window->runsPage()->reload();
        return when([this] { return !m_window->runsPage()->isLoading() && m_window->runsPage()->history()->rowCount() >= 3; },
                    [this] { save(m_window, QStringLiteral("runs")); step(9); });
    default:
        return step(9);
    }
}

void ScreenshotTour::editorStep(int index)
{
    SyncEditor *editor = m_window->syncsPage()->editor();
    switch (index) {
    case 9: { // the demo's file destination, its form generated from the connector's settings, tested
        m_window->showPage(MainWindow::Page::Destinations);
        DestinationsPage *page = m_window->destinationsPage();
        return when([page] { return !page->destinations().empty(); }, [this, page] {
            QPointer<DestinationDialog> dialog = page->openDialog(engine::demo::DemoNames::destination());
            dialog->show();
            dialog->testConnection();
            dialog->resize(dialog->width(), 440); // a file destination has three settings
            when([dialog] { return !dialog->isTesting(); }, [this, dialog] {
                save(dialog, QStringLiteral("destination-form"));
                dialog->reject();
                step(10);
            });
        });
    }
    case 10: // the demo sync in the sync editor
        m_window->showPage(MainWindow::Page::Syncs);
        m_window->syncsPage()->openSync(engine::demo::DemoNames::sync());
        return when([editor] { return editor->savedName() == engine::demo::DemoNames::sync() && !editor->isBusy(); },
                    [this] { save(m_window, QStringLiteral("sync-editor")); step(11); });
    case 11: // its mapping: columns dragged onto the file's fields, a template rendered live
        m_window->resize(1280, 800); // the whole screen: both sides of the mapper and the field's rendering
        editor->tabs()->setCurrentWidget(editor->mapper());
        return when([editor] { return !editor->mapper()->document()->columns().empty() && !editor->isBusy(); }, [this, editor] {
            editor->mapper()->selectField(QStringLiteral("full_name"));
            when([] { return true; }, [this] {
                save(m_window, QStringLiteral("mapper"));
                step(12);
            });
        });
    default:
        return step(12);
    }
}

} // namespace syncline::ui
