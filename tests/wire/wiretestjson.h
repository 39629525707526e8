#pragma once
// Test helpers: edit one member of a valid JSON message, so that each malformed case differs
// from a known-good body in exactly the way its name says.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>

#include <optional>
#include <variant>

namespace wiretest {

using Step = std::variant<QString, qsizetype>;

inline QList<Step> steps(const QString &path)
{
    QList<Step> out;
    static const QRegularExpression part(QStringLiteral("([^.\\[\\]]+)|\\[(\\d+)\\]"));
    for (auto it = part.globalMatch(path); it.hasNext();) {
        const auto m = it.next();
        if (m.hasCaptured(1))
            out << Step(m.captured(1));
        else
            out << Step(qsizetype(m.captured(2).toLongLong()));
    }
    return out;
}

// Sets (or, with std::nullopt, removes) the value at `path` inside `node`.
inline QJsonValue edited(const QJsonValue &node, QList<Step> path, const std::optional<QJsonValue> &value)
{
    const Step step = path.takeFirst();
    if (const QString *key = std::get_if<QString>(&step)) {
        QJsonObject o = node.toObject();
        if (path.isEmpty()) {
            if (value)
                o.insert(*key, *value);
            else
                o.remove(*key);
        } else {
            o.insert(*key, edited(o.value(*key), path, value));
        }
        return o;
    }
    const qsizetype index = std::get<qsizetype>(step);
    QJsonArray a = node.toArray();
    if (path.isEmpty()) {
        if (value)
            a.replace(index, *value);
        else
            a.removeAt(index);
    } else {
        a.replace(index, edited(a.at(index), path, value));
    }
    return a;
}

inline QByteArray withValue(const QByteArray &json, const QString &path, const QJsonValue &value)
{
    const QJsonValue root = QJsonDocument::fromJson(json).object();
    return QJsonDocument(edited(root, steps(path), value).toObject()).toJson(QJsonDocument::Compact);
}

inline QByteArray without(const QByteArray &json, const QString &path)
{
    const QJsonValue root = QJsonDocument::fromJson(json).object();
    return QJsonDocument(edited(root, steps(path), std::nullopt).toObject()).toJson(QJsonDocument::Compact);
}

} // namespace wiretest

#include "wire/wirecommon.h"

namespace wiretest {

// Empty when `result` was refused as a whole with `failure` and names `path` with a reason
// containing `fragment`; otherwise what went differently, for QVERIFY2.
template <typename Result>
QString refusalProblem(const Result &result, poptap::wire::WireFailure failure, const QString &path,
                       const QString &fragment)
{
    if (result.ok())
        return QStringLiteral("accepted, expected a refusal at %1").arg(path);
    if (result.failure != failure)
        return QStringLiteral("failure %1, expected %2: %3")
            .arg(int(result.failure))
            .arg(int(failure))
            .arg(result.errorText(10));
    for (const poptap::wire::FieldError &e : result.errors) {
        if (e.path == path && e.reason.contains(fragment))
            return {};
    }
    return QStringLiteral("no error at %1 containing \"%2\"; got: %3").arg(path, fragment, result.errorText(10));
}

} // namespace wiretest
