#pragma once

#include <QObject>

namespace poptap {

// Any touch or click anywhere in the window counts as someone still being there: a shopper
// on the brand grid, staff in staff mode. Watching the window's events keeps this out of
// every QML screen.
class ActivityFilter : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    void activity();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace poptap
