#include "tests/conformance/prismprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>

namespace syncline::conformance {

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool answers(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    const bool connected = socket.waitForConnected(200);
    socket.abort();
    return connected;
}

} // namespace

PrismProcess::~PrismProcess()
{
    stop();
}

QString PrismProcess::prismExecutable()
{
    const QString fromEnv = qEnvironmentVariable("SYNCLINE_PRISM");
    const QString path = fromEnv.isEmpty() ? QStringLiteral(SYNCLINE_PRISM_PATH) : fromEnv;
    return QFileInfo(path).isExecutable() ? path : QString();
}

QString PrismProcess::specsDirectory()
{
    const QString fromEnv = qEnvironmentVariable("SYNCLINE_SPECS_DIR");
    const QString path
        = fromEnv.isEmpty() ? QStringLiteral(SYNCLINE_SOURCE_DIR "/../shared/destinations/specs") : fromEnv;
    return QFileInfo(path).isDir() ? QDir(path).canonicalPath() : QString();
}

QString PrismProcess::unavailableReason(const QString &specFile)
{
    if (specsDirectory().isEmpty())
        return QStringLiteral(
            "../shared/destinations/specs is absent (a user's clone): the Prism layer is skipped, the fakes still run");
    if (!QFileInfo::exists(QDir(specsDirectory()).filePath(specFile)))
        return QStringLiteral("the spec %1 is not in ../shared/destinations/specs").arg(specFile);
    if (prismExecutable().isEmpty())
        return QStringLiteral("Prism is not installed (run scripts/setup-debian.sh, or set SYNCLINE_PRISM)");
    return {};
}

bool PrismProcess::start(const QString &specFile, const QUrl &upstream, QString *error, int timeoutMs)
{
    if (const QString why = unavailableReason(specFile); !why.isEmpty()) {
        *error = why;
        return false;
    }
    // A free port can be taken by someone else before Prism binds it: then Prism exits, and a
    // new port is tried (three times at most).
    for (int attempt = 1;; ++attempt) {
        if (startOnce(specFile, upstream, error, timeoutMs))
            return true;
        const bool exitedEarly = error->startsWith(QLatin1String("Prism exited"));
        stop();
        if (!exitedEarly || attempt == 3)
            return false;
    }
}

bool PrismProcess::startOnce(const QString &specFile, const QUrl &upstream, QString *error, int timeoutMs)
{
    stop();
    m_port = freePort();
    m_process = std::make_unique<QProcess>();
    // Prism logs every request: to a file, so a full pipe can never block it.
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_logPath = QDir::temp().filePath(
        QStringLiteral("syncline-prism-%1-%2.log").arg(QCoreApplication::applicationPid()).arg(m_port));
    m_process->setStandardOutputFile(m_logPath, QIODevice::Truncate);
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    // Prism's launcher runs `env node`: put its own folder (node_modules/.bin, which holds the
    // pinned Node from tests/conformance/prism/package.json) first, since Prism 5.16 needs
    // Node >= 20.19 and Debian 12's nodejs is 18.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PATH"),
        QFileInfo(prismExecutable()).absolutePath() + QLatin1Char(':') + environment.value(QStringLiteral("PATH")));
    m_process->setProcessEnvironment(environment);
    const QString spec = QDir(specsDirectory()).filePath(specFile);
    QString upstreamText = upstream.toString();
    while (upstreamText.endsWith(QLatin1Char('/')))
        upstreamText.chop(1);
    m_process->start(prismExecutable(),
        { QStringLiteral("proxy"), QStringLiteral("--errors"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
            QStringLiteral("-p"), QString::number(m_port), spec, upstreamText });
    if (!m_process->waitForStarted(10000)) {
        *error = QStringLiteral("Prism did not start: %1").arg(m_process->errorString());
        return false;
    }
    m_pid = m_process->processId();
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        if (m_process->state() != QProcess::Running) {
            *error = QStringLiteral("Prism exited before it listened: %1").arg(output());
            return false;
        }
        if (answers(m_port))
            return true;
        QThread::msleep(100);
    }
    *error = QStringLiteral("Prism did not listen on 127.0.0.1:%1 within %2 s: %3")
                 .arg(m_port)
                 .arg(timeoutMs / 1000)
                 .arg(output());
    return false;
}

void PrismProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning && m_pid > 0) {
        ::kill(pid_t(m_pid), SIGTERM);
        if (!m_process->waitForFinished(3000)) {
            ::kill(pid_t(m_pid), SIGKILL);
            m_process->waitForFinished(3000);
        }
    }
    m_process.reset();
    m_pid = 0;
    if (!m_logPath.isEmpty())
        QFile::remove(m_logPath);
    m_logPath.clear();
}

QUrl PrismProcess::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QString PrismProcess::output() const
{
    QFile log(m_logPath);
    if (m_logPath.isEmpty() || !log.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(log.readAll()).right(4000);
}

} // namespace syncline::conformance
