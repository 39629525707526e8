#include "barcodescanner.h"
