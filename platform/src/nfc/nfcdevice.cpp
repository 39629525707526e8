#include "nfcdevice.h"

#include <QMetaEnum>

namespace poptap {

QString toString(NfcDevice::Status status)
{
    return QString::fromLatin1(QMetaEnum::fromType<NfcDevice::Status>().valueToKey(int(status))).toLower();
}

} // namespace poptap
