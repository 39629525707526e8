#include "webhooksignature.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace poptap::delivery;

class WebhookSignatureTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publishedVectorsVerify_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("signature");
        QFile f(QStringLiteral(POPTAP_SHARED_DIR "/line-webhook-signatures.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray vectors = QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("vectors")).toArray();
        QVERIFY(vectors.size() >= 3);
        for (const QJsonValue &v : vectors) {
            const QJsonObject o = v.toObject();
            QTest::newRow(qPrintable(o.value(QLatin1String("source")).toString()))
                << o.value(QLatin1String("body")).toString().toUtf8() << o.value(QLatin1String("secret")).toString().toUtf8()
                << o.value(QLatin1String("signature")).toString().toLatin1();
        }
    }
    void publishedVectorsVerify()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, signature);
        QCOMPARE(webhookSignature(secret, body), signature);
        QVERIFY(verifyWebhookSignature(secret, body, signature));
        // One changed byte anywhere in the body, the signature or the secret is refused.
        for (qsizetype i = 0; i < body.size(); ++i) {
            QByteArray tampered = body;
            tampered[i] = char(tampered[i] ^ 0x01);
            QVERIFY(!verifyWebhookSignature(secret, tampered, signature));
        }
        for (qsizetype i = 0; i < signature.size() - 1; ++i) { // the last char may carry padding bits
            QByteArray tampered = signature;
            tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
            QVERIFY(!verifyWebhookSignature(secret, body, tampered));
        }
        QVERIFY(!verifyWebhookSignature(secret + "x", body, signature));
    }

    void missingOrMalformedSignatureIsRefused()
    {
        const QByteArray secret("test_secret"), body("{\"hello\":\"world\"}");
        QVERIFY(!verifyWebhookSignature(secret, body, QByteArray()));
        QVERIFY(!verifyWebhookSignature(secret, body, "not base64 !!"));
        QVERIFY(!verifyWebhookSignature(secret, body, QByteArray(44, 'A')));
        QVERIFY(!verifyWebhookSignature(QByteArray(), body, webhookSignature(QByteArray(), body)));
        QVERIFY(!verifyWebhookSignature(secret, body, webhookSignature(secret, body).left(20)));
    }
};

QTEST_GUILESS_MAIN(WebhookSignatureTest)
#include "webhooksignaturetest.moc"
