#include "emulatorlogging.h"

Q_LOGGING_CATEGORY(lcLineEmulator, "poptap.lineemulator")
