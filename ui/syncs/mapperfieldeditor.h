#pragma once

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;

namespace syncline::ui {

class MappingDocument;

// Edits the mapping of one destination field: where its value comes from (a column, a
// constant or a template), its cast, whether it is the match key, and shows what the first
// sample rows will send for it, rendered by the engine. Every change is a document edit.
class MapperFieldEditor : public QWidget
{
    Q_OBJECT
public:
    enum class Source { None, Column, Constant, Template };

    explicit MapperFieldEditor(MappingDocument *document, QWidget *parent = nullptr);

    void setField(const QString &field);
    QString field() const { return m_field; }

    QComboBox *sourceBox() const { return m_source; }
    QComboBox *columnBox() const { return m_column; }
    QLineEdit *textEdit() const { return m_text; }
    QLineEdit *nameEdit() const { return m_name; } // only for fields the object does not list
    QComboBox *castBox() const { return m_cast; }
    QComboBox *insertColumnBox() const { return m_insert; } // templates: inserts {{column}} at the cursor
    QCheckBox *matchBox() const { return m_match; }
    QListWidget *previewList() const { return m_preview; }
    QLabel *errorLabel() const { return m_error; }

signals:
    void renamed(const QString &field);

private:
    void refresh();
    void rename();
    void sourceChosen(int index);
    void textEdited(const QString &text);
    void castChosen();

    QPointer<MappingDocument> m_document;
    QString m_field;
    QLabel *m_title;
    QLabel *m_details;
    QLineEdit *m_name;
    QComboBox *m_source;
    QComboBox *m_column;
    QLineEdit *m_text;
    QComboBox *m_insert;
    QComboBox *m_cast;
    QCheckBox *m_match;
    QListWidget *m_preview;
    QLabel *m_error;
    QFormLayout *m_form = nullptr;
};

} // namespace syncline::ui
