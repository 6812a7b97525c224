// The visual mapper as a user drives it offscreen: dragging a column onto a field with the
// mouse connects them (a line appears where the user looks), undo removes it, clicking the line
// and pressing Delete disconnects, Auto-map and the keyboard shortcuts work, the field editor
// shows what the first rows send, and the warnings list says what blocks running.

#include "engine/warehouse/rowbatchbuilder.h"
#include "ui/models/previewpanel.h"
#include "ui/models/resultmodel.h"
#include "ui/sources/sourceconnection.h"
#include "ui/syncs/mappercanvas.h"
#include "ui/syncs/mapperdemo.h"
#include "ui/syncs/mapperfieldeditor.h"
#include "ui/syncs/mapperwidget.h"
#include "ui/syncs/mappingdocument.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include "uitestsupport.h"

using namespace syncline;
using namespace syncline::ui;
using engine::warehouse::ColumnKind;
using engine::warehouse::RowBatchBuilder;

namespace {

// Presses on `from`, moves in steps like a hand would, releases on `to`.
void drag(QWidget *widget, QPoint from, QPoint to)
{
    QTest::mousePress(widget, Qt::LeftButton, {}, from);
    for (int step = 1; step <= 4; ++step)
        QTest::mouseMove(widget, from + (to - from) * step / 4);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, to);
}

QStringList texts(const QListWidget *list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i)
        out << list->item(i)->text();
    return out;
}

// The colour of the canvas's pixel at `point`, as the user would see it.
QColor pixel(QWidget *widget, QPoint point)
{
    return widget->grab().toImage().pixelColor(point * widget->devicePixelRatioF());
}

} // namespace

class MapperWidgetTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MapperWidget> m_widget;
    MappingDocument *document() const { return m_widget->document(); }
    MapperCanvas *canvas() const { return m_widget->canvas(); }

