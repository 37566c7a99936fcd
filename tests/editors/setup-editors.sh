#!/usr/bin/env bash
# Installs real Krita 5 and GIMP 3 for the editor tests with the project's shared recipes
# (Debian packages; GIMP 3 in a trixie chroot, which needs root). Where the recipes or root are
# missing it says so, and the editor tests skip themselves.
set -euo pipefail
editors="${STYLEBRIDGE_EDITORS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/editors}"
if [ ! -x "$editors/setup-krita.sh" ]; then
    echo "setup-editors: no editor recipes at $editors; Krita and GIMP tests will be skipped"
    exit 0
fi
"$editors/setup-krita.sh" >/dev/null
echo "setup-editors: Krita ready"
if [ "$(id -u)" -eq 0 ]; then
    "$editors/setup-gimp3.sh" >/dev/null
    echo "setup-editors: GIMP 3 ready"
else
    echo "setup-editors: GIMP 3 needs root (chroot); its tests will be skipped"
fi
