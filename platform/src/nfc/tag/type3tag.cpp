#include "type3tag.h"
