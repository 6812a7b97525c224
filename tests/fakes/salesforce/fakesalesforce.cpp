#include "tests/fakes/salesforce/fakesalesforce.h"

namespace syncline::testfakes {

FakeSalesforce::FakeSalesforce(FakeSalesforceConfig config)
    : m_state(std::make_unique<FakeSalesforceState>(std::move(config)))
    , m_host([state = m_state.get()](const HttpRequest &request) { return state->handle(request); })
{
}

bool FakeSalesforce::start(quint16 port, QString *error)
{
    if (!m_host.start(port, error))
        return false;
    m_state->setSelfUrl(m_host.url());
    return true;
}

QJsonObject FakeSalesforce::recordBy(const QString &object, const QString &field, const QString &value) const
{
    const QHash<QString, QJsonObject> all = records(object);
    for (const QJsonObject &record : all)
        if (record.value(field).toVariant().toString().compare(value, Qt::CaseInsensitive) == 0)
            return record;
    return {};
}

} // namespace syncline::testfakes
