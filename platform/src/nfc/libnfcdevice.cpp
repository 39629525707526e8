#include "libnfcdevice.h"

#include "ndeflink.h"
#include "ntag21x.h"
#include "ntagwriter.h"
#include "platformlogging.h"
#include "type3tag.h"
#include "type4tag.h"

#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <chrono>

namespace poptap {

namespace {

// How long one blocking reader call may last before the reader thread looks again at what
// is wanted. nfc_abort_command normally ends it at once; this bounds the rare abort that
// arrives just before the call starts and is lost.
constexpr int kWaitForPhoneMs = 1000;
// Short polls also tell soon that a card was taken away, so that a staff card tapped
// again a moment later counts as a new presentation.
constexpr int kWaitForCardMs = 300;
constexpr int kAbortRetryMs = 5;

// NFCID2 of an emulated Type 3 tag: 02 FE marks the NFC Forum Type 3 Tag platform (NFC
// Digital Protocol 6.6.2), the rest is random per phone.
QByteArray freshFelicaIdm()
{
    QByteArray idm("\x02\xFE", 2);
    for (int i = 0; i < 6; ++i)
        idm += char(QRandomGenerator::system()->bounded(256));
    return idm;
}

} // namespace

LibnfcDevice::LibnfcDevice(Options options, QObject *parent)
    : NfcDevice(parent)
    , m_options(std::move(options))
    , m_reason(QStringLiteral("opening %1").arg(QString::fromLatin1(m_options.connstring)))
{
    m_thread = std::thread([this] { run(); });
}

LibnfcDevice::~LibnfcDevice()
{
    want([](Wanted &wanted) { wanted.stop = true; });
    m_thread.join();
}

QString LibnfcDevice::backendName() const
{
    return QStringLiteral("libnfc:") + QString::fromLatin1(m_options.connstring);
}

void LibnfcDevice::serveLink(const QUrl &link)
{
    if (link.scheme() != QLatin1String("https")) {
        qCWarning(lcNfc) << "refusing to serve a non-https link:" << link.toDisplayString();
        stopServing();
        return;
    }
    m_link = link;
    want([&](Wanted &wanted) { wanted.serve = link; });
}

void LibnfcDevice::stopServing()
{
    m_link.clear();
    want([](Wanted &wanted) { wanted.serve.clear(); });
}

void LibnfcDevice::writeTag(const QUrl &link, bool permanentLock)
{
    want([&](Wanted &wanted) {
        wanted.write = link;
        wanted.writeLock = permanentLock;
    });
}

void LibnfcDevice::cancelWrite()
{
    want([](Wanted &wanted) { wanted.write.clear(); });
}

void LibnfcDevice::want(const std::function<void(Wanted &)> &change)
{
    quint64 generation = 0;
    {
        std::lock_guard lock(m_mutex);
        const Wanted before = m_wanted;
        change(m_wanted);
        // Asking again for what is already under way must not cut a phone's read short.
        if (m_wanted.sameWorkAs(before))
            return;
        generation = ++m_wanted.generation;
        if (m_reader)
            m_reader->abort();
    }
    m_wake.notify_all();
    abortUntilSeen(generation);
}

void LibnfcDevice::abortUntilSeen(quint64 generation)
{
    // libnfc loses an abort that comes while no reply is awaited with the abort pipe
    // watched (between commands, or while the chip's ACK is read): the command that
    // follows would run its full time. So abort again until the reader thread has taken
    // up this request.
    QTimer::singleShot(kAbortRetryMs, Qt::PreciseTimer, this, [this, generation] {
        {
            std::lock_guard lock(m_mutex);
            if (m_seenGeneration >= generation || m_wanted.generation != generation || !m_reader)
                return;
            m_reader->abort();
        }
        abortUntilSeen(generation);
    });
}

void LibnfcDevice::setStatus(Status status, const QString &reason)
{
    if (m_status == status && m_reason == reason)
        return;
    m_status = status;
    m_reason = reason;
    Q_EMIT statusChanged();
}

// ---- reader thread ---------------------------------------------------------------------

LibnfcDevice::Wanted LibnfcDevice::wanted()
{
    std::lock_guard lock(m_mutex);
    m_seenGeneration = m_wanted.generation;
    return m_wanted;
}

bool LibnfcDevice::isCurrent(quint64 generation) const
{
    std::lock_guard lock(m_mutex);
    return m_wanted.generation == generation && !m_wanted.stop;
}

bool LibnfcDevice::sleepUnlessStopped(int ms)
{
    std::unique_lock lock(m_mutex);
    return m_wake.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_wanted.stop; });
}

void LibnfcDevice::post(Status status, const QString &reason)
{
    QMetaObject::invokeMethod(this, [this, status, reason] { setStatus(status, reason); }, Qt::QueuedConnection);
}

