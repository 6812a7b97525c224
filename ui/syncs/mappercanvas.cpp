#include "ui/syncs/mappercanvas.h"

#include "ui/syncs/mappingdocument.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPathStroker>
#include <QScrollArea>
#include <QToolTip>

namespace syncline::ui {

using engine::MappingEntry;
using engine::connector::FieldSpec;

namespace {

constexpr int kMargin = 12;
constexpr int kHeader = 30;
constexpr int kRowHeight = 46;
constexpr int kRowGap = 6;
constexpr int kMinBoxWidth = 190;
constexpr int kGutter = 180; // the space the curves cross
constexpr int kChipGap = 24; // between a constant's or template's chip and its field

QString fieldDetails(const FieldSpec &spec, const MappingDocument &document)
{
    if (!document.field(spec.name))
        return document.object().acceptsAnyField
            ? MapperCanvas::tr("added field")
            : MapperCanvas::tr("not a field of %1: remove this mapping").arg(document.object().name);
    QStringList parts { fieldTypeName(spec.type) };
    if (spec.required)
        parts << MapperCanvas::tr("required");
    if (spec.identifier)
        parts << MapperCanvas::tr("identifier");
    if (spec.readOnly)
        parts << MapperCanvas::tr("read-only");
    return parts.join(QStringLiteral(" \u00b7 "));
}

QString chipText(const MappingEntry &entry)
{
    if (entry.kind == MappingEntry::SourceKind::Constant)
        return QStringLiteral("= \"%1\"").arg(entry.value);
    return entry.templateText;
}

} // namespace

MapperCanvas::MapperCanvas(MappingDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setAccessibleName(tr("Mapping"));
    connect(document, &MappingDocument::mappingChanged, this, &MapperCanvas::onMappingChanged);
    connect(document, &MappingDocument::inputsChanged, this, &MapperCanvas::onMappingChanged);
    connect(document, &MappingDocument::warningsChanged, this, qOverload<>(&QWidget::update));
    onMappingChanged();
}

void MapperCanvas::onMappingChanged()
{
    m_columnNames.clear();
    for (const MapperColumn &column : m_document->columns())
        m_columnNames << column.name;
    m_fieldNames.clear();
    for (const FieldSpec &spec : m_document->fields())
        m_fieldNames << spec.name;
    if (!m_selectedField.isEmpty() && !m_fieldNames.contains(m_selectedField))
        selectField(QString());
    updateGeometry();
    update();
}

QSize MapperCanvas::sizeHint() const
{
    const int rows = int(std::max(m_columnNames.size(), m_fieldNames.size() + 1));
    return { 2 * kMinBoxWidth + 2 * kMargin + kGutter + 160,
        kHeader + kMargin + rows * (kRowHeight + kRowGap) + kMargin };
}

QSize MapperCanvas::minimumSizeHint() const
{
    return { 2 * kMinBoxWidth + 2 * kMargin + kGutter, sizeHint().height() };
}

QRect MapperCanvas::columnsBox() const
{
    const int width = std::max(kMinBoxWidth, (this->width() - 2 * kMargin - kGutter) * 2 / 5);
    return { kMargin, kHeader + kMargin, width, height() - kHeader - 2 * kMargin };
}

QRect MapperCanvas::fieldsBox() const
{
    const int width = std::max(kMinBoxWidth, (this->width() - 2 * kMargin - kGutter) * 2 / 5);
    return { this->width() - kMargin - width, kHeader + kMargin, width, height() - kHeader - 2 * kMargin };
}

int MapperCanvas::columnIndex(const QString &column) const
{
    return int(m_columnNames.indexOf(column));
}

int MapperCanvas::fieldIndex(const QString &field) const
{
    return int(m_fieldNames.indexOf(field));
}

QRect MapperCanvas::columnRect(const QString &column) const
{
    const int index = columnIndex(column);
    if (index < 0)
        return {};
    const QRect box = columnsBox();
    return { box.left(), box.top() + index * (kRowHeight + kRowGap), box.width(), kRowHeight };
}

QRect MapperCanvas::fieldRect(const QString &field) const
{
    const int index = fieldIndex(field);
    if (index < 0)
        return {};
    const QRect box = fieldsBox();
    return { box.left(), box.top() + index * (kRowHeight + kRowGap), box.width(), kRowHeight };
}

QRect MapperCanvas::newFieldRect() const
{
    if (!m_document || !m_document->object().acceptsAnyField)
        return {};
    const QRect box = fieldsBox();
    return { box.left(), box.top() + int(m_fieldNames.size()) * (kRowHeight + kRowGap), box.width(), kRowHeight };
}

QPainterPath MapperCanvas::connectionPath(const QString &field) const
{
    QPainterPath path;
    const std::optional<MappingEntry> entry = m_document->entryFor(field);
    const QRect to = fieldRect(field);
    if (!entry || to.isEmpty())
        return path;
    const QPointF end(to.left(), to.center().y() + 0.5);
    QPointF start;
    if (entry->kind == MappingEntry::SourceKind::Column) {
        const QRect from = columnRect(entry->column);
        if (from.isEmpty())
            return path;
        start = QPointF(from.right() + 1, from.center().y() + 0.5);
    } else {
        start = QPointF(to.left() - kChipGap, end.y()); // the chip's right edge
    }
    const qreal bend = std::max<qreal>(30, (end.x() - start.x()) / 2);
    path.moveTo(start);
    path.cubicTo(start + QPointF(bend, 0), end - QPointF(bend, 0), end);
    return path;
}

QPoint MapperCanvas::connectionMidpoint(const QString &field) const
{
    const QPainterPath path = connectionPath(field);
    return path.isEmpty() ? QPoint() : path.pointAtPercent(0.5).toPoint();
}

QString MapperCanvas::columnAt(const QPoint &pos) const
{
    for (const QString &column : m_columnNames) {
        if (columnRect(column).contains(pos))
            return column;
    }
    return {};
}

QString MapperCanvas::fieldAt(const QPoint &pos) const
{
    for (const QString &field : m_fieldNames) {
        if (fieldRect(field).contains(pos))
            return field;
    }
    return {};
}

QString MapperCanvas::connectionAt(const QPoint &pos) const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    for (const QString &field : m_fieldNames) {
        const QPainterPath path = connectionPath(field);
        if (!path.isEmpty() && stroker.createStroke(path).contains(pos))
            return field;
    }
    return {};
}

