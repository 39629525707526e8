#include "pn532simlogging.h"

Q_LOGGING_CATEGORY(lcPn532Sim, "poptap.pn532sim")
