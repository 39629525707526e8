#include "messageslogging.h"

Q_LOGGING_CATEGORY(lcMessages, "poptap.delivery.messages")
