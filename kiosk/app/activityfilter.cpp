#include "activityfilter.h"

#include <QEvent>

namespace poptap {

bool ActivityFilter::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
    case QEvent::KeyPress:
    case QEvent::Wheel:
        Q_EMIT activity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace poptap
