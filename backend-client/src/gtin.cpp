#include "gtin.h"
