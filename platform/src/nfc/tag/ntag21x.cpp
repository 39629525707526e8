#include "ntag21x.h"
