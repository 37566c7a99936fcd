"""Daemon… button: the command that starts the daemon when none answers (Krita settings)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from krita import Krita
from PyQt5.QtWidgets import QInputDialog, QLineEdit

from .settings import GROUP, load_settings


def edit_daemon_command(dialog) -> None:
    """Ask for the start command (e.g. `/path/to/python -m stylebridge daemon --detach`)."""
    current = load_settings()
    text, ok = QInputDialog.getText(
        dialog,
        "Stylebridge daemon",
        "Command that starts the daemon when none is running\n"
        f"(endpoint: {current.endpoint or 'per-user default'}):",
        QLineEdit.Normal,
        current.daemon_command,
    )
    if ok and text.strip():
        Krita.instance().writeSetting(GROUP, "daemon_command", text.strip())
        dialog.settings = load_settings()
