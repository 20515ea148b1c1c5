// Import time of a real, big spec: GitHub's REST description (@octokit/openapi, ~13 MB JSON,
// ~1,000 operations) read from disk and imported N times (default 7); prints the median.
// Usage: bench_import [N] [SPEC]. The goal is well under one second in a Release build.

#include "core/openapi/openapiimporter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int runs = args.size() > 1 ? std::max(1, args.at(1).toInt()) : 7;
    const QString spec
        = args.size() > 2
              ? args.at(2)
              : QStringLiteral(MCPBRIDGE_SOURCE_DIR)
                    + u"/tests/node_modules/@octokit/openapi/generated/api.github.com.json"_s;
    QTextStream out(stdout);
    QTextStream err(stderr);
    QFile file(spec);
    if (!file.open(QIODevice::ReadOnly)) {
        err << "bench_import: cannot read " << spec
            << " (run `npm ci` in tests/ to get @octokit/openapi)\n";
        return 1;
    }
    const QByteArray bytes = file.readAll();
    mcpbridge::openapi::ImportOptions options;
    options.sourceUrl = QUrl::fromLocalFile(spec);

    QList<qint64> times;
    qsizetype tools = 0;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        const auto report = mcpbridge::openapi::importSpec(bytes, options);
        times.append(timer.nsecsElapsed());
        if (!report) {
            err << "bench_import: " << report.error().toString() << '\n';
            return 1;
        }
        tools = report->document.tools.size();
    }
    std::sort(times.begin(), times.end());
    const double median = times.at(times.size() / 2) / 1e6;
    out << "import octokit api.github.com: " << QString::number(median, 'f', 1) << " ms median of "
        << runs << ", " << tools << " tools\n";
    return 0;
}
