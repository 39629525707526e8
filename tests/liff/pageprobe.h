#pragma once

#include "headlesschromium.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <optional>

// What a page did in the browser: the outcome the claim page showed the shopper, the requests
// it sent, and whatever the browser refused (CSP) or the page threw. pageprobe.js reports from
// inside each document; the rest comes from the DevTools Network, Log and Runtime domains.
class PageProbe : public QObject
{
    Q_OBJECT

public:
    struct Outcome {
        QString result; // body[data-result]: subscribed, already_subscribed, ..., failed
        QString title;  // the heading
        QString text;   // everything the page shows, as rendered
        QUrl url;       // of the document that showed it
    };
    struct SentRequest {
        QString requestId;
        QString method;
        QUrl url;
        QByteArray body;
        bool hasBody = false;
        int status = 0; // of the answer; 0 while none came (or the request failed)
    };

    explicit PageProbe(HeadlessChromium &browser, QObject *parent = nullptr);

    // Requests whose URL matches `pattern` (DevTools wildcards) fail as if the server had gone.
    // Call before open(). Empty on success, else why not.
    QString failRequests(const QString &pattern);
    // Installs the probe in every document of the tab, then navigates to url.
    QString open(const QUrl &url);
    // Waits, at most timeoutMs, for the page to show an outcome.
    bool waitForOutcome(int timeoutMs = 10000);

    std::optional<Outcome> outcome() const { return m_outcome; }
    // Requests the page sent whose path is `path`, with their bodies.
    QList<SentRequest> requestsTo(const QString &path);
    QStringList cspViolations() const { return m_cspViolations; }
    void forgetCspViolations() { m_cspViolations.clear(); } // once a test has checked the expected ones
    QStringList exceptions() const { return m_exceptions; }
    // Everything seen, for failure messages.
    QString report() const;

private:
    void onEvent(const QString &method, const QJsonObject &params);

    HeadlessChromium &m_browser;
    std::optional<Outcome> m_outcome;
    QList<SentRequest> m_requests;
    QStringList m_cspViolations;
    QStringList m_exceptions;
    QStringList m_console; // console and browser log lines, for report()
};
