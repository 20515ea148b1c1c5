#include "budgetmeter.h"

#include "tokenestimate.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>

using namespace Qt::StringLiterals;

namespace mcpbridge::editors {

namespace {

// The bar is full a little past the red threshold, so red is visible as "over the line".
constexpr qint64 BarMaximum = BudgetMeter::RedTokens * 3 / 2;

// Green, amber or red with a lightness that reads on the current palette (dark or light).
QColor levelColour(BudgetMeter::Level level, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightnessF() < 0.5;
    const double lightness = dark ? 0.55 : 0.40;
    switch (level) {
    case BudgetMeter::Level::Comfortable: return QColor::fromHslF(120.0 / 360.0, 0.55, lightness);
    case BudgetMeter::Level::Large: return QColor::fromHslF(38.0 / 360.0, 0.90, dark ? 0.55 : 0.45);
    case BudgetMeter::Level::TooLarge: break;
    }
    return QColor::fromHslF(0.0, 0.70, lightness);
}

} // namespace

BudgetMeter::BudgetMeter(QWidget *parent)
    : QWidget(parent)
{
    m_caption = new QLabel(tr("Tool list size:"), this);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(u"budgetBar"_s);
    m_bar->setRange(0, int(BarMaximum));
    m_bar->setTextVisible(false);
    m_bar->setAccessibleName(tr("Context budget"));
    m_text = new QLabel(this);
    m_text->setObjectName(u"budgetText"_s);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_text);
    // One line high, however tall the window: the editor above takes the rest.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setEstimatedTokens(0);
}

BudgetMeter::Level BudgetMeter::levelFor(qint64 tokens)
{
    if (tokens < AmberTokens)
        return Level::Comfortable;
    if (tokens < RedTokens)
        return Level::Large;
    return Level::TooLarge;
}

void BudgetMeter::setDocument(const bridge::BridgeDocument &document)
{
    setEstimatedTokens(estimateToolsListTokens(document));
}

void BudgetMeter::setEstimatedTokens(qint64 tokens)
{
    const Level before = m_level;
    m_tokens = std::max<qint64>(0, tokens);
    m_level = levelFor(m_tokens);
    updateLook();
    if (before != m_level)
        emit levelChanged(m_level);
}

QString BudgetMeter::summary() const
{
    const QString amount = tr("about %1 tokens per turn").arg(QLocale().toString(m_tokens));
    switch (m_level) {
    case Level::Comfortable: return tr("%1 (small)").arg(amount);
    case Level::Large: return tr("%1 (large)").arg(amount);
    case Level::TooLarge: break;
    }
    return tr("%1 (too large)").arg(amount);
}

void BudgetMeter::updateLook()
{
    m_bar->setValue(int(std::min(m_tokens, BarMaximum)));
    m_text->setText(summary());
    m_bar->setAccessibleDescription(summary());

    QPalette pal = palette();
    const QColor colour = levelColour(m_level, pal);
    pal.setColor(QPalette::Highlight, colour);
    pal.setColor(QPalette::HighlightedText,
                 colour.lightnessF() < 0.5 ? QColor(Qt::white) : QColor(Qt::black));
    m_bar->setPalette(pal);

    const QLocale locale;
    QString advice;
    switch (m_level) {
    case Level::Comfortable:
        advice = tr("That is small: plenty of room is left for the conversation.");
        break;
    case Level::Large:
        advice = tr("That is large: it leaves less room for the conversation and each turn "
                    "costs more. Shorter descriptions or fewer tools help.");
        break;
    case Level::TooLarge:
        advice = tr("That is too large: the model has less room for the conversation, each turn "
                    "is slower and costs more, and with many tools it picks the wrong one more "
                    "often. Remove tools you do not need or shorten their descriptions.");
        break;
    }
    setToolTip(tr("<p>Every time the model answers, the app sends it the list of this bridge's "
                  "tools: their names, descriptions and parameters. That list takes about "
                  "<b>%1 tokens</b> (pieces of words) of the model's limited memory on every "
                  "turn.</p><p>%2</p><p>Below %3 is small; %4 and above is too large.</p>")
                   .arg(locale.toString(m_tokens), advice, locale.toString(AmberTokens),
                        locale.toString(RedTokens)));
}

void BudgetMeter::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Follow a switch between light and dark palettes.
    if (event->type() == QEvent::PaletteChange)
        updateLook();
}

} // namespace mcpbridge::editors
