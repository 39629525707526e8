#include "barcodedecoder.h"
