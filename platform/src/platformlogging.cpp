#include "platformlogging.h"

Q_LOGGING_CATEGORY(lcNfc, "poptap.nfc")
Q_LOGGING_CATEGORY(lcPlatform, "poptap.platform")
