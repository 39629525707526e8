#include "videoframes.h"
