// Per-device request signatures: what stops a forged, altered, replayed or stale request.
#include "wire/requestauth.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTest>

using namespace poptap::wire;

Q_DECLARE_METATYPE(poptap::wire::AuthError)

namespace {

const QString kDevice = QStringLiteral("dev_8fK2xQ9mLp3T");
const QString kOtherDevice = QStringLiteral("dev_Other000042");
const QByteArray kSecret = QByteArray::fromBase64("3hAAZPahM9xakyERuS8dHSK2t08LGCJLat12eDNhZrg=");
const QByteArray kOtherSecret = QCryptographicHash::hash("another kiosk", QCryptographicHash::Sha256);
constexpr qint64 kNow = 1795339800;
const QByteArray kBody = R"({"intents":[{"intentId":"019ec6e2-0-1","token":"EgGexuIAAAAAAAEAAdTiawK2GBhJ1c-kPPgjolCj","kind":"restock","target":120034,"issuedAt":"2026-11-22T09:30:00Z"}]})";

// An in-memory nonce store as the service keeps one (per device, with expiry).
struct NonceStore {
    QSet<QString> seen;
    QList<qint64> rememberUntil;
    RequestVerifier::NonceCheck check()
    {
        return [this](const QString &device, const QByteArray &nonce, qint64 until) {
            rememberUntil << until;
            const QString key = device + QLatin1Char(' ') + QString::fromLatin1(nonce);
            if (seen.contains(key))
                return false;
            seen.insert(key);
            return true;
        };
    }
};

RequestVerifier::DeviceLookup fleet(bool revoked = false)
{
    return [revoked](const QString &device) -> std::optional<RequestVerifier::DeviceCredential> {
        if (device == kDevice)
            return RequestVerifier::DeviceCredential{kSecret, revoked};
        if (device == kOtherDevice)
            return RequestVerifier::DeviceCredential{kOtherSecret, false};
        return std::nullopt;
    };
}

// One request as the service receives it; owns its bytes so tampering is easy.
struct Request {
    QByteArray method = "POST", path = "/v1/registrations", body = kBody;
    AuthHeaders headers;

    static Request signedAt(qint64 when, const QByteArray &nonce = "q3T9vXkLmN2pR8sW4yZa1b")
    {
        Request r;
        r.headers = RequestSigner(kDevice, kSecret).sign(r.method, r.path, r.body, when, nonce);
        return r;
    }
    ReceivedRequest received() const { return ReceivedRequest::from(method, path, body, headers); }
};

AuthResult verifyFresh(const Request &request, qint64 now = kNow)
{
    NonceStore nonces;
    return RequestVerifier(nonces.check()).verify(request.received(), fleet(), now);
}

// Every way to change one character of `text`: substitute, delete, insert.
QList<QByteArray> singleCharacterTampers(const QByteArray &text)
{
    QList<QByteArray> out;
    const char replacements[] = {'A', 'a', '0', '9', '/', '+', '=', '-', '_', ' ', '\n', '\0', '\x7f', '\xff'};
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char original = text[i];
        QList<char> candidates(std::begin(replacements), std::end(replacements));
        candidates << char(original ^ 0x01) << char(original ^ 0x20);
        for (const char c : candidates) {
            if (c == original)
                continue;
            QByteArray t = text;
            t[i] = c;
            out << t;
        }
        out << QByteArray(text).remove(i, 1);
        out << QByteArray(text).insert(i, 'x');
    }
    out << text + 'x';
    return out;
}

} // namespace

