"""Run a daemon task off Krita's UI thread; results, progress and errors come back as signals
(queued to the UI thread, where Krita's API may be used)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

import traceback

from PyQt5.QtCore import QThread, pyqtSignal
from stylebridge.client import DaemonError
from stylebridge.editor.progress_text import was_cancelled
from stylebridge.editor.session import JOB_ERRORS, progress_line


class TaskWorker(QThread):
    """Runs `task(worker)` in a thread. The task calls worker.report()/note() and polls
    worker.is_cancelled(); exactly one of succeeded/failed/cancelled is emitted at the end."""

    progressed = pyqtSignal(int, str)
    previewed = pyqtSignal(bytes, dict)  # an intermediate low-res result
    noted = pyqtSignal(str)
    succeeded = pyqtSignal(object)
    failed = pyqtSignal(str)
    cancelled = pyqtSignal()  # the daemon stopped the job because the painter asked

    def __init__(self, task, parent=None) -> None:
        super().__init__(parent)
        self._task = task
        self._cancelled = False

    def cancel(self) -> None:
        """Ask the task to stop; a running daemon job gets a cancel request."""
        self._cancelled = True

    def is_cancelled(self) -> bool:
        return self._cancelled

    def report(self, progress) -> None:
        """Forward a client JobProgress as (percent, 'Step 3/10, 0:12 left')."""
        self.progressed.emit(*progress_line(progress))
        if progress.preview is not None:
            self.previewed.emit(*progress.preview)

    def note(self, message: str) -> None:
        self.noted.emit(message)

    def run(self) -> None:  # the one error boundary of the thread: nothing escapes into Krita
        try:
            result = self._task(self)
        except DaemonError as e:
            if was_cancelled(e):
                self.cancelled.emit()
            else:
                self.failed.emit(f"The daemon says: {e.message}")
        except JOB_ERRORS as e:
            self.failed.emit(str(e))
        except Exception as e:
            traceback.print_exc()
            self.failed.emit(f"Unexpected error: {type(e).__name__}: {e}")
        else:
            self.succeeded.emit(result)
