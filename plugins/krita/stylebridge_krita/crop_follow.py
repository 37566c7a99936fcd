"""The 100 % crop follows the preview pane: when the pane changes size (the window resized, a
style change re-laying the dialog out), a crop of the new size, centred where the shown one is,
is previewed once the resizing has rested (stylebridge.editor.crop_preview.followed_crop)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtCore import QEvent, QObject, QTimer
from stylebridge.editor.crop_preview import followed_crop, region_centre


class CropFollower(QObject):
    """Watches `pane` (the dialog's PreviewPane) for resizes; debounced by `debounce_ms`, as
    the other live-preview triggers, so that dragging a window edge starts one preview."""

    def __init__(self, pane, debounce_ms: int) -> None:
        super().__init__(pane)
        self.pane = pane
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.follow)
        pane.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Resize and self.pane.actual_size:
            self._timer.start()
        return False  # the pane handles its resize as usual

    def follow(self) -> None:
        """Preview the crop of the pane's size now, if it differs from the one shown and the
        live preview is on; while an Apply runs, wait for it to end (checked again later)."""
        pane, dialog = self.pane, self.pane.dialog
        live = dialog.live.isEnabled() and dialog.live.isChecked()
        if not (pane.actual_size and pane.crop_region is not None and live):
            return
        if not dialog.apply_button.isEnabled():  # an Apply runs: no preview beside it
            self._timer.start()
            return
        crop = followed_crop(pane.shown_rect, pane.crop_region, (pane.width(), pane.height()))
        if crop is not None:
            pane.crop_centre = region_centre(pane.shown_rect)
            pane.refresh()
