#include "hidburstparser.h"
