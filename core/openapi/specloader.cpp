#include "core/openapi/specloader.h"

#include "core/util/jsontext.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;

namespace mcpbridge::openapi {

namespace {

// Aliases can expand a small YAML text exponentially ("billion laughs"); cap the work.
constexpr qint64 MaxYamlNodes = 20'000'000;
constexpr int MaxYamlDepth = 400;

struct YamlConverter
{
    qint64 nodes = 0;
    bool tooBig = false;

    static QJsonValue plainScalar(const std::string &raw)
    {
        const QString s = QString::fromStdString(raw);
        if (s.isEmpty() || s == u"~" || s == u"null" || s == u"Null" || s == u"NULL")
            return QJsonValue::Null;
        if (s == u"true" || s == u"True" || s == u"TRUE")
            return true;
        if (s == u"false" || s == u"False" || s == u"FALSE")
            return false;
        const QChar c = s.at(0);
        if (!(c.isDigit() || c == u'-' || c == u'+' || c == u'.'))
            return s;
        static const QRegularExpression intRe(u"^[-+]?[0-9]+$"_s);
        static const QRegularExpression floatRe(
            u"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"_s);
        if (intRe.match(s).hasMatch()) {
            bool ok = false;
            const qlonglong v = s.toLongLong(&ok);
            // Keep integers that a double cannot hold exactly as text, like a version "1.10".
            if (ok && qAbs(v) < (1LL << 53))
                return double(v);
            return s;
        }
        if (floatRe.match(s).hasMatch()) {
            bool ok = false;
            const double v = s.toDouble(&ok);
            if (ok)
                return v;
        }
        if (s.startsWith(u"0x")) {
            bool ok = false;
            const qlonglong v = s.mid(2).toLongLong(&ok, 16);
            if (ok)
                return double(v);
        }
        return s;
    }

    QJsonValue convert(const YAML::Node &node, int depth)
    {
        if (tooBig)
            return {};
        if (++nodes > MaxYamlNodes || depth > MaxYamlDepth) {
            tooBig = true;
            return {};
        }
        switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: return QJsonValue::Null;
        case YAML::NodeType::Scalar:
            // "!" marks a quoted (non-plain) scalar: always a string.
            if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str")
                return QString::fromStdString(node.Scalar());
            return plainScalar(node.Scalar());
        case YAML::NodeType::Sequence: {
            QJsonArray array;
            for (const YAML::Node &item : node)
                array.append(convert(item, depth + 1));
            return array;
        }
        case YAML::NodeType::Map: {
            QJsonObject object;
            for (const auto &entry : node) {
                const YAML::Node key = entry.first;
                const YAML::Node value = entry.second;
                const QString name = key.IsScalar() ? QString::fromStdString(key.Scalar())
                                                    : QString::fromStdString(YAML::Dump(key));
                object.insert(name, convert(value, depth + 1));
            }
            return object;
        }
        }
        return {};
    }
};

Result<QJsonValue> parseJson(const QByteArray &text, const QString &label)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        const json::TextPosition pos = json::positionOf(text, error.offset);
        return fail(u"This is not valid JSON: %1."_s.arg(error.errorString()),
                    u"%1:%2:%3"_s.arg(label).arg(pos.line).arg(pos.column));
    }
    if (doc.isArray())
        return QJsonValue(doc.array());
    return QJsonValue(doc.object());
}

Result<QJsonValue> parseYaml(const QByteArray &text, const QString &label)
{
    try {
        const YAML::Node root = YAML::Load(text.toStdString());
        YamlConverter converter;
        QJsonValue value = converter.convert(root, 0);
        if (converter.tooBig)
            return fail(u"The YAML expands to too much data (aliases nested too deeply or too "
                        u"often), so it was not read."_s,
                        label);
        return value;
    } catch (const YAML::Exception &e) {
        const QString where
            = e.mark.is_null()
                  ? label
                  : u"%1:%2:%3"_s.arg(label).arg(e.mark.line + 1).arg(e.mark.column + 1);
        return fail(u"This is not valid YAML: %1."_s.arg(QString::fromStdString(e.msg)), where);
    } catch (const std::exception &e) {
        return fail(u"This YAML could not be read: %1."_s.arg(QString::fromUtf8(e.what())), label);
    }
}

} // namespace

Result<QJsonValue> parseSpecText(const QByteArray &text, const QString &label)
{
    qsizetype i = 0;
    // Skip a UTF-8 byte order mark and leading whitespace to see what kind of text this is.
    if (text.startsWith("\xEF\xBB\xBF"))
        i = 3;
    while (i < text.size()
           && (text.at(i) == ' ' || text.at(i) == '\n' || text.at(i) == '\r' || text.at(i) == '\t'))
        ++i;
    if (i >= text.size())
        return fail(u"The document is empty."_s, label);
    if (text.at(i) == '{' || text.at(i) == '[')
        return parseJson(i ? text.mid(i) : text, label);
    if (text.indexOf('\0') >= 0)
        return fail(u"This is a binary file, not an OpenAPI or Swagger document."_s, label);
    return parseYaml(text, label);
}

Result<QJsonValue> loadSpecFile(const QString &path)
{
    QFile file(path);
    const QFileInfo info(path);
    if (!info.exists())
        return fail(u"The file does not exist."_s, path);
    if (info.isDir())
        return fail(u"This is a folder, not a file."_s, path);
    if (info.size() > MaxSpecBytes)
        return fail(
            u"The file is too large (%1 MB; the limit is %2 MB)."_s.arg(info.size() / (1024 * 1024))
                .arg(MaxSpecBytes / (1024 * 1024)),
            path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"The file could not be read: %1."_s.arg(file.errorString()), path);
    return parseSpecText(file.readAll(), path);
}

} // namespace mcpbridge::openapi