QString MapperCanvas::newFieldName(const QString &column) const
{
    QString name = column;
    for (int n = 2; m_fieldNames.contains(name); ++n)
        name = column + QLatin1Char('_') + QString::number(n);
    return name;
}

void MapperCanvas::selectField(const QString &field)
{
    if (field == m_selectedField)
        return;
    m_selectedField = field;
    update();
    emit fieldSelected(field);
}

void MapperCanvas::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    setFocus(Qt::MouseFocusReason);
    const QPoint pos = event->position().toPoint();
    if (const QString column = columnAt(pos); !column.isEmpty()) {
        m_dragColumn = column;
        m_dragPos = pos;
        update();
        return;
    }
    QString target = fieldAt(pos);
    if (target.isEmpty() && !m_pendingColumn.isEmpty() && newFieldRect().contains(pos))
        target = newFieldName(m_pendingColumn);
    if (!target.isEmpty() && !m_pendingColumn.isEmpty()) {
        // The second click of click-column-then-field connects, like a drop.
        m_document->connectColumn(std::exchange(m_pendingColumn, QString()), target);
        selectField(target);
        update();
        return;
    }
    m_pendingColumn.clear();
    update();
    if (!target.isEmpty())
        return selectField(target);
    selectField(connectionAt(pos));
}

void MapperCanvas::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const QString hover = fieldAt(pos);
    const bool overNew = newFieldRect().contains(pos);
    if (m_dragColumn.isEmpty()) {
        setCursor(columnAt(pos).isEmpty() ? Qt::ArrowCursor : Qt::OpenHandCursor);
        return;
    }
    m_dragPos = pos;
    m_hoverField = hover;
    // Near the visible edge of a scroll area, scroll so far-away fields can be reached.
    if (auto *area = parentWidget() ? qobject_cast<QScrollArea *>(parentWidget()->parentWidget()) : nullptr)
        area->ensureVisible(pos.x(), pos.y(), 0, kRowHeight);
    m_dragOverNewField = overNew;
    setCursor(Qt::ClosedHandCursor);
    update();
}

void MapperCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_dragColumn.isEmpty())
        return QWidget::mouseReleaseEvent(event);
    const QPoint pos = event->position().toPoint();
    const QString column = std::exchange(m_dragColumn, QString());
    m_hoverField.clear();
    m_dragOverNewField = false;
    unsetCursor();
    QString target = fieldAt(pos);
    if (target.isEmpty() && newFieldRect().contains(pos))
        target = newFieldName(column);
    if (!target.isEmpty()) {
        m_pendingColumn.clear();
        m_document->connectColumn(column, target);
        selectField(target);
    } else if (columnAt(pos) == column) {
        // A click on a column (no drag): the next click on a field connects them.
        m_pendingColumn = m_pendingColumn == column ? QString() : column;
    }
    update();
}

