#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcDeliveryConfig)
Q_DECLARE_LOGGING_CATEGORY(lcDeliveryDb)
Q_DECLARE_LOGGING_CATEGORY(lcWebhook)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
