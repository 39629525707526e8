#pragma once

#include "decodeworker.h"
#include "framesource.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace poptap {

// The camera's frames to the decode worker, while scanning is wanted: start() turns the source
// on and feeds every frame to the worker; stop() turns it off. Codes are reported on the
// thread the scanner lives on (the GUI thread), and only while scanning. With no source, start()
// does nothing.
class BarcodeScanner : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of `source` (may be null: no camera).
    BarcodeScanner(std::unique_ptr<FrameSource> source, BarcodeDecoder::Options options = {},
                   QObject *parent = nullptr);
    ~BarcodeScanner() override;

    FrameSource *source() const { return m_source.get(); }
    DecodeWorker *worker() const { return m_worker.get(); }
    bool isScanning() const { return m_scanning.load(); }

    void start();
    void stop();

Q_SIGNALS:
    void scanned(const poptap::ScannedCode &code);
    void scanningChanged();

private:
    std::unique_ptr<FrameSource> m_source;
    std::unique_ptr<DecodeWorker> m_worker;
    std::atomic<bool> m_scanning{false}; // also read on the thread the frames come from
};

} // namespace poptap
