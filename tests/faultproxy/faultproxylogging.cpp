#include "faultproxylogging.h"

Q_LOGGING_CATEGORY(lcFaultProxy, "poptap.faultproxy")
