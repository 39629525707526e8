#include "kiosklogging.h"

Q_LOGGING_CATEGORY(lcConfig, "poptap.config")
Q_LOGGING_CATEGORY(lcCatalog, "poptap.catalog")
Q_LOGGING_CATEGORY(lcStore, "poptap.store")
Q_LOGGING_CATEGORY(lcRegistration, "poptap.registration")
