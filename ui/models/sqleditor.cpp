#include "ui/models/sqleditor.h"

#include <Qsci/qsciapis.h>
#include <Qsci/qscilexersql.h>

#include <QFontDatabase>
#include <QKeyEvent>

namespace syncline::ui {

namespace {

// Dots separate schema, table and column, so completion works level by level.
class SqlLexer : public QsciLexerSQL
{
public:
    using QsciLexerSQL::QsciLexerSQL;
    QStringList autoCompletionWordSeparators() const override { return {QStringLiteral(".")}; }
};

bool isRunKey(const QKeyEvent *event)
{
    return (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && (event->modifiers() & Qt::ControlModifier);
}

const char *const kKeywords[] = {"select", "from", "where", "group by", "order by", "having", "join", "left join",
                                 "inner join", "on", "as", "and", "or", "not", "null", "is", "in", "distinct",
                                 "limit", "union all", "with", "case", "when", "then", "else", "end", "count",
                                 "sum", "min", "max", "avg", "cast", "coalesce", "lower", "upper", "trim"};

} // namespace

SqlEditor::SqlEditor(QWidget *parent)
    : QsciScintilla(parent)
{
    auto *lexer = new SqlLexer(this);
    setLexer(lexer);
    m_apis = new QsciAPIs(lexer);
    connect(m_apis, &QsciAPIs::apiPreparationFinished, this, [this] { m_preparing = false; });
    connect(m_apis, &QsciAPIs::apiPreparationCancelled, this, [this] { m_preparing = false; });
    setAutoCompletionSource(QsciScintilla::AcsAll);
    setAutoCompletionThreshold(2);
    setAutoCompletionCaseSensitivity(false);
    setAutoIndent(true);
    setTabWidth(4);
    setIndentationsUseTabs(false);
    setMarginType(0, QsciScintilla::NumberMargin);
    setMarginWidth(0, QStringLiteral("0000"));
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setWrapMode(QsciScintilla::WrapWord);
    setUtf8(true);
    applyPalette();
    setCatalog({});
}

void SqlEditor::applyPalette()
{
    auto *sql = static_cast<QsciLexerSQL *>(lexer());
    const QPalette pal = palette();
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    sql->setDefaultFont(font);
    sql->setFont(font);
    sql->setDefaultPaper(pal.color(QPalette::Base));
    sql->setPaper(pal.color(QPalette::Base));
    sql->setDefaultColor(pal.color(QPalette::Text));
    sql->setColor(pal.color(QPalette::Text));
    // Accents chosen to read on both light and dark backgrounds.
    const QColor keyword(0x3b, 0x82, 0xd6), text(0xc0, 0x72, 0x2d), comment(0x88, 0x88, 0x88), number(0x9b, 0x5c, 0xc4);
    for (int style : {QsciLexerSQL::Keyword, QsciLexerSQL::KeywordSet5, QsciLexerSQL::PlusKeyword})
        sql->setColor(keyword, style);
    for (int style : {QsciLexerSQL::DoubleQuotedString, QsciLexerSQL::SingleQuotedString})
        sql->setColor(text, style);
    for (int style : {QsciLexerSQL::Comment, QsciLexerSQL::CommentLine, QsciLexerSQL::CommentDoc, QsciLexerSQL::CommentLineHash})
        sql->setColor(comment, style);
    sql->setColor(number, QsciLexerSQL::Number);
    QFont bold = font;
    bold.setBold(true);
    sql->setFont(bold, QsciLexerSQL::Keyword);
    setCaretForegroundColor(pal.color(QPalette::Text));
    setMarginsBackgroundColor(pal.color(QPalette::Window));
    setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    setSelectionBackgroundColor(pal.color(QPalette::Highlight));
    setSelectionForegroundColor(pal.color(QPalette::HighlightedText));
    setMatchedBraceBackgroundColor(pal.color(QPalette::AlternateBase));
}

void SqlEditor::setCatalog(const Catalog &catalog)
{
    m_words.clear();
    for (const char *keyword : kKeywords)
        m_words << QString::fromLatin1(keyword);
    for (const QString &schema : catalog.schemas)
        if (!schema.isEmpty())
            m_words << schema;
    for (const Catalog::Table &table : catalog.tables) {
        m_words << table.name;
        if (!table.schema.isEmpty())
            m_words << table.schema + QLatin1Char('.') + table.name;
        for (const auto &column : table.columns) {
            m_words << column.name;
            m_words << table.name + QLatin1Char('.') + column.name;
        }
    }
    m_words.removeDuplicates();
    m_apis->clear();
    for (const QString &word : std::as_const(m_words))
        m_apis->add(word);
    m_preparing = true;
    m_apis->prepare(); // QsciAPIs prepares on its own thread
}

SqlEditor::~SqlEditor()
{
    // Destroying QsciAPIs mid-preparation terminates its worker thread and aborts the process
    // ("QThread: Destroyed while thread is still running"). Let an unfinished preparation end on
    // its own, and free the lexer (which owns the word list) when it has.
    if (!m_preparing)
        return;
    QsciLexer *sqlLexer = lexer();
    setLexer(nullptr);
    sqlLexer->setParent(nullptr);
    connect(m_apis, &QsciAPIs::apiPreparationFinished, sqlLexer, &QObject::deleteLater);
    connect(m_apis, &QsciAPIs::apiPreparationCancelled, sqlLexer, &QObject::deleteLater);
}

bool SqlEditor::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride && isRunKey(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QsciScintilla::event(event);
}

void SqlEditor::keyPressEvent(QKeyEvent *event)
{
    if (isRunKey(event)) {
        emit runRequested();
        event->accept();
        return;
    }
    QsciScintilla::keyPressEvent(event);
}

void SqlEditor::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

} // namespace syncline::ui
