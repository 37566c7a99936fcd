"""The preview pane's two buttons: Preview (starts a preview, or stops the running one: its
text says which) and 100 % (the fitted picture or a crop at real pixel size)."""
# pyright: reportAttributeAccessIssue=false

from __future__ import annotations


class PreviewButtons:
    """Mixed into preview.PreviewPane, which provides refresh(), cancel(), _worker and
    actual_size."""

    _button = None
    _zoom = None

    def attach(self, button) -> None:
        """`button` starts a preview, or stops the running one (its text says which)."""
        self._button = button
        button.clicked.connect(self.toggle)

    def attach_zoom(self, button) -> None:
        """`button` (checkable) switches between the fitted picture and a 100 % crop."""
        self._zoom = button
        button.toggled.connect(self._zoomed)

    def _zoomed(self, checked: bool) -> None:
        self.actual_size = checked
        self.refresh()

    def toggle(self) -> None:
        if self._worker is not None:
            self.cancel()
        else:
            self.refresh()

    def _show_running(self, running: bool) -> None:
        if self._button is not None:
            self._button.setText("Stop preview" if running else "Preview")
