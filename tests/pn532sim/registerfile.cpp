#include "registerfile.h"

#include <utility>

namespace poptap::pn532sim {

void RegisterFile::reset()
{
    // Reset values of the contactless interface unit, which is a PN512 core; registers
    // without a documented reset value read 00h.
    static const std::pair<quint16, quint8> defaults[] = {
        {0x6301, 0x3B}, // CIU_Mode
        {0x6304, 0x80}, // CIU_TxControl
        {0x6306, 0x10}, // CIU_TxSel
        {0x6307, 0x84}, // CIU_RxSel
        {0x6308, 0x84}, // CIU_RxThreshold
        {0x6309, 0x4D}, // CIU_Demod
        {0x630C, 0x62}, // CIU_MifNFC
        {0x6311, 0xFF}, // CIU_CRCResultMSB
        {0x6312, 0xFF}, // CIU_CRCResultLSB
        {0x6313, 0x88}, // CIU_GsNOFF
        {0x6314, 0x26}, // CIU_ModWidth
        {0x6315, 0x87}, // CIU_TxBitPhase
        {0x6316, 0x48}, // CIU_RFCfg
        {0x6317, 0x88}, // CIU_GsNOn
        {0x6318, 0x20}, // CIU_CWGsP
        {0x6319, 0x20}, // CIU_ModGsP
        {0x6331, 0x20}, // CIU_Command
        {0x6332, 0x80}, // CIU_CommIEn
        {0x6334, 0x14}, // CIU_CommIrq
        {0x633B, 0x08}, // CIU_WaterLevel
        {0x633C, 0x10}, // CIU_Control
        {sfrP3, 0xFF},
        {sfrP7, 0xFF},
    };
    m_values.clear();
    for (const auto &[address, value] : defaults)
        m_values[address] = value;
}

quint8 RegisterFile::read(quint16 address) const
{
    const auto found = m_values.find(address);
    return found == m_values.end() ? 0x00 : found->second;
}

} // namespace poptap::pn532sim
