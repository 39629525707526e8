#pragma once

#include <QtGlobal>

#include <map>

namespace poptap::pn532sim {

// The PN532's 16-bit register space as ReadRegister/WriteRegister see it (UM0701-02,
// ReadRegister/WriteRegister): the CIU registers 6301h-633Eh and the SFRs. libnfc keeps a write-back cache
// of CIU registers and reads before a masked write, so values must read back as written.
// Nothing here changes RF behaviour; the simulator keeps its RF state in the chip model.
class RegisterFile
{
public:
    RegisterFile() { reset(); }
    void reset();
    quint8 read(quint16 address) const;
    void write(quint16 address, quint8 value) { m_values[address] = value; }

    static constexpr quint16 ciuControl = 0x633C; // RxLastBits in bits 0-2
    static constexpr quint16 sfrP3 = 0xFFB0;
    static constexpr quint16 sfrP7 = 0xFFF7;

private:
    std::map<quint16, quint8> m_values;
};

} // namespace poptap::pn532sim
