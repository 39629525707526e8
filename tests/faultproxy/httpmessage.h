#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace poptap::faultproxy {

// An HTTP/1.1 message read off a socket just far enough to know where it ends: the
// proxy forwards bytes as they came, so nothing here rewrites or decodes the body.
class HttpMessageReader
{
public:
    enum class Kind { Request, Response };
    enum class State { NeedMore, Complete, Error };

    explicit HttpMessageReader(Kind kind) : m_kind(kind) {}

    // Responses to HEAD have no body whatever their headers say; set before feeding one.
    void setRequestMethod(const QByteArray &method) { m_requestMethod = method; }

    // Moves the bytes of the current message from the front of `input` into raw(); what
    // follows the message (a pipelined request) stays in `input`.
    State feed(QByteArray &input);
    // The peer closed: a response framed by the connection's end is complete now.
    State finishAtEof();
    void reset(); // ready for the next message on the same connection

    State state() const { return m_state; }
    bool headComplete() const { return m_headSize > 0; }
    const QByteArray &raw() const { return m_raw; }
    qsizetype headSize() const { return m_headSize; }
    QByteArray body() const { return m_raw.mid(m_headSize); } // as framed (chunked stays chunked)
    QString error() const { return m_error; }

    QByteArray startLine() const { return m_startLine; }
    QByteArray method() const;   // requests
    QByteArray target() const;   // requests: path and query as sent
    int status() const;          // responses; 0 when unparseable
    QByteArray header(QByteArrayView name) const; // first value, case-insensitive name
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    bool keepAlive() const;      // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with keep-alive
    bool framedByClose() const { return m_bodyMode == BodyMode::UntilClose; }

    static constexpr qsizetype maxHeadSize = 64 * 1024;
    static constexpr qsizetype maxMessageSize = 64 * 1024 * 1024; // an API, not a file server

private:
    enum class BodyMode { None, Length, Chunked, UntilClose };
    enum class ChunkStep { Size, Data, DataEnd, Trailer };

    State parseHead(QByteArray &input);
    State parseBody(QByteArray &input);
    State parseChunks(QByteArray &input);
    State fail(const QString &why);
    void take(QByteArray &input, qsizetype n);

    Kind m_kind;
    QByteArray m_requestMethod;
    State m_state = State::NeedMore;
    QByteArray m_raw;
    qsizetype m_headSize = 0;
    QByteArray m_startLine;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    BodyMode m_bodyMode = BodyMode::None;
    qint64 m_remaining = 0; // Length: body bytes still due; Chunked: bytes left of this chunk
    ChunkStep m_chunkStep = ChunkStep::Size;
    QString m_error;
};

} // namespace poptap::faultproxy
