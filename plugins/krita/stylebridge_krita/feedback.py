"""Messages to the painter: a message box when someone is looking, stderr in batch/test runs
(a modal box would hang a headless Krita)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

import sys

from krita import Krita
from PyQt5.QtWidgets import QMessageBox

TITLE = "Neural Style Transfer"
CANCELLED_TEXT = "Cancelled: no layer was added."


def is_interactive() -> bool:
    """False in batch mode (scripts, tests): then no dialog or message box may open."""
    app = Krita.instance()
    return not app.batchmode() and app.activeWindow() is not None


def report_error(message: str) -> None:
    """Show `message` as an error (message box, or stderr when not interactive)."""
    print(f"stylebridge: {message}", file=sys.stderr)
    if is_interactive():
        QMessageBox.warning(_parent(), TITLE, message)


def report_note(message: str) -> None:
    """A passing note (e.g. 'started the daemon'): status bar style, never modal."""
    print(f"stylebridge: {message}", file=sys.stderr)
    window = Krita.instance().activeWindow()
    if window is not None and is_interactive():
        bar = window.qwindow().statusBar()
        if bar is not None:
            bar.showMessage(message, 10000)


def _parent():
    window = Krita.instance().activeWindow()
    return window.qwindow() if window is not None else None
