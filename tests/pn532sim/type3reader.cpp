// A phone reading an NFC Forum Type 3 Tag (FeliCa): polling for system code 12FC, then the
// NDEF read of the Type 3 Tag specification ("NDEF Read Procedure"): Check (Read Without
// Encryption) of the Attribute Information Block and of the NDEF blocks of service 000B.

#include "phonesession.h"

#include <algorithm>

namespace poptap::pn532sim {

namespace {

constexpr quint8 cmdCheck = 0x06;
constexpr quint8 rspCheck = 0x07;
constexpr quint8 cmdUpdate = 0x08;
constexpr quint8 rspUpdate = 0x09;
constexpr quint16 ndefReadService = 0x000B;  // NDEF, read-only access
constexpr quint16 ndefWriteService = 0x0009; // NDEF, read/write access
constexpr int blockSize = 16;

QByteArray withLength(QByteArray frame)
{
    frame.prepend(char(frame.size() + 1));
    return frame;
}

QByteArray serviceList(quint16 service)
{
    // One service, code little-endian (FeliCa: Read Without Encryption).
    return QByteArray(1, '\x01') + char(service & 0xFF) + char(service >> 8);
}

QByteArray checkCommand(const QByteArray &idm, int firstBlock, int count)
{
    QByteArray frame = char(cmdCheck) + idm + serviceList(ndefReadService) + char(count);
    for (int block = firstBlock; block < firstBlock + count; ++block) {
        // Two-byte block list element: length bit set, service index 0, block number.
        frame += '\x80';
        frame += char(block);
    }
    return withLength(frame);
}

struct AttributeInformation {
    int maxBlocksPerCheck = 0; // Nbr
    int ndefLength = 0;        // Ln
};

class Type3Reading
{
public:
    Type3Reading(PhoneRf &rf, const PhoneScript &script)
        : m_session(rf, script)
    {
    }
    PhoneResult run();

private:
    std::optional<QByteArray> check(int firstBlock, int count, const QString &what);
    std::optional<AttributeInformation> readAttributeInformation();
    void misbehaveAfterMessage();