private slots:
    void init()
    {
        m_widget = std::make_unique<MapperWidget>();
        fillDemoMapper(m_widget->document(), false);
        m_widget->resize(1200, 800);
        m_widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_widget.get()));
    }

    void cleanup() { m_widget.reset(); }

    void draggingAColumnOntoAFieldConnectsThemWithALine()
    {
        const QRect column = canvas()->columnRect(QStringLiteral("email"));
        const QRect field = canvas()->fieldRect(QStringLiteral("email"));
        QVERIFY(!column.isEmpty() && !field.isEmpty());
        // Before: the gutter between them is blank where the line will run.
        QVERIFY(canvas()->connectionPath(QStringLiteral("email")).isEmpty());

        drag(canvas(), column.center(), field.center());

        QCOMPARE(document()->entryFor(QStringLiteral("email"))->column, QStringLiteral("email"));
        QCOMPARE(document()->undoStack()->undoText(), QStringLiteral("Map email \u2192 email"));
        QCOMPARE(canvas()->selectedField(), QStringLiteral("email"));
        QCOMPARE(m_widget->fieldEditor()->field(), QStringLiteral("email"));
        // The line is drawn: its midpoint has the highlight colour, not the background.
        const QPoint middle = canvas()->connectionMidpoint(QStringLiteral("email"));
        QVERIFY(!middle.isNull());
        QCOMPARE(pixel(canvas(), middle).rgb() == canvas()->palette().color(QPalette::Base).rgb(), false);
        // The editor shows what the first rows send, the NULL email included.
        QCOMPARE(texts(m_widget->fieldEditor()->previewList()),
            QStringList({ QStringLiteral("Row 1: \"ada@example.com\""), QStringLiteral("Row 2: \"alan@example.com\""),
                QStringLiteral("Row 3: null") }));

        m_widget->undoAction()->trigger();
        QVERIFY(!document()->entryFor(QStringLiteral("email")));
        QVERIFY(canvas()->connectionPath(QStringLiteral("email")).isEmpty());
        QCOMPARE(pixel(canvas(), middle).rgb(), canvas()->palette().color(QPalette::Base).rgb());
        m_widget->redoAction()->trigger();
        QCOMPARE(document()->entryFor(QStringLiteral("email"))->column, QStringLiteral("email"));
    }

    void draggingTowardsAFieldBelowTheViewScrollsToIt()
    {
        m_widget->resize(1200, 420);
        QTRY_VERIFY(canvas()->visibleRegion().boundingRect().height() < canvas()->height());
        const QRect target = canvas()->fieldRect(QStringLiteral("signup_date"));
        QVERIFY(!canvas()->visibleRegion().boundingRect().contains(target));
        drag(canvas(), canvas()->columnRect(QStringLiteral("signup_date")).center(), target.center());
        QVERIFY(canvas()->visibleRegion().boundingRect().contains(target.center()));
        QCOMPARE(document()->entryFor(QStringLiteral("signup_date"))->column, QStringLiteral("signup_date"));
    }

    void releasingOutsideAFieldConnectsNothing()
    {
        const QRect column = canvas()->columnRect(QStringLiteral("email"));
        drag(canvas(), column.center(), column.center() + QPoint(column.width() + 40, 0));
        QCOMPARE(document()->connectionCount(), 0);
        QCOMPARE(document()->undoStack()->count(), 0);
        QVERIFY(canvas()->draggedColumn().isEmpty());
    }

    void clickingAColumnThenAFieldConnectsThem()
    {
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, canvas()->columnRect(QStringLiteral("country")).center());
        QCOMPARE(canvas()->pendingColumn(), QStringLiteral("country"));
        QCOMPARE(document()->connectionCount(), 0);
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, canvas()->fieldRect(QStringLiteral("country_code")).center());
        QCOMPARE(document()->entryFor(QStringLiteral("country_code"))->column, QStringLiteral("country"));
        QVERIFY(canvas()->pendingColumn().isEmpty());
        // Escape forgets a clicked column: the next field click only selects.
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, canvas()->columnRect(QStringLiteral("plan")).center());
        QTest::keyClick(canvas(), Qt::Key_Escape);
        QTest::mouseClick(
            canvas(), Qt::LeftButton, {}, canvas()->fieldRect(QStringLiteral("lifecycle_stage")).center());
        QVERIFY(!document()->entryFor(QStringLiteral("lifecycle_stage")));
        QCOMPARE(canvas()->selectedField(), QStringLiteral("lifecycle_stage"));
    }

    void clickingALineAndPressingDeleteDisconnects()
    {
        document()->connectColumn(QStringLiteral("first_name"), QStringLiteral("firstname"));
        canvas()->selectField({});
        const QPoint middle = canvas()->connectionMidpoint(QStringLiteral("firstname"));
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, middle);
        QCOMPARE(canvas()->selectedField(), QStringLiteral("firstname"));
        QTest::keyClick(canvas(), Qt::Key_Delete);
        QVERIFY(!document()->entryFor(QStringLiteral("firstname")));
        QCOMPARE(document()->undoStack()->undoText(), QStringLiteral("Unmap first_name \u2192 firstname"));
    }

    void autoMapAndTheUndoShortcutWork()
    {
        QVERIFY(!m_widget->undoAction()->isEnabled());
        m_widget->autoMapAction()->trigger();
        QVERIFY(document()->connectionCount() >= 6);
        QCOMPARE(document()->entryFor(QStringLiteral("surname"))->column, QStringLiteral("last_name"));
        QVERIFY(m_widget->undoAction()->toolTip().startsWith(QStringLiteral("Undo Auto-map")));
        m_widget->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_widget.get()));
        canvas()->setFocus();
        QTest::keySequence(canvas(), QKeySequence::Undo);
        QCOMPARE(document()->connectionCount(), 0);
        QTest::keySequence(canvas(), QKeySequence::Redo);
        QVERIFY(document()->connectionCount() >= 6);
    }

    void warningsSayWhatBlocksRunningAndOfferTheCast()
    {
        QSignalSpy canRun(m_widget.get(), &MapperWidget::canRunChanged);
        m_widget->autoMapAction()->trigger();
        QVERIFY(document()->canRun());
        drag(canvas(), canvas()->columnRect(QStringLiteral("lifetime_value")).center(),
            canvas()->fieldRect(QStringLiteral("ltv")).center());
        QVERIFY(!document()->canRun());
        QCOMPARE(canRun.last().first().toBool(), false);
        QVERIFY(m_widget->statusLabel()->text().contains(QStringLiteral("1 problem must be fixed")));
        const QStringList warnings = texts(m_widget->warningsList());
        QVERIFY2(warnings.first().contains(QStringLiteral("'ltv' expects number but gets text")),
            qPrintable(warnings.join(QLatin1Char('\n'))));

        // Double-clicking the warning applies the suggested cast: the run is unblocked.
        QListWidgetItem *item = m_widget->warningsList()->item(0);
        emit m_widget->warningsList()->itemActivated(item);
        QCOMPARE(document()->entryFor(QStringLiteral("ltv"))->cast, QStringLiteral("number"));
        QVERIFY(document()->canRun());
        QCOMPARE(canRun.last().first().toBool(), true);
        QCOMPARE(m_widget->fieldEditor()->castBox()->currentText(), QStringLiteral("number"));
    }

    void typingATemplateShowsItsRenderingAndIsOneUndoStep()
    {
        canvas()->selectField(QStringLiteral("full_name"));
        m_widget->addTemplateAction()->trigger();
        QLineEdit *edit = m_widget->fieldEditor()->textEdit();
        QVERIFY(edit->isVisible());
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("{{first_name}} {{last_name}}"));
        QCOMPARE(document()->entryFor(QStringLiteral("full_name"))->templateText,
            QStringLiteral("{{first_name}} {{last_name}}"));
        QCOMPARE(document()->undoStack()->count(), 1);
        QCOMPARE(
            m_widget->undoAction()->toolTip(), QStringLiteral("Undo Set full_name to {{first_name}} {{last_name}}"));
        QCOMPARE(m_widget->fieldEditor()->previewList()->item(2)->text(), QStringLiteral("Row 3: \"Grace Hopper\""));

        // Insert a column at the cursor from the list: still the same undo step.
        edit->end(false);
        edit->insert(QStringLiteral(" <"));
        QComboBox *insert = m_widget->fieldEditor()->insertColumnBox();
        QVERIFY(insert->isVisible());
        const int email = insert->findText(QStringLiteral("email"));
        insert->setCurrentIndex(email);
        emit insert->activated(email);
        QCOMPARE(document()->entryFor(QStringLiteral("full_name"))->templateText,
            QStringLiteral("{{first_name}} {{last_name}} <{{email}}"));
        QCOMPARE(document()->undoStack()->count(), 1);
        QCOMPARE(m_widget->fieldEditor()->previewList()->item(0)->text(),
            QStringLiteral("Row 1: \"Ada Lovelace <ada@example.com\""));
        m_widget->undoAction()->trigger();
        QVERIFY(!document()->entryFor(QStringLiteral("full_name")));
    }

    void aConstantCanBeChosenInTheFieldEditor()
    {
        canvas()->selectField(QStringLiteral("lifecycle_stage"));
        QComboBox *source = m_widget->fieldEditor()->sourceBox();
        source->setCurrentIndex(source->findText(QStringLiteral("A constant")));
        emit source->activated(source->currentIndex());
        QTest::keyClicks(m_widget->fieldEditor()->textEdit(), QStringLiteral("customer"));
        QCOMPARE(document()->entryFor(QStringLiteral("lifecycle_stage"))->value, QStringLiteral("customer"));
        QCOMPARE(document()->undoStack()->count(), 1);
        QCOMPARE(m_widget->fieldEditor()->previewList()->item(0)->text(), QStringLiteral("Row 1: \"customer\""));
    }

    void samplesComeFromTheModelPreview()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("warehouse.db"));
        if (auto created = testing::createPeopleWarehouse(path, 20); !created)
            QSKIP(qPrintable(QStringLiteral("no SQLite3 ODBC driver: ") + created.error().message));
        PreviewPanel panel;
        panel.run(connectionOpener(engine::warehouse::ConnectionSpec { testing::sqliteConnection(path) }),
            QStringLiteral("select id, email, team from people where id is not null order by id"));
        QTRY_VERIFY(panel.model()->rowCount() >= 3);

        document()->setColumnsFromPreview(panel.model(), 3);
        QCOMPARE(canvas()->columnRect(QStringLiteral("plan")), QRect()); // the demo columns are gone
        QVERIFY(!canvas()->columnRect(QStringLiteral("team")).isEmpty());
        QCOMPARE(document()->sampleRowCount(), 3);
        QCOMPARE(document()->columns()[1].samples,
            QStringList({ QStringLiteral("person1@example.com"), QStringLiteral("person2@example.com"),
                QStringLiteral("person3@example.com") }));
        drag(canvas(), canvas()->columnRect(QStringLiteral("email")).center(),
            canvas()->fieldRect(QStringLiteral("email")).center());
        QCOMPARE(
            m_widget->fieldEditor()->previewList()->item(2)->text(), QStringLiteral("Row 3: \"person3@example.com\""));
    }

    void aMappingLeftOverFromAnotherObjectIsShownAndRemovable()
    {
        document()->connectColumn(QStringLiteral("plan"), QStringLiteral("lifecycle_stage"));
        engine::connector::ObjectSpec companies;
        companies.name = QStringLiteral("companies");
        companies.fields = { document()->object().fields.front() }; // only email
        document()->setObject(companies);
        QVERIFY(!canvas()->fieldRect(QStringLiteral("lifecycle_stage")).isEmpty());
        QVERIFY(!document()->canRun());
        QVERIFY(texts(m_widget->warningsList())
                    .join(QLatin1Char('\n'))
                    .contains(QStringLiteral("'companies' has no field 'lifecycle_stage'")));
        QTest::mouseClick(
            canvas(), Qt::LeftButton, {}, canvas()->fieldRect(QStringLiteral("lifecycle_stage")).center());
        QTest::keyClick(canvas(), Qt::Key_Delete);
        QVERIFY(canvas()->fieldRect(QStringLiteral("lifecycle_stage")).isEmpty());
        QVERIFY(!document()->entryFor(QStringLiteral("lifecycle_stage")));
    }

    void droppingOnNewFieldAddsAFieldForAnyFieldObjects()
    {
        engine::connector::ObjectSpec file;
        file.name = QStringLiteral("customers");
        file.acceptsAnyField = true;
        document()->setObject(file);
        const QRect target = canvas()->newFieldRect();
        QVERIFY(!target.isEmpty());
        drag(canvas(), canvas()->columnRect(QStringLiteral("plan")).center(), target.center());
        QCOMPARE(document()->entryFor(QStringLiteral("plan"))->column, QStringLiteral("plan"));
        QVERIFY(!canvas()->fieldRect(QStringLiteral("plan")).isEmpty());
        // The same column again becomes a second field, never a duplicate.
        drag(canvas(), canvas()->columnRect(QStringLiteral("plan")).center(), canvas()->newFieldRect().center());
        QCOMPARE(document()->entryFor(QStringLiteral("plan_2"))->column, QStringLiteral("plan"));
        QCOMPARE(document()->toSync().mapping.size(), size_t(2));

        // The new field is named in the editor; the canvas follows the new name.
        QLineEdit *name = m_widget->fieldEditor()->nameEdit();
        QVERIFY(name->isVisible());
        QCOMPARE(name->text(), QStringLiteral("plan_2"));
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("tier"));
        QTest::keyClick(name, Qt::Key_Return);
        QCOMPARE(document()->entryFor(QStringLiteral("tier"))->column, QStringLiteral("plan"));
        QVERIFY(!canvas()->fieldRect(QStringLiteral("tier")).isEmpty());
        QCOMPARE(canvas()->selectedField(), QStringLiteral("tier"));
    }
};

QTEST_MAIN(MapperWidgetTest)
#include "tst_mapperwidget.moc"
