#pragma once

#include <QCommandLineParser>
#include <QList>

#include <algorithm>
#include <cmath>

namespace poptap::bench {

// Nearest-rank percentile of `samples` (any order), `p` in 0..100.
inline double percentile(QList<double> samples, double p)
{
    if (samples.isEmpty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(samples.size())));
    return samples.at(std::clamp<qsizetype>(rank - 1, 0, samples.size() - 1));
}

inline double median(const QList<double> &samples) { return percentile(samples, 50); }
inline double minimum(const QList<double> &samples) { return samples.isEmpty() ? 0 : *std::min_element(samples.begin(), samples.end()); }
inline double maximum(const QList<double> &samples) { return samples.isEmpty() ? 0 : *std::max_element(samples.begin(), samples.end()); }

// `--count N`: CI runs the small default, a person asks for more.
inline int countOption(const QStringList &arguments, int defaultCount, const QString &what)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption count(QStringLiteral("count"), what, QStringLiteral("n"), QString::number(defaultCount));
    parser.addOption(count);
    parser.process(arguments);
    bool ok = false;
    const int n = parser.value(count).toInt(&ok);
    return ok && n > 0 ? n : defaultCount;
}

} // namespace poptap::bench
