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

struct IntOption {
    QString name;        // "count" for --count
    QString description;
    int defaultValue = 0;
    int minimum = 1;     // smaller values fall back to the default
};

// Whole-number flags (`--count N`, `--clients N`, ...), in the order given; a value that
// is not a number or is below its minimum falls back to the default.
inline QList<int> intOptions(const QStringList &arguments, const QList<IntOption> &options)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    QList<QCommandLineOption> added;
    for (const IntOption &o : options) {
        added.append(QCommandLineOption(o.name, o.description, QStringLiteral("n"), QString::number(o.defaultValue)));
        parser.addOption(added.last());
    }
    parser.process(arguments);
    QList<int> values;
    for (qsizetype i = 0; i < options.size(); ++i) {
        bool ok = false;
        const int n = parser.value(added.at(i)).toInt(&ok);
        values.append(ok && n >= options.at(i).minimum ? n : options.at(i).defaultValue);
    }
    return values;
}

// `--count N`: CI runs the small default, a person asks for more.
inline int countOption(const QStringList &arguments, int defaultCount, const QString &what)
{
    return intOptions(arguments, {{QStringLiteral("count"), what, defaultCount, 1}}).first();
}

} // namespace poptap::bench
