#pragma once

#include "httptransport.h"

#include <memory>

struct curl_slist;

namespace poptap::http {

class Delivery;

// One request on its way through libcurl: the easy handle configured from the request and the
// transport's settings, and the response as it arrives. Lives on the worker thread only.
class CurlTransfer
{
public:
    CurlTransfer(HttpRequest request, std::shared_ptr<Delivery> delivery, const TransportSettings &settings);
    ~CurlTransfer();
    CurlTransfer(const CurlTransfer &) = delete;
    CurlTransfer &operator=(const CurlTransfer &) = delete;

    // The CURL easy handle; null when the request could not be set up (see setupError()).
    void *handle() const { return m_easy; }
    const QString &setupError() const { return m_setupError; }

    HttpResponse finish(int curlCode);   // the transfer ended with this CURLcode
    static HttpResponse cancelled();
    Delivery &delivery() const { return *m_delivery; }
    const HttpRequest &request() const { return m_request; }

    // libcurl callbacks
    size_t onHeader(const char *data, size_t size);
    size_t onBody(const char *data, size_t size);

private:
    bool configure(const TransportSettings &settings);

    HttpRequest m_request;               // owns the body libcurl sends from
    std::shared_ptr<Delivery> m_delivery;
    void *m_easy = nullptr;
    curl_slist *m_headerList = nullptr;
    qsizetype m_maxBodyBytes = 0;
    bool m_bodyTooLarge = false;
    QString m_setupError;
    HttpResponse m_response;
    char m_errorBuffer[256] = {};        // CURL_ERROR_SIZE
};

} // namespace poptap::http
