#pragma once

#include "deliveryserver.h"
#include "emulatedservice.h"
#include "headlesschromium.h"
#include "lineemulator.h"
#include "pageprobe.h"
#include "servicetesting.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

// What the LIFF page tests (claimpagetest, managepagetest) stand on: the LINE emulator with a
// LIFF app whose endpoint is the service, the service on SQLite with the demo store, and a
// headless Chromium tab watched by PageProbe. Used as a private base of a test class.
class LiffPageFixture
{
protected:
    // A page settles in well under a second here; the margin is for a loaded CI machine.
    static constexpr int kOutcomeTimeoutMs = 15000;

    QTemporaryDir m_dir;
    std::unique_ptr<poptap::lineemu::LineEmulator> m_line;
    std::unique_ptr<poptap::delivery::DeliveryServer> m_server;
    std::unique_ptr<HeadlessChromium> m_browser;
    std::unique_ptr<PageProbe> m_probe;
    QString m_liffId;

    static QString chromiumMissing()
    {
        return QFileInfo(QStringLiteral(POPTAP_CHROMIUM)).isExecutable()
            ? QString()
            : QStringLiteral("no " POPTAP_CHROMIUM ": install chromium (packaging/dev/setup-debian.sh)");
    }

    // A fresh database, LINE, the LIFF app `liffId` (LINE's channel id and `appSuffix`) as added
    // in the LINE Developers Console with the service's root as its endpoint, the service and the
    // demo store. Empty, or what went wrong.
    QString startService(const QString &appSuffix)
    {
        QFile::remove(m_dir.filePath(QStringLiteral("delivery.db")));
        m_line = std::make_unique<poptap::lineemu::LineEmulator>();
        if (!m_line->start())
            return QStringLiteral("the LINE emulator did not start");
        m_liffId = m_line->config().channelId + appSuffix;
        m_server = std::make_unique<poptap::delivery::DeliveryServer>(
            servicetesting::liffConfigAgainst(*m_line, m_dir.path(), m_liffId));
        if (const QString error = m_server->start(); !error.isEmpty())
            return error;
        m_line->liff().addApp({m_liffId, pageUrl(QStringLiteral("/"))});
        return servicetesting::addDemoStore(*m_server->database());
    }

    // The browser, with the probe in every document it opens. Empty, or what went wrong.
    QString startBrowser()
    {
        m_browser = std::make_unique<HeadlessChromium>();
        if (const QString error = m_browser->start(QStringLiteral(POPTAP_CHROMIUM)); !error.isEmpty())
            return error;
        m_probe = std::make_unique<PageProbe>(*m_browser);
        return {};
    }

    // After every case: the page kept to its Content-Security-Policy and threw nothing. Then
    // everything stops.
    void checkPageAndStop()
    {
        if (m_probe) {
            if (QTest::currentTestFailed())
                qInfo().noquote() << QStringLiteral("what the browser saw:\n") + m_probe->report();
            QVERIFY2(m_probe->cspViolations().isEmpty(), qPrintable(m_probe->report()));
            QVERIFY2(m_probe->exceptions().isEmpty(), qPrintable(m_probe->report()));
        }
        m_probe.reset();
        m_browser.reset();
        m_server.reset();
        m_line.reset();
    }

    QUrl pageUrl(const QString &pathAndQuery) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(pathAndQuery));
    }

    // Opens the page and waits for its first outcome. Empty on success, else what the browser saw.
    QString showPage(const QUrl &url)
    {
        if (const QString error = m_probe->open(url); !error.isEmpty())
            return error;
        if (!m_probe->waitForOutcome(kOutcomeTimeoutMs))
            return QStringLiteral("no outcome on %1 within %2 ms\n%3\n--- chromium log ---\n%4")
                .arg(url.toString())
                .arg(kOutcomeTimeoutMs)
                .arg(m_probe->report(), m_browser->log().right(4000));
        return {};
    }

    PageProbe::Outcome outcome() const { return m_probe->outcome().value_or(PageProbe::Outcome{}); }
};
