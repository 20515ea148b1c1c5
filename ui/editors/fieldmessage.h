#pragma once

// The line of text under an editor field that says what is wrong with it, shared by the
// resource and prompt editors. Plain text in the palette's colours; hidden when all is well.

#include <QString>

class QLabel;
class QWidget;

namespace mcpbridge::editors {

QLabel *newFieldMessage(QWidget *parent, const QString &objectName);
// Shows `text` (hides the label when empty) and gives it to screen readers with `field`.
void showFieldMessage(QLabel *label, QWidget *field, const QString &text);

} // namespace mcpbridge::editors
