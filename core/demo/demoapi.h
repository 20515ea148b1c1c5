#pragma once

// The built-in demo REST API: an in-memory cookbook (recipes, pantry, meal plan, shopping list)
// with an OpenAPI document, served over HTTP. `mcpbridge demo-api` runs it; tests start it on
// port 0; the demo bridge resources/demo/pantry.mcpbridge.json is written against it.

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

namespace mcpbridge::demo {

class DemoApi : public QObject
{
    Q_OBJECT

public:
    explicit DemoApi(QObject *parent = nullptr);
    ~DemoApi() override;

    // Starts serving; false (see errorString()) when the address cannot be bound, e.g. the port
    // is busy. Port 0 picks a free port; port() tells which.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    QString errorString() const;

private:
    class Server;
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mcpbridge::demo
