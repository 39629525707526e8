#include "decodeworker.h"

#include "videoframes.h"

#include <QHash>

#include <algorithm>

namespace poptap {

using Clock = std::chrono::steady_clock;

class DecodeWorker::Decoder : public QObject
{
public:
    Decoder(DecodeWorker *owner, BarcodeDecoder::Options options) : m_owner(owner), m_decoder(options) {}

    // On the worker thread, one frame at a time.
    void decode(const QVideoFrame &frame)
    {
        const Clock::time_point start = Clock::now();
        QList<DecodedBarcode> found;
        if (const FrameLuma luma(frame); !luma.image().isNull()) // a camera's Y plane read in place
            found = m_decoder.decode(luma.image());
        const Clock::time_point now = Clock::now();
        const qint64 micros = std::chrono::duration_cast<std::chrono::microseconds>(now - start).count();

        const QList<ScannedCode> fresh = notSeenRecently(found, now);
        ++m_owner->m_decoded;
        // Free for the next frame before telling anyone: whoever hears frameDecoded and submits
        // at once is not turned away. The next decode still waits for this call to return.
        m_owner->m_busy.store(false);
        for (const ScannedCode &code : fresh)
            Q_EMIT m_owner->codeScanned(code);
        Q_EMIT m_owner->frameDecoded(micros, int(found.size()));
    }

private:
    // The codes of this frame that were out of sight for the hold-off; every code found counts as
    // seen now.
    QList<ScannedCode> notSeenRecently(const QList<DecodedBarcode> &found, Clock::time_point now)
    {
        if (m_owner->m_resetRequested.exchange(false))
            m_lastSeen.clear();
        const std::chrono::milliseconds holdoff(m_owner->m_holdoffMs.load());
        m_lastSeen.removeIf([&](const auto &entry) { return now - entry.value() >= holdoff; });
        QList<ScannedCode> fresh;
        for (const DecodedBarcode &barcode : found) {
            if (!m_lastSeen.contains(barcode.code.text))
                fresh.append(barcode.code);
            m_lastSeen.insert(barcode.code.text, now);
        }
        return fresh;
    }

    DecodeWorker *const m_owner;
    const BarcodeDecoder m_decoder;
    QHash<QString, Clock::time_point> m_lastSeen; // code text → last frame it was found in
};

DecodeWorker::DecodeWorker(BarcodeDecoder::Options options, QObject *parent)
    : QObject(parent), m_decoder(std::make_unique<Decoder>(this, options))
{
    m_thread.setObjectName(QStringLiteral("poptap-decode"));
    m_decoder->moveToThread(&m_thread);
    m_thread.start();
}

DecodeWorker::~DecodeWorker()
{
    // The frame being decoded finishes; queued ones are discarded with the decoder.
    m_thread.quit();
    m_thread.wait();
    m_decoder.reset();
}

bool DecodeWorker::submit(const QVideoFrame &frame)
{
    ++m_submitted;
    bool idle = false;
    if (!m_busy.compare_exchange_strong(idle, true)) {
        ++m_dropped;
        return false;
    }
    Decoder *decoder = m_decoder.get();
    QMetaObject::invokeMethod(decoder, [decoder, frame] { decoder->decode(frame); }, Qt::QueuedConnection);
    return true;
}

void DecodeWorker::setRepeatHoldoff(std::chrono::milliseconds holdoff)
{
    m_holdoffMs.store(std::max<qint64>(0, holdoff.count()));
}

void DecodeWorker::resetRepeats()
{
    m_resetRequested.store(true);
}

} // namespace poptap
