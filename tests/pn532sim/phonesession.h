#pragma once

#include "phone.h"

namespace poptap::pn532sim {

// The bookkeeping both phone procedures share: counts and records every command, leaves
// the field when the script says so, and turns a lost tag into the result's error.
class PhoneSession
{
public:
    PhoneSession(PhoneRf &rf, const PhoneScript &script)
        : m_rf(rf)
        , m_script(script)
    {
    }

    // One command and its answer; nullopt when the phone left or lost the tag (error set).
    std::optional<QByteArray> exchange(const QByteArray &command);
    // The script's stray commands for `step`; false when the link went away meanwhile.
    bool sendStrays(PhoneScript::Step step);
    bool fail(const QString &error);
    // Decodes the message with Qt NFC and marks the read as completed.
    void finishWithMessage(const QByteArray &message);
    void leave(bool deselect);
    bool gone() const { return m_gone; }

    PhoneResult &result() { return m_result; }
    const PhoneScript &script() const { return m_script; }
    PhoneRf &rf() { return m_rf; }

private:
    PhoneRf &m_rf;
    const PhoneScript &m_script;
    PhoneResult m_result;
    int m_sent = 0;
    bool m_gone = false;
};

PhoneResult readType4Tag(PhoneRf &rf, const PhoneScript &script);
PhoneResult readType3Tag(PhoneRf &rf, const PhoneScript &script);

} // namespace poptap::pn532sim
