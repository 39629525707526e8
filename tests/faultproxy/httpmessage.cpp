#include "httpmessage.h"

namespace poptap::faultproxy {

namespace {

const QByteArray crlf = QByteArrayLiteral("\r\n");

bool hasToken(const QByteArray &list, QByteArrayView token)
{
    for (const QByteArray &item : list.split(','))
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

void HttpMessageReader::reset()
{
    m_state = State::NeedMore;
    m_raw.clear();
    m_headSize = 0;
    m_startLine.clear();
    m_headers.clear();
    m_bodyMode = BodyMode::None;
    m_remaining = 0;
    m_chunkStep = ChunkStep::Size;
    m_error.clear();
}

HttpMessageReader::State HttpMessageReader::fail(const QString &why)
{
    m_error = why;
    m_state = State::Error;
    return m_state;
}

void HttpMessageReader::take(QByteArray &input, qsizetype n)
{
    m_raw.append(input.constData(), n);
    input.remove(0, n);
}

HttpMessageReader::State HttpMessageReader::feed(QByteArray &input)
{
    if (m_state != State::NeedMore)
        return m_state;
    if (!headComplete() && parseHead(input) != State::NeedMore)
        return m_state;
    if (headComplete() && m_state == State::NeedMore)
        parseBody(input);
    if (m_state == State::NeedMore && m_raw.size() > maxMessageSize)
        return fail(QStringLiteral("message over %1 bytes").arg(maxMessageSize));
    return m_state;
}

HttpMessageReader::State HttpMessageReader::finishAtEof()
{
    if (m_state == State::NeedMore && headComplete() && m_bodyMode == BodyMode::UntilClose)
        m_state = State::Complete;
    return m_state;
}

HttpMessageReader::State HttpMessageReader::parseHead(QByteArray &input)
{
    // A client may send stray line breaks between requests (RFC 9112 §2.2); they are no message.
    if (m_raw.isEmpty() && m_kind == Kind::Request) {
        while (input.startsWith(crlf))
            input.remove(0, 2);
    }
    const qsizetype end = input.indexOf("\r\n\r\n");
    if (end < 0) {
        if (input.size() > maxHeadSize)
            return fail(QStringLiteral("header section over %1 bytes").arg(maxHeadSize));
        return State::NeedMore;
    }
    const QByteArray head = input.left(end);
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines)
        line.chop(line.endsWith('\r') ? 1 : 0);
    m_startLine = lines.takeFirst();
    if (m_startLine.count(' ') < (m_kind == Kind::Request ? 2 : 1))
        return fail(QStringLiteral("malformed start line"));
    for (const QByteArray &line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(QStringLiteral("malformed header line"));
        m_headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    take(input, end + 4);
    m_headSize = m_raw.size();

    const QByteArray transferEncoding = header("transfer-encoding");
    const QByteArray contentLength = header("content-length");
    const int code = status();
    if (m_kind == Kind::Response
        && ((code >= 100 && code < 200) || code == 204 || code == 304 || m_requestMethod == "HEAD")) {
        m_bodyMode = BodyMode::None;
    } else if (!transferEncoding.isEmpty()) {
        if (!transferEncoding.trimmed().toLower().endsWith("chunked"))
            return fail(QStringLiteral("unsupported transfer-encoding"));
        m_bodyMode = BodyMode::Chunked;
    } else if (!contentLength.isEmpty()) {
        bool ok = false;
        m_remaining = contentLength.toLongLong(&ok);
        if (!ok || m_remaining < 0)
            return fail(QStringLiteral("bad content-length"));
        m_bodyMode = BodyMode::Length;
    } else {
        // A request without framing has no body; a response without it runs to the close.
        m_bodyMode = m_kind == Kind::Request ? BodyMode::None : BodyMode::UntilClose;
    }
    return State::NeedMore;
}

HttpMessageReader::State HttpMessageReader::parseBody(QByteArray &input)
{
    switch (m_bodyMode) {
    case BodyMode::None:
        m_state = State::Complete;
        break;
    case BodyMode::Length: {
        const qsizetype n = qsizetype(qMin<qint64>(m_remaining, input.size()));
        take(input, n);
        m_remaining -= n;
        if (m_remaining == 0)
            m_state = State::Complete;
        break;
    }
    case BodyMode::UntilClose:
        take(input, input.size());
        break;
    case BodyMode::Chunked:
        return parseChunks(input);
    }
    return m_state;
}

HttpMessageReader::State HttpMessageReader::parseChunks(QByteArray &input)
{
    while (!input.isEmpty()) {
        switch (m_chunkStep) {
        case ChunkStep::Size: {
            const qsizetype end = input.indexOf(crlf);
            if (end < 0)
                return input.size() > 1024 ? fail(QStringLiteral("chunk size line too long")) : State::NeedMore;
            const QByteArray size = input.left(end).split(';').first().trimmed();
            bool ok = false;
            m_remaining = size.toLongLong(&ok, 16);
            if (!ok || m_remaining < 0)
                return fail(QStringLiteral("bad chunk size"));
            take(input, end + 2);
            m_chunkStep = m_remaining == 0 ? ChunkStep::Trailer : ChunkStep::Data;
            break;
        }
        case ChunkStep::Data: {
            const qsizetype n = qsizetype(qMin<qint64>(m_remaining, input.size()));
            take(input, n);
            m_remaining -= n;
            if (m_remaining == 0)
                m_chunkStep = ChunkStep::DataEnd;
            break;
        }
        case ChunkStep::DataEnd:
            if (input.size() < 2)
                return State::NeedMore;
            if (!input.startsWith(crlf))
                return fail(QStringLiteral("chunk not followed by CRLF"));
            take(input, 2);
            m_chunkStep = ChunkStep::Size;
            break;
        case ChunkStep::Trailer: {
            const qsizetype end = input.indexOf(crlf);
            if (end < 0)
                return input.size() > maxHeadSize ? fail(QStringLiteral("trailer too long")) : State::NeedMore;
            take(input, end + 2);
            if (end == 0) {
                m_state = State::Complete;
                return m_state;
            }
            break;
        }
        }
    }
    return State::NeedMore;
}

QByteArray HttpMessageReader::method() const
{
    return m_startLine.left(m_startLine.indexOf(' '));
}

QByteArray HttpMessageReader::target() const
{
    const qsizetype first = m_startLine.indexOf(' ');
    const qsizetype last = m_startLine.lastIndexOf(' ');
    return first < 0 || last <= first ? QByteArray() : m_startLine.mid(first + 1, last - first - 1);
}

int HttpMessageReader::status() const
{
    if (m_kind != Kind::Response)
        return 0;
    const QList<QByteArray> parts = m_startLine.split(' ');
    return parts.size() >= 2 ? parts.at(1).toInt() : 0;
}

QByteArray HttpMessageReader::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

bool HttpMessageReader::keepAlive() const
{
    const QByteArray connection = header("connection");
    if (hasToken(connection, "close"))
        return false;
    const QByteArray version = m_kind == Kind::Request ? m_startLine.mid(m_startLine.lastIndexOf(' ') + 1)
                                                       : m_startLine.left(m_startLine.indexOf(' '));
    return version == "HTTP/1.1" || hasToken(connection, "keep-alive");
}

} // namespace poptap::faultproxy
