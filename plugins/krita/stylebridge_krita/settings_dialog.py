"""Settings… button: the style engine's start command (Krita settings) and Restart engine. The
main dialog never shows the engine's command line or paths."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from krita import Krita
from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton

from . import daemon_tasks
from .settings import GROUP, load_settings

RESTARTED_TEXT = "The engine restarted."


class EngineSettings(QDialog):
    """Non-modal: the start command (used when no engine answers) and Restart engine."""

    def __init__(self, dialog) -> None:
        super().__init__(dialog)
        self.setWindowTitle("Style engine")
        self.main = dialog
        current = load_settings()
        self.command = QLineEdit(current.daemon_command)
        self.restart_button = QPushButton("Restart engine")
        self.status = QLabel("")
        self.last_pid = 0  # the restarted engine's process id (tests read it)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self._save_and_close)
        buttons.rejected.connect(self.close)
        self.restart_button.clicked.connect(self.restart)
        form = QFormLayout(self)
        form.addRow("Start command", self.command)
        form.addRow("Endpoint", QLabel(current.endpoint or "per-user default"))
        form.addRow(self.restart_button, self.status)
        form.addRow(buttons)

    def _save(self) -> None:
        if self.command.text().strip():
            Krita.instance().writeSetting(GROUP, "daemon_command", self.command.text().strip())
            self.main.settings = load_settings()

    def _save_and_close(self) -> None:
        self._save()
        self.close()

    def restart(self) -> None:
        """Stop the engine and start it again (off the UI thread); the status line says how it
        went."""
        self._save()
        self.restart_button.setEnabled(False)
        self.status.setText("Restarting the engine…")
        settings = self.main.settings
        task = lambda worker: daemon_tasks.restart(settings, worker)  # noqa: E731
        self.main.extension.run_task(task, self._restarted, self._failed)

    def _restarted(self, pid: int) -> None:
        self.last_pid = pid
        self._done(RESTARTED_TEXT)

    def _failed(self, message: str) -> None:
        self._done(message)

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.restart_button.setEnabled(True)


def open_engine_settings(dialog) -> EngineSettings:
    """Show the settings window beside the style dialog."""
    window = EngineSettings(dialog)
    dialog.engine_settings = window
    window.show()
    return window
