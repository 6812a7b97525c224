// Checks the direction of dependencies: the engine never includes GUI or network code,
// and the CLI never includes ui/.

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

class ArchitectureTest : public QObject
{
    Q_OBJECT

private:
    static QStringList offendingIncludes(const QString &folder, const QRegularExpression &forbidden, int *filesRead)
    {
        QStringList offenders;
        QDirIterator it(QStringLiteral(SYNCLINE_SOURCE_DIR) + QLatin1Char('/') + folder,
                        {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            ++*filesRead;
            int lineNumber = 0;
            while (!file.atEnd()) {
                const QString line = QString::fromUtf8(file.readLine());
                ++lineNumber;
                if (forbidden.match(line).hasMatch())
                    offenders << path + QLatin1Char(':') + QString::number(lineNumber) + QStringLiteral(": ") + line.trimmed();
            }
        }
        return offenders;
    }

private slots:
    void engineIncludesNoWidgetsGuiOrNetworkHeaders()
    {
        const QRegularExpression forbidden(QStringLiteral(
            "^\\s*#\\s*include\\s*[<\"](QtWidgets|QtGui|QtNetwork|QWidget|QMessageBox|QApplication|QGuiApplication|"
            "QNetwork\\w*|QPixmap|QImage|QColor|QFont|QIcon|QAction|QTcpSocket|QSslSocket|QHostAddress)\\b"));
        int filesRead = 0;
        const QStringList offenders = offendingIncludes(QStringLiteral("engine"), forbidden, &filesRead);
        QVERIFY2(filesRead > 5, "the engine sources were not found");
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }

    void cliIncludesNoUi()
    {
        const QRegularExpression forbidden(QStringLiteral("^\\s*#\\s*include\\s*[\"<](ui/|QtWidgets|QWidget|QApplication)"));
        int filesRead = 0;
        const QStringList offenders = offendingIncludes(QStringLiteral("app/cli"), forbidden, &filesRead);
        QVERIFY2(filesRead > 0, "the CLI sources were not found");
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(ArchitectureTest)
#include "tst_architecture.moc"
