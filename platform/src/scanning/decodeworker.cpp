#include "decodeworker.h"
