#include "framesourcefactory.h"
