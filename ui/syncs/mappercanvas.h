#pragma once

#include <QPainterPath>
#include <QPointer>
#include <QWidget>

namespace syncline::ui {

class MappingDocument;

// The mapper's drawing: model columns (with sample values) on the left, destination fields on
// the right, each connection a curve between them; constants and templates as a chip beside
// their field. Drag a column onto a field to connect (plain mouse press/move/release, so QTest
// drives it offscreen); click a curve or a field to select it, Delete removes the selection's
// connection; clicking a column then a field connects too. For objects that accept any field, a "New field" row takes a
// column as itself.
class MapperCanvas : public QWidget
{
    Q_OBJECT
public:
    explicit MapperCanvas(MappingDocument *document, QWidget *parent = nullptr);

    // Geometry in widget coordinates, for tests and the tour; empty when the name is unknown.
    QRect columnRect(const QString &column) const;
    QRect fieldRect(const QString &field) const;
    QRect newFieldRect() const; // empty unless the object accepts any field
    QPainterPath connectionPath(const QString &field) const;
    QPoint connectionMidpoint(const QString &field) const;

    QString selectedField() const { return m_selectedField; }
    void selectField(const QString &field);
    QString draggedColumn() const { return m_dragColumn; }
    // A column clicked (not dragged): the next click on a field connects it; Escape forgets it.
    QString pendingColumn() const { return m_pendingColumn; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void fieldSelected(const QString &field);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    QString columnAt(const QPoint &pos) const;
    QString fieldAt(const QPoint &pos) const;
    QString connectionAt(const QPoint &pos) const;
    int columnIndex(const QString &column) const;
    int fieldIndex(const QString &field) const;
    QRect columnsBox() const;
    QRect fieldsBox() const;
    QString newFieldName(const QString &column) const;
    void paintColumns(QPainter &painter);
    void paintFields(QPainter &painter);
    void paintConnections(QPainter &painter);
    void onMappingChanged();

    QPointer<MappingDocument> m_document;
    QStringList m_columnNames; // cached from the document on change
    QStringList m_fieldNames;
    QString m_selectedField;
    QString m_hoverField;
    QString m_dragColumn;
    QString m_pendingColumn;
    QPoint m_dragPos;
    bool m_dragOverNewField = false;
};

} // namespace syncline::ui
