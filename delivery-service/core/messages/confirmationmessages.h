#pragma once

#include "messagetemplate.h"

#include "claimservice.h"

#include <QJsonArray>

namespace poptap::delivery {

// The LINE messages that answer a claim: the text for its outcome, and for a new subscription
// a quick-reply button that stops it again (a postback, postbackdata.h).
QJsonArray confirmationMessages(const ClaimResult &result, const MessageTemplate &wording);

} // namespace poptap::delivery
