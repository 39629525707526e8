#include "scannedcode.h"
