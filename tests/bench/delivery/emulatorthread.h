#pragma once

#include "lineemulator.h"

#include <QObject>
#include <QThread>

#include <memory>
#include <type_traits>

namespace poptap::bench {

// The LINE emulator on a thread of its own, so the service's event loop (the caller's)
// does not also carry LINE's side of every verify and push. Every use of the emulator
// goes through call(), which runs on the emulator's thread and waits for the result.
class EmulatorThread
{
public:
    explicit EmulatorThread(lineemu::LineEmulatorConfig config);
    ~EmulatorThread();

    bool start(); // false when the emulator could not listen

    template<typename F>
    auto call(F f) -> std::invoke_result_t<F, lineemu::LineEmulator &>
    {
        using Result = std::invoke_result_t<F, lineemu::LineEmulator &>;
        if constexpr (std::is_void_v<Result>) {
            QMetaObject::invokeMethod(m_context.get(), [&] { f(*m_emulator); }, Qt::BlockingQueuedConnection);
        } else {
            Result result{};
            QMetaObject::invokeMethod(m_context.get(), [&] { result = f(*m_emulator); }, Qt::BlockingQueuedConnection);
            return result;
        }
    }

private:
    lineemu::LineEmulatorConfig m_config;
    QThread m_thread;
    std::unique_ptr<QObject> m_context; // lives on m_thread: the target of call()
    lineemu::LineEmulator *m_emulator = nullptr; // created and destroyed on m_thread
};

} // namespace poptap::bench