    PhoneSession m_session;
    QByteArray m_idm;
};

std::optional<QByteArray> Type3Reading::check(int firstBlock, int count, const QString &what)
{
    const std::optional<QByteArray> response = m_session.exchange(checkCommand(m_idm, firstBlock, count));
    if (!response)
        return std::nullopt;
    // LEN, 07, IDm(8), status flag 1, status flag 2, [number of blocks, block data]
    if (response->size() < 12 || quint8(response->at(0)) != response->size() || quint8(response->at(1)) != rspCheck
        || response->mid(2, 8) != m_idm) {
        m_session.fail(what + QStringLiteral(": malformed Check response"));
        return std::nullopt;
    }
    if (response->at(10) != 0) {
        m_session.fail(what + QStringLiteral(": Check failed with status flags %1").arg(QString::fromLatin1(response->mid(10, 2).toHex())));
        return std::nullopt;
    }
    if (response->size() != 13 + count * blockSize || quint8(response->at(12)) != count) {
        m_session.fail(what + QStringLiteral(": Check returned the wrong number of blocks"));
        return std::nullopt;
    }
    return response->mid(13);
}

std::optional<AttributeInformation> Type3Reading::readAttributeInformation()
{
    const std::optional<QByteArray> block = check(0, 1, QStringLiteral("reading the attribute information block"));
    if (!block)
        return std::nullopt;
    m_session.result().capabilityContainer = *block;
    const auto byte = [&block](int i) { return quint8(block->at(i)); };
    int sum = 0;
    for (int i = 0; i < 14; ++i)
        sum += byte(i);
    // Attribute information block: Ver, Nbr, Nbw, Nmaxb(2), RFU(4), WriteF, RW Flag, Ln(3), Checksum(2).
    if (((byte(14) << 8) | byte(15)) != sum) {
        m_session.fail(QStringLiteral("attribute information block checksum mismatch"));
        return std::nullopt;
    }
    if ((byte(0) >> 4) != 1) {
        m_session.fail(QStringLiteral("unsupported Type 3 Tag mapping version %1").arg(byte(0), 2, 16, QLatin1Char('0')));
        return std::nullopt;
    }
    AttributeInformation info;
    info.maxBlocksPerCheck = byte(1);
    const int maxBlocks = (byte(3) << 8) | byte(4);
    info.ndefLength = (byte(11) << 16) | (byte(12) << 8) | byte(13);
    if (info.maxBlocksPerCheck == 0) {
        m_session.fail(QStringLiteral("Nbr is 0"));
        return std::nullopt;
    }
    if (byte(9) != 0x00) {
        m_session.fail(QStringLiteral("a write is in progress (WriteF %1)").arg(byte(9)));
        return std::nullopt;
    }
    if (info.ndefLength > maxBlocks * blockSize) {
        m_session.fail(QStringLiteral("Ln %1 exceeds Nmaxb %2").arg(info.ndefLength).arg(maxBlocks));
        return std::nullopt;
    }
    return info;
}

void Type3Reading::misbehaveAfterMessage()
{
    const PhoneScript &script = m_session.script();
    if (script.readPastEnd && !m_session.exchange(checkCommand(m_idm, 0xFF, 1)))
        return;
    if (script.attemptUpdate) {
        // Write Without Encryption of block 0 through the read/write NDEF service.
        QByteArray frame = char(cmdUpdate) + m_idm + serviceList(ndefWriteService) + QByteArray::fromHex("018000")
                           + QByteArray(blockSize, '\0');
        const std::optional<QByteArray> response = m_session.exchange(withLength(frame));
        if (response && response->size() >= 12 && quint8(response->at(1)) == rspUpdate && response->at(10) == 0)
            m_session.result().updateAccepted = true;
    }
}

PhoneResult Type3Reading::run()
{
    const PhoneScript &script = m_session.script();
    const std::optional<QByteArray> sensfRes = m_session.rf().pollFelica(script.felicaSystemCode, 0x01, script.felica424,
                                                                         script.discoveryTimeout);
    if (!sensfRes || sensfRes->size() < 18) {
        m_session.fail(QStringLiteral("no FeliCa tag with system code %1 answered within %2 ms")
                           .arg(script.felicaSystemCode, 4, 16, QLatin1Char('0'))
                           .arg(script.discoveryTimeout.count()));
        m_session.leave(false);
        return m_session.result();
    }
    m_session.result().activation = *sensfRes;
    m_idm = sensfRes->mid(2, 8);
    m_session.result().uid = m_idm;

    std::optional<QByteArray> message;
    if (m_session.sendStrays(PhoneScript::Step::Start)) {
        if (const std::optional<AttributeInformation> info = readAttributeInformation()) {
            QByteArray data;
            const int blocks = (info->ndefLength + blockSize - 1) / blockSize;
            // A Check carries at most Nbr blocks; 15 keeps the frame within 255 bytes.
            const int perCheck = std::min(info->maxBlocksPerCheck, 15);
            bool ok = true;
            for (int first = 1; ok && first <= blocks; first += perCheck) {
                const int count = std::min(perCheck, blocks - first + 1);
                const std::optional<QByteArray> chunk = check(first, count, QStringLiteral("reading the NDEF blocks"));
                ok = chunk.has_value();
                if (chunk)
                    data += *chunk;
            }
            if (ok)
                message = data.left(info->ndefLength);
        }
    }
    if (message && m_session.sendStrays(PhoneScript::Step::AfterMessage))
        misbehaveAfterMessage();
    if (message)
        m_session.finishWithMessage(*message);
    m_session.leave(false);
    return m_session.result();
}

} // namespace

PhoneResult readType3Tag(PhoneRf &rf, const PhoneScript &script)
{
    return Type3Reading(rf, script).run();
}

} // namespace poptap::pn532sim
