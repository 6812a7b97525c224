#pragma once
// A request body Qt cannot rewind. QNetworkAccessManager silently sends a request again when the
// connection drops after the reply began, if it can rewind the body (a QByteArray or a QBuffer):
// the API then applies one POST twice and the connector sees one exchange. Given this device
// (sequential) and DoNotBufferUploadDataAttribute, Qt reports the dropped connection instead,
// and the connector's own retry policy decides, visibly, whether to send again.
// Thread: the transport's; owned by the reply it is sent with.

#include <QByteArray>
#include <QIODevice>

namespace syncline::connectors::http {

class SequentialBody final : public QIODevice
{
public:
    explicit SequentialBody(QByteArray data, QObject *parent = nullptr);

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    bool atEnd() const override;
    // Qt asks to rewind before it would resend on its own: refuse quietly (seek() would warn).
    bool reset() override { return false; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_position = 0;
};

} // namespace syncline::connectors::http
