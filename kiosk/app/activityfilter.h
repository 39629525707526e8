#pragma once

#include <QObject>

namespace poptap {

class KioskSession;

// Any touch or click anywhere in the window counts as a shopper still being there.
// Watching the window's events keeps this out of every QML screen.
class ActivityFilter : public QObject
{
    Q_OBJECT
public:
    explicit ActivityFilter(KioskSession *session);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    KioskSession *m_session;
};

} // namespace poptap
