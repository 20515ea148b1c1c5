#include "core/cli/signalwatcher.h"

#include <QLoggingCategory>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mcpbridge::cli {

namespace {

int g_fds[2] = {-1, -1};

extern "C" void onSignal(int number)
{
    const int saved = errno;
    const char byte = char(number);
    [[maybe_unused]] const auto n = ::write(g_fds[0], &byte, 1);
    errno = saved;
}

void install(int number, void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(number, &action, nullptr);
}

} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
    if (g_fds[0] >= 0 || ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_fds) != 0) {
        qWarning("mcpbridge: cannot watch for signals; Ctrl+C will stop the bridge abruptly");
        return;
    }
    // A flood of signals must never block the handler.
    ::fcntl(g_fds[0], F_SETFL, ::fcntl(g_fds[0], F_GETFL) | O_NONBLOCK);
    ::fcntl(g_fds[1], F_SETFL, ::fcntl(g_fds[1], F_GETFL) | O_NONBLOCK);
    m_notifier = new QSocketNotifier(g_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::readSignals);
    install(SIGINT, onSignal);
    install(SIGTERM, onSignal);
    install(SIGHUP, onSignal);
}

SignalWatcher::~SignalWatcher()
{
    if (!m_notifier)
        return;
    install(SIGINT, SIG_DFL);
    install(SIGTERM, SIG_DFL);
    install(SIGHUP, SIG_DFL);
    delete m_notifier;
    ::close(g_fds[0]);
    ::close(g_fds[1]);
    g_fds[0] = g_fds[1] = -1;
}

void SignalWatcher::readSignals()
{
    char bytes[64];
    const ssize_t n = ::read(g_fds[1], bytes, sizeof bytes);
    for (ssize_t i = 0; i < n; ++i) {
        if (bytes[i] == SIGHUP)
            emit reloadRequested();
        else
            emit terminateRequested(bytes[i]);
    }
}

} // namespace mcpbridge::cli
