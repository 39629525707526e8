#pragma once
// Webhook bodies shaped like LINE's (shared/line-openapi/webhook.yml). In a header of
// their own because moc does not read raw string literals.
#include <QByteArray>

namespace webhookfixtures {

inline QByteArray body(const QByteArray &events)
{
    return R"({"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[)" + events + "]}";
}

inline QByteArray follow(const char *id, const char *user, bool unblocked = false)
{
    return QByteArray(R"({"type":"follow","mode":"active","timestamp":1462629479859,"source":{"type":"user","userId":")")
        + user + R"("},"webhookEventId":")" + id
        + R"(","deliveryContext":{"isRedelivery":false},"replyToken":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA","follow":{"isUnblocked":)"
        + (unblocked ? "true" : "false") + "}}";
}

inline QByteArray fourEvents()
{
    return follow("01FZ74A0TDDPYRVKNK77XKC3ZR", "U4af4980629aaaaaaaaaaaaaaaaaaaaaa", true) + ","
        + R"({"type":"unfollow","mode":"active","timestamp":1462629479960,"source":{"type":"user","userId":"U4af4980629aaaaaaaaaaaaaaaaaaaaaa"},"webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZS","deliveryContext":{"isRedelivery":true}},)"
        + R"({"type":"message","mode":"active","timestamp":1462629479961,"source":{"type":"user","userId":"U4af4980629aaaaaaaaaaaaaaaaaaaaaa"},"webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZT","deliveryContext":{"isRedelivery":false},"replyToken":"r1","message":{"id":"444573844083572737","type":"text","quoteToken":"q","text":"PopTap EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El"}},)"
        + R"({"type":"postback","mode":"active","timestamp":1462629479962,"source":{"type":"user","userId":"U4af4980629aaaaaaaaaaaaaaaaaaaaaa"},"webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZV","deliveryContext":{"isRedelivery":false},"replyToken":"r2","postback":{"data":"action=stop&brand=7"}})";
}

inline QByteArray eventWithoutId()
{
    return R"({"type":"follow","timestamp":1,"source":{"type":"user","userId":"U4af4980629aaaaaaaaaaaaaaaaaaaaaa"}})";
}
inline QByteArray eventWithoutTimestamp()
{
    return R"({"type":"follow","webhookEventId":"01B","source":{"type":"user","userId":"U4af4980629aaaaaaaaaaaaaaaaaaaaaa"}})";
}
inline QByteArray followFromAGroup()
{
    return R"({"type":"follow","timestamp":1,"webhookEventId":"01C","source":{"type":"group","groupId":"C1"}})";
}
inline QByteArray messageWithText(const QByteArray &text)
{
    return R"({"type":"message","timestamp":1,"webhookEventId":"01D","source":{"type":"user","userId":"U4af4980629aaaaaaaaaaaaaaaaaaaaaa"},"message":{"type":"text","text":")"
        + text + "\"}}";
}

} // namespace webhookfixtures
