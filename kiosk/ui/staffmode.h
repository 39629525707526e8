#pragma once

#include "poplink.h"
#include "poplistmodel.h"
#include "scannedcode.h"
#include "staffcards.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <chrono>

class QQmlEngine;
class QJSEngine;

namespace poptap {

class KioskSession;
class NfcDevice;
class SyncIndicator;

// Staff mode (issue 5): a staff card held to the reader over the attract screen opens it;
// staff write POP stickers and enter the enrollment code; it closes on "exit" or after a
// minute without a touch. Any other card does nothing a shopper could see. QML binds to it;
// every decision is made here.
class StaffMode : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool active READ isActive NOTIFY activeChanged)
    Q_PROPERTY(poptap::PopListModel *pops READ pops CONSTANT)
    Q_PROPERTY(PopLinkProblem popLinkProblem READ popLinkProblem NOTIFY catalogChanged)
    Q_PROPERTY(QString catalogVersion READ catalogVersion NOTIFY catalogChanged)
    Q_PROPERTY(WriteState writeState READ writeState NOTIFY writeChanged)
    Q_PROPERTY(QString writeReason READ writeReason NOTIFY writeChanged)
    Q_PROPERTY(int writingPopId READ writingPopId NOTIFY writeChanged)
    Q_PROPERTY(QString writingLink READ writingLink NOTIFY writeChanged)
    Q_PROPERTY(bool writingLocks READ writingLocks NOTIFY writeChanged)
    Q_PROPERTY(QString writingPopLabel READ writingPopLabel NOTIFY writeChanged)
    Q_PROPERTY(QString writingBrandNameJa READ writingBrandNameJa NOTIFY writeChanged)
    Q_PROPERTY(QString writingBrandNameEn READ writingBrandNameEn NOTIFY writeChanged)
    Q_PROPERTY(QString lastWrittenLink READ lastWrittenLink NOTIFY writeChanged)
    Q_PROPERTY(QString lastWrittenTagType READ lastWrittenTagType NOTIFY writeChanged)
    Q_PROPERTY(bool lastWrittenLocked READ lastWrittenLocked NOTIFY writeChanged)
    Q_PROPERTY(bool permanentLock READ permanentLock NOTIFY lockChanged)
    Q_PROPERTY(bool lockConfirmationPending READ lockConfirmationPending NOTIFY lockChanged)
    Q_PROPERTY(EnrollmentState enrollmentState READ enrollmentState NOTIFY enrollmentChanged)
    Q_PROPERTY(QString enrollmentReason READ enrollmentReason NOTIFY enrollmentChanged)
    Q_PROPERTY(bool canEnroll READ canEnroll NOTIFY enrollmentChanged)
    Q_PROPERTY(bool serviceConfigured READ isServiceConfigured NOTIFY enrollmentChanged)
    Q_PROPERTY(QString nfcStatus READ nfcStatus NOTIFY nfcChanged)
    Q_PROPERTY(QString nfcReason READ nfcReason NOTIFY nfcChanged)
    Q_PROPERTY(QString version READ version CONSTANT)

