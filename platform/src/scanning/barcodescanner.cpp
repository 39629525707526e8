#include "barcodescanner.h"

#include <QVideoSink>

namespace poptap {

BarcodeScanner::BarcodeScanner(std::unique_ptr<FrameSource> source, BarcodeDecoder::Options options, QObject *parent)
    : QObject(parent), m_source(std::move(source)), m_worker(std::make_unique<DecodeWorker>(options))
{
    if (m_source) {
        // Direct: a camera's sink emits on its capture thread, and submit() only hands the frame
        // over (or drops it), so nothing waits for the GUI thread.
        DecodeWorker *worker = m_worker.get();
        connect(m_source->videoSink(), &QVideoSink::videoFrameChanged, worker,
                [this, worker](const QVideoFrame &frame) {
                    if (m_scanning.load())
                        worker->submit(frame);
                },
                Qt::DirectConnection);
    }
    connect(m_worker.get(), &DecodeWorker::codeScanned, this,
            [this](const ScannedCode &code) {
                if (m_scanning.load()) // not a frame decoded after stop()
                    Q_EMIT scanned(code);
            },
            Qt::QueuedConnection);
}

BarcodeScanner::~BarcodeScanner()
{
    // The source first: once it is gone no thread can hand a frame to the worker.
    m_scanning.store(false);
    if (m_source)
        m_source->stop();
    m_source.reset();
    m_worker.reset();
}

void BarcodeScanner::start()
{
    if (m_scanning || !m_source)
        return;
    m_worker->resetRepeats();
    m_scanning.store(true);
    m_source->start();
    Q_EMIT scanningChanged();
}

void BarcodeScanner::stop()
{
    if (!m_scanning)
        return;
    m_scanning.store(false);
    m_source->stop();
    Q_EMIT scanningChanged();
}

} // namespace poptap
