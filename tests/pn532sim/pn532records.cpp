#include "pn532records.h"

namespace poptap::pn532sim {

QString commandName(quint8 code)
{
    // The PN532's command set (UM0701-02, command list).
    switch (code) {
    case 0x00: return QStringLiteral("Diagnose");
    case 0x02: return QStringLiteral("GetFirmwareVersion");
    case 0x04: return QStringLiteral("GetGeneralStatus");
    case 0x06: return QStringLiteral("ReadRegister");
    case 0x08: return QStringLiteral("WriteRegister");
    case 0x0C: return QStringLiteral("ReadGPIO");
    case 0x0E: return QStringLiteral("WriteGPIO");
    case 0x10: return QStringLiteral("SetSerialBaudRate");
    case 0x12: return QStringLiteral("SetParameters");
    case 0x14: return QStringLiteral("SAMConfiguration");
    case 0x16: return QStringLiteral("PowerDown");
    case 0x32: return QStringLiteral("RFConfiguration");
    case 0x58: return QStringLiteral("RFRegulationTest");
    case 0x56: return QStringLiteral("InJumpForDEP");
    case 0x46: return QStringLiteral("InJumpForPSL");
    case 0x4A: return QStringLiteral("InListPassiveTarget");
    case 0x50: return QStringLiteral("InATR");
    case 0x4E: return QStringLiteral("InPSL");
    case 0x40: return QStringLiteral("InDataExchange");
    case 0x42: return QStringLiteral("InCommunicateThru");
    case 0x44: return QStringLiteral("InDeselect");
    case 0x52: return QStringLiteral("InRelease");
    case 0x54: return QStringLiteral("InSelect");
    case 0x60: return QStringLiteral("InAutoPoll");
    case 0x8C: return QStringLiteral("TgInitAsTarget");
    case 0x92: return QStringLiteral("TgSetGeneralBytes");
    case 0x86: return QStringLiteral("TgGetData");
    case 0x8E: return QStringLiteral("TgSetData");
    case 0x94: return QStringLiteral("TgSetMetaData");
    case 0x88: return QStringLiteral("TgGetInitiatorCommand");
    case 0x90: return QStringLiteral("TgResponseToInitiator");
    case 0x8A: return QStringLiteral("TgGetTargetStatus");
    default: return QStringLiteral("0x") + QString::number(code, 16).rightJustified(2, QLatin1Char('0')).toUpper();
    }
}

} // namespace poptap::pn532sim
