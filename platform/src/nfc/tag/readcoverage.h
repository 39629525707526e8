#pragma once

#include <QtGlobal>

#include <algorithm>
#include <vector>

namespace poptap::nfc {

// Which units (bytes of a file, blocks of a tag) of [0, size) a reader has been sent in
// this session. Reads come in any order and may overlap, so a plain "highest offset" would
// lie; a bit per unit and a running count make complete() O(1).
class ReadCoverage
{
public:
    explicit ReadCoverage(qsizetype size = 0) : m_sent(std::size_t(std::max<qsizetype>(size, 0)), false) {}

    // Marks [begin, end) as sent; the parts outside [0, size) are ignored.
    void mark(qsizetype begin, qsizetype end)
    {
        begin = std::max<qsizetype>(begin, 0);
        end = std::min<qsizetype>(end, size());
        for (qsizetype i = begin; i < end; ++i) {
            if (!m_sent[std::size_t(i)]) {
                m_sent[std::size_t(i)] = true;
                ++m_count;
            }
        }
    }
    void clear()
    {
        std::fill(m_sent.begin(), m_sent.end(), false);
        m_count = 0;
    }
    bool complete() const { return m_count == size(); }
    qsizetype size() const { return qsizetype(m_sent.size()); }

private:
    std::vector<bool> m_sent;
    qsizetype m_count = 0;
};

} // namespace poptap::nfc