void MapperCanvas::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) && !m_selectedField.isEmpty()
        && m_document->entryFor(m_selectedField)) {
        m_document->disconnectField(m_selectedField);
        return;
    }
    if (event->key() == Qt::Key_Escape && !(m_dragColumn.isEmpty() && m_pendingColumn.isEmpty())) {
        m_dragColumn.clear();
        m_pendingColumn.clear();
        update();
        return;
    }
    QWidget::keyPressEvent(event);
}

void MapperCanvas::leaveEvent(QEvent *event)
{
    if (m_dragColumn.isEmpty())
        unsetCursor();
    QWidget::leaveEvent(event);
}

bool MapperCanvas::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto *help = static_cast<QHelpEvent *>(event);
    QStringList lines;
    if (const QString field = fieldAt(help->pos()); !field.isEmpty()) {
        const FieldPreview preview = m_document->preview(field);
        for (qsizetype i = 0; i < preview.values.size(); ++i)
            lines << tr("Row %1 sends %2").arg(i + 1).arg(preview.values[i]);
        for (const MappingWarning &warning : m_document->warningsFor(field))
            lines << warning.message;
    } else if (const QString column = columnAt(help->pos()); !column.isEmpty()) {
        lines << tr("Drag %1 onto a field to map it").arg(column);
    }
    if (lines.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), lines.join(QLatin1Char('\n')), this);
    return true;
}

void MapperCanvas::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(columnsBox().left(), kMargin, columnsBox().width(), kHeader - 4),
        Qt::AlignLeft | Qt::AlignVCenter, tr("Model columns"));
    painter.drawText(QRect(fieldsBox().left(), kMargin, fieldsBox().width(), kHeader - 4),
        Qt::AlignLeft | Qt::AlignVCenter,
        m_document->object().label.isEmpty() ? tr("Destination fields")
                                             : tr("Fields of %1").arg(m_document->object().label));
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    if (m_columnNames.isEmpty())
        painter.drawText(columnsBox().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
            tr("No columns yet: choose a model and preview it."));
    if (m_fieldNames.isEmpty() && !m_document->object().acceptsAnyField)
        painter.drawText(fieldsBox().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
            tr("No fields yet: choose the destination and its object."));
    paintConnections(painter);
    paintColumns(painter);
    paintFields(painter);
    if (!m_dragColumn.isEmpty()) {
        const QRect from = columnRect(m_dragColumn);
        QPen pen(palette().color(QPalette::Highlight), 2, Qt::DashLine);
        painter.setPen(pen);
        QPainterPath path(QPointF(from.right() + 1, from.center().y()));
        const QPointF end = m_dragPos;
        const qreal bend = std::max<qreal>(30, (end.x() - from.right()) / 2);
        path.cubicTo(path.currentPosition() + QPointF(bend, 0), end - QPointF(bend, 0), end);
        painter.drawPath(path);
    }
}

void MapperCanvas::paintColumns(QPainter &painter)
{
    const QFontMetrics metrics(font());
    for (const MapperColumn &column : m_document->columns()) {
        const QRect rect = columnRect(column.name);
        const bool connected = !m_document->fieldsFedBy(column.name).isEmpty();
        const bool dragging = column.name == m_dragColumn || column.name == m_pendingColumn;
        painter.setPen(
            QPen(dragging || connected ? palette().color(QPalette::Highlight) : palette().color(QPalette::Mid),
                dragging ? 2 : 1));
        painter.setBrush(palette().window());
        painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 5, 5);
        const QRect inner = rect.adjusted(8, 4, -8, -4);
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::WindowText));
        const QString type = column.typeName;
        const int typeWidth = metrics.horizontalAdvance(type) + 4;
        painter.drawText(QRect(inner.left(), inner.top(), inner.width() - typeWidth, inner.height() / 2),
            Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(bold).elidedText(column.name, Qt::ElideRight, inner.width() - typeWidth));
        painter.setFont(font());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(inner.right() - typeWidth, inner.top(), typeWidth, inner.height() / 2),
            Qt::AlignRight | Qt::AlignVCenter, type);
        QStringList samples = column.samples.mid(0, 3);
        for (QString &sample : samples) {
            if (sample.isNull())
                sample = QStringLiteral("NULL");
        }
        painter.drawText(QRect(inner.left(), inner.center().y(), inner.width(), inner.height() / 2),
            Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(samples.join(QStringLiteral(" \u00b7 ")), Qt::ElideRight, inner.width()));
    }
}

