"""Stand-in extension when pyzmq or msgpack is missing: the menu entries say exactly that."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from krita import Extension

from .actions import APPLY_AGAIN_ID, DIALOG_ID, add_actions
from .feedback import report_error


class UnavailableExtension(Extension):
    """Same menu entries as the real plugin; each shows why the plugin cannot run."""

    def __init__(self, parent, message: str) -> None:
        super().__init__(parent)
        self.message = message
        self.last_error = message

    def setup(self) -> None:
        pass

    def createActions(self, window) -> None:  # noqa: N802 (Krita's API name)
        add_actions(window, {DIALOG_ID: self.explain, APPLY_AGAIN_ID: self.explain})

    def explain(self) -> None:
        report_error(self.message)