public:
    enum class WriteState {
        Idle,    // choosing a POP
        Waiting, // "hold a blank sticker to the reader"
        Written,
        Failed,  // writeReason says why
    };
    Q_ENUM(WriteState)
    enum class PopLinkProblem { None, NotLiff, InvalidLiffId };
    Q_ENUM(PopLinkProblem)
    enum class EnrollmentState {
        Idle,
        Malformed, // what was typed cannot be a code; nothing was sent
        Submitted, // with the sync engine: SyncIndicator shows how it goes
        Enrolled,
        Refused,   // enrollmentReason holds the service's answer
    };
    Q_ENUM(EnrollmentState)

    struct Settings {
        std::chrono::milliseconds idleTimeout = std::chrono::seconds(60);
        QString linkTemplateOverride; // kiosk.conf's link-template; empty: the catalog's
        QString version;              // the kiosk's, shown to staff
    };

    // No default constructor: QML would make its own instance with it instead of calling create().
    StaffMode(NfcDevice *nfc, KioskSession *session, SyncIndicator *sync, StaffCards cards, Settings settings,
              QObject *parent = nullptr);
    ~StaffMode() override;
    static StaffMode *create(QQmlEngine *, QJSEngine *);

    bool isActive() const { return m_active; }
    PopListModel *pops() { return &m_pops; }
    PopLinkProblem popLinkProblem() const { return m_popLinkProblem; }
    QString catalogVersion() const;
    WriteState writeState() const { return m_writeState; }
    QString writeReason() const { return m_writeReason; }
    int writingPopId() const { return int(m_writingPopId); }
    QString writingLink() const { return m_writingLink; }
    bool writingLocks() const { return m_writingLocks; }
    QString writingPopLabel() const;
    QString writingBrandNameJa() const;
    QString writingBrandNameEn() const;
    QString lastWrittenLink() const { return m_lastWrittenLink; }
    QString lastWrittenTagType() const { return m_lastWrittenTagType; }
    bool lastWrittenLocked() const { return m_lastWrittenLocked; }
    bool permanentLock() const { return m_permanentLock; }
    bool lockConfirmationPending() const { return m_lockConfirmationPending; }
    EnrollmentState enrollmentState() const { return m_enrollmentState; }
    QString enrollmentReason() const { return m_enrollmentReason; }
    bool canEnroll() const;
    // The camera is wanted while staff could scan an enrollment code.
    bool wantsCamera() const { return m_active && canEnroll(); }
    bool isServiceConfigured() const;
    QString nfcStatus() const;
    QString nfcReason() const;
    QString version() const { return m_settings.version; }

    // The link a POP's sticker gets, or the problem that stops it (for tests and automation).
    PopLink linkFor(std::uint32_t popId) const;

    // Since start, for the heartbeat: no card data, only how often.
    int opens() const { return m_opens; }
    int unknownCards() const { return m_unknownCards; }
    int stickersWritten() const { return m_stickersWritten; }

    static QString toString(WriteState state);
    static QString toString(EnrollmentState state);
    static QString toString(PopLinkProblem problem);

public Q_SLOTS:
    // Writes the POP's link onto the next sticker held to the reader; false (and nothing
    // changes) when staff mode is closed or there is no such POP or no link for it.
    bool writePop(int popId);
    void cancelWrite();
    // Back to the list after a sticker was written or failed.
    void dismissWriteResult();

    // The permanent lock cannot be undone on the sticker, so it is asked for twice: the
    // switch asks (request), a dialog that says so confirms. Off again for every new visit.
    void requestPermanentLock();
    void confirmPermanentLock();
    void declinePermanentLock();
    void clearPermanentLock();

    // What staff typed; false (state Malformed) when it cannot be an enrollment code.
    bool submitEnrollmentCode(const QString &typed);
    // A code the camera read while staff mode is open: an enrollment code printed as a QR
    // code (or Code 128) is submitted as if typed; anything else is ignored.
    bool scanEnrollmentCode(const poptap::ScannedCode &code);

    void exit();
    // Any touch keeps staff mode open.
    void noteActivity();

Q_SIGNALS:
    void activeChanged();
    void catalogChanged();
    void writeChanged();
    void lockChanged();
    void enrollmentChanged();
    void nfcChanged();
    // A normalised code for the sync engine (KioskApp queues it to the engine's thread).
    void enrollmentRequested(const QString &code);
    void countersChanged();

private:
    void onCardPresented(const QByteArray &uid, const QByteArray &ndef);
    void onTagWritten(const QUrl &link, const QString &tagType, bool locked);
    void onTagWriteFailed(const QString &reason);
    void onSyncChanged();
    void refreshCatalog();
    void open();
    void setWriteState(WriteState state, const QString &reason = {});
    void setPermanentLock(bool on, bool pending);
    void setEnrollment(EnrollmentState state, const QString &reason = {});
    const Brand *writingBrand() const;

    QPointer<NfcDevice> m_nfc;
    KioskSession *m_session;
    SyncIndicator *m_sync;
    StaffCards m_cards;
    Settings m_settings;
    PopListModel m_pops;
    QTimer m_idleTimer; // single-shot; monotonic
    bool m_active = false;
    PopLinkProblem m_popLinkProblem = PopLinkProblem::None;
    WriteState m_writeState = WriteState::Idle;
    QString m_writeReason;
    std::uint32_t m_writingPopId = 0;
    QString m_writingLink;
    bool m_writingLocks = false;
    QString m_lastWrittenLink;
    QString m_lastWrittenTagType;
    bool m_lastWrittenLocked = false;
    bool m_permanentLock = false;
    bool m_lockConfirmationPending = false;
    EnrollmentState m_enrollmentState = EnrollmentState::Idle;
    QString m_enrollmentReason;
    bool m_enrollAttemptSeen = false;
    int m_opens = 0;
    int m_unknownCards = 0;
    int m_stickersWritten = 0;

    static inline StaffMode *s_instance = nullptr;
};

} // namespace poptap
