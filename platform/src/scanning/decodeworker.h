#pragma once

#include "barcodedecoder.h"

#include <QObject>
#include <QThread>
#include <QVideoFrame>

#include <atomic>
#include <chrono>
#include <memory>

namespace poptap {

// The one decode worker (DESIGN.md, "Threads"): frames from any thread are decoded on its own
// thread, one at a time; a frame that arrives while one is being decoded is dropped, so a slow
// decode never queues frames or grows memory. A code held in front of the camera is reported
// once: again only after it has been out of sight for the hold-off (each code on its own, so
// two codes in view are each reported once), or after resetRepeats().
class DecodeWorker : public QObject
{
    Q_OBJECT
public:
    explicit DecodeWorker(BarcodeDecoder::Options options = {}, QObject *parent = nullptr);
    ~DecodeWorker() override;

    // Any thread. Returns false when the frame was dropped because the worker is busy.
    bool submit(const QVideoFrame &frame);
    // Any thread. How long a code must be out of sight before it is reported again (1.5 s).
    void setRepeatHoldoff(std::chrono::milliseconds holdoff);
    // Any thread. Forget the codes seen, so that the next read of each is reported (a new shopper).
    void resetRepeats();

    qint64 framesSubmitted() const { return m_submitted.load(); }
    qint64 framesDecoded() const { return m_decoded.load(); }
    qint64 framesDropped() const { return m_dropped.load(); }

Q_SIGNALS:
    // Emitted from the worker thread: connect with a queued (or auto) connection.
    void codeScanned(const poptap::ScannedCode &code);
    // After every decoded frame: how long the decode took, and what it found.
    void frameDecoded(qint64 decodeMicros, int codesFound);

private:
    class Decoder; // a QObject living on m_thread: decodes, holds the repeat memory
    friend class Decoder;

    QThread m_thread;
    std::unique_ptr<Decoder> m_decoder;
    std::atomic<bool> m_busy{false};
    std::atomic<bool> m_resetRequested{false};
    std::atomic<qint64> m_holdoffMs{1500};
    std::atomic<qint64> m_submitted{0};
    std::atomic<qint64> m_decoded{0};
    std::atomic<qint64> m_dropped{0};
};

} // namespace poptap
