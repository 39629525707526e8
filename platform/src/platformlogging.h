#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcNfc)
Q_DECLARE_LOGGING_CATEGORY(lcPlatform)
