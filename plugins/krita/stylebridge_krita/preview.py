"""The low-res preview: debounced requests, one at a time, the latest settings win; the Preview
button stops the running one, and Apply cancels it so that it never waits behind a preview.
The 100 % button previews a crop at real pixel size (editor.crop_preview); a double-click on
the picture picks the crop's centre there, and the crop follows the pane's size (crop_follow)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtGui import QPixmap
from stylebridge.editor.preview_shot import KeptClient, PreviewShot
from stylebridge.editor.request_params import PREVIEW_SIZE_PX

from . import daemon_tasks
from .crop_follow import CropFollower
from .layer_io import frame_qimage
from .preview_buttons import PreviewButtons
from .preview_picture import preview_picture
from .split_view import SplitView

DEBOUNCE_MS = 400
STOPPED_TEXT = "Preview stopped."


class PreviewPane(SplitView, PreviewButtons):
    """The active layer's thumbnail before and after stylizing, split by a line the painter
    drags; `request()` schedules a refresh."""

    def __init__(self, dialog) -> None:
        super().__init__("Preview")
        self.dialog = dialog
        self.setAlignment(Qt.AlignCenter)
        self.setMinimumSize(PREVIEW_SIZE_PX, PREVIEW_SIZE_PX)
        self.setStyleSheet("QLabel { background: #303030; color: #aaa; }")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._worker = None
        self._pending = False
        self.jobs_started = 0  # previews sent to the daemon (the debounce keeps this low)
        self.crop_centre = None  # (x, y) canvas px of the 100 % crop; None: the region's centre
        self.shown_rect = None  # (x, y, w, h) canvas px of the picture last sent
        self.crop_region = None  # the region shown_rect was cut from when it is a 100 % crop
        self._context = None  # the running preview's ContextCrop: what its result is cut to
        self.follower = CropFollower(self, DEBOUNCE_MS)
        self.shot = PreviewShot()  # a 100 % crop replays the fitted preview's statistics
        self.kept = KeptClient(self.shot)  # on the connection they were recorded on

    def request(self) -> None:
        """Refresh after the sliders have rested for DEBOUNCE_MS."""
        self._timer.start()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Centre the 100 % crop on the point double-clicked (and switch to 100 %)."""
        target, shown = self.picture_rect(), self.shown_rect
        if self._after is None or shown is None:
            return
        fx = (event.x() - target.left()) / max(1, target.width())
        fy = (event.y() - target.top()) / max(1, target.height())
        self.crop_centre = (shown[0] + round(fx * shown[2]), shown[1] + round(fy * shown[3]))
        if self._zoom is not None and not self._zoom.isChecked():
            self._zoom.setChecked(True)  # its toggled signal refreshes
        else:
            self.refresh()

    def cancel(self) -> None:
        """Stop the running preview (its daemon job is cancelled); forget any pending one."""
        self._timer.stop()
        self._pending = False
        if self._worker is not None:
            self._worker.cancel()

    def refresh(self) -> None:
        """Start a preview job now (or right after the one that is running)."""
        if self._worker is not None:
            self._pending = True
            return
        try:
            values, model, doc = self.dialog.current_values(), self.dialog.model, self.dialog.doc
            size = (self.width(), self.height()) if self.actual_size else None
            node, centre = doc.activeNode(), self.crop_centre
            picture = preview_picture(doc, node, values, model, self.shot, size, centre)
            pixels, fmt, request, self._context, region = picture
            self.shown_rect = self._context.crop
            self.crop_region = region if self.actual_size else None
            self.set_before(QPixmap.fromImage(frame_qimage(*self._context.cut(pixels, fmt))))
            customs = self.dialog.custom_frames()
        except (ValueError, AttributeError) as e:
            self.setText(str(e))
            return
        job = daemon_tasks.StylizeJob(pixels, fmt, None, request, customs)
        settings = self.dialog.settings
        self.jobs_started += 1
        self._worker = self.dialog.extension.run_task(
            lambda worker: daemon_tasks.stylize_kept(settings, job, worker, self.kept),
            self._show,
            self._failed,
            lambda: self.setText(STOPPED_TEXT),
        )
        self._worker.finished.connect(self._done)
        self._show_running(True)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """The dialog closed: close the previews' connection unless a preview still uses it."""
        if self._worker is None:
            self.kept.close()
        super().hideEvent(event)

    def _show(self, result) -> None:
        pixels, fmt = result
        if self._context is not None:  # cut the crop out of the picture sent around it
            pixels, fmt = self._context.cut(pixels, fmt)
        self.show_frame(pixels, fmt)

    def show_frame(self, pixels: bytes, fmt: dict) -> None:
        """Show a BGRA or RGB uint8 frame as the 'after' side, scaled to fit."""
        self.set_after(QPixmap.fromImage(frame_qimage(pixels, fmt)))

    def show_job_frame(self, pixels: bytes, fmt: dict) -> None:
        """An Apply job's preview of the whole layer: not over a 100 % crop it does not match."""
        if not self.actual_size:
            self.show_frame(pixels, fmt)

    def _failed(self, message: str) -> None:
        self.setText(message)

    def _done(self) -> None:
        self._worker = None
        self._show_running(False)
        if self._pending:
            self._pending = False
            self.refresh()
