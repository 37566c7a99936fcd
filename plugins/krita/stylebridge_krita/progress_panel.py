"""A small non-modal progress window with Cancel, for 'Apply Neural Style Again'."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from krita import Krita
from PyQt5.QtWidgets import QProgressDialog


class ProgressPanel:
    """Follows one TaskWorker: percent and 'Step 3/10, 0:12 left'; Cancel cancels the job."""

    def __init__(self) -> None:
        window = Krita.instance().activeWindow()
        parent = window.qwindow() if window is not None else None
        self.dialog = QProgressDialog("Starting…", "Cancel", 0, 100, parent)
        self.dialog.setWindowTitle("Neural Style Transfer")
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(0)

    def follow(self, worker) -> None:
        """Show the worker's progress until it ends; Cancel asks the daemon to stop the job.
        Called before the worker starts (run_task's `follow`)."""
        self.dialog.canceled.connect(worker.cancel)
        worker.progressed.connect(self._progress)
        worker.finished.connect(self.dialog.close)
        self.dialog.show()

    def _progress(self, value: int, text: str) -> None:
        self.dialog.setValue(value)
        self.dialog.setLabelText(text)
