#include "type4tag.h"
