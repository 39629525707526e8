#include "pageprobe.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

const QString kBinding = QStringLiteral("poptapProbe");

QString probeScript()
{
    QFile file(QStringLiteral(":/poptap/liff-test/pageprobe.js"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("pageprobe.js is not in the test's resources"); // a broken build
    return QString::fromUtf8(file.readAll());
}

// Network.requestWillBeSent gives small bodies inline, as text or as base64 entries.
QByteArray inlineBody(const QJsonObject &request)
{
    if (request.contains(u"postData"))
        return request.value(u"postData").toString().toUtf8();
    QByteArray body;
    for (const QJsonValue &entry : request.value(u"postDataEntries").toArray())
        body += QByteArray::fromBase64(entry.toObject().value(u"bytes").toString().toLatin1());
    return body;
}

} // namespace

PageProbe::PageProbe(HeadlessChromium &browser, QObject *parent)
    : QObject(parent)
    , m_browser(browser)
{
    connect(&m_browser, &HeadlessChromium::event, this, &PageProbe::onEvent);
}

QString PageProbe::failRequests(const QString &pattern)
{
    const HeadlessChromium::Reply enabled = m_browser.call(
        QStringLiteral("Fetch.enable"),
        {{QStringLiteral("patterns"), QJsonArray{QJsonObject{{QStringLiteral("urlPattern"), pattern},
                                                             {QStringLiteral("requestStage"), QStringLiteral("Request")}}}}});
    return enabled.ok() ? QString() : QStringLiteral("Fetch.enable: ") + enabled.error;
}

QString PageProbe::open(const QUrl &url)
{
    const QList<std::pair<QString, QJsonObject>> setup{
        {QStringLiteral("Runtime.addBinding"), {{QStringLiteral("name"), kBinding}}},
        {QStringLiteral("Page.enable"), {}},
        {QStringLiteral("Runtime.enable"), {}},
        {QStringLiteral("Network.enable"), {}},
        {QStringLiteral("Log.enable"), {}},
        {QStringLiteral("Page.addScriptToEvaluateOnNewDocument"), {{QStringLiteral("source"), probeScript()}}},
    };
    for (const auto &[method, params] : setup) {
        const HeadlessChromium::Reply reply = m_browser.call(method, params);
        if (!reply.ok())
            return method + QStringLiteral(": ") + reply.error;
    }
    const HeadlessChromium::Reply navigated =
        m_browser.call(QStringLiteral("Page.navigate"), {{QStringLiteral("url"), url.toString()}});
    if (!navigated.ok())
        return QStringLiteral("Page.navigate: ") + navigated.error;
    if (navigated.result.contains(u"errorText"))
        return QStringLiteral("Page.navigate: ") + navigated.result.value(u"errorText").toString();
    return {};
}

bool PageProbe::waitForOutcome(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_outcome.has_value(); }, timeoutMs);
}

QList<PageProbe::SentRequest> PageProbe::requestsTo(const QString &path)
{
    QList<SentRequest> matching;
    for (SentRequest &request : m_requests) {
        if (request.url.path() != path)
            continue;
        // Bodies Chromium did not inline are fetched on demand.
        if (request.hasBody && request.body.isEmpty()) {
            const HeadlessChromium::Reply data = m_browser.call(QStringLiteral("Network.getRequestPostData"),
                                                                {{QStringLiteral("requestId"), request.requestId}});
            request.body = data.result.value(u"postData").toString().toUtf8();
        }
        matching.append(request);
    }
    return matching;
}

QString PageProbe::report() const
{
    QStringList lines;
    lines << QStringLiteral("outcome: ")
              + (m_outcome ? m_outcome->result + QStringLiteral(" at ") + m_outcome->url.toString() : QStringLiteral("none"));
    for (const SentRequest &request : m_requests)
        lines << QStringLiteral("request: %1 %2 %3 -> %4")
                     .arg(request.method, request.url.toString(), QString::fromUtf8(request.body))
                     .arg(request.status);
    for (const QString &line : m_cspViolations)
        lines << QStringLiteral("CSP: ") + line;
    for (const QString &line : m_exceptions)
        lines << QStringLiteral("exception: ") + line;
    for (const QString &line : m_console)
        lines << QStringLiteral("console: ") + line;
    return lines.join(u'\n');
}

void PageProbe::onEvent(const QString &method, const QJsonObject &params)
{
    if (method == u"Runtime.bindingCalled" && params.value(u"name").toString() == kBinding) {
        const QJsonObject data = QJsonDocument::fromJson(params.value(u"payload").toString().toUtf8()).object();
        const QString kind = data.value(u"kind").toString();
        if (kind == u"outcome" && !m_outcome) {
            m_outcome = Outcome{data.value(u"result").toString(), data.value(u"title").toString(),
                                data.value(u"text").toString(), QUrl(data.value(u"url").toString())};
        } else if (kind == u"csp") {
            m_cspViolations << QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact));
        }
    } else if (method == u"Network.requestWillBeSent") {
        const QJsonObject request = params.value(u"request").toObject();
        m_requests.append(SentRequest{params.value(u"requestId").toString(), request.value(u"method").toString(),
                                      QUrl(request.value(u"url").toString()), inlineBody(request),
                                      request.value(u"hasPostData").toBool()});
    } else if (method == u"Network.responseReceived") {
        const QString requestId = params.value(u"requestId").toString();
        for (SentRequest &request : m_requests) {
            if (request.requestId == requestId)
                request.status = params.value(u"response").toObject().value(u"status").toInt();
        }
    } else if (method == u"Fetch.requestPaused") {
        // Only the patterns given to failRequests() pause here.
        m_browser.post(QStringLiteral("Fetch.failRequest"), {{QStringLiteral("requestId"), params.value(u"requestId")},
                                                             {QStringLiteral("errorReason"), QStringLiteral("ConnectionRefused")}});
    } else if (method == u"Runtime.exceptionThrown") {
        const QJsonObject details = params.value(u"exceptionDetails").toObject();
        m_exceptions << details.value(u"exception").toObject().value(u"description").toString(details.value(u"text").toString());
    } else if (method == u"Log.entryAdded") {
        const QJsonObject entry = params.value(u"entry").toObject();
        const QString line = entry.value(u"level").toString() + u' ' + entry.value(u"text").toString();
        m_console << line;
        // The browser's own word for a refusal, in case no event reached the probe (e.g. on a redirect).
        if (line.contains(QStringLiteral("Content Security Policy")))
            m_cspViolations << line;
    } else if (method == u"Runtime.consoleAPICalled") {
        QStringList args;
        for (const QJsonValue &arg : params.value(u"args").toArray())
            args << arg.toObject().value(u"value").toVariant().toString();
        m_console << params.value(u"type").toString() + u' ' + args.join(u' ');
    }
}
