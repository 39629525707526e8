#include "hidscannerfilter.h"
