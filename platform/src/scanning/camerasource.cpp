#include "camerasource.h"
