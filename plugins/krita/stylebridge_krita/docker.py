"""Settings > Dockers > Neural Style: two buttons for repeated use (the actions do the work)."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

from __future__ import annotations

from krita import DockWidget, DockWidgetFactory, DockWidgetFactoryBase, Krita
from PyQt5.QtWidgets import QPushButton, QVBoxLayout, QWidget

from .actions import ACTION_TEXTS, APPLY_AGAIN_ID, DIALOG_ID

DOCKER_ID = "stylebridge_docker"


class StyleDocker(DockWidget):
    """Buttons that trigger the plugin's menu actions; no logic of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Neural Style")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        for action_id in (DIALOG_ID, APPLY_AGAIN_ID):
            button = QPushButton(ACTION_TEXTS[action_id], body)
            button.clicked.connect(
                lambda _=False, a=action_id: Krita.instance().action(a).trigger()
            )
            layout.addWidget(button)
        layout.addStretch(1)
        self.setWidget(body)

    def canvasChanged(self, canvas) -> None:  # noqa: N802 (Krita's API name)
        pass


def register_docker(app) -> None:
    """Add the docker factory (Krita creates the docker per window)."""
    factory = DockWidgetFactory(DOCKER_ID, DockWidgetFactoryBase.DockRight, StyleDocker)
    app.addDockWidgetFactory(factory)
