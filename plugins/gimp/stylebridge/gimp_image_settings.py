"""The last settings used on an image, kept in it (a persistent parasite, saved in XCF files), so
that its next dialog starts from them rather than from whatever another image used last."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

import json
from typing import Any

import gi

gi.require_version("Gimp", "3.0")
from gi.repository import Gimp  # noqa: E402

PARASITE = "stylebridge-settings"
PERSISTENT = 1  # GIMP_PARASITE_PERSISTENT: saved with the image
# How to reach the engine is the machine's business, not the image's.
NOT_KEPT = ("endpoint", "daemon-command")


def image_settings(image: Gimp.Image) -> dict[str, Any]:
    """The procedure arguments last used on `image`; {} when there are none or they are
    unreadable."""
    parasite = image.get_parasite(PARASITE)
    if parasite is None:
        return {}
    try:
        kept = json.loads(bytes(parasite.get_data()).decode("utf-8"))
    except ValueError:
        return {}
    return {k: v for k, v in kept.items() if k not in NOT_KEPT} if isinstance(kept, dict) else {}


def remember_settings(image: Gimp.Image, args: dict[str, Any]) -> None:
    """Keep `args` (procedure arguments) in `image` for its next dialog."""
    kept = {k: v for k, v in args.items() if k not in NOT_KEPT}
    data = json.dumps(kept, sort_keys=True).encode("utf-8")
    image.attach_parasite(Gimp.Parasite.new(PARASITE, PERSISTENT, list(data)))
