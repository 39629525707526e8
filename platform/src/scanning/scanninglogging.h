#pragma once

#include <QLoggingCategory>

// poptap.scanning: the camera, the frame sources and the decode worker (defined in framesource.cpp).
Q_DECLARE_LOGGING_CATEGORY(lcScanning)