void MapperCanvas::paintFields(QPainter &painter)
{
    const QFontMetrics metrics(font());
    const QColor severe(200, 40, 40);
    const QColor warn(210, 130, 0);
    for (const FieldSpec &spec : m_document->fields()) {
        const QRect rect = fieldRect(spec.name);
        const std::optional<MappingEntry> entry = m_document->entryFor(spec.name);
        const QList<MappingWarning> warnings = m_document->warningsFor(spec.name);
        const bool blocks
            = std::any_of(warnings.begin(), warnings.end(), [](const MappingWarning &w) { return w.blocksRun(); });
        QColor border = entry ? palette().color(QPalette::Highlight) : palette().color(QPalette::Mid);
        if (!warnings.isEmpty())
            border = blocks ? severe : warn;
        const bool emphasised = spec.name == m_selectedField || spec.name == m_hoverField;
        painter.setPen(QPen(border, emphasised ? 2.5 : 1));
        painter.setBrush(spec.name == m_hoverField ? palette().alternateBase() : palette().window());
        painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 5, 5);
        const QRect inner = rect.adjusted(8, 4, -8, -4);
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(
            spec.readOnly ? palette().color(QPalette::PlaceholderText) : palette().color(QPalette::WindowText));
        QString title = spec.label.isEmpty() || spec.label == spec.name
            ? spec.name
            : QStringLiteral("%1 (%2)").arg(spec.label, spec.name);
        if (spec.required)
            title += QStringLiteral(" *");
        const bool isMatch = spec.name == m_document->matchField();
        const QString badge = isMatch ? tr("match key") : QString();
        const int badgeWidth = badge.isEmpty() ? 0 : metrics.horizontalAdvance(badge) + 12;
        painter.drawText(QRect(inner.left(), inner.top(), inner.width() - badgeWidth, inner.height() / 2),
            Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(bold).elidedText(title, Qt::ElideRight, inner.width() - badgeWidth));
        painter.setFont(font());
        if (isMatch) {
            const QRect badgeRect(
                inner.right() - badgeWidth + 4, inner.top() + 1, badgeWidth - 4, inner.height() / 2 - 2);
            painter.setPen(Qt::NoPen);
            painter.setBrush(palette().color(QPalette::Highlight));
            painter.drawRoundedRect(badgeRect, 4, 4);
            painter.setPen(palette().color(QPalette::HighlightedText));
            painter.drawText(badgeRect, Qt::AlignCenter, badge);
        }
        painter.setPen(palette().color(QPalette::PlaceholderText));
        QString second = fieldDetails(spec, *m_document);
        const FieldPreview preview = m_document->preview(spec.name);
        if (!preview.values.isEmpty())
            second += QStringLiteral("  \u2192 ") + preview.values.first();
        painter.drawText(QRect(inner.left(), inner.center().y(), inner.width(), inner.height() / 2),
            Qt::AlignLeft | Qt::AlignVCenter, metrics.elidedText(second, Qt::ElideRight, inner.width()));
    }
    const QRect newField = newFieldRect();
    if (!newField.isEmpty()) {
        painter.setPen(QPen(m_dragOverNewField ? palette().color(QPalette::Highlight) : palette().color(QPalette::Mid),
            1.5, Qt::DashLine));
        painter.setBrush(m_dragOverNewField ? palette().alternateBase() : Qt::NoBrush);
        painter.drawRoundedRect(newField.adjusted(0, 0, -1, -1), 5, 5);
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(newField, Qt::AlignCenter, tr("Drop a column here to add it as a new field"));
    }
}

void MapperCanvas::paintConnections(QPainter &painter)
{
    const QFontMetrics metrics(font());
    for (const QString &field : m_fieldNames) {
        const std::optional<MappingEntry> entry = m_document->entryFor(field);
        const QPainterPath path = connectionPath(field);
        if (!entry || path.isEmpty())
            continue;
        const bool selected = field == m_selectedField;
        QPen pen(palette().color(QPalette::Highlight), selected ? 3.5 : 1.8);
        if (field == m_document->matchField())
            pen.setWidthF(pen.widthF() + 1);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        if (entry->kind != MappingEntry::SourceKind::Column) {
            // A chip in the gutter with the constant or template text.
            const QRect to = fieldRect(field);
            const int chipWidth = std::min(kGutter - kChipGap - 16, metrics.horizontalAdvance(chipText(*entry)) + 16);
            const QRect chip(to.left() - kChipGap - chipWidth, to.top() + 10, chipWidth, to.height() - 20);
            painter.setBrush(palette().color(QPalette::AlternateBase));
            painter.drawRoundedRect(chip, 8, 8);
            painter.setPen(palette().color(QPalette::Text));
            painter.drawText(chip.adjusted(6, 0, -6, 0), Qt::AlignCenter,
                metrics.elidedText(chipText(*entry), Qt::ElideMiddle, chip.width() - 12));
        }
    }
}

} // namespace syncline::ui
