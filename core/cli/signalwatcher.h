#pragma once

// Turns SIGINT, SIGTERM and SIGHUP into Qt signals (a socket pair written by the handler, read
// by a QSocketNotifier: no work in the handler itself). Used by `mcpbridge serve` to stop
// cleanly and to reload its config. One instance per process.

#include <QObject>

class QSocketNotifier;

namespace mcpbridge::cli {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override; // restores the default handlers

    bool isActive() const { return m_notifier != nullptr; }

signals:
    void terminateRequested(int signalNumber); // SIGINT or SIGTERM
    void reloadRequested();                    // SIGHUP

private:
    void readSignals();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace mcpbridge::cli
