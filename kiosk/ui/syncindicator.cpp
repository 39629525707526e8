#include "syncindicator.h"

#include <QJSEngine>

namespace poptap {

SyncIndicator::SyncIndicator(QObject *parent)
    : QObject(parent)
{
    Q_ASSERT(!s_instance);
    s_instance = this;
}

SyncIndicator::~SyncIndicator()
{
    if (s_instance == this)
        s_instance = nullptr;
}

SyncIndicator *SyncIndicator::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "SyncIndicator", "create the indicator before loading QML");
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

void SyncIndicator::setStatus(const sync::SyncStatus &status)
{
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT changed();
}

SyncIndicator::Level SyncIndicator::level() const
{
    using State = sync::SyncStatus::State;
    if (m_status.needsStaff())
        return Level::Attention;
    switch (m_status.state) {
    case State::Off: return Level::Off;
    case State::Synced: return Level::Ok;
    default: return Level::Busy;
    }
}

} // namespace poptap
