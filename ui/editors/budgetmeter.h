#pragma once

// The context budget meter: how many tokens the bridge's list of tools costs the model on every
// turn, as a bar that turns amber and red past the thresholds. Always visible in the studio.

#include "core/bridge/bridgedocument.h"

#include <QWidget>

class QLabel;
class QProgressBar;

namespace mcpbridge::editors {

class BudgetMeter : public QWidget
{
    Q_OBJECT

public:
    enum class Level {
        Comfortable, // below AmberTokens
        Large,       // below RedTokens
        TooLarge,    // RedTokens and above
    };
    Q_ENUM(Level)

    static constexpr qint64 AmberTokens = 5000;
    static constexpr qint64 RedTokens = 20000;

    explicit BudgetMeter(QWidget *parent = nullptr);

    void setDocument(const bridge::BridgeDocument &document);
    // Shows `tokens` directly (used by setDocument; handy when the estimate comes from elsewhere).
    void setEstimatedTokens(qint64 tokens);

    qint64 estimatedTokens() const { return m_tokens; }
    Level level() const { return m_level; }
    static Level levelFor(qint64 tokens);
    QString summary() const; // the text next to the bar

signals:
    void levelChanged(mcpbridge::editors::BudgetMeter::Level level);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateLook();

    qint64 m_tokens = -1;
    Level m_level = Level::Comfortable;
    QLabel *m_caption = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_text = nullptr;
};

} // namespace mcpbridge::editors
