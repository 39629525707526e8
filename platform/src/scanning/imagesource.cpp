#include "imagesource.h"
