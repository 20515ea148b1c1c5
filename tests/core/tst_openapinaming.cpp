// Name rules of the OpenAPI importer: tool and argument names clients accept, truncation that
// keeps long names distinct, uniqueness, determinism; plus path globs and description budgets.

#include "core/openapi/selection.h"
#include "core/openapi/textbudget.h"
#include "core/openapi/toolnaming.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mcpbridge::openapi;

class TestOpenApiNaming : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sanitize_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"listPets"_s << u"listPets"_s;
        QTest::newRow("slash and dash") << u"repos/list-for-org"_s << u"repos_list-for-org"_s;
        QTest::newRow("spaces") << u"update item!"_s << u"update_item"_s;
        QTest::newRow("dots") << u"pets.list"_s << u"pets_list"_s;
        QTest::newRow("runs collapse") << u"a  //  b"_s << u"a_b"_s;
        QTest::newRow("leading and trailing") << u"__-get pets-__"_s << u"get_pets"_s;
        QTest::newRow("unicode") << u"café-crème"_s << u"caf_-cr_me"_s;
        QTest::newRow("only symbols") << u"!!!"_s << QString();
        QTest::newRow("empty") << QString() << QString();
    }
    void sanitize()
    {
        QFETCH(QString, raw);
        QFETCH(QString, expected);
        const QString name = sanitizeToolName(raw);
        QCOMPARE(name, expected);
        static const QRegularExpression valid(u"^[A-Za-z0-9_-]*$"_s);
        QVERIFY(valid.match(name).hasMatch());
    }

    void methodAndPath_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("template") << u"GET"_s << u"/pets/{petId}"_s << u"get_pets_petId"_s;
        QTest::newRow("root") << u"POST"_s << u"/"_s << u"post"_s;
        QTest::newRow("nested") << u"DELETE"_s << u"/a/{b}/c.json"_s << u"delete_a_b_c_json"_s;
    }
    void methodAndPath()
    {
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(QString, expected);
        QCOMPARE(nameFromMethodAndPath(method, path), expected);
    }

    void truncate_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("max");
        QTest::newRow("short stays") << u"short"_s << 64;
        QTest::newRow("exactly 64") << QString(64, u'a') << 64;
        QTest::newRow("65") << QString(65, u'a') << 64;
        QTest::newRow("200") << QString(200, u'b') << 64;
        QTest::newRow("underscore at the cut")
            << (QString(54, u'c') + u"_"_s + QString(40, u'd')) << 64;
        QTest::newRow("small max") << u"abcdefghijklmnopqrstuvwxyz"_s << 20;
    }
    void truncate()
    {
        QFETCH(QString, name);
        QFETCH(int, max);
        const QString t = truncateName(name, max);
        QVERIFY2(t.size() <= max, qPrintable(t));
        if (name.size() <= max) {
            QCOMPARE(t, name);
        } else {
            QVERIFY(t.size() >= max - 2);
            QVERIFY(!t.contains(u"__"_s));
            // Deterministic: the same input always gives the same output.
            QCOMPARE(truncateName(name, max), t);
        }
    }

    void truncateKeepsDistinct()
    {
        const QString prefix
            = u"thisOperationIdIsMuchLongerThanSixtyFourCharactersAndMustBeShortened"_s;
        const QString a = truncateName(prefix + u"_variantA"_s);
        const QString b = truncateName(prefix + u"_variantB"_s);
        QCOMPARE(a.size(), 64);
        QCOMPARE(b.size(), 64);
        QVERIFY(a != b);
        QCOMPARE(a.left(40), b.left(40));
    }

    void unique_data()
    {
        QTest::addColumn<QStringList>("candidates");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("distinct") << QStringList{u"a"_s, u"b"_s} << QStringList{u"a"_s, u"b"_s};
        QTest::newRow("repeats") << QStringList{u"a"_s, u"a"_s, u"a"_s}
                                 << QStringList{u"a"_s, u"a_2"_s, u"a_3"_s};
        QTest::newRow("case-insensitive")
            << QStringList{u"getItem"_s, u"GETITEM"_s} << QStringList{u"getItem"_s, u"GETITEM_2"_s};
        QTest::newRow("numbered already taken")
            << QStringList{u"a_2"_s, u"a"_s, u"a"_s} << QStringList{u"a_2"_s, u"a"_s, u"a_3"_s};
        const QString long64(64, u'x');
        QTest::newRow("long repeats stay within 64")
            << QStringList{long64, long64} << QStringList{long64, QString(62, u'x') + u"_2"_s};
    }
    void unique()
    {
        QFETCH(QStringList, candidates);
        QFETCH(QStringList, expected);
        UniqueNames names;
        QStringList got;
        for (const QString &c : candidates)
            got.append(names.claim(c));
        QCOMPARE(got, expected);
        for (const QString &g : got)
            QVERIFY(g.size() <= MaxToolNameLength);
    }

    void argumentNames_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("expected");
        QTest::newRow("brackets") << u"filter[kind]"_s << u"filter_kind"_s;
        QTest::newRow("dots kept") << u"X-Trace.Id"_s << u"X-Trace.Id"_s;
        QTest::newRow("spaces") << u"page size"_s << u"page_size"_s;
    }
    void argumentNames()
    {
        QFETCH(QString, raw);
        QFETCH(QString, expected);
        QCOMPARE(sanitizeArgumentName(raw), expected);
    }

    void glob_data()
    {
        QTest::addColumn<QString>("glob");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("matches");
        QTest::newRow("exact") << u"/pets"_s << u"/pets"_s << true;
        QTest::newRow("prefix star") << u"/pets*"_s << u"/pets/{petId}"_s << true;
        QTest::newRow("star crosses slash")
            << u"/repos/*/issues"_s << u"/repos/{owner}/{repo}/issues"_s << true;
        QTest::newRow("double star") << u"/repos/**"_s << u"/repos/a/b/c"_s << true;
        QTest::newRow("question mark") << u"/v?/x"_s << u"/v1/x"_s << true;
        QTest::newRow("whole path must match") << u"/pets"_s << u"/pets/1"_s << false;
        QTest::newRow("literal braces") << u"/pets/{petId}"_s << u"/pets/{petId}"_s << true;
        QTest::newRow("no match") << u"/users/*"_s << u"/pets/1"_s << false;
    }
    void glob()
    {
        QFETCH(QString, glob);
        QFETCH(QString, path);
        QFETCH(bool, matches);
        QCOMPARE(globMatch(glob, path), matches);
    }

    void textBudget_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("budget");
        QTest::addColumn<QString>("expected");
        QTest::newRow("fits") << u"Short."_s << 100 << u"Short."_s;
        QTest::newRow("html breaks") << u"One<br>Two<br/>Three"_s << 100 << u"One\nTwo\nThree"_s;
        QTest::newRow("tags and entities")
            << u"<p>Use <code>a &amp; b</code></p>"_s << 100 << u"Use a & b"_s;
        QTest::newRow("blank lines collapse") << u"A\n\n\n\nB  \n"_s << 100 << u"A\n\nB"_s;
        QTest::newRow("link text kept")
            << u"See [the docs](https://example.com/x_(y)) now."_s << 100 << u"See the docs now."_s;
        QTest::newRow("sentence cut") << u"First sentence here. Second sentence is long enough."_s
                                      << 30 << u"First sentence here.…"_s;
        QTest::newRow("word cut") << u"alpha beta gamma delta epsilon"_s << 20
                                  << u"alpha beta gamma…"_s;
    }
    void textBudget()
    {
        QFETCH(QString, text);
        QFETCH(int, budget);
        QFETCH(QString, expected);
        const QString out = compactText(text, budget);
        QCOMPARE(out, expected);
        QVERIFY(out.size() <= budget);
    }
};

QTEST_GUILESS_MAIN(TestOpenApiNaming)
#include "tst_openapinaming.moc"
