"""The 100 % crop follows the preview pane: when the pane changes size (the dialog resized), a
crop of the new size, centred where the shown one is, is previewed once the resizing has rested
(stylebridge.editor.crop_preview.followed_crop)."""

# pyright: reportMissingImports=false
# (gi, GIMP's GObject bindings, exists only inside GIMP's Python.)

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gi

gi.require_version("GLib", "2.0")
from gi.repository import GLib  # noqa: E402
from stylebridge.editor.crop_preview import (  # noqa: E402
    followed_crop,
    follows_pane_by_itself,
    region_centre,
)

FOLLOW_DELAY_MS = 400  # as Krita's live preview: a dragged window edge rests first


class CropFollower:
    """Watches `pane` (a gimp_preview_pane.PreviewPane); `start_preview()` asks the dialog for
    a preview, `mode()` names the dialog's mode. While a preview runs (`busy`, set by the
    dialog) a follow waits: `take_pending()` says, once, that one is due."""

    def __init__(self, pane: Any, mode: Callable[[], str], start_preview: Callable[[], None]):
        self.pane, self._mode, self._start_preview = pane, mode, start_preview
        self.busy = False
        self._pending = False
        self._source = 0
        pane.on_resize = self._resized

    def _resized(self) -> None:
        if self.pane.actual_size and self.pane.crop_region is not None:
            self.stop()  # debounced: only the last of a burst of resizes counts
            self._source = GLib.timeout_add(FOLLOW_DELAY_MS, self._follow)

    def _follow(self) -> bool:
        self._source = 0
        pane = self.pane
        if not (pane.actual_size and pane.crop_region is not None):
            return False
        crop = followed_crop(pane.shown_rect, pane.crop_region, pane.size())
        if crop is not None and follows_pane_by_itself(self._mode()):
            pane.crop_centre = region_centre(pane.shown_rect)
            if self.busy:
                self._pending = True
            else:
                self._start_preview()
        return False  # a GLib source that runs once

    def take_pending(self) -> bool:
        """True once when a follow waited for the preview that has just ended."""
        pending, self._pending = self._pending, False
        return pending

    def stop(self) -> None:
        """Forget a follow that has not started (the dialog closes, or a newer resize)."""
        if self._source:
            GLib.source_remove(self._source)
            self._source = 0
        self._pending = False
