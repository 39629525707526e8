#include "activityfilter.h"

#include "kiosksession.h"

#include <QEvent>

namespace poptap {

ActivityFilter::ActivityFilter(KioskSession *session)
    : m_session(session)
{
}

bool ActivityFilter::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
    case QEvent::KeyPress:
    case QEvent::Wheel:
        m_session->noteActivity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace poptap
