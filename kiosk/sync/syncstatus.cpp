#include "syncstatus.h"

namespace poptap::sync {

QString stateName(SyncStatus::State state)
{
    switch (state) {
    case SyncStatus::State::Off: return QStringLiteral("off");
    case SyncStatus::State::NotEnrolled: return QStringLiteral("not-enrolled");
    case SyncStatus::State::Enrolling: return QStringLiteral("enrolling");
    case SyncStatus::State::EnrollmentRefused: return QStringLiteral("enrollment-refused");
    case SyncStatus::State::Syncing: return QStringLiteral("syncing");
    case SyncStatus::State::Synced: return QStringLiteral("synced");
    case SyncStatus::State::Retrying: return QStringLiteral("retrying");
    case SyncStatus::State::ReenrollmentNeeded: return QStringLiteral("reenrollment-needed");
    }
    return QStringLiteral("unknown");
}

bool SyncStatus::needsStaff() const
{
    return state == State::NotEnrolled || state == State::EnrollmentRefused || state == State::ReenrollmentNeeded;
}

QJsonObject SyncStatus::toJson() const
{
    const auto time = [](const std::optional<QDateTime> &t) {
        return t ? QJsonValue(t->toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
    };
    return {
        {QStringLiteral("state"), stateName(state)},
        {QStringLiteral("detail"), detail},
        {QStringLiteral("unsynced"), unsynced},
        {QStringLiteral("oldestUnsynced"), time(oldestUnsynced)},
        {QStringLiteral("dead"), dead},
        {QStringLiteral("lastSuccess"), time(lastSuccess)},
        {QStringLiteral("clockOffsetSeconds"), clockOffsetSeconds},
        {QStringLiteral("deviceId"), deviceId},
        {QStringLiteral("needsStaff"), needsStaff()},
    };
}

} // namespace poptap::sync
