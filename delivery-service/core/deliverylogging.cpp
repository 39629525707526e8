#include "deliverylogging.h"

Q_LOGGING_CATEGORY(lcDeliveryConfig, "poptap.delivery.config")
Q_LOGGING_CATEGORY(lcDeliveryDb, "poptap.delivery.db")
Q_LOGGING_CATEGORY(lcWebhook, "poptap.delivery.webhook")
Q_LOGGING_CATEGORY(lcHttp, "poptap.delivery.http")
Q_LOGGING_CATEGORY(lcFanOut, "poptap.delivery.fanout")
