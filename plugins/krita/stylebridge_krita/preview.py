"""The low-res preview: debounced requests, one at a time, the latest settings win; the Preview
button stops the running one, and Apply cancels it so that it never waits behind a preview."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtGui import QPixmap
from stylebridge.editor.request_params import PREVIEW_SIZE_PX, preview_request

from . import daemon_tasks
from .layer_io import frame_qimage, source_region, thumbnail_frame
from .split_view import SplitView

DEBOUNCE_MS = 400
STOPPED_TEXT = "Preview stopped."


class PreviewPane(SplitView):
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
        self._button = None
        self.jobs_started = 0  # previews sent to the daemon (the debounce keeps this low)

    def request(self) -> None:
        """Refresh after the sliders have rested for DEBOUNCE_MS."""
        self._timer.start()

    def attach(self, button) -> None:
        """`button` starts a preview, or stops the running one (its text says which)."""
        self._button = button
        button.clicked.connect(self.toggle)

    def toggle(self) -> None:
        if self._worker is not None:
            self.cancel()
        else:
            self.refresh()

    def cancel(self) -> None:
        """Stop the running preview (its daemon job is cancelled); forget any pending one."""
        self._timer.stop()
        self._pending = False
        if self._worker is not None:
            self._worker.cancel()

    def _show_running(self, running: bool) -> None:
        if self._button is not None:
            self._button.setText("Stop preview" if running else "Preview")

    def refresh(self) -> None:
        """Start a preview job now (or right after the one that is running)."""
        if self._worker is not None:
            self._pending = True
            return
        try:
            values, model, doc = self.dialog.current_values(), self.dialog.model, self.dialog.doc
            node = doc.activeNode()
            pixels, fmt = thumbnail_frame(node, PREVIEW_SIZE_PX, source_region(doc, node))
            self.set_before(QPixmap.fromImage(frame_qimage(pixels, fmt)))
            request = preview_request(values, model, max(fmt["width"], fmt["height"]))
            customs = self.dialog.custom_frames()
        except (ValueError, AttributeError) as e:
            self.setText(str(e))
            return
        job = daemon_tasks.StylizeJob(pixels, fmt, None, request, customs)
        settings = self.dialog.settings
        self.jobs_started += 1
        self._worker = self.dialog.extension.run_task(
            lambda worker: daemon_tasks.stylize(settings, job, worker),
            self._show,
            self._failed,
            lambda: self.setText(STOPPED_TEXT),
        )
        self._worker.finished.connect(self._done)
        self._show_running(True)

    def _show(self, result) -> None:
        self.show_frame(*result)

    def show_frame(self, pixels: bytes, fmt: dict) -> None:
        """Show a BGRA or RGB uint8 frame as the 'after' side, scaled to fit."""
        self.set_after(QPixmap.fromImage(frame_qimage(pixels, fmt)))

    def _failed(self, message: str) -> None:
        self.setText(message)

    def _done(self) -> None:
        self._worker = None
        self._show_running(False)
        if self._pending:
            self._pending = False
            self.refresh()
