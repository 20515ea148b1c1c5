#include "ui/wizard/methodbadgedelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace mcpbridge::ui {

MethodBadgeDelegate::MethodBadgeDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

QColor MethodBadgeDelegate::accent(const QString &method, const QPalette &palette)
{
    int hue = 210; // GET: blue
    if (method == u"POST")
        hue = 130;
    else if (method == u"PUT")
        hue = 35;
    else if (method == u"PATCH")
        hue = 280;
    else if (method == u"DELETE")
        hue = 0;
    else if (method == u"HEAD" || method == u"OPTIONS")
        hue = 180;
    // On a dark base a light, soft badge; on a light base a deeper one. Text is the base colour.
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    return QColor::fromHsl(hue, dark ? 140 : 170, dark ? 170 : 85);
}

void MethodBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString method = opt.text;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    if (method.isEmpty())
        return;

    QFont font = opt.font;
    font.setBold(true);
    const QFontMetrics fm(font);
    const int padX = fm.height() / 3;
    const int padY = fm.height() / 8;
    QRect badge(0, 0, fm.horizontalAdvance(method) + 2 * padX, fm.height() + 2 * padY);
    badge.moveCenter(opt.rect.center());
    badge.moveLeft(opt.rect.left() + padX);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(accent(method, opt.palette));
    const qreal radius = badge.height() / 3.0;
    painter->drawRoundedRect(badge, radius, radius);
    painter->setFont(font);
    painter->setPen(opt.palette.color(QPalette::Base));
    painter->drawText(badge, Qt::AlignCenter, method);
    painter->restore();
}

QSize MethodBadgeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    QFont font = option.font;
    font.setBold(true);
    const QFontMetrics fm(font);
    const int padX = fm.height() / 3;
    size.setWidth(std::max(size.width(), fm.horizontalAdvance(u"DELETE"_s) + 4 * padX));
    size.setHeight(std::max(size.height(), fm.height() + fm.height() / 4 + 2));
    return size;
}

} // namespace mcpbridge::ui
