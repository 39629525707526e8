#pragma once

#include "ntagwriter.h"

namespace poptap {

// A factory-fresh NTAG21x in memory for the `sim` backend: pages as the data sheet
// describes them after production (UID, CC, an empty NDEF TLV), with the two rules that
// make writing a sticker risky on the real thing — the CC is one-time programmable (bits
// can only be set) and locked pages refuse writes.
class SimulatedNtag final : public NtagAccess
{
public:
    explicit SimulatedNtag(nfc::NtagType type);

    QByteArray getVersion() override;
    QByteArray read4Pages(int page) override;
    bool writePage(int page, const QByteArray &fourBytes) override;

    QByteArray memory() const { return m_memory; }

private:
    bool isLocked(int page) const;

    nfc::NtagType m_type;
    QByteArray m_memory;
};

} // namespace poptap
