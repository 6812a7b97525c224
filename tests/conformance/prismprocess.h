#pragma once
// Runs Stoplight Prism in proxy mode for a test: `prism proxy --errors -h 127.0.0.1 -p <free port>
// <spec> <upstream>`, waits until it accepts connections, and stops it by its PID (SIGTERM, then
// SIGKILL) when the object goes, so no Prism outlives a failed test; the child also gets SIGKILL
// if the test process dies first (PR_SET_PDEATHSIG).
// Where things are: prismExecutable() is $SYNCLINE_PRISM, else the path CMake configured
// (tests/conformance/prism/node_modules/.bin/prism); specsDirectory() is $SYNCLINE_SPECS_DIR, else
// ../shared/destinations/specs next to the repository. Thread: the test thread.

#include <QProcess>
#include <QString>
#include <QUrl>

#include <memory>

namespace syncline::conformance {

class PrismProcess
{
public:
    PrismProcess() = default;
    ~PrismProcess();
    PrismProcess(const PrismProcess &) = delete;
    PrismProcess &operator=(const PrismProcess &) = delete;

    static QString prismExecutable(); // empty when Prism is not installed
    static QString specsDirectory(); // empty when ../shared is absent
    // Why the Prism layer cannot run here (for a QSKIP), or empty when it can.
    static QString unavailableReason(const QString &specFile);

    // Starts Prism for `specFile` (in specsDirectory()) in front of `upstream`; false with
    // `error` set (Prism's own output included) when it does not answer within `timeoutMs`.
    bool start(const QString &specFile, const QUrl &upstream, QString *error, int timeoutMs = 60000);
    void stop();
    QUrl url() const; // http://127.0.0.1:<port>
    qint64 pid() const { return m_pid; }
    QString output() const; // what Prism printed so far (its log: violations are named there)

private:
    bool startOnce(const QString &specFile, const QUrl &upstream, QString *error, int timeoutMs);

    std::unique_ptr<QProcess> m_process;
    qint64 m_pid = 0;
    quint16 m_port = 0;
    QString m_logPath;
};

} // namespace syncline::conformance
