#pragma once

#include "engine/core/error.h"
#include "ui/models/keychecker.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace syncline::ui {

// The primary key picker: tick one or more columns, "Check key" streams the whole result in
// the background and shows the verdict (NULL keys, repeated keys, up to 5 examples of each).
class KeyPanel : public QWidget
{
    Q_OBJECT
public:
    explicit KeyPanel(QWidget *parent = nullptr);

    void setColumns(const QStringList &columns); // keeps ticks by name
    void setKey(const QStringList &key);
    QStringList key() const;
    void check(ConnectionOpener opener, const QString &sql);
    void cancel();
    void resetVerdict();

    QListWidget *columnList() const { return m_columns; }
    QPushButton *checkButton() const { return m_check; }
    QString verdictText() const;
    KeyChecker *checker() const { return m_checker; }

signals:
    void checkRequested();
    void keyChanged(const QStringList &key);

private:
    void showVerdict(const KeyVerdict &verdict);
    void showMessage(const QString &html);
    void setRunning(bool running);

    QListWidget *m_columns = nullptr;
    QPushButton *m_check = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_icon = nullptr;
    QLabel *m_verdict = nullptr;
    KeyChecker *m_checker = nullptr;
};

} // namespace syncline::ui
