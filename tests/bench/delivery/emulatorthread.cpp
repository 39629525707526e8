#include "emulatorthread.h"

namespace poptap::bench {

EmulatorThread::EmulatorThread(lineemu::LineEmulatorConfig config)
    : m_config(std::move(config))
    , m_context(std::make_unique<QObject>())
{
    m_context->moveToThread(&m_thread);
}

EmulatorThread::~EmulatorThread()
{
    if (!m_thread.isRunning())
        return;
    QThread *owner = QThread::currentThread();
    QMetaObject::invokeMethod(
        m_context.get(),
        [this, owner] {
            delete m_emulator; // its server and sockets belong to this thread
            m_emulator = nullptr;
            m_context->moveToThread(owner); // so that it is deleted on the thread that owns it
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool EmulatorThread::start()
{
    m_thread.start();
    bool listening = false;
    QMetaObject::invokeMethod(
        m_context.get(),
        [this, &listening] {
            m_emulator = new lineemu::LineEmulator(m_config);
            listening = m_emulator->start();
        },
        Qt::BlockingQueuedConnection);
    return listening;
}

} // namespace poptap::bench
