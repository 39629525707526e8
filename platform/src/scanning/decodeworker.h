#pragma once

#include "barcodedecoder.h"

#include <QObject>
#include <QThread>
#include <QVideoFrame>

#include <atomic>
#include <chrono>

namespace poptap {

// The one decode worker (DESIGN.md, "Threads"): frames from any thread are decoded on its own
// thread, one at a time; a frame that arrives while one is being decoded is dropped, so a slow
// decode never queues frames or grows memory. A code held in front of the camera is reported
// once: again only after it has been out of sight for the hold-off, or after another code.
class DecodeWorker : public QObject
{
    Q_OBJECT
public:
    explicit DecodeWorker(BarcodeDecoder::Options options = {}, QObject *parent = nullptr);
    ~DecodeWorker() override;

    // Any thread. Returns false when the frame was dropped because the worker is busy.
    bool submit(const QVideoFrame &frame);
    void setRepeatHoldoff(std::chrono::milliseconds holdoff);
    // Forget the last code, so that the next read of it is reported (a new shopper).
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
    // ... implementation detail: a QObject living on m_thread does the decoding
    QThread m_thread;
    std::atomic<bool> m_busy{false};
    std::atomic<qint64> m_submitted{0};
    std::atomic<qint64> m_decoded{0};
    std::atomic<qint64> m_dropped{0};
};

} // namespace poptap
