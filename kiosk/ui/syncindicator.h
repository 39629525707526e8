#pragma once

#include "syncstatus.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <limits>

class QQmlEngine;
class QJSEngine;

namespace poptap {

// The sync engine's status as QML shows it: a small mark for staff in a corner of the
// screen, calm for shoppers. Fed by KioskApp from the engine's queued statusChanged.
class SyncIndicator : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Level level READ level NOTIFY changed)
    Q_PROPERTY(QString state READ state NOTIFY changed)
    Q_PROPERTY(int unsynced READ unsynced NOTIFY changed)
    Q_PROPERTY(QString detail READ detail NOTIFY changed)

public:
    // What the mark looks like: nothing to do, work under way, or staff needed.
    enum class Level { Off, Ok, Busy, Attention };
    Q_ENUM(Level)

    // No default constructor on purpose: QML would make its own instance with it instead of
    // calling create(), and that one would never hear from the engine.
    explicit SyncIndicator(QObject *parent);
    ~SyncIndicator() override;
    static SyncIndicator *create(QQmlEngine *, QJSEngine *);

    void setStatus(const sync::SyncStatus &status);
    sync::SyncStatus status() const { return m_status; }

    Level level() const;
    QString state() const { return sync::stateName(m_status.state); }
    int unsynced() const { return int(qMin<qint64>(m_status.unsynced, std::numeric_limits<int>::max())); }
    QString detail() const { return m_status.detail; }

Q_SIGNALS:
    void changed();

private:
    sync::SyncStatus m_status;
    static inline SyncIndicator *s_instance = nullptr;
};

} // namespace poptap
