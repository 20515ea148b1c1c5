#include "core/bridge/documentio.h"

#include "core/bridge/documentparts.h"
#include "core/util/jsontext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace mcpbridge::bridge {

namespace {

// QJsonParseError's own strings are terse ("unterminated object"); these say what to do.
QString syntaxMessage(QJsonParseError::ParseError error)
{
    switch (error) {
    case QJsonParseError::UnterminatedObject:
        return u"an object is not closed: a \"}\" or a \",\" is missing"_s;
    case QJsonParseError::MissingNameSeparator: return u"a \":\" is missing after a member name"_s;
    case QJsonParseError::UnterminatedArray:
        return u"a list is not closed: a \"]\" or a \",\" is missing"_s;
    case QJsonParseError::MissingValueSeparator: return u"a \",\" is missing between two values"_s;
    case QJsonParseError::IllegalValue:
        return u"this is not a JSON value (text needs double quotes; true, false and null are "
               "lower case)"_s;
    case QJsonParseError::TerminationByNumber: return u"the text ends in the middle of a number"_s;
    case QJsonParseError::IllegalNumber:
        return u"this number is not written the JSON way (e.g. 12, -3.5, 1e6)"_s;
    case QJsonParseError::IllegalEscapeSequence:
        return u"a backslash escape in a string is not valid (use \\\\ for a backslash)"_s;
    case QJsonParseError::IllegalUTF8String: return u"a string is not valid UTF-8 text"_s;
    case QJsonParseError::UnterminatedString: return u"a string is not closed: a '\"' is missing"_s;
    case QJsonParseError::MissingObject:
        return u"a bridge document must be a JSON object starting with \"{\""_s;
    case QJsonParseError::DeepNesting: return u"the JSON is nested too deeply"_s;
    case QJsonParseError::DocumentTooLarge:
        return u"the file is too large to be a bridge document"_s;
    case QJsonParseError::GarbageAtEnd:
        return u"there is more text after the end of the document"_s;
    case QJsonParseError::NoError: break;
    }
    return u"the text is not valid JSON"_s;
}

struct SyntaxLocation
{
    qsizetype offset;
    QString message;
};

// QJsonParseError's offset is usually one past the character that failed, and for an unclosed
// string it is the end of the file. Point at what a person has to fix instead.
SyntaxLocation locateSyntaxError(const QByteArray &text, const QJsonParseError &error)
{
    QString message = syntaxMessage(error.error);
    qsizetype at = error.offset;
    if (error.error == QJsonParseError::UnterminatedString) {
        bool inString = false;
        qsizetype start = -1;
        for (qsizetype i = 0; i < std::min<qsizetype>(error.offset, text.size()); ++i) {
            if (inString && text.at(i) == '\\') {
                ++i;
            } else if (text.at(i) == '"') {
                inString = !inString;
                start = i;
            }
        }
        if (inString)
            at = start;
    } else if (error.error != QJsonParseError::GarbageAtEnd
               && error.error != QJsonParseError::IllegalNumber) {
        at = error.offset - 1;
    }
    at = std::clamp<qsizetype>(at, 0, text.size());
    const char c = at < text.size() ? text.at(at) : '\0';
    if (c == '\'') {
        message = u"text must be in double quotes (\"...\"), not single quotes"_s;
    } else if (error.error == QJsonParseError::UnterminatedObject && c == '"') {
        message = u"a \",\" is missing before this member"_s;
    } else if (c == '}' || c == ']') {
        qsizetype before = at - 1;
        while (before >= 0 && QChar::isSpace(uchar(text.at(before))))
            --before;
        if (before >= 0 && text.at(before) == ',') {
            at = before;
            message = u"remove this comma: JSON allows no comma after the last item"_s;
        }
    }
    return {at, message};
}

QString describeRoot(const QJsonDocument &doc)
{
    if (doc.isArray())
        return u"an array"_s;
    return u"something else"_s;
}

} // namespace

QString Problem::toString() const
{
    const QString kind = severity == Severity::Error ? u"error"_s : u"warning"_s;
    QString out;
    if (line > 0) {
        out = u"%1:%2:%3: %4: %5"_s.arg(file.isEmpty() ? u"<text>"_s : file)
                  .arg(line)
                  .arg(column)
                  .arg(kind, message);
        return out;
    }
    if (!file.isEmpty())
        out = file + u": "_s;
    out += kind;
    if (!pointer.isEmpty())
        out += u" at "_s + pointer;
    return out + u": "_s + message;
}

bool LoadReport::hasErrors() const
{
    for (const Problem &p : problems) {
        if (p.severity == Problem::Severity::Error)
            return true;
    }
    return false;
}

LoadReport parseDocument(const QByteArray &rawText, const QString &fileName)
{
    LoadReport report;
    detail::ProblemSink sink{fileName, {}};

    // Editors on Windows like to start files with a byte order mark; JSON parsers do not.
    const QByteArray text = rawText.startsWith("\xEF\xBB\xBF") ? rawText.mid(3) : rawText;
    if (text.trimmed().isEmpty()) {
        sink.error(QString(),
                   u"the file is empty; a bridge document starts with {\"format\": %1, ...}"_s.arg(
                       CurrentFormat));
        report.problems = sink.problems;
        return report;
    }

    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const SyntaxLocation where = locateSyntaxError(text, parseError);
        const json::TextPosition pos = json::positionOf(text, where.offset);
        report.problems.append(Problem{Problem::Severity::Error, fileName, QString(), pos.line,
                                       pos.column, where.message});
        return report;
    }
    if (!json.isObject()) {
        sink.error(QString(), u"a bridge document must be a JSON object ({...}), found %1"_s.arg(
                                  describeRoot(json)));
        report.problems = sink.problems;
        return report;
    }

    BridgeDocument document;
    if (detail::readDocument(json.object(), document, sink)) {
        detail::checkDocument(document, sink);
        report.document = std::move(document);
    }
    report.problems = sink.problems;
    return report;
}

LoadReport loadDocument(const QString &path)
{
    const QString shown = QDir::toNativeSeparators(path);
    QFile file(path);
    const QFileInfo info(path);
    QString reason;
    if (!info.exists())
        reason = u"the file does not exist"_s;
    else if (info.isDir())
        reason = u"that is a folder, not a file"_s;
    else if (!file.open(QIODevice::ReadOnly))
        reason = u"it cannot be read (%1)"_s.arg(file.errorString());
    if (!reason.isEmpty()) {
        LoadReport report;
        report.problems.append(Problem{Problem::Severity::Error, shown, QString(), 0, 0, reason});
        return report;
    }
    return parseDocument(file.readAll(), shown);
}

QList<Problem> validateDocument(const BridgeDocument &document, const QString &fileName)
{
    detail::ProblemSink sink{fileName, {}};
    detail::checkDocument(document, sink);
    return sink.problems;
}

} // namespace mcpbridge::bridge
