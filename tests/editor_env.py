"""Where the real editors of the integration tests live: the shared recipes beside the checkout
(found as tests/editors/setup-editors.sh finds them) and the GIMP 3 root they build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EDITORS = Path(os.environ.get("STYLEBRIDGE_EDITORS", ROOT.parent / "shared" / "editors"))
KRITA_RUN = Path(os.environ.get("KRITA_RUN", EDITORS / "krita-run.sh"))
GIMP_RUN = EDITORS / "gimp3-run.sh"
GIMP_ROOT = Path(os.environ.get("GIMP3_ROOT", "/opt/gimp3-trixie"))

KRITA_MISSING = "needs Krita 5 and Xvfb: run ../shared/editors/setup-krita.sh"


def krita_ready() -> bool:
    """krita-run.sh, Krita and xvfb-run are all there."""
    return KRITA_RUN.is_file() and bool(shutil.which("krita")) and bool(shutil.which("xvfb-run"))


# gimp3-run.sh enters a mount namespace and a chroot: root, and a finished trixie root.
GIMP_SKIPS = [
    pytest.mark.skipif(os.geteuid() != 0, reason="gimp3-run.sh needs root (mount namespace)"),
    pytest.mark.skipif(
        not (GIMP_RUN.exists() and (GIMP_ROOT / ".gimp3-setup-complete").exists()),
        reason="no GIMP 3 root: run ../shared/editors/setup-gimp3.sh",
    ),
]