void LibnfcDevice::run()
{
    std::unique_ptr<LibnfcReader> reader;
    int reopenDelay = m_options.reopenFirstDelayMs;
    for (;;) {
        const Wanted now = wanted();
        if (now.stop)
            break;
        if (!reader) {
            QString error;
            reader = LibnfcReader::open(m_options.connstring, &error);
            if (!reader) {
                post(Status::Absent, error);
                if (sleepUnlessStopped(reopenDelay))
                    break;
                reopenDelay = std::min(reopenDelay * 2, m_options.reopenMaxDelayMs);
                continue;
            }
            reopenDelay = m_options.reopenFirstDelayMs;
            qCInfo(lcNfc) << "NFC reader" << reader->name() << "open at" << m_options.connstring;
            {
                std::lock_guard lock(m_mutex);
                m_reader = reader.get();
            }
            const bool canEmulate = reader->canEmulate();
            QMetaObject::invokeMethod(
                this,
                [this, canEmulate] {
                    if (m_canEmulate == canEmulate)
                        return;
                    m_canEmulate = canEmulate;
                    Q_EMIT statusChanged();
                },
                Qt::QueuedConnection);
            m_cardInField.clear();
        }

        LibnfcReader::Result result;
        if (!now.write.isEmpty())
            result = writeOnce(*reader, now);
        else if (!now.serve.isEmpty() && reader->canEmulate())
            result = serveOnce(*reader, now);
        else
            result = readOnce(*reader);

        if (result.outcome == LibnfcReader::Outcome::Gone) {
            qCWarning(lcNfc) << "NFC reader lost:" << result.message;
            {
                std::lock_guard lock(m_mutex);
                m_reader = nullptr;
            }
            reader.reset();
            post(Status::Absent, QStringLiteral("reader lost: %1").arg(result.message));
            if (sleepUnlessStopped(reopenDelay))
                break;
        }
    }
    std::lock_guard lock(m_mutex);
    m_reader = nullptr;
    reader.reset();
}

LibnfcReader::Result LibnfcDevice::serveOnce(LibnfcReader &reader, const Wanted &now)
{
    post(Status::Serving);
    const bool felica = m_options.emulation == LibnfcReader::Emulation::FeliCa;
    const QByteArray idm = felica ? freshFelicaIdm() : QByteArray();
    const QByteArray ndef = encodeNdefUri(now.serve);
    nfc::Type4Tag type4(ndef);
    nfc::Type3Tag type3(ndef, idm);
    bool fullyRead = false;
    bool reported = false;
    const auto respond = [&](QByteArrayView command) {
        const QByteArray answer = felica ? type3.respond(command) : type4.respond(command);
        fullyRead = felica ? type3.messageFullyRead() : type4.messageFullyRead();
        return answer;
    };
    // Told only once the answer with the link's last bytes has left the reader: the kiosk
    // moves on (and stops serving) as soon as it hears, which must not cut that answer off.
    const auto answered = [&] {
        if (!fullyRead || reported)
            return;
        reported = true;
        const QUrl link = now.serve;
        QMetaObject::invokeMethod(
            this,
            [this, link] {
                if (link == m_link) // a read that finished as the link left the screen is not news
                    Q_EMIT linkRead(link);
            },
            Qt::QueuedConnection);
    };
    return reader.emulate(m_options.emulation, idm, kWaitForPhoneMs, respond, answered,
                          [&] { return isCurrent(now.generation); });
}

LibnfcDevice::Presentation LibnfcDevice::pollForNewCard(LibnfcReader &reader)
{
    Presentation card;
    card.result = reader.poll(kWaitForCardMs, &card.uid, &card.isNtag);
    if (card.result.outcome == LibnfcReader::Outcome::Nothing)
        m_cardInField.clear();
    if (card.result.outcome != LibnfcReader::Outcome::Done)
        return card;
    // Still the same presentation (a staff card left lying there, or the card that was
    // there before a write was asked for): not new.
    if (card.uid == m_cardInField) {
        reader.idle();
        return card;
    }
    m_cardInField = card.uid;
    card.isNew = true;
    return card;
}

LibnfcReader::Result LibnfcDevice::readOnce(LibnfcReader &reader)
{
    post(Status::Reading, reader.canEmulate() ? QString() : QStringLiteral("this reader cannot emulate a tag for phones"));
    const Presentation card = pollForNewCard(reader);
    if (!card.isNew)
        return card.result;
    const QByteArray uid = card.uid;
    QByteArray ndef;
    if (card.isNtag) {
        if (const auto type = nfc::ntagTypeFromVersion(reader.card().getVersion())) {
            const nfc::NdefFromTag content = nfc::ndefFromType2Memory(readNtagMemory(reader.card(), *type));
            if (content.error.isEmpty())
                ndef = content.message;
            else
                qCInfo(lcNfc) << "sticker without a readable NDEF message:" << content.error;
        }
    }
    // Switching the field off makes the next poll find the card afresh, not miss it
    // because it stayed selected.
    reader.idle();
    QMetaObject::invokeMethod(this, [this, uid, ndef] { Q_EMIT cardPresented(uid, ndef); }, Qt::QueuedConnection);
    return card.result;
}

LibnfcReader::Result LibnfcDevice::writeOnce(LibnfcReader &reader, const Wanted &now)
{
    post(Status::Writing);
    const Presentation card = pollForNewCard(reader);
    if (!card.isNew)
        return card.result;
    NtagWriteOutcome outcome;
    if (card.isNtag)
        outcome = writeLinkToNtag(reader.card(), now.write, now.writeLock);
    else
        outcome.error = QStringLiteral("this is not an NTAG213, NTAG215 or NTAG216 sticker");
    reader.idle();

    bool stillWanted = false;
    {
        std::lock_guard lock(m_mutex);
        stillWanted = m_wanted.generation == now.generation;
        if (stillWanted) {
            m_wanted.write.clear();
            ++m_wanted.generation;
        }
    }
    if (!stillWanted) // cancelled or replaced while the sticker was being written
        return card.result;
    const QUrl link = now.write;
    const bool locked = now.writeLock;
    const QString type = outcome.type ? nfc::toString(*outcome.type) : QString();
    const QString error = outcome.error;
    QMetaObject::invokeMethod(
        this,
        [this, link, type, locked, error] {
            if (error.isEmpty())
                Q_EMIT tagWritten(link, type, locked);
            else
                Q_EMIT tagWriteFailed(error);
        },
        Qt::QueuedConnection);
    return card.result;
}

} // namespace poptap
