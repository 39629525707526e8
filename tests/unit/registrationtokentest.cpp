#include "registrationtoken.h"

#include <QMessageAuthenticationCode>
#include <QTest>

using namespace poptap;

class RegistrationTokenTest : public QObject
{
    Q_OBJECT

    const QByteArray secret = QByteArray::fromHex("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210");
    const QDateTime issued = QDateTime(QDate(2026, 11, 22), QTime(10, 30, 0), Qt::UTC);

    TokenClaims sampleClaims() const
    {
        TokenClaims c;
        c.keyId = 0x98ea4cac;
        c.epoch = 3;
        c.sequence = 123456;
        c.kind = RegistrationKind::BrandInterest;
        c.target = 42;
        c.issuedAt = issued;
        c.ttlHours = 24;
        return c;
    }
    RegistrationToken::SecretLookup lookup() const
    {
        return [this](std::uint32_t keyId) -> std::optional<QByteArray> {
            if (keyId == 0x98ea4cac)
                return secret;
            return std::nullopt;
        };
    }

private Q_SLOTS:
    void roundTripKeepsEveryClaim_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<quint32>("target");
        QTest::addColumn<quint32>("sequence");
        QTest::addColumn<int>("ttl");
        QTest::newRow("brand") << int(RegistrationKind::BrandInterest) << 42u << 1u << 24;
        QTest::newRow("restock, max ids") << int(RegistrationKind::Restock) << 0xffffffffu << 0xffffffffu << 255;
        QTest::newRow("pop, 1 h") << int(RegistrationKind::Pop) << 7u << 99u << 1;
    }
    void roundTripKeepsEveryClaim()
    {
        QFETCH(int, kind);
        QFETCH(quint32, target);
        QFETCH(quint32, sequence);
        QFETCH(int, ttl);
        TokenClaims claims = sampleClaims();
        claims.kind = RegistrationKind(kind);
        claims.target = target;
        claims.sequence = sequence;
        claims.ttlHours = std::uint8_t(ttl);
        const QString token = RegistrationToken::issue(claims, secret);
        const TokenVerification v = RegistrationToken::verify(token, lookup(), issued.addSecs(60));
        QVERIFY2(v.ok(), v.error ? qPrintable(describe(*v.error)) : "");
        QCOMPARE(*v.claims, claims);
        QCOMPARE(v.claims->intentId(), QStringLiteral("98ea4cac-3-%1").arg(sequence));
    }

    void tokenIsUrlSafeAndAtMost40Characters()
    {
        const QString token = RegistrationToken::issue(sampleClaims(), secret);
        QCOMPARE(token.size(), RegistrationToken::kEncodedLength);
        QVERIFY(token.size() <= 40);
        for (QChar c : token)
            QVERIFY2(c.isLetterOrNumber() || c == u'-' || c == u'_', qPrintable(token));
        QCOMPARE(QUrl::toPercentEncoding(token), token.toLatin1());
    }

    void everySingleCharacterTamperIsDetected()
    {
        const QString token = RegistrationToken::issue(sampleClaims(), secret);
        static const QString alphabet =
            QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.~ ");
        int tampered = 0;
        for (int i = 0; i < token.size(); ++i) {
            for (QChar c : alphabet) {
                if (c == token.at(i))
                    continue;
                QString forged = token;
                forged[i] = c;
                const TokenVerification v = RegistrationToken::verify(forged, lookup(), issued.addSecs(60));
                QVERIFY2(!v.ok(), qPrintable(QStringLiteral("accepted %1").arg(forged)));
                ++tampered;
            }
        }
        QVERIFY(tampered > 40 * 60);
    }

    void wrongDeviceSecretIsRejected()
    {
        const QString token = RegistrationToken::issue(sampleClaims(), secret);
        QByteArray other = secret;
        other[0] = char(other[0] ^ 1);
        const auto v = RegistrationToken::verify(
            token, [&](std::uint32_t) { return std::optional<QByteArray>(other); }, issued);
        QVERIFY(!v.ok());
        QCOMPARE(*v.error, TokenError::BadSignature);
    }

    void unknownKeyIsRejected()
    {
        TokenClaims claims = sampleClaims();
        claims.keyId = 1;
        const auto v = RegistrationToken::verify(RegistrationToken::issue(claims, secret), lookup(), issued);
        QCOMPARE(*v.error, TokenError::UnknownKey);
    }

    void expiresAfterItsTimeToLive()
    {
        const QString token = RegistrationToken::issue(sampleClaims(), secret);
        QVERIFY(RegistrationToken::verify(token, lookup(), issued.addSecs(24 * 3600 - 1)).ok());
        const auto expired = RegistrationToken::verify(token, lookup(), issued.addSecs(24 * 3600));
        QCOMPARE(*expired.error, TokenError::Expired);
    }

    void tokenFromTheFutureIsRejectedBeyondSkew()
    {
        const QString token = RegistrationToken::issue(sampleClaims(), secret);
        QVERIFY(RegistrationToken::verify(token, lookup(), issued.addSecs(-299)).ok());
        QCOMPARE(*RegistrationToken::verify(token, lookup(), issued.addSecs(-301)).error, TokenError::IssuedInFuture);
    }

    void malformedInputIsRejected_data()
    {
        QTest::addColumn<QString>("token");
        const QString good = RegistrationToken::issue(sampleClaims(), secret);
        QTest::newRow("empty") << QString();
        QTest::newRow("one short") << good.left(39);
        QTest::newRow("one long") << good + u'A';
        QTest::newRow("padding") << good.left(38) + QStringLiteral("==");
        QTest::newRow("non-ascii") << good.left(39) + QStringLiteral("あ");
        QTest::newRow("huge") << QString(100000, u'A');
    }
    void malformedInputIsRejected()
    {
        QFETCH(QString, token);
        const auto v = RegistrationToken::verify(token, lookup(), issued);
        QVERIFY(!v.ok());
        QCOMPARE(*v.error, TokenError::Malformed);
    }

    void signedButInvalidKindIsRejected()
    {
        // A MAC that matches over values no issuer produces (kind 9, ttl 0) is still refused.
        for (const auto &[kindByte, ttl] : {std::pair{0x19, 24}, std::pair{0x11, 0}}) {
            QByteArray payload = QByteArray::fromBase64(RegistrationToken::issue(sampleClaims(), secret).toLatin1(),
                                                        QByteArray::Base64UrlEncoding)
                                     .left(20);
            payload[0] = char(kindByte);
            payload[19] = char(ttl);
            const QByteArray mac = QMessageAuthenticationCode::hash(payload, secret, QCryptographicHash::Sha256).left(10);
            const QString forged = QString::fromLatin1(
                (payload + mac).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            const auto v = RegistrationToken::verify(forged, lookup(), issued);
            QVERIFY(!v.ok());
            QCOMPARE(*v.error, TokenError::InvalidClaims);
        }
    }
};

QTEST_GUILESS_MAIN(RegistrationTokenTest)
#include "registrationtokentest.moc"
