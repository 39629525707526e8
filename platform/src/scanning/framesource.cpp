#include "framesource.h"
