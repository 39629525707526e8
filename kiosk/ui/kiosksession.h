#pragma once

#include "brandlistmodel.h"
#include "catalog.h"
#include "registrationservice.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace poptap {

class NfcDevice;

// One shopper's walk through the kiosk: attract → brand grid → code (QR + NFC) →
// done → attract. QML binds to it; every decision is made here.
class KioskSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Screen screen READ screen NOTIFY screenChanged)
    Q_PROPERTY(poptap::BrandListModel *brands READ brands CONSTANT)
    Q_PROPERTY(QString storeNameJa READ storeNameJa NOTIFY catalogChanged)
    Q_PROPERTY(QString storeNameEn READ storeNameEn NOTIFY catalogChanged)
    Q_PROPERTY(int selectedBrandId READ selectedBrandId NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedBrandNameJa READ selectedBrandNameJa NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedBrandNameEn READ selectedBrandNameEn NOTIFY selectionChanged)
    Q_PROPERTY(QUrl selectedBrandLogo READ selectedBrandLogo NOTIFY selectionChanged)
    Q_PROPERTY(QString link READ link NOTIFY linkChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(int secondsLeft READ secondsLeft NOTIFY secondsLeftChanged)
    Q_PROPERTY(int codeTimeoutSeconds READ codeTimeoutSeconds CONSTANT)
    Q_PROPERTY(Problem problem READ problem NOTIFY problemChanged)
    Q_PROPERTY(bool nfcAvailable READ isNfcAvailable NOTIFY nfcAvailableChanged)

public:
    enum class Screen { Attract, BrandGrid, Code, Done };
    Q_ENUM(Screen)
    enum class Problem { None, StorageFull, RegistrationFailed };
    Q_ENUM(Problem)

    struct Timeouts {
        int idleSeconds = 45;
        int codeSeconds = 60;
        int doneSeconds = 8;
    };

    KioskSession(RegistrationService *registrations, NfcDevice *nfc, const Timeouts &timeouts,
                 QObject *parent = nullptr);
    ~KioskSession() override;

    // The instance QML sees; main.cpp and tests create it before loading QML.
    static KioskSession *create(QQmlEngine *, QJSEngine *);

    void setCatalog(const Catalog &catalog, const QUrl &logoBase);

    Screen screen() const { return m_screen; }
    const Catalog &catalog() const { return m_catalog; }
    BrandListModel *brands() { return &m_brands; }
    QString storeNameJa() const { return m_catalog.store.nameJa; }
    QString storeNameEn() const { return m_catalog.store.nameEn; }
    int selectedBrandId() const { return int(m_selected.id); }
    QString selectedBrandNameJa() const { return m_selected.nameJa; }
    QString selectedBrandNameEn() const { return m_selected.nameEn; }
    QUrl selectedBrandLogo() const;
    QString link() const { return m_registration ? m_registration->link : QString(); }
    std::optional<Registration> registration() const { return m_registration; }
    bool isBusy() const { return m_pendingRequest != 0; }
    int secondsLeft() const { return m_secondsLeft; }
    int codeTimeoutSeconds() const { return m_timeouts.codeSeconds; }
    Problem problem() const { return m_problem; }
    bool isNfcAvailable() const;
    int phoneReads() const { return m_phoneReads; }
    int brandsCount() const { return m_brands.rowCount(); }

    static QString toString(Screen screen);

public Q_SLOTS:
    // Shopper actions.
    void start();                      // touch on the attract screen
    bool selectBrand(int brandId);     // false if no such visible brand
    void cancel();                     // leave the code screen
    void backToAttract();
    // Any touch anywhere keeps a session alive.
    void noteActivity();

Q_SIGNALS:
    void screenChanged();
    void catalogChanged();
    void selectionChanged();
    void linkChanged();
    void busyChanged();
    void secondsLeftChanged();
    void problemChanged();
    void nfcAvailableChanged();
    // The session ended and the kiosk is back on the attract screen.
    void returnedToAttract();

private:
    void setScreen(Screen screen);
    void setProblem(Problem problem);
    void setPending(int requestId);
    void clearCode();
    void onRegistered(int requestId, const poptap::Registration &registration);
    void onRegistrationFailed(int requestId, const QString &reason, bool storageFull);
    void onLinkRead(const QUrl &link);
    void onCountdownTick();

    RegistrationService *m_registrations;
    QPointer<NfcDevice> m_nfc;
    Timeouts m_timeouts;
    Catalog m_catalog;
    BrandListModel m_brands;
    QUrl m_logoBase;
    Screen m_screen = Screen::Attract;
    Problem m_problem = Problem::None;
    Brand m_selected;
    std::optional<Registration> m_registration;
    int m_pendingRequest = 0;
    int m_secondsLeft = 0;
    int m_phoneReads = 0;
    QTimer m_idleTimer;       // single-shot; monotonic
    QTimer m_countdownTimer;  // 1 s ticks on the code screen
    QTimer m_doneTimer;

    static inline KioskSession *s_instance = nullptr;
};

} // namespace poptap