class RequestAuthTest : public QObject
{
    Q_OBJECT

private slots:
    void signedRequestsVerify_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("catalog GET") << QByteArray("GET") << QByteArray("/v1/catalog") << QByteArray();
        QTest::newRow("GET with query") << QByteArray("GET") << QByteArray("/v1/catalog?lang=ja&since=%222026%22")
                                        << QByteArray();
        QTest::newRow("registrations POST") << QByteArray("POST") << QByteArray("/v1/registrations") << kBody;
        QTest::newRow("binary body") << QByteArray("POST") << QByteArray("/v1/heartbeats")
                                     << QByteArray("\0\xff\xfe\n\r{", 6);
    }

    void signedRequestsVerify()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        const AuthHeaders headers = RequestSigner(kDevice, kSecret).sign(method, path, body, kNow);
        NonceStore nonces;
        const RequestVerifier verifier(nonces.check());
        const AuthResult viaLookup = verifier.verify(ReceivedRequest::from(method, path, body, headers), fleet(), kNow);
        QVERIFY2(viaLookup.ok(), qPrintable(viaLookup.message));
        QCOMPARE(viaLookup.deviceId, kDevice);

        const AuthHeaders again = RequestSigner(kDevice, kSecret).sign(method, path, body, kNow);
        const AuthResult viaSecret = verifier.verify(ReceivedRequest::from(method, path, body, again), kSecret, kNow);
        QVERIFY2(viaSecret.ok(), qPrintable(viaSecret.message));
    }

    void headersAreWhatTheDocumentSays()
    {
        const AuthHeaders h = RequestSigner(kDevice, kSecret).sign("GET", "/v1/catalog", {}, kNow);
        const auto list = h.list();
        QCOMPARE(list.size(), 4);
        QCOMPARE(list[0].first, QByteArray("X-PopTap-Device"));
        QCOMPARE(list[0].second, kDevice.toLatin1());
        QCOMPARE(list[1], std::make_pair(QByteArray("X-PopTap-Timestamp"), QByteArray("1795339800")));
        QCOMPARE(list[2].first, QByteArray("X-PopTap-Nonce"));
        QCOMPARE(list[3].first, QByteArray("X-PopTap-Signature"));
        QCOMPARE(h.signature.size(), 44);
        QCOMPARE(canonicalRequest("GET", "/v1/catalog", "1795339800", "n", {}),
                 QByteArray("GET\n/v1/catalog\n1795339800\nn\n"
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    void noncesAreFreshAndLongEnough()
    {
        QSet<QByteArray> nonces;
        for (int i = 0; i < 10000; ++i) {
            const QByteArray nonce = RequestSigner::newNonce();
            QCOMPARE(nonce.size(), kMinNonceLength);
            const std::optional<QByteArray> bytes = decodeBase64Url(nonce);
            QVERIFY(bytes);
            QCOMPARE(bytes->size(), kNonceBytes);
            nonces.insert(nonce);
        }
        QCOMPARE(nonces.size(), 10000);
        const AuthHeaders a = RequestSigner(kDevice, kSecret).sign("GET", "/v1/catalog", {}, kNow);
        const AuthHeaders b = RequestSigner(kDevice, kSecret).sign("GET", "/v1/catalog", {}, kNow);
        QVERIFY(a.nonce != b.nonce);
        QVERIFY(a.signature != b.signature);
    }

    void everySingleCharacterTamperIsRejected_data()
    {
        QTest::addColumn<QString>("part");
        for (const char *part : {"method", "path", "timestamp", "nonce", "body", "signature", "device"})
            QTest::newRow(part) << QString::fromLatin1(part);
    }

    void everySingleCharacterTamperIsRejected()
    {
        QFETCH(QString, part);
        const Request genuine = Request::signedAt(kNow);
        QVERIFY(verifyFresh(genuine).ok());
        const auto field = [&part](Request &r) -> QByteArray & {
            if (part == u"method") return r.method;
            if (part == u"path") return r.path;
            if (part == u"timestamp") return r.headers.timestamp;
            if (part == u"nonce") return r.headers.nonce;
            if (part == u"body") return r.body;
            if (part == u"device") return r.headers.device;
            return r.headers.signature;
        };
        Request probe = genuine;
        const QList<QByteArray> tampers = singleCharacterTampers(field(probe));
        QVERIFY(tampers.size() > 10);
        for (const QByteArray &tampered : tampers) {
            Request r = genuine;
            field(r) = tampered;
            const AuthResult result = verifyFresh(r);
            QVERIFY2(!result.ok(), qPrintable(QStringLiteral("%1 tampered to %2 was accepted")
                                                  .arg(part, QString::fromLatin1(tampered.toPercentEncoding()))));
            QVERIFY(result.error != AuthError::ReplayedNonce);
            QVERIFY(!result.message.contains(QString::fromLatin1(genuine.headers.signature)));
        }
    }

    void wrongSecretIsRejected()
    {
        Request r = Request::signedAt(kNow);
        QByteArray oneBitOff = kSecret;
        oneBitOff[31] = char(oneBitOff[31] ^ 0x01);
        r.headers = RequestSigner(kDevice, oneBitOff).sign(r.method, r.path, r.body, kNow);
        const AuthResult result = verifyFresh(r);
        QCOMPARE(result.error, AuthError::BadSignature);
        QCOMPARE(result.toApiError().httpStatus, 401);
        QCOMPARE(result.toApiError().error, QStringLiteral("bad_signature"));

        NonceStore nonces;
        QCOMPARE(RequestVerifier(nonces.check()).verify(r.received(), QByteArrayView(), kNow).error,
                 AuthError::BadSignature);
    }

    void oneDevicesSecretCannotSpeakForAnother()
    {
        Request r = Request::signedAt(kNow);
        r.headers = RequestSigner(kOtherDevice, kOtherSecret).sign(r.method, r.path, r.body, kNow);
        QVERIFY(verifyFresh(r).ok());
        r.headers.device = kDevice.toLatin1(); // claims to be the first kiosk
        QCOMPARE(verifyFresh(r).error, AuthError::BadSignature);
    }

    void clockSkew_data()
    {
        QTest::addColumn<qint64>("kioskAhead");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("-301") << qint64(-301) << false;
        QTest::newRow("-300") << qint64(-300) << true;
        QTest::newRow("-299") << qint64(-299) << true;
        QTest::newRow("0") << qint64(0) << true;
        QTest::newRow("+299") << qint64(299) << true;
        QTest::newRow("+300") << qint64(300) << true;
        QTest::newRow("+301") << qint64(301) << false;
        QTest::newRow("a day behind") << qint64(-86400) << false;
        QTest::newRow("epoch") << -kNow << false;
    }

    void clockSkew()
    {
        QFETCH(qint64, kioskAhead);
        QFETCH(bool, accepted);
        const AuthResult result = verifyFresh(Request::signedAt(kNow + kioskAhead));
        QCOMPARE(result.ok(), accepted);
        if (!accepted) {
            QCOMPARE(result.error, AuthError::ClockSkew);
            QCOMPARE(result.toApiError().error, QStringLiteral("clock_skew"));
            QVERIFY2(result.message.contains(QStringLiteral("%1 s").arg(qAbs(kioskAhead))), qPrintable(result.message));
        }
    }

    void replayedNonceIsRejected()
    {
        NonceStore nonces;
        const RequestVerifier verifier(nonces.check());
        const Request first = Request::signedAt(kNow);
        QVERIFY(verifier.verify(first.received(), fleet(), kNow).ok());
        QCOMPARE(nonces.rememberUntil.value(0), kNow + kAllowedClockSkewSeconds);

        // The same bytes again, e.g. captured and resent, or libcurl resending on a dead connection.
        const AuthResult replay = verifier.verify(first.received(), fleet(), kNow + 10);
        QCOMPARE(replay.error, AuthError::ReplayedNonce);
        QCOMPARE(replay.toApiError().error, QStringLiteral("nonce_replayed"));
        // Re-signed with the same nonce but a later time: still refused.
        QCOMPARE(verifier.verify(Request::signedAt(kNow + 10).received(), fleet(), kNow + 10).error,
                 AuthError::ReplayedNonce);
        // The kiosk's answer to nonce_replayed: sign again with a new nonce.
        QVERIFY(verifier.verify(Request::signedAt(kNow + 10, "Zk8Qw2Lx7Vb3Nm9Pc4Rt6Y").received(), fleet(), kNow + 10)
                    .ok());
        // Nonces are per device: another kiosk may happen to draw the same one.
        Request other = first;
        other.headers = RequestSigner(kOtherDevice, kOtherSecret)
                            .sign(other.method, other.path, other.body, kNow, first.headers.nonce);
        QVERIFY(verifier.verify(other.received(), fleet(), kNow).ok());
    }

    void forgeriesDoNotBurnNonces()
    {
        NonceStore nonces;
        const RequestVerifier verifier(nonces.check());
        Request forged = Request::signedAt(kNow);
        forged.body.replace("restock", "brand");
        QCOMPARE(verifier.verify(forged.received(), fleet(), kNow).error, AuthError::BadSignature);
        QCOMPARE(verifier.verify(Request::signedAt(kNow - 400).received(), fleet(), kNow).error, AuthError::ClockSkew);
        QVERIFY(nonces.seen.isEmpty());
        QVERIFY(verifier.verify(Request::signedAt(kNow).received(), fleet(), kNow).ok());
    }

    void withoutANonceStoreNothingPasses()
    {
        const RequestVerifier verifier(nullptr);
        QCOMPARE(verifier.verify(Request::signedAt(kNow).received(), fleet(), kNow).error, AuthError::ReplayedNonce);
    }

    void missingHeaders_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("named");
        QTest::newRow("device") << 0 << "X-PopTap-Device";
        QTest::newRow("timestamp") << 1 << "X-PopTap-Timestamp";
        QTest::newRow("nonce") << 2 << "X-PopTap-Nonce";
        QTest::newRow("signature") << 3 << "X-PopTap-Signature";
        QTest::newRow("all") << -1 << "missing X-PopTap-Device, X-PopTap-Timestamp, X-PopTap-Nonce, X-PopTap-Signature";
    }

    void missingHeaders()
    {
        QFETCH(int, which);
        QFETCH(QString, named);
        ReceivedRequest r = Request::signedAt(kNow).received();
        std::optional<QByteArray> *headers[] = {&r.device, &r.timestamp, &r.nonce, &r.signature};
        for (int i = 0; i < 4; ++i) {
            if (which < 0 || i == which)
                headers[i]->reset();
        }
        NonceStore nonces;
        const AuthResult result = RequestVerifier(nonces.check()).verify(r, fleet(), kNow);
        QCOMPARE(result.error, AuthError::MissingHeader);
        QVERIFY2(result.message.contains(named), qPrintable(result.message));
        QCOMPARE(result.toApiError().error, QStringLiteral("auth_missing"));
        QCOMPARE(result.toApiError().httpStatus, 401);
    }

    void malformedHeaders_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("device empty") << QByteArray("device") << QByteArray();
        QTest::newRow("device with space") << QByteArray("device") << QByteArray("dev 8fK2xQ9mLp3T");
        QTest::newRow("device huge") << QByteArray("device") << QByteArray(100000, 'd');
        QTest::newRow("timestamp empty") << QByteArray("timestamp") << QByteArray();
        QTest::newRow("timestamp signed") << QByteArray("timestamp") << QByteArray("+1795339800");
        QTest::newRow("timestamp leading zero") << QByteArray("timestamp") << QByteArray("01795339800");
        QTest::newRow("timestamp fraction") << QByteArray("timestamp") << QByteArray("1795339800.0");
        QTest::newRow("timestamp negative") << QByteArray("timestamp") << QByteArray("-1");
        QTest::newRow("timestamp 13 digits") << QByteArray("timestamp") << QByteArray("1795339800000");
        QTest::newRow("timestamp HTTP date") << QByteArray("timestamp") << QByteArray("Sun, 22 Nov 2026 09:30:00 GMT");
        QTest::newRow("nonce 21") << QByteArray("nonce") << QByteArray("q3T9vXkLmN2pR8sW4yZa1");
        QTest::newRow("nonce 65") << QByteArray("nonce") << QByteArray(65, 'n');
        QTest::newRow("nonce padded") << QByteArray("nonce") << QByteArray("q3T9vXkLmN2pR8sW4yZa1b==");
        QTest::newRow("nonce standard alphabet") << QByteArray("nonce") << QByteArray("q3T9vXkL+N2pR8sW4yZa1b");
        QTest::newRow("signature empty") << QByteArray("signature") << QByteArray();
        QTest::newRow("signature unpadded") << QByteArray("signature")
                                            << QByteArray("W0C0EGdKZBzHQC/9zgm+D3fXXBFApoRLU3cTxmLapho");
        QTest::newRow("signature URL alphabet") << QByteArray("signature")
                                                << QByteArray("W0C0EGdKZBzHQC_9zgm-D3fXXBFApoRLU3cTxmLapho=");
        QTest::newRow("signature not canonical") << QByteArray("signature")
                                                 << QByteArray("W0C0EGdKZBzHQC/9zgm+D3fXXBFApoRLU3cTxmLaphp=");
        QTest::newRow("signature 16 bytes") << QByteArray("signature") << QByteArray(16, 's').toBase64();
        QTest::newRow("signature hex") << QByteArray("signature") << QByteArray(32, 's').toHex();
        QTest::newRow("path relative") << QByteArray("path") << QByteArray("v1/registrations");
        QTest::newRow("path absolute URL") << QByteArray("path") << QByteArray("https://api.poptap.example/v1/x");
        QTest::newRow("path with newline") << QByteArray("path") << QByteArray("/v1/registrations\n1795339800");
        QTest::newRow("path too long") << QByteArray("path") << "/" + QByteArray(kMaxPathLength, 'p');
        QTest::newRow("method empty") << QByteArray("method") << QByteArray();
        QTest::newRow("method with newline") << QByteArray("method") << QByteArray("POST\n/v1");
    }

    void malformedHeaders()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        Request r = Request::signedAt(kNow);
        if (header == "device") r.headers.device = value;
        if (header == "timestamp") r.headers.timestamp = value;
        if (header == "nonce") r.headers.nonce = value;
        if (header == "signature") r.headers.signature = value;
        if (header == "path") r.path = value;
        if (header == "method") r.method = value;
        const AuthResult result = verifyFresh(r);
        QCOMPARE(result.error, AuthError::MalformedHeader);
        QCOMPARE(result.toApiError().error, QStringLiteral("auth_malformed"));
        QVERIFY(result.message.size() < 200); // the hostile value is not echoed
    }

    void unknownAndRevokedDevices()
    {
        NonceStore nonces;
        const RequestVerifier verifier(nonces.check());
        Request stranger = Request::signedAt(kNow);
        stranger.headers = RequestSigner(QStringLiteral("dev_Unknown0001"), kSecret)
                               .sign(stranger.method, stranger.path, stranger.body, kNow);
        const AuthResult unknown = verifier.verify(stranger.received(), fleet(), kNow);
        QCOMPARE(unknown.error, AuthError::UnknownDevice);
        QCOMPARE(unknown.toApiError().error, QStringLiteral("unknown_device"));
        QCOMPARE(unknown.toApiError().httpStatus, 401);

        const Request genuine = Request::signedAt(kNow);
        const AuthResult revoked = verifier.verify(genuine.received(), fleet(/*revoked=*/true), kNow);
        QCOMPARE(revoked.error, AuthError::DeviceRevoked);
        QCOMPARE(revoked.toApiError().httpStatus, 403);
        QCOMPARE(revoked.toApiError().error, QStringLiteral("device_revoked"));
        QVERIFY(nonces.seen.isEmpty()); // a revoked device's requests leave nothing behind

        // Only the device itself learns it is revoked: a forgery in its name is just a bad signature.
        Request forged = genuine;
        forged.headers.signature = RequestSigner(kDevice, kOtherSecret).sign("POST", "/x", {}, kNow).signature;
        QCOMPARE(verifier.verify(forged.received(), fleet(true), kNow).error, AuthError::BadSignature);

        // Reinstated, the very request goes through: its nonce was never stored.
        QVERIFY(verifier.verify(genuine.received(), fleet(false), kNow).ok());
    }

    void everyErrorHasItsAnswer()
    {
        const std::pair<AuthError, int> statuses[] = {
            {AuthError::MissingHeader, 401}, {AuthError::MalformedHeader, 401}, {AuthError::UnknownDevice, 401},
            {AuthError::ClockSkew, 401},     {AuthError::BadSignature, 401},    {AuthError::DeviceRevoked, 403},
            {AuthError::ReplayedNonce, 401},
        };
        for (const auto &[error, status] : statuses) {
            const AuthResult r{error, describe(error), {}};
            QCOMPARE(r.toApiError().httpStatus, status);
            QCOMPARE(httpStatusFor(r.toApiError().error), status);
            QVERIFY(!r.toApiError().message.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(RequestAuthTest)
#include "requestauthtest.moc"
