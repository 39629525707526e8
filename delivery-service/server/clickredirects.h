#pragma once

#include "localday.h"
#include "servicedatabase.h"

#include <QHttpServer>

#include <functional>

namespace poptap::delivery {

// GET /c/<id>: a tracked link of a product message (messages/trackedlinks.h). Counts the
// click for the shops' local day (table link_click) and answers 302 to the product page.
// The target comes only from the table, and only http(s) targets are followed, so the route
// cannot be made to redirect anywhere else. HEAD answers the same without counting: link
// previews and checkers are not shoppers.
class ClickRedirects
{
public:
    using Clock = std::function<qint64()>; // ms since epoch
    // `timeZone`: ServiceConfig::timeZone. `now` defaults to the system clock.
    ClickRedirects(ServiceDatabase &db, const QString &timeZone, Clock now = {});

    void registerRoutes(QHttpServer &http);

private:
    QHttpServerResponse follow(const QString &id, bool count);

    ServiceDatabase &m_db;
    LocalDay m_days;
    Clock m_now;
};

} // namespace poptap::delivery
