#pragma once

// Draws an HTTP method ("GET", "POST" ...) as a small rounded badge whose accent is derived from
// the view's palette, so it reads on light and dark themes. Used by the endpoint picker.

#include <QStyledItemDelegate>

namespace mcpbridge::ui {

class MethodBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MethodBadgeDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The badge colour of `method` for `palette`: a fixed hue per method, lightness and
    // saturation taken from the palette so the contrast holds in light and dark themes.
    static QColor accent(const QString &method, const QPalette &palette);
};

} // namespace mcpbridge::ui
