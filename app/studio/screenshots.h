#pragma once

// `mcpbridge-studio --screenshots DIR`: drives the studio through its main screens on the demo
// bridge (with a throwaway secret store) and writes one PNG per screen into DIR, so anyone can
// look at what a user sees. Run by scripts/screenshots under Xvfb.

#include <QString>

int takeScreenshots(const QString &folder);
